"""Article-by-article comparison of two documents (e.g. a 暂行办法 and the 办法 that replaced it).

Articles are aligned by text similarity, not by number, because a revision renumbers them. A pair
above ``MATCH_RATIO`` is the same article (unchanged or modified, with the edited fragments); what is
left over was added or deleted. Everything is computed from the two texts: no model, fully repeatable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

import jieba

from agents.research.lookup import DocumentRef

MATCH_RATIO = 0.45  # below this two articles share too little to call one a revision of the other
MAX_EDITS = 6  # edited fragments shown per article; the full texts are in the result anyway
MAX_FRAGMENT = 60
JOIN_GAP = 1  # words of unchanged text between two edits that still joins them

_ARTICLE = re.compile(r"(?m)^[ \t　]*(第[一二三四五六七八九十百零〇]+条)[ \t　]*")
_PUNCTUATION = re.compile(r"[\s，。；：、（）《》“”,.;:()]")
DIGIT = re.compile(r"[0-9０-９一二三四五六七八九十百千万两]")
_SECTION_BREAK = re.compile(r"(?m)^[ \t　]*(?:#|第[一二三四五六七八九十百零〇]+[章节])")

ChangeKind = Literal["修改", "新增", "删除", "未变"]


@dataclass(frozen=True)
class Article:
    """One 条 of a document: its label (第十条), body text and offsets in the document text."""

    label: str
    text: str
    start: int
    end: int


@dataclass
class ArticleChange:
    kind: ChangeKind
    old: Article | None
    new: Article | None
    similarity: float = 0.0
    edits: list[tuple[str, str]] = field(default_factory=list)  # (old fragment, new fragment)

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "old_article": self.old.label if self.old else "",
            "new_article": self.new.label if self.new else "",
            "old_text": self.old.text if self.old else "",
            "new_text": self.new.text if self.new else "",
            "similarity": round(self.similarity, 3),
            "edits": [{"old": old, "new": new} for old, new in self.edits],
        }


@dataclass
class DocumentComparison:
    old: DocumentRef
    new: DocumentRef
    changes: list[ArticleChange]

    def counts(self) -> dict[str, int]:
        kinds: list[ChangeKind] = ["修改", "新增", "删除", "未变"]
        return {kind: sum(1 for change in self.changes if change.kind == kind) for kind in kinds}


def split_articles(text: str) -> list[Article]:
    """The 条 of a document in order; text before the first 条 (title, 发文字号) is not an article."""
    starts = list(_ARTICLE.finditer(text))
    articles = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        section = _SECTION_BREAK.search(text, match.end(), end)
        if section:
            end = section.start()
        body = text[match.end() : end].strip()
        stop = match.start() + len(text[match.start() : end].rstrip())
        articles.append(Article(match.group(1), body, match.start(), stop))
    return articles


def _edits(old: str, new: str) -> list[tuple[str, str]]:
    """Edited fragments at word level (jieba), neighbours joined, punctuation-only edits dropped."""
    before, after = jieba.lcut(old.replace("\n", "")), jieba.lcut(new.replace("\n", ""))
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if spans and i1 - spans[-1][1] <= JOIN_GAP and j1 - spans[-1][3] <= JOIN_GAP:
            spans[-1][1], spans[-1][3] = i2, j2  # a one-word island between two edits reads better inside one
        else:
            spans.append([i1, i2, j1, j2])
    edits = []
    for i1, i2, j1, j2 in spans:
        removed, added = "".join(before[i1:i2]), "".join(after[j1:j2])
        if _PUNCTUATION.sub("", removed + added):
            edits.append((removed[:MAX_FRAGMENT], added[:MAX_FRAGMENT]))
    # Changed figures (amounts, periods, ages) matter most to a reader comparing two versions.
    edits.sort(key=lambda edit: not DIGIT.search(edit[0] + edit[1]))
    return edits[:MAX_EDITS]


def compare_documents(old: DocumentRef, old_text: str, new: DocumentRef, new_text: str) -> DocumentComparison:
    """Align the articles of ``old`` and ``new`` and classify each as 修改/新增/删除/未变."""
    old_articles, new_articles = split_articles(old_text), split_articles(new_text)
    pairs = []
    for i, before in enumerate(old_articles):
        for j, after in enumerate(new_articles):
            matcher = SequenceMatcher(None, before.text, after.text, autojunk=False)
            if matcher.real_quick_ratio() < MATCH_RATIO or matcher.quick_ratio() < MATCH_RATIO:
                continue
            ratio = matcher.ratio()
            if ratio >= MATCH_RATIO:
                pairs.append((ratio, i, j))
    used_old: set[int] = set()
    matched: dict[int, tuple[int, float]] = {}
    for ratio, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):  # greedy one-to-one, best first
        if i in used_old or j in matched:
            continue
        used_old.add(i)
        matched[j] = (i, ratio)
    changes: list[ArticleChange] = []
    for j, after in enumerate(new_articles):
        if j not in matched:
            changes.append(ArticleChange("新增", None, after))
            continue
        i, ratio = matched[j]
        before = old_articles[i]
        if before.text == after.text:
            changes.append(ArticleChange("未变", before, after, 1.0))
        else:
            changes.append(ArticleChange("修改", before, after, ratio, _edits(before.text, after.text)))
    for i, before in enumerate(old_articles):
        if i not in used_old:
            changes.append(ArticleChange("删除", before, None))
    return DocumentComparison(old, new, changes)
