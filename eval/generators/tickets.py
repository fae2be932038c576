"""CD cases: fictional 12345 tickets from templates, gold 诉求类型, 主题 and 承办单位 from the taxonomy file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case
from eval.generators.sources import REPO

TEMPLATES = Path(__file__).resolve().parent / "data" / "tickets.yaml"
TAXONOMY = REPO / "agents" / "tickets" / "taxonomy.yaml"
DISTRICTS = ["滨江区", "临川区", "高新区"]
UNIT_PATHS = ["first", "triage_ticket.classification.unit", "classify_ticket.unit"]


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, Any], dict[str, str]]:
    templates = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
    taxonomy = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    units = {f"{c['name']}>{t['name']}": t["unit"] for c in taxonomy["categories"] for t in c["topics"]}
    return templates, units


def gold_unit(topic: str, district: str | None) -> str:
    """The topic's 承办单位 with {区} replaced by the district (as the 派单规程 reads)."""
    return _data()[1][topic].replace("{区}", district or "事发地区")


@register("CD")
def generate_cd(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    templates, units = _data()
    categories = templates["sectors"].get(card.sector_id) or sorted({t.split(">")[0] for t in units})
    pool = [t for t in templates["tickets"] if t["topic"].split(">")[0] in categories]
    rng.shuffle(pool)
    cases: list[Case] = []
    for number, template in enumerate((pool * 3)[: ctx.per_scenario], 1):
        district = rng.choice(DISTRICTS)
        roads = rng.sample(templates["roads"], 2)
        text = (
            template["text"]
            .replace("{区}", district, 1)
            .replace("{区}", "")
            .replace("{路}", roads[0], 1)
            .replace("{路}", roads[1])
            .replace("{小区}", rng.choice(templates["estates"]))
            .replace("{电话}", f"139{rng.randrange(10**8):08d}")
        )
        named = district if district in text else None
        expected = {
            "type": template["type"],
            "topic": template["topic"].split(">"),
            "unit": gold_unit(template["topic"], named),
        }
        scorers = [
            ScorerSpec(name="classification", threshold=0.6, weight=2),
            ScorerSpec(name="exact_match", params={"path": UNIT_PATHS, "gold": "unit"}),
        ]
        cases.append(
            make_case(card, number, text, expected, scorers, "eval/generators/data/tickets.yaml", "tickets.cd")
        )
    return cases
