"""SM cases: 值班日志 and monthly reports built from event tables (示例); gold facts are the source's key figures.

A case asks for a summary within a length limit; scoring checks the key figures survived (key_facts), that
no number was invented (numeric_faithfulness) and that the input kind was recognised.
"""

from __future__ import annotations

import random

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case, ordered
from eval.generators.fictional import DISTRICTS, ROADS, cn_date, workday

# (topics, event with {n} people and {m} a measure, the key fact template, unit of m)
EVENTS = [
    (["应急", "防汛", "水务", "城市管理"], "接报{place}积水约{m}厘米，{n}辆车辆涉水熄火，交警已到场疏导", "{m}厘米"),
    (
        ["应急", "安全", "消防", "城乡建设"],
        "{place}一工地塔吊故障，{n}名工人被困，消防救援人员到场，全部安全救出",
        "{n}名工人",
    ),
    (["交通运输", "应急", "公安"], "{place}发生{n}车追尾事故，造成{m}人轻伤，已送医救治", "{m}人轻伤"),
    (
        ["卫生健康", "应急", "食品", "市场监管"],
        "{place}一餐馆发生疑似食物中毒，{n}人就医，市场监管部门已封存留样",
        "{n}人就医",
    ),
    (
        ["城市管理", "供水", "水电气", "住房"],
        "{place}供水管道爆裂，影响{n}户居民用水，抢修人员{m}人正在处置",
        "{n}户居民",
    ),
]
ROUTINE = ["带班领导检查值班情况，无异常。", "各区值班室报平安，无其他重要情况。"]


def _log(rng: random.Random, events: list[tuple[list[str], str, str]]) -> tuple[str, list[str]]:
    day = workday(rng)
    lines, facts = [f"值班日志（示例）{cn_date(day)}"], []
    for hour, (_, text, fact) in zip([6, 9, 13], events, strict=False):
        n, m = rng.randrange(2, 9), rng.randrange(10, 60)
        place = f"{rng.choice(DISTRICTS)}{rng.choice(ROADS)}"
        lines.append(f"{hour:02d}:{rng.randrange(0, 6)}0 " + text.format(place=place, n=n, m=m) + "。")
        facts.append(fact.format(n=n, m=m))
    lines += [f"{h}:00 {r}" for h, r in zip([16, 18], ROUTINE, strict=True)]
    return "\n".join(lines), facts


@register("SM")
def generate_sm(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    pool = ordered(EVENTS, [" ".join(e[0]) for e in EVENTS], card, rng)
    cases = []
    for number in range(1, ctx.per_scenario + 1):
        events = [pool[(number - 1 + i) % len(pool)] for i in range(2)]
        log, facts = _log(rng, events)
        limit = rng.choice([100, 120, 150])
        question = f"把下面值班日志压缩成{limit}字以内的要情：\n{log}"
        scorers = [
            ScorerSpec(name="key_facts", params={"facts": "facts"}),
            ScorerSpec(name="numeric_faithfulness"),
            ScorerSpec(name="exact_match", params={"path": "summarize_text.kind", "gold": "kind"}),
        ]
        expected = {"facts": facts, "kind": "shift_log"}
        cases.append(make_case(card, number, question, expected, scorers, "eval/generators/briefing.py", "briefing.sm"))
    return cases
