"""Compare two runs scenario by scenario: improved, regressed, unchanged, and scenarios only one run has."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

MIN_DELTA = 0.01  # smaller score changes are noise from rounding, not a change


def load_results(run: Path) -> dict[str, Any]:
    path = run / "results.json" if run.is_dir() else run
    if not path.exists():
        raise FileNotFoundError(f"{path} not found; pass a folder written by `shuzhi eval run --out DIR`")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def compare(a: dict[str, Any], b: dict[str, Any], min_delta: float = MIN_DELTA) -> dict[str, Any]:
    """Per-scenario deltas from run A to run B (scored scenarios only) plus the overall delta."""
    rows_a = {r["id"]: r for r in a["scenarios"]}
    rows_b = {r["id"]: r for r in b["scenarios"]}
    changes: dict[str, list[dict[str, Any]]] = {"improved": [], "regressed": [], "unchanged": []}
    for sid in sorted(rows_a.keys() & rows_b.keys()):
        before, after = rows_a[sid]["score"], rows_b[sid]["score"]
        if before is None or after is None:
            continue
        delta = round(after - before, 4)
        kind = "improved" if delta >= min_delta else "regressed" if delta <= -min_delta else "unchanged"
        entry = {"id": sid, "title": rows_b[sid]["title"], "a": before, "b": after, "delta": delta}
        entry["status"] = f"{rows_a[sid]['status']}→{rows_b[sid]['status']}"
        changes[kind].append(entry)
    for kind in ("improved", "regressed"):
        changes[kind].sort(key=lambda e: -abs(e["delta"]))
    overall_a, overall_b = a["overall"]["score"], b["overall"]["score"]
    return {
        "a": {"config_hash": a["run"]["config_hash"], "git_commit": a["run"]["git_commit"], "score": overall_a},
        "b": {"config_hash": b["run"]["config_hash"], "git_commit": b["run"]["git_commit"], "score": overall_b},
        "overall_delta": None if overall_a is None or overall_b is None else round(overall_b - overall_a, 4),
        **changes,
        "only_a": sorted(rows_a.keys() - rows_b.keys()),
        "only_b": sorted(rows_b.keys() - rows_a.keys()),
    }
