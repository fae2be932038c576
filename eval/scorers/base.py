"""The scorer contract: what one run produced (RunOutput), what a scorer returns (Score), the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eval.cases import Case


@dataclass
class RunOutput:
    """Everything a scorer may read about one agent run; built by the runner from the AgentResult and trace."""

    answer: str = ""
    refused: bool = False
    citations: list[dict[str, str]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)  # name, args (as the model sent them)
    tool_results: dict[str, Any] = field(default_factory=dict)  # tool name → its last parsed JSON result
    evidence: list[dict[str, Any]] = field(default_factory=list)  # retrieved passages in order: doc_id, heading…
    error: str = ""
    audience: str = "citizen"

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Score:
    """A score in [0, 1]; ``abstained`` when the output gave nothing to score (a refusal, an unparseable result)."""

    value: float
    details: dict[str, Any] = field(default_factory=dict)
    abstained: bool = False


Scorer = Callable[[Case, RunOutput, dict[str, Any]], Score]
SCORERS: dict[str, Scorer] = {}


def register(name: str) -> Callable[[Scorer], Scorer]:
    def decorate(func: Scorer) -> Scorer:
        SCORERS[name] = func
        return func

    return decorate


def lookup(run: RunOutput, path: str) -> Any:
    """A value from a tool result by dotted path: ``get_service_guide.materials``; None when absent."""
    value: Any = run.tool_results
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value


def gold(case: Case, params: dict[str, Any], key: str = "gold", default: str = "") -> Any:
    """The expected value a scorer compares against: ``params[key]`` names a key of ``case.expected``."""
    return case.expected.get(params.get(key, default))


def f1(precision: float, recall: float) -> float:
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
