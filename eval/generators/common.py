"""Small helpers the generators share: facts in text, stable ordering by sector topic, case assembly."""

from __future__ import annotations

import random
import re
from typing import Any, Literal

from eval.cases import Case, Provenance, ScorerSpec
from eval.catalog import ScenarioCard

SAMPLE_LICENCE = "Apache-2.0（江临市示例数据，虚构）"
_FACT = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|元|%|个工作日|工作日|个月|周岁|年|日|天|人|件|次|倍|张|份|平方米|岁)")
OFF_TOPIC = [
    "江临市明天会下雨吗，要不要带伞？",
    "推荐一部最近好看的电影吧",
    "红烧肉怎么做比较好吃？",
    "帮我写一首关于春天的诗",
    "今年世界杯冠军是哪个队？",
]


def facts_in(text: str, exclude: str = "") -> list[str]:
    """Numbers with units in ``text`` (e.g. 20万元, 3个月) that do not already appear in ``exclude``."""
    found = [re.sub(r"\s+", "", m.group()) for m in _FACT.finditer(text)]
    return list(dict.fromkeys(f for f in found if f not in exclude))


def ordered(items: list[Any], texts: list[str], card: ScenarioCard, rng: random.Random) -> list[Any]:
    """Items about the sector's topics first (most topics first), then the rest in a seeded order."""
    scored = [(sum(t in text for t in card.topics), i) for i, text in enumerate(texts)]
    on = [items[i] for s, i in sorted(scored, key=lambda p: (-p[0], p[1])) if s > 0]
    rest = [items[i] for s, i in scored if s == 0]
    rng.shuffle(on)  # among on-topic items the scenario's seed picks; sectors still differ by topic
    rng.shuffle(rest)
    return on + rest


def make_case(
    card: ScenarioCard,
    number: int,
    question: str,
    expected: dict[str, Any],
    scorers: list[ScorerSpec],
    source: str,
    generator: str,
    split: Literal["dev", "test", "holdout"] = "test",
) -> Case:
    return Case(
        id=f"{card.id}-{number:03d}",
        scenario=card.id,
        input={"question": question},
        expected=expected,
        scorers=scorers,
        split=split,
        provenance=Provenance(source=source, licence=SAMPLE_LICENCE, generator=generator),
    )


def refusal_scorer() -> ScorerSpec:
    return ScorerSpec(name="refusal", threshold=1.0)
