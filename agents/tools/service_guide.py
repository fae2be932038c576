"""办事指引: the 办事指南 of one 政务服务事项 as typed fields, each value backed by a verbatim citation."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from agents.citations import Citation
from agents.context import RunContext
from agents.tools.guide_parser import read_fields, split_numbered
from agents.tools.materials import kinds

# Words that say what the citizen wants to do, not which matter: 「我想办护照」 is about 护照.
_QUERY_STOPWORDS = frozenset(
    "我 想 要 办 办理 如何 怎么 怎样 怎么样 需要 需 什么 哪些 哪里 在哪 去哪 的 了 吗 呢 请问 你好 可以 能 "
    "我要 我想 手续 流程 材料 指南 办事 一下 要求 相关 问 下 还 缺 还缺 缺什么 还差 差 差什么 够 够不够 不够 齐 齐不齐 "
    "带 带什么 准备 准备什么 多久 几天 时间 地方 电话 "
    # how citizens ask about 时限 / 地点 / 电话 / 收费: question words, never part of a matter's name
    "多长 多长时间 长时间 办好 办完 能办好 去 是 多少 多少钱 收费 咨询 咨询电话 联系电话 "
    "在哪里 在哪儿 哪儿 几号 时限".split()
)
# Citizens' words for a matter → the words guides use (extend here; kinds of documents come from materials).
MATTER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "养狗": ("养犬",),
    "狗证": ("养犬",),
    "生孩子": ("生育", "出生"),
    "生小孩": ("生育", "出生"),
    "过户": ("转移登记",),
    "开饭店": ("食品经营",),
    "开餐馆": ("食品经营",),
    "餐饮": ("食品经营",),
    "开店": ("个体工商户", "食品经营"),
    "开公司": ("企业设立",),
    "领证": ("结婚登记",),
    "上户口": ("落户",),
    "年检": ("检验合格标志",),
    "到期": ("期满",),
    "医保": ("医疗保险", "就医"),
    "丢了": ("挂失", "补办"),
    "低保": ("最低生活保障",),
    "社保": ("社会保障",),
    "公积金": ("住房公积金",),
}
_TITLE_NOISE = ("办事指南", "（示例）", "(示例)")
NAME_MATCH_MIN = 0.6  # share of the matter's words the guide's name must contain (more than half)
BODY_MATCH_MIN = 0.75  # without a name match: share of the matter's words the top guide's text must contain


@dataclass
class ServiceGuide:
    """What a citizen needs to know to handle one matter; a field the guide does not state stays empty."""

    doc_id: str = ""
    kb: str = ""
    title: str = ""
    matter: str = ""  # 事项名称
    materials: list[str] = field(default_factory=list)  # 申请材料, one item per numbered entry
    time_limit_legal: str = ""  # 法定办结时限
    time_limit_promised: str = ""  # 承诺办结时限
    location: str = ""  # 办理地点
    hours: str = ""  # 办理时间
    phone: str = ""  # 咨询电话
    complaint_phone: str = ""  # 投诉电话
    conditions: str = ""  # 受理条件
    fees: str = ""  # 收费标准
    basis: str = ""  # 设定依据
    citations: list[Citation] = field(default_factory=list)  # one per field value, label = field name

    @property
    def looks_like_guide(self) -> bool:
        """True when the document has a 申请材料 or 办理 (时限/地点) part, i.e. reads as a 办事指南."""
        return bool(self.materials or self.time_limit_legal or self.time_limit_promised or self.location)

    def citation_for(self, name: str) -> Citation | None:
        """The citation backing field ``name`` (e.g. ``materials``), if the field was found."""
        return next((c for c in self.citations if c.label == name), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; citations in the four-key form the CLI/API shows."""
        data = {key: value for key, value in self.__dict__.items() if key != "citations"}
        data["citations"] = [citation.to_dict() for citation in self.citations]
        return data


def parse_service_guide(title: str, text: str, doc_id: str = "", kb: str = "") -> ServiceGuide:
    """Read a 办事指南 (Markdown guide or rendered record) into a ServiceGuide, citing each value.

    Args:
        title: the document title, used in citations.
        text: the document text; citation quotes are substrings of it.
        doc_id: the document id, carried into citations.
        kb: the knowledge base the document lives in.
    """
    guide = ServiceGuide(doc_id=doc_id, kb=kb, title=title)
    for span in read_fields(text):
        if span.field in {c.label for c in guide.citations}:
            continue  # the first statement of a field wins; later ones are usually cross-references
        if span.field == "materials":
            guide.materials = split_numbered(span.value)
        else:
            setattr(guide, span.field, span.value)
        quote = text[span.start : span.end]
        guide.citations.append(Citation(doc_id, title, span.heading, quote, kb, span.field, span.start, span.end))
    return guide


def find_service_guide(ctx: RunContext, matter: str) -> ServiceGuide | None:
    """The 办事指南 for ``matter`` among the documents the caller may read, or None when none fits.

    Relevance: retrieval scores are normalised per query (the best hit is always near 1), so they say
    nothing about whether any guide fits. Instead, among the top five hits only guide-like documents
    (a 申请材料 or 办理时限/地点 part) qualify, and the matter's words decide: the guide whose name
    (title or 事项名称) contains the largest share of them wins if that share is at least
    ``NAME_MATCH_MIN``, ties going to the guide whose name the matter covers best, then to rank. Failing
    that, the top-ranked hit is taken only if it is guide-like, its name shares at least one of the words
    and its text contains ``BODY_MATCH_MIN`` of them. Otherwise None, so the agent asks which matter is
    meant rather than answering from the wrong guide. Citizens' words are widened first through
    ``MATTER_SYNONYMS`` and the document kinds of the materials table (低保 → 最低生活保障, 驾照 → 驾驶证),
    both for the search and for the name match; 「社保卡」 also matches 「社会保障卡」 as an abbreviation.

    Args:
        ctx: the run context; its search applies the caller's scope.
        matter: the matter's name or the citizen's words for it, e.g. 「社会保障卡补办」.
    """
    words = matter_words(matter)
    if not words:
        return None
    best: tuple[float, float, int] | None = None
    chosen: ServiceGuide | None = None
    fallback: ServiceGuide | None = None
    for rank, hit in enumerate(ctx.search(expand_query(matter, words), k=5)):
        text = ctx.document_text(hit.kb, hit.doc_id)
        guide = parse_service_guide(hit.title, text, hit.doc_id, hit.kb)
        if not guide.looks_like_guide:
            continue
        name = _name_of(guide)
        key = (_share(words, name), _share(matter_words(name), matter), -rank)
        if best is None or key > best:
            best, chosen = key, guide
        if rank == 0 and key[0] > 0 and _share(words, text) >= BODY_MATCH_MIN:
            fallback = guide
    if best is not None and best[0] >= NAME_MATCH_MIN:
        return chosen
    return fallback


def expand_query(matter: str, words: list[str]) -> str:
    """The matter plus the guides' words for the citizen's (低保 → 最低生活保障), so retrieval finds them."""
    extra = [x for w in words for x in (*MATTER_SYNONYMS.get(w, ()), *(k for _, _, k in kinds(w))) if x not in matter]
    return " ".join([matter, *dict.fromkeys(extra)])


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba  # loads its dictionary on first use, not at import

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _cut(text: str) -> list[str]:
    """jieba words of ``text`` (precise mode, so 「社会保障」 is not also counted as 「社会」「保障」)."""
    return [t.strip() for t in _jieba().lcut(text) if t.strip() and any(ch.isalnum() for ch in t)]


def matter_words(text: str) -> list[str]:
    """Content words of a request: jieba words minus 「我想/办理/怎么」-type words and punctuation.

    A phrase of ``MATTER_SYNONYMS`` that jieba split (开饭店 → 开/饭店) is kept whole instead.
    """
    tokens = [t for t in _cut(text) if t not in _QUERY_STOPWORDS]
    for phrase in MATTER_SYNONYMS:
        if phrase in text and not any(phrase in t for t in tokens):
            tokens = [t for t in tokens if t not in phrase] + [phrase]
    return tokens


def _name_of(guide: ServiceGuide) -> str:
    title = guide.title
    for noise in _TITLE_NOISE:
        title = title.replace(noise, "")
    return f"{title} {guide.matter}".strip()


def _share(words: list[str], text: str) -> float:
    """Share of ``words`` found in ``text``; single characters count only when nothing longer exists."""
    long_words = [w for w in words if len(w) > 1] or words
    if not long_words:
        return 0.0
    return sum(_found(w, text) for w in long_words) / len(long_words)


def _found(word: str, text: str) -> bool:
    """``word`` or a synonym is in ``text``, also as an abbreviation (低保 in 最低生活保障, 社保卡 in 社会保障卡)."""
    candidates = {word, *MATTER_SYNONYMS.get(word, ()), *(kind for _, _, kind in kinds(word))}
    return any(c in text or (len(c) > 1 and _abbreviates(c, text)) for c in candidates)


def _abbreviates(word: str, text: str) -> bool:
    """Characters of ``word`` occur in order within a short stretch of ``text`` (at most 3 per character)."""
    for start in (i for i, ch in enumerate(text) if ch == word[0]):
        position = start
        for ch in word[1:]:
            position = text.find(ch, position + 1, start + 3 * len(word))
            if position < 0:
                break
        else:
            return True
    return False
