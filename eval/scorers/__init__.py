"""Deterministic scorers, one registry: ``score_case`` applies a case's scorers to one run's output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eval.cases import Case
from eval.scorers import structured, text
from eval.scorers.base import SCORERS, RunOutput, Score, register
from eval.scorers.normalize import normalise


@dataclass
class CaseScore:
    """A case's weighted score, whether every scorer met its threshold, and each scorer's result."""

    score: float
    passed: bool
    abstained: bool
    scorers: dict[str, dict[str, Any]] = field(default_factory=dict)


def score_case(case: Case, run: RunOutput) -> CaseScore:
    """Weighted mean of the case's scorers; a missing scorer name is a configuration error."""
    results: dict[str, dict[str, Any]] = {}
    total = weight = 0.0
    passed, abstained = True, False
    for spec in case.scorers:
        scorer = SCORERS.get(spec.name)
        if scorer is None:
            raise KeyError(f"case {case.id}: unknown scorer {spec.name!r}; known: {', '.join(sorted(SCORERS))}")
        result = scorer(case, run, spec.params)
        value = min(1.0, max(0.0, result.value))
        key = spec.name if spec.name not in results else f"{spec.name}#{len(results)}"
        results[key] = {"score": round(value, 4), "threshold": spec.threshold, **result.details}
        total += value * spec.weight
        weight += spec.weight
        passed &= value >= spec.threshold
        abstained |= result.abstained
    return CaseScore(round(total / weight, 4), passed, abstained, results)


__all__ = ["SCORERS", "CaseScore", "RunOutput", "Score", "normalise", "register", "score_case", "structured", "text"]
