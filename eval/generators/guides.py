"""QA / GD / PR cases from the sample 办事指南 and policy articles (gold: doc id, 条, materials, 时限, 地点)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import OFF_TOPIC, facts_in, make_case, ordered, refusal_scorer
from eval.generators.sources import Article, GuideFacts

_EXEMPT = ("无需", "现场签署", "现场打印", "免于提交", "免交", "窗口同步")


def matter(guide: GuideFacts) -> str:
    """How a citizen names the matter: 住房公积金提取（租房） → 租房提取住房公积金."""
    match = re.match(r"(.+?)（(.+?)）$", guide.doc_id)
    if match and not match.group(2).endswith("牌"):
        return f"{match.group(2)}{match.group(1)}"
    return guide.doc_id


def short_name(material: str) -> str:
    """A citizen's short name for a listed material: 「买卖双方居民身份证原件各1份；…」 → 「买卖双方居民身份证」."""
    head = re.split(r"[（(；;。，,：:]", material, maxsplit=1)[0]
    head = re.sub(r"《|》|原件|复印件|各?\d+[份张本套]|近期", "", head)
    return head.strip() or material[:8]


@lru_cache(maxsize=1024)
def _article_question(article: Article) -> tuple[str, list[str]]:
    first = re.split(r"[，；。]", article.text, maxsplit=1)[0]
    first = re.sub(r"^(对|对于|在|本市)", "", first)
    question = f"{first}，有什么规定？"
    return question, facts_in(article.text, exclude=question)


@register("QA")
def generate_qa(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    """Questions about a policy article (gold: its doc, 条 and figures) or a guide's 时限; plus one off-topic."""
    rng = ctx.rng(card)
    sources = ctx.sources
    usable = [a for a in sources.articles if facts_in(a.text, exclude=_article_question(a)[0]) and len(a.text) > 30]
    articles = ordered(usable, [a.title + a.text for a in usable], card, rng)
    guides = ordered(list(sources.guides), [g.title + " ".join(g.materials) for g in sources.guides], card, rng)
    cases: list[Case] = []
    for article in articles[: ctx.per_scenario - 1]:
        question, facts = _article_question(article)
        expected = {"doc_ids": [article.doc_id], "article": article.article, "facts": facts[:3], "refuse": False}
        cases.append(_qa_case(card, len(cases) + 1, question, expected, f"data/kb/policies/{article.doc_id}.md"))
    guide = next(g for g in guides if facts_in(g.time_limit))
    question = f"{matter(guide)}一般多久能办好？"
    expected = {"doc_ids": [guide.doc_id], "facts": facts_in(guide.time_limit)[:1], "refuse": False}
    cases.append(_qa_case(card, len(cases) + 1, question, expected, f"data/kb/guides/{guide.doc_id}.md"))
    off_topic = OFF_TOPIC[rng.randrange(len(OFF_TOPIC))]
    cases.append(
        make_case(
            card,
            len(cases) + 1,
            off_topic,
            {"refuse": True},
            [refusal_scorer()],
            "eval/generators/common.py",
            "guides.qa",
        )
    )
    return cases


def _qa_case(card: ScenarioCard, number: int, question: str, expected: dict[str, Any], source: str) -> Case:
    scorers = [
        ScorerSpec(name="key_facts", params={"facts": "facts"}, threshold=0.5, weight=2),
        ScorerSpec(name="citation", params={"gold": "doc_ids"}, threshold=0.5),
        ScorerSpec(name="numeric_faithfulness", threshold=1.0),
        ScorerSpec(name="pii_leak", threshold=1.0),
        refusal_scorer(),
    ]
    return make_case(card, number, question, expected, scorers, source, "guides.qa")


@register("GD")
def generate_gd(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    """材料 / 时限 / 地点 questions about on-topic guides (gold from the guide's own sections)."""
    rng = ctx.rng(card)
    guides = ordered(list(ctx.sources.guides), [g.title + " ".join(g.materials) for g in ctx.sources.guides], card, rng)
    cases: list[Case] = []
    kinds = ["materials", "time", "location"]
    rng.shuffle(kinds)
    for number, (guide, kind) in enumerate(zip(guides, kinds * 2, strict=False), 1):
        if number > ctx.per_scenario:
            break
        name = matter(guide)
        doc_scorer = ScorerSpec(name="exact_match", params={"path": "get_service_guide.doc_id", "gold": "doc_id"})
        if kind == "materials":
            question = f"办{name}需要带哪些材料？"
            expected = {"doc_id": guide.doc_id, "materials": list(guide.materials)}
            scorer = ScorerSpec(name="set_f1", params={"path": "get_service_guide.materials", "gold": "materials"})
        elif kind == "time" and facts_in(guide.time_limit):
            question = f"{name}多长时间能办好？"
            expected = {"doc_id": guide.doc_id, "facts": [guide.time_limit.split("（")[0]]}
            scorer = ScorerSpec(name="key_facts", params={"facts": "facts"})
        else:
            question = f"{name}去哪里办理？咨询电话是多少？"
            place = re.split(r"[（(；;，,]", guide.location)[0]
            expected = {"doc_id": guide.doc_id, "facts": [f for f in (place, guide.phone.split("（")[0]) if f]}
            scorer = ScorerSpec(name="key_facts", params={"facts": "facts"})
        scorers = [scorer, doc_scorer, ScorerSpec(name="tool_calls", params={"tools": ["get_service_guide"]})]
        cases.append(
            make_case(card, number, question, expected, scorers, f"data/kb/guides/{guide.doc_id}.md", "guides.gd")
        )
    return cases


@register("PR")
def generate_pr(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    """材料预审: the citizen lists some of a guide's materials; gold = the required ones still missing."""
    rng = ctx.rng(card)
    guides = [g for g in ctx.sources.guides if len([m for m in g.materials if not _exempt(m)]) >= 2]
    guides = ordered(guides, [g.title + " ".join(g.materials) for g in guides], card, rng)
    cases: list[Case] = []
    for guide in guides[: ctx.per_scenario]:
        needed = [m for m in guide.materials if not _exempt(m)]
        missing_count = 1 + rng.randrange(min(2, len(needed) - 1))
        missing = rng.sample(needed, missing_count)
        provided = [short_name(m) for m in needed if m not in missing]
        question = f"我已经准备了{'、'.join(provided)}，办{matter(guide)}还缺什么材料？"
        expected = {"doc_id": guide.doc_id, "missing": missing}
        scorers = [
            ScorerSpec(
                name="set_f1",
                params={"path": ["check_materials.missing", "check_materials.conditional"], "gold": "missing"},
                threshold=0.5,
            ),
            ScorerSpec(name="tool_calls", params={"tools": ["check_materials"]}),
        ]
        source = f"data/kb/guides/{guide.doc_id}.md"
        cases.append(make_case(card, len(cases) + 1, question, expected, scorers, source, "guides.pr"))
    return cases


def _exempt(material: str) -> bool:
    return any(word in material for word in _EXEMPT)
