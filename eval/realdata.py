"""A real-data suite built at run time from ../shared/data/gd-service-items (Guangdong 事项 records, MIT).

Questions about an item's 办理时限/材料 (gold: the record's doc id and field values) and item descriptions
routed to the implementing department. The records are never copied into the repository; where the folder
is absent the suite is empty.

Routing is scored by function, not by name: the records' departments are Guangdong's (广东省司法厅, 广州市公安局…)
and the 12345 triage agent routes among 江临市's units, so an exact name can never match. A record counts
only when its department has a counterpart in the city's taxonomy (``FUNCTIONS``: 税务 → 江临市税务局); the
gold is that function word, which the routed unit must contain. Records of departments the city's 12345
taxonomy has no unit for (司法, 文化和旅游, 农业农村…) are left out: no answer could be right.
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
# A Guangdong department's function word → the word every 江临市 unit of that function contains
# (agents/tickets/taxonomy.yaml). Checked in order: 住房公积金 before 住房和城乡建设.
FUNCTIONS: tuple[tuple[str, str], ...] = (
    ("税务", "税务局"),
    ("公安", "公安"),
    ("人力资源和社会保障", "人力社保"),
    ("市场监督管理", "市场监管"),
    ("卫生健康", "卫生健康"),
    ("生态环境", "生态环境"),
    ("交通运输", "交通运输"),
    ("住房公积金", "住房公积金"),
    ("住房和城乡建设", "住建"),
    ("教育", "教育"),
    ("民政", "民政"),
    ("残疾人联合会", "残疾人联合会"),
    ("工业和信息化", "工信"),
    ("医疗保障", "医保"),
    ("电网", "供电"),
)


def unit_function(department: str) -> str | None:
    """The 江临市 unit word for a Guangdong department, or None when the city's taxonomy has no such unit."""
    return next((unit for word, unit in FUNCTIONS if word in department), None)


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
    routable = [r for r in records[per_capability:] if unit_function(str(r.get("DEPT_NAME") or ""))]
    for number, record in enumerate(routable[:per_capability], 1):
        cases.append(
            Case(
                id=f"real-ZL1-CD-{number:03d}",
                scenario="ZL1-CD",
                input={"question": f"我想咨询{record['TASK_NAME']}，应该找哪个部门？"},
                expected={"unit": unit_function(record["DEPT_NAME"]), "department": record["DEPT_NAME"]},
                scorers=[
                    ScorerSpec(name="exact_match", params={"path": UNIT_PATHS, "gold": "unit", "match": "contains"})
                ],
                split="holdout",
                provenance=provenance,
            )
        )
    return tuple(cases)
