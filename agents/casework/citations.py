"""Cited 法条 (《名称》第X条) looked up in the knowledge base: found with the article's text, or flagged.

A citation is never completed or invented: when the document or the article is not in the knowledge
bases the caller may read, the citation is reported as not found and the 文书 marks it for checking.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from agents.context import RunContext
from agents.research.compare import split_articles

_CN = "零一二三四五六七八九"
CITATION = re.compile(
    r"《(?P<title>[^》]{2,60})》\s*(?P<article>第[一二三四五六七八九十百零〇\d]+条)(?P<rest>(?:第[一二三四五六七八九十\d]+[款项])*)"
)


@dataclass(frozen=True)
class Citation:
    cited: str  # as written in the record: 《江临市市容和环境卫生管理条例》第二十条
    title: str
    article: str  # normalised: 第二十条
    found: bool
    quote: str = ""
    doc_id: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


ArticleFinder = Callable[[str, str], tuple[str, str] | None]  # (title, 第X条) → (doc_id, article text) or None


def chinese_number(value: int) -> str:
    """1 → 一, 20 → 二十, 105 → 一百零五 (the way 条 are numbered)."""
    if value < 10:
        return _CN[value]
    if value < 20:
        return "十" + (_CN[value % 10] if value % 10 else "")
    if value < 100:
        return _CN[value // 10] + "十" + (_CN[value % 10] if value % 10 else "")
    rest = value % 100
    tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else _tens(rest))
    return _CN[value // 100] + "百" + tail


def _tens(value: int) -> str:
    return _CN[value // 10] + "十" + (_CN[value % 10] if value % 10 else "")


def normalise_article(article: str) -> str:
    """第20条 → 第二十条; a Chinese numeral stays as written."""
    digits = re.fullmatch(r"第(\d+)条", article)
    return f"第{chinese_number(int(digits.group(1)))}条" if digits else article


def find_citations(text: str) -> list[tuple[str, str, str]]:
    """(as written, title, normalised 第X条) for every 《…》第X条 in ``text``."""
    return [(m.group(), m.group("title"), normalise_article(m.group("article"))) for m in CITATION.finditer(text)]


def check_citations(text: str, finder: ArticleFinder) -> list[Citation]:
    """Every citation in ``text``, each looked up with ``finder``."""
    checked: list[Citation] = []
    for cited, title, article in dict.fromkeys(find_citations(text)):
        found = finder(title, article)
        if found:
            checked.append(Citation(cited, title, article, True, found[1], found[0]))
        else:
            checked.append(Citation(cited, title, article, False))
    return checked


def kb_article_finder(ctx: RunContext) -> ArticleFinder:
    """A finder over the run's knowledge bases, within the caller's clearance (RunContext.search)."""

    def find(title: str, article: str) -> tuple[str, str] | None:
        for hit in ctx.search(f"{title} {article}", k=5, per_doc=2):
            if hit.title.strip() != title.strip():
                continue
            text = ctx.document_text(hit.kb, hit.doc_id) if hit.kb else hit.text
            for item in split_articles(text):
                if item.label == article:
                    return hit.doc_id, f"{item.label}　{item.text}"
        return None

    return find
