"""Document structure: heading lines of Chinese documents and the sections they open.

Recognised at a line start (after indentation, full-width spaces included):

- Markdown ``#`` … ``######``;
- 第X编 / 第X部分, 第X章 (and a bare 附则), 第X节, with Chinese or Arabic numerals;
- 第X条 (or 第X条之一) followed by a space or the end of the line: an article;
- 公文 outline levels (GB/T 9704): 一、 → （一） → 1. / 1、 → （1） / (1);
- 附件 / 附件1 / 附件一 lines that open an attachment (not the 附件： list in the body).

Heading-path convention (the labels joined with " > " form ``Chunk.heading``):

- Markdown heading: its text without the ``#`` marks, e.g. ``社会保障卡补办办事指南``;
- 编/章/节: number and title separated by one space, e.g. ``第三章 提取条件``; 附则 → ``附则``;
- 条: the number only, e.g. ``第十二条``, so a citation reads 《X办法》第十二条;
- outline item: marker and title, e.g. ``四、申请材料``. When the line is a paragraph that merely starts
  with a marker, the label is the marker and its first clause if that is short (``（一）加强组织领导``),
  else the marker and the first 12 characters and ``…``;
- 附件: ``附件1`` or ``附件1 申请表``.

Inside an article, outline markers enumerate the article's items ("（一）购买自住住房的；"): they stay body
text, so every passage of an article keeps 第X条 as the last path element. A new heading closes every open
heading of its rank or deeper. Ranks, outer to inner:
附件 < 编 < 章/附则 < 节 < 条 < 一、 < （一） < 1. < （1）.
Markdown headings nest by their ``#`` count and enclose any plain-text structure below them; a plain-text
heading closes a Markdown heading only when that one's text is itself a marker of equal or deeper rank
(a plain 二、 closes ``## 一、总则`` but not ``## 办事指南``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_NUM = r"(?:[0-9０-９]+|[零〇一二三四五六七八九十百千两]+)"
_CN_SMALL = r"[一二三四五六七八九十百]+"
_SENTENCE_END = "。！？；!?;"
_TITLE_MAX = 30  # longer lines are prose, not titles
_PROSE_LABEL_CHARS = 12

_MARKDOWN = re.compile(r"(#{1,6})[ \t]+(.*?)[ \t#]*")
_ARTICLE = re.compile(rf"(第{_NUM}条(?:之{_CN_SMALL})?)(?:[\s　]+(.*)|)")
_DIVISION = re.compile(rf"(第{_NUM}(?:编|部分|章|节))[\s　]*(.*)")
_SUPPLEMENTARY = re.compile(r"附[\s　]*则")
_ANNEX = re.compile(r"(附件[\s　]*(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})?)[\s　]*(.*)")
_OUTLINE = (
    re.compile(rf"({_CN_SMALL})[\s　]*、[\s　]*(.*)"),
    re.compile(rf"[（(][\s　]*({_CN_SMALL})[\s　]*[）)]、?[\s　]*(.*)"),
    re.compile(r"([0-9０-９]{1,3})[\s　]*([.．、])(?![0-9０-９])[\s　]*(.*)"),
    re.compile(r"[（(][\s　]*([0-9０-９]{1,3})[\s　]*[）)]、?[\s　]*(.*)"),
)
_FIRST_CLAUSE = re.compile(r"[^。！？；!?;，,：:]*")

_RANK_ANNEX = 10
_DIVISION_RANK = {"编": 20, "部分": 20, "章": 21, "节": 22}
_RANK_ARTICLE = 23
_OUTLINE_RANK = (31, 32, 33, 34)


@dataclass(frozen=True)
class Heading:
    """A heading line: its place in the hierarchy and its heading-path label."""

    rank: int  # structural rank, lower is outer; 0 for a Markdown heading with ordinary text
    label: str
    is_article: bool = False
    title_only: bool = True  # the line is a bare title, with no body text on it
    markdown: int = 0  # number of # marks; 0 for a plain-text heading

    def closes(self, open_heading: Heading) -> bool:
        """Whether this heading ends ``open_heading``'s section (it is a sibling or an ancestor)."""
        if self.markdown and open_heading.markdown:
            return open_heading.markdown >= self.markdown
        if self.markdown:
            return True  # plain-text structure always sits inside the nearest Markdown heading
        if open_heading.markdown:
            return open_heading.rank >= self.rank > 0 and open_heading.rank > 0
        return open_heading.rank >= self.rank


@dataclass(frozen=True)
class Section:
    """A heading line and the body up to the next heading; offsets exclude surrounding whitespace."""

    start: int
    end: int
    path: tuple[str, ...]
    is_article: bool
    heading_only: bool  # nothing but a bare title: it should travel with what follows it


def _is_title(rest: str) -> bool:
    return len(rest) <= _TITLE_MAX and not any(ch in _SENTENCE_END for ch in rest)


def _outline_label(marker: str, rest: str) -> tuple[str, bool]:
    """Label for an outline item and whether its line is a bare title."""
    if _is_title(rest):
        return marker + rest.rstrip("：:"), True
    clause = _FIRST_CLAUSE.match(rest)
    first = clause.group(0).strip() if clause else ""
    if first and len(first) <= _TITLE_MAX:
        return marker + first, False
    return marker + rest[:_PROSE_LABEL_CHARS] + "…", False


def _structural(line: str, *, in_article: bool) -> Heading | None:
    """Classify a line by its Chinese structure marker, ignoring Markdown."""
    if m := _ARTICLE.fullmatch(line):
        return Heading(_RANK_ARTICLE, m.group(1), is_article=True, title_only=False)
    if (m := _DIVISION.fullmatch(line)) and _is_title(rest := m.group(2)) and "，" not in rest:
        kind = "部分" if m.group(1).endswith("部分") else m.group(1)[-1]
        return Heading(_DIVISION_RANK[kind], f"{m.group(1)} {rest}".strip())
    if _SUPPLEMENTARY.fullmatch(line):
        return Heading(_DIVISION_RANK["章"], "附则")
    if m := _ANNEX.fullmatch(line):
        number = re.sub(r"[\s　]", "", m.group(1))
        rest = m.group(2)
        # "附件：1.申请表" is the body's list of attachments; "附件2：申请表" opens attachment 2.
        if number != "附件":
            rest = rest.lstrip("：:").strip()
        if (number != "附件" or not rest) and _is_title(rest):
            return Heading(_RANK_ANNEX, f"{number} {rest}".strip())
    if in_article:
        return None  # an article's own enumeration, not a heading
    for level, pattern in enumerate(_OUTLINE):
        if m := pattern.fullmatch(line):
            if level == 2:
                marker, rest = m.group(1) + m.group(2), m.group(3)
            else:
                marker = f"（{m.group(1)}）" if level in (1, 3) else m.group(1) + "、"
                rest = m.group(2)
            label, title_only = _outline_label(marker, rest.strip())
            return Heading(_OUTLINE_RANK[level], label, title_only=title_only)
    return None


def detect_heading(line: str, *, in_article: bool = False) -> Heading | None:
    """Recognise a heading line.

    Args:
        line: One line of text; surrounding whitespace is ignored.
        in_article: Whether the line sits inside a 第X条, where outline markers are body text.

    Returns:
        The heading, or None for a body line.
    """
    line = line.strip()
    if not line:
        return None
    if m := _MARKDOWN.fullmatch(line):
        text = m.group(2).strip()
        if not text:
            return None
        inner = _structural(text, in_article=False)
        if inner is None:
            return Heading(0, text[:40], markdown=len(m.group(1)))
        title_only = not inner.is_article
        return Heading(inner.rank, inner.label, inner.is_article, title_only, markdown=len(m.group(1)))
    return _structural(line, in_article=in_article)


def split_sections(text: str) -> list[Section]:
    """Split text into sections, one per heading line plus any text before the first heading.

    Args:
        text: The document text.

    Returns:
        Sections in document order, each with its heading path; whitespace-only stretches are dropped.
    """
    opened: list[tuple[int, int, Heading]] = []  # (start, end of heading line, heading)
    stack: list[Heading] = []
    paths: list[tuple[str, ...]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        heading = detect_heading(line, in_article=any(h.is_article for h in stack))
        if heading is not None:
            while stack and heading.closes(stack[-1]):
                closed = stack.pop()
                if closed.markdown and not heading.markdown:
                    # A plain 二、 that closes "## 一、" takes its place in the Markdown nesting too.
                    heading = replace(heading, markdown=closed.markdown)
            stack.append(heading)
            lead = len(line) - len(line.lstrip())
            opened.append((offset + lead, offset + len(line.rstrip()), heading))
            paths.append(tuple(h.label for h in stack))
        offset += len(line)

    sections: list[Section] = []
    first_start = opened[0][0] if opened else len(text)
    preamble = _trimmed(text, 0, first_start)
    if preamble:
        sections.append(Section(preamble[0], preamble[1], (), False, False))
    for i, (start, line_end, heading) in enumerate(opened):
        stop = opened[i + 1][0] if i + 1 < len(opened) else len(text)
        _, end = _trimmed(text, start, stop) or (start, line_end)
        heading_only = heading.title_only and end <= line_end
        sections.append(Section(start, end, paths[i], heading.is_article, heading_only))
    return sections


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Narrow [start, end) to exclude leading and trailing whitespace; None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None
