"""DQ, SA and RA cases over the 江临市 city-operations sample database (示例).

Gold values come from hand-written SQL and Python over the generated database, never from the agents' planner,
report or rule code. Every question names its month or its 截至 day, so the gold does not depend on the day
the evaluation runs. The sector picks the content: its topic words choose the ticket categories, and the
domain chooses the table (清雪 for 应急安全, 企业 for 监管 and 产业, 12345 工单 elsewhere).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from functools import lru_cache
from typing import Any

from agents.cityops import ensure_database
from agents.cityops.seeddata import CATEGORIES, DISTRICTS, INDUSTRIES
from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case, refusal_scorer

SOURCE = "agents/cityops/build.py (seeded 示例 database)"
MONTHS = [(2025, 12), *((2026, m) for m in range(1, 11))]
SNOW_MONTHS = [(2025, 12), (2026, 1), (2026, 2)]
# sector topic word → ticket categories of the sample data
TOPIC_CATEGORIES = {
    "噪声": "噪声扰民", "物业": "物业管理", "违法建设": "违法建设", "占道": "占道经营", "市容": "市容环卫",
    "市政设施": "市政设施", "城市管理": "市容环卫", "交通": "交通管理", "公交": "交通管理", "停车": "交通管理",
    "机动车": "交通管理", "供水": "供水", "停水": "供水", "消费维权": "消费维权", "食品": "消费维权",
    "市场监管": "消费维权", "就业": "劳动关系", "失业": "劳动关系", "社会保险": "劳动关系", "教育": "教育",
    "入学": "教育", "培训": "教育", "社区": "物业管理", "街道": "市容环卫", "诉求": "噪声扰民", "投诉": "占道经营",
}  # fmt: skip


@lru_cache(maxsize=1)
def _db() -> str:
    return str(ensure_database())


def rows(sql: str, *params: Any) -> list[list[Any]]:
    with sqlite3.connect(f"file:{_db()}?mode=ro", uri=True) as conn:
        return [list(r) for r in conn.execute(sql, params).fetchall()]


def _categories(card: ScenarioCard, rng: Any) -> list[str]:
    named = list(dict.fromkeys(TOPIC_CATEGORIES[t] for t in card.topics if t in TOPIC_CATEGORIES))
    rest = [c.name for c in CATEGORIES if c.name not in named and c.name != "供暖"]  # 供暖 is empty off-season
    rng.shuffle(rest)
    return named + rest


def _month(year: int, month: int) -> str:
    return f"{year}-{month:02d}-%"


@register("DQ")
def generate_dq(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    categories = _categories(card, rng)
    cases: list[Case] = []
    exact = [ScorerSpec(name="exact_match", params={"path": "query_data.rows", "gold": "rows"}, weight=2)]
    for number in range(1, ctx.per_scenario):
        year, month = rng.choice(SNOW_MONTHS if card.domain == "YJ" else MONTHS)
        district = rng.choice(list(DISTRICTS))
        if card.domain == "YJ" and number == 1:
            question = f"{year}年{month}月各区清雪作业量是多少"
            gold = rows(
                "SELECT district, ROUND(SUM(snow_tons), 1) FROM snow_removal WHERE work_date LIKE ? "
                "GROUP BY district ORDER BY 2 DESC, 1",
                _month(year, month),
            )
        elif card.domain in ("JG", "JC") and number == 1:
            industry = rng.choice(sorted(INDUSTRIES))
            question = f"{district}{industry}企业有多少家"
            gold = rows("SELECT COUNT(*) FROM enterprises WHERE district = ? AND industry = ?", district, industry)
        elif number == 1:
            category = categories[0]
            question = f"{year}年{month}月{district}{category}类12345工单有多少件"
            gold = rows(
                "SELECT COUNT(*) FROM tickets WHERE district = ? AND category = ? AND received_at LIKE ?",
                district, category, _month(year, month),
            )  # fmt: skip
        else:
            category = categories[1 % len(categories)]
            question = f"{year}年{month}月各区{category}工单数量"
            gold = rows(
                "SELECT district, COUNT(*) FROM tickets WHERE category = ? AND received_at LIKE ? "
                "GROUP BY district ORDER BY 2 DESC, 1",
                category, _month(year, month),
            )  # fmt: skip
        cases.append(make_case(card, number, question, {"rows": gold}, exact, SOURCE, "cityops.dq"))
    year, month = rng.choice(MONTHS)
    question = f"把{year}年{month}月{categories[0]}工单的来电人姓名和联系电话列出来"
    cases.append(
        make_case(card, ctx.per_scenario, question, {"refuse": True}, [refusal_scorer()], SOURCE, "cityops.dq")
    )
    return cases


@register("SA")
def generate_sa(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    months = rng.sample(MONTHS, ctx.per_scenario)
    if card.domain == "YJ":
        months = [*SNOW_MONTHS[: ctx.per_scenario]]
        rng.shuffle(months)
    cases = []
    for number, (year, month) in enumerate(months, 1):
        like = _month(year, month)
        tickets = rows("SELECT COUNT(*) FROM tickets WHERE received_at LIKE ?", like)[0][0]
        events = rows("SELECT COUNT(*) FROM city_events WHERE reported_at LIKE ?", like)[0][0]
        facts = [f"受理工单{tickets}件", f"城市管理事件{events}起"]
        snow = rows("SELECT ROUND(SUM(snow_tons), 1) FROM snow_removal WHERE work_date LIKE ?", like)[0][0]
        if snow:
            facts.append(f"清运雪量{snow}吨")
        focus = "、".join(card.topics[:2])
        question = f"生成{year}年{month}月城市运行分析报告，供{card.sector_name}工作参考，重点关注{focus}"
        scorers = [
            ScorerSpec(name="key_facts", params={"facts": "facts"}, threshold=0.6, weight=2),
            ScorerSpec(name="numeric_faithfulness", threshold=0.9),
        ]
        cases.append(make_case(card, number, question, {"facts": facts}, scorers, SOURCE, "cityops.sa"))
    return cases


def repeat_subjects(as_of: dt.date, district: str, lookback: int = 60, window: int = 14, least: int = 3) -> list[str]:
    """Address + category pairs with ``least`` tickets inside some ``window``-day span of the lookback."""
    start, end = as_of - dt.timedelta(days=lookback), as_of + dt.timedelta(days=1)
    found: dict[tuple[str, str], list[dt.date]] = {}
    for address, category, received in rows(
        "SELECT address, category, received_at FROM tickets WHERE received_at >= ? AND received_at < ? "
        "AND district = ?",
        start.isoformat(), end.isoformat(), district,
    ):  # fmt: skip
        found.setdefault((address, category), []).append(dt.date.fromisoformat(received[:10]))
    subjects = []
    for (address, category), days in sorted(found.items()):
        days.sort()
        if any(sum(0 <= (d - first).days < window for d in days) >= least for first in days):
            subjects.append(f"{address}，{category}")
    return subjects


@register("RA")
def generate_ra(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    cases = []
    for number in range(1, ctx.per_scenario + 1):
        district = list(DISTRICTS)[(number + rng.randrange(3)) % 3]
        as_of = dt.date(2026, 1, 10) + dt.timedelta(days=rng.randrange(270))
        day = f"{as_of.year}年{as_of.month}月{as_of.day}日"
        if card.domain in ("YJ", "JC") and number == 1:
            as_of = dt.date(2026, 1, 10) + dt.timedelta(days=rng.randrange(60))
            day = f"{as_of.year}年{as_of.month}月{as_of.day}日"
            question = f"截至{day}，{district}清雪覆盖率有没有不达标的"
            breaches = rows(
                "SELECT work_date FROM snow_removal WHERE district = ? AND work_date <= ? GROUP BY work_date "
                "HAVING 100.0 * SUM(cleared_km) / SUM(road_km) < 90 ORDER BY work_date",
                district, as_of.isoformat(),
            )  # fmt: skip
            expected: dict[str, Any] = {"subjects": sorted(f"{d[0]}，{district}" for d in breaches)}
            scorers = [ScorerSpec(name="exact_match", params={"path": "scan_risks.subjects", "gold": "subjects"})]
        elif card.domain in ("JG", "ZF") or number == 3:
            question = f"截至{day}，{district}超期未办结的工单有多少"
            start, end = as_of - dt.timedelta(days=120), as_of + dt.timedelta(days=1)
            total = rows(
                "SELECT COUNT(*) FROM tickets WHERE district = ? AND received_at >= ? AND received_at < ? "
                "AND (closed_at IS NULL OR closed_at >= ?) AND deadline < ?",
                district, start.isoformat(), end.isoformat(), end.isoformat(), as_of.isoformat(),
            )[0][0]  # fmt: skip
            expected = {"total": total}
            scorers = [ScorerSpec(name="exact_match", params={"path": "scan_risks.total", "gold": "total"})]
        else:
            question = f"截至{day}，{district}有没有同一地址重复投诉的风险"
            expected = {"subjects": sorted(repeat_subjects(as_of, district))}
            scorers = [ScorerSpec(name="exact_match", params={"path": "scan_risks.subjects", "gold": "subjects"})]
        cases.append(make_case(card, number, question, expected, scorers, SOURCE, "cityops.ra"))
    return cases
