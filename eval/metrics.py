"""Aggregation: per-scenario mean with a bootstrap 95% CI and n, roll-ups that weight scenarios equally."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from statistics import fmean
from typing import Any

import numpy as np

from eval.catalog import ScenarioCard

BOOTSTRAP = 1000


def bootstrap_ci(values: list[float], seed: int = 0, rounds: int = BOOTSTRAP) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of the mean (seeded, so reports are reproducible).

    Each round is ``fmean(random.Random(seed).choices(values, k=n))`` as in the first version of this
    function, computed in bulk: numpy's legacy generator is the same Mersenne Twister with the same
    53-bit doubles, so it replays Python's stream exactly, and the sums use ``math.fsum`` as ``fmean`` does.
    The intervals are bit-for-bit those of the per-round loop (tests/test_eval_report_order.py), ~1.5× faster.
    """
    if not values:
        return (0.0, 0.0)
    if len(values) == 1:
        return (values[0], values[0])
    n = len(values)
    picks = np.floor(_python_stream(seed).random_sample((rounds, n)) * float(n)).astype(np.intp)
    # Dividing every sum by n keeps their order, so sort the sums and divide only the two that are used.
    sums = sorted(map(math.fsum, np.asarray(values, dtype=np.float64)[picks].tolist()))
    return (round(sums[int(0.025 * rounds)] / n, 4), round(sums[int(0.975 * rounds) - 1] / n, 4))


def _python_stream(seed: int) -> np.random.RandomState:
    """A numpy generator positioned exactly where ``random.Random(seed)`` starts."""
    state = random.Random(seed).getstate()[1]
    generator = np.random.RandomState(0)
    generator.set_state(("MT19937", np.array(state[:624], dtype=np.uint32), state[624], 0, 0.0))
    return generator


def scenario_metrics(card: ScenarioCard, samples: list[dict[str, Any]], runnable: bool) -> dict[str, Any]:
    """One scenario's row: status (pass/fail/not_runnable/no_cases), score, CI, n and the side rates."""
    base: dict[str, Any] = {
        "id": card.id,
        "title": card.title,
        "domain": card.domain,
        "sector": card.sector_id,
        "capability": card.capability,
        "agent": card.agent,
        "threshold": card.threshold,
        "human_review": card.human_review,
        "data_class": card.data_class,
        "n": len(samples),
    }
    if not runnable:
        return base | {"status": "not_runnable", "score": None}
    if not samples:
        return base | {"status": "no_cases", "score": None}
    scores = [float(s["score"]) for s in samples]
    mean = round(fmean(scores), 4)
    judged = [s["judge"]["score"] for s in samples if s.get("judge") and s["judge"].get("score") is not None]
    return base | {
        "status": "pass" if mean >= card.threshold else "fail",
        "score": mean,
        "ci95": bootstrap_ci(scores, seed=sum(map(ord, card.id))),
        "pass_rate": round(fmean(float(s["passed"]) for s in samples), 4),
        "abstention_rate": round(fmean(float(s["abstained"]) for s in samples), 4),
        "error_rate": round(fmean(float(bool(s["error"]) or bool(s["timeout"])) for s in samples), 4),
        "latency_s_mean": round(fmean(s["latency_s"] for s in samples), 4),
        "tokens_in": sum(s["tokens_in"] for s in samples),
        "tokens_out": sum(s["tokens_out"] for s in samples),
        "judge_score": round(fmean(judged), 4) if judged else None,
    }


def rollup(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    """Mean of scenario scores per group (equal weight per scenario), with a bootstrap CI over scenarios."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row[key]].append(row)
    out: dict[str, dict[str, Any]] = {}
    for name, members in sorted(groups.items()):
        scored = [r["score"] for r in members if r["score"] is not None]
        out[name] = {
            "score": round(fmean(scored), 4) if scored else None,
            "ci95": bootstrap_ci(scored, seed=sum(map(ord, name))) if scored else None,
            "n_scenarios": len(scored),
            "not_runnable": sum(r["status"] == "not_runnable" for r in members),
            "passed": sum(r["status"] == "pass" for r in members),
            "abstention_rate": _case_rate(members, "abstention_rate"),
            "error_rate": _case_rate(members, "error_rate"),
        }
    return out


def _case_rate(rows: list[dict[str, Any]], name: str) -> float | None:
    """A per-case rate over the scored scenarios of a group (weighted by each scenario's n)."""
    scored = [r for r in rows if r.get("score") is not None and r.get(name) is not None]
    cases = sum(r["n"] for r in scored)
    return round(sum(r[name] * r["n"] for r in scored) / cases, 4) if cases else None


def overall(rows: list[dict[str, Any]]) -> dict[str, Any]:
    scored = [r for r in rows if r["score"] is not None]
    values = [r["score"] for r in scored]
    n_cases = sum(r["n"] for r in scored)
    return {
        "score": round(fmean(values), 4) if values else None,
        "ci95": bootstrap_ci(values) if values else None,
        "n_scenarios": len(scored),
        "n_cases": n_cases,
        "passed": sum(r["status"] == "pass" for r in rows),
        "failed": sum(r["status"] == "fail" for r in rows),
        "not_runnable": sum(r["status"] == "not_runnable" for r in rows),
        "no_cases": sum(r["status"] == "no_cases" for r in rows),
        "abstention_rate": _case_rate(scored, "abstention_rate"),
        "error_rate": _case_rate(scored, "error_rate"),
    }
