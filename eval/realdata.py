"""A real-data suite built at run time from ../shared/data/gd-service-items (Guangdong 事项 records, MIT).

Questions about an item's 办理时限/材料 (gold: the record's doc id and field values) and item descriptions
routed to the implementing department (gold: DEPT_NAME among 100+ departments). The records are never
copied into the repository; where the folder is absent the suite is empty.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

from eval.cases import Case, Provenance, ScorerSpec
from eval.generators.tickets import UNIT_PATHS

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "gd-service-items" / "service_items.jsonl"
LICENCE = "MIT（Clarence-Kong/QABasedOnPolicyKnowledgeGraph, commit b1f5aec3）"
PER_CAPABILITY = 6


@lru_cache(maxsize=2)
def real_cases(path: Path = DATA, per_capability: int = PER_CAPABILITY, seed: int = 7) -> tuple[Case, ...]:
    """Held-out cases from the real records (empty when the shared data is absent)."""
    if not path.exists():
        return ()
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    rng.shuffle(records)
    provenance = Provenance(source=f"gd-service-items/{path.name}", licence=LICENCE, generator="realdata")
    cases: list[Case] = []
    timed = [r for r in records if str(r.get("handle_time_limit") or "").strip() not in {"", "无", "None"}]
    for number, record in enumerate(timed[:per_capability], 1):
        limit = str(record["handle_time_limit"]).replace("(工作日)", "个工作日")
        cases.append(
            Case(
                id=f"real-FW2-QA-{number:03d}",
                scenario="FW2-QA",
                input={"question": f"{record['TASK_NAME']}的承诺办结时限是多久？"},
                expected={"doc_ids": [record["TASK_CODE"]], "facts": [limit]},
                scorers=[ScorerSpec(name="key_facts", params={"facts": "facts"})],
                split="holdout",
                provenance=provenance,
            )
        )
    for number, record in enumerate(records[per_capability : 2 * per_capability], 1):
        cases.append(
            Case(
                id=f"real-ZL1-CD-{number:03d}",
                scenario="ZL1-CD",
                input={"question": f"我想咨询{record['TASK_NAME']}，应该找哪个部门？"},
                expected={"unit": record["DEPT_NAME"]},
                scorers=[ScorerSpec(name="exact_match", params={"path": UNIT_PATHS, "gold": "unit"})],
                split="holdout",
                provenance=provenance,
            )
        )
    return tuple(cases)
