"""PM cases (enterprise profiles with gold eligibility from the policy catalog) and KR retrieval queries.

Gold eligibility is computed here from ``agents/policies/catalog.yaml`` by a plain comparator, not by the
agent's engine, and only for measures the profile text decides (every condition's field is stated).
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case, ordered
from eval.generators.guides import _article_question
from eval.generators.sources import REPO

CATALOG = REPO / "agents" / "policies" / "catalog.yaml"
DISTRICTS = ["滨江区", "临川区", "高新区"]
# Which industries a sector's enterprises are in: the sector changes the profiles, not just the id.
SECTOR_INDUSTRIES: dict[str, list[str]] = {
    "FW4": ["软件和信息技术服务业", "制造业", "科学研究和技术服务业"],
    "JG1": ["批发业", "零售业", "住宿餐饮业"],
    "JG2": ["软件和信息技术服务业", "批发业", "制造业"],
    "JG3": ["制造业", "建筑业"],
    "JG4": ["制造业", "交通运输业"],
    "JG5": ["建筑业", "软件和信息技术服务业"],
    "MS1": ["住宿餐饮业", "零售业", "软件和信息技术服务业"],
    "MS2": ["科学研究和技术服务业", "制造业"],
    "MS3": ["科学研究和技术服务业", "软件和信息技术服务业"],
    "MS4": ["住宿餐饮业", "零售业"],
    "MS5": ["住宿餐饮业", "交通运输业"],
}
_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq}


@lru_cache(maxsize=2)
def _measures(path: Path = CATALOG) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [m for policy in data["policies"] for m in policy["measures"]]


def eligible(measure: dict[str, Any], profile: dict[str, Any]) -> bool | None:
    """True/False when every condition's field is in ``profile``; None when the profile does not decide."""
    verdicts = []
    for cond in measure["conditions"]:
        value = profile.get(cond["field"])
        if value is None:
            return None
        target = cond["value"]
        if cond["op"] == "in":
            verdicts.append(value in target)
        elif cond["op"] == "not_in":
            verdicts.append(value not in target)
        elif cond["op"] == "contains":
            wanted = target if isinstance(target, list) else [target]
            verdicts.append(any(w in value for w in wanted))
        else:
            verdicts.append(_OPS[cond["op"]](value, target))
    return all(verdicts)


def _profile(card: ScenarioCard, rng: Any) -> tuple[str, dict[str, Any]]:
    industry = rng.choice(SECTOR_INDUSTRIES.get(card.sector_id, ["制造业", "软件和信息技术服务业"]))
    year = dt.date.today().year - rng.choice([0, 1, 2, 4, 6, 9])
    revenue = rng.choice([300, 800, 1800, 3200, 6500])
    employees = rng.choice([12, 45, 85, 160])
    profile: dict[str, Any] = {
        "registered_district": rng.choice(DISTRICTS),
        "industry": industry,
        "annual_revenue_wan": revenue,
        "employees": employees,
        "years_established": dt.date.today().year - year,
        "is_sme": True,
        "rd_ratio_pct": rng.choice([1, 3, 5]),
        "invention_patents": rng.choice([0, 2]),
        "in_incubator": rng.random() < 0.4,
        "qualifications": rng.sample(["高新技术企业", "专精特新中小企业"], rng.randrange(3)),
    }
    text = (
        f"我们是{profile['registered_district']}的一家企业，行业为{industry}，{year}年成立，"
        f"上年度营业收入{revenue}万元，从业人员{employees}人，属于中小企业，研发投入占营业收入{profile['rd_ratio_pct']}%，"
        + (f"有{profile['invention_patents']}件发明专利，" if profile["invention_patents"] else "没有发明专利，")
        + ("已入驻众创空间，" if profile["in_incubator"] else "没有入驻孵化器，")
        + (f"已认定{'、'.join(profile['qualifications'])}，" if profile["qualifications"] else "")
        + "能申报哪些惠企政策？"
    )
    return text, profile


@register("PM")
def generate_pm(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    measures = _measures()
    cases: list[Case] = []
    for number in range(1, ctx.per_scenario + 1):
        text, profile = _profile(card, rng)
        decided = {m["id"]: eligible(m, profile) for m in measures}
        expected = {
            "eligible": sorted(k for k, v in decided.items() if v),
            "ineligible": sorted(k for k, v in decided.items() if v is False),
        }
        scorers = [
            ScorerSpec(
                name="eligibility",
                params={"path": "match_policies.matches", "decided": ["eligible", "ineligible"]},
                threshold=0.7,
            ),
            ScorerSpec(name="tool_calls", params={"tools": ["match_policies"]}),
        ]
        cases.append(make_case(card, number, text, expected, scorers, "agents/policies/catalog.yaml", "policies.pm"))
    return cases


@register("KR")
def generate_kr(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    """Retrieval queries with gold doc ids: the sample KB's hand-labelled questions and policy-article questions."""
    rng = ctx.rng(card)
    labelled = [(q["query"], [q["expected_doc"]], "data/kb/demo_questions.jsonl") for q in ctx.sources.questions]
    articles = [
        (_article_question(a)[0], [a.doc_id], f"data/kb/policies/{a.doc_id}.md")
        for a in ctx.sources.articles
        if len(a.text) > 40
    ]
    pool = labelled + articles
    chosen = ordered(pool, [p[0] + p[1][0] for p in pool], card, rng)[: ctx.per_scenario]
    cases = []
    for number, (query, gold, source) in enumerate(chosen, 1):
        scorers = [
            ScorerSpec(name="recall_at_k", params={"k": 5, "gold": "doc_ids"}),
            ScorerSpec(name="mrr", params={"gold": "doc_ids"}),
        ]
        cases.append(make_case(card, number, query, {"doc_ids": gold}, scorers, source, "policies.kr"))
    return cases
