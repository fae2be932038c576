"""Reading a 办事指南 into fields, by section headings and ``标签：值`` labels rather than positions.

Two layouts are read by the same walk over lines:
- Markdown/plain guides: ``## 四、申请材料`` (or ``四、申请材料`` alone on a line) opens a section; a
  section whose heading names one field and holds no known labels is that field's value.
- Rendered records and label blocks: ``法定办结时限：20个工作日``; a label with nothing after the colon
  (``申请材料：``) takes the following lines up to the next label or heading.
Labels win over headings, the first value of a field wins, and every value keeps the exact span it
came from so a citation can quote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Field → label/heading keywords, most specific first: the first keyword a label contains decides.
FIELD_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("matter", ("事项名称",)),
    ("materials", ("申请材料", "所需材料", "提交材料", "办理材料", "申报材料", "材料清单", "申请资料")),
    ("conditions", ("受理条件", "申请条件", "办理条件", "申报条件", "受理标准")),
    ("time_limit_legal", ("法定办结时限", "法定时限", "法定期限", "法定办理时限")),
    # An unqualified 办理时限 on a guide is what the office commits to, so it reads as the promised one.
    ("time_limit_promised", ("承诺办结时限", "承诺时限", "承诺期限", "办结时限", "办理时限", "办理期限")),
    ("location", ("办理地点", "受理地点", "办理地址", "受理地址", "窗口地址", "办事地点")),
    ("hours", ("办理时间", "受理时间", "办公时间", "工作时间")),
    ("complaint_phone", ("投诉电话", "监督电话", "投诉方式", "监督方式")),
    ("phone", ("咨询电话", "咨询方式", "联系电话")),
    ("fees", ("收费标准", "收费情况", "是否收费", "收费项目", "收费")),
    ("basis", ("设定依据", "实施依据", "法律依据", "办理依据", "设立依据", "设定和实施依据")),
)
_ONLINE = ("网上", "网办", "在线", "移动端")
_GROUP_CONNECTORS = ("与", "和", "及", "、")  # 「办理地点与时间」 names several fields: only its labels count

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_PLAIN_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）)\s*[^。：:；;]{2,20}$")
_LABEL = re.compile(r"^\s*(?:[-*·•]\s*)?(?:\*\*|【)?([\u4e00-\u9fffA-Za-z（）()/]{2,14}?)(?:\*\*|】)?\s*[：:]\s*(.*)$")
_NUMBER_PREFIX = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）)\s*")


@dataclass(frozen=True)
class FieldSpan:
    """One field value and the exact text it was read from."""

    field: str
    value: str
    heading: str  # heading path of the section, else the label itself
    start: int  # quote = text[start:end]
    end: int


@dataclass
class _Line:
    text: str
    start: int
    end: int


def field_of(label: str) -> str | None:
    """The field a label or heading names (``法定办结时限`` → ``time_limit_legal``), else None."""
    label = _NUMBER_PREFIX.sub("", label).strip()
    if label.startswith(_ONLINE):
        return None  # 网上办理地址 is a URL, not where to go
    for name, keywords in FIELD_KEYWORDS:
        if any(keyword in label for keyword in keywords):
            return name
    return None


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(raw, offset, offset + len(raw)))
        offset += len(raw) + 1
    return lines


def _heading(line: str, plain: bool) -> tuple[int, str] | None:
    """(level, heading text) when the line is a heading; with ``plain``, 「四、申请材料」 lines are level 2."""
    match = _MD_HEADING.match(line)
    if match:
        return len(match.group(1)), match.group(2).strip()
    if plain and _PLAIN_HEADING.match(line) and not _LABEL.match(line):
        return 2, line.strip()
    return None


def _trimmed(lines: list[_Line]) -> tuple[int, int] | None:
    """Span of the non-blank content of ``lines``, trailing/leading blanks dropped."""
    body = [line for line in lines if line.text.strip()]
    if not body:
        return None
    first, last = body[0], body[-1]
    return first.start + len(first.text) - len(first.text.lstrip()), last.start + len(last.text.rstrip())


def read_fields(text: str) -> list[FieldSpan]:
    """Every field value found in ``text``, in reading order (a field may appear more than once)."""
    found: list[FieldSpan] = []
    path: list[tuple[int, str]] = []
    section: list[_Line] = []
    section_field: str | None = None
    lines = _lines(text)
    # 「一、…」 lines are headings only in documents without Markdown ones; in a Markdown guide they are
    # list items inside a section.
    plain = not any(_MD_HEADING.match(line.text) for line in lines)

    def close_section() -> None:
        heading = " > ".join(h for _, h in path)
        found.extend(_section_fields(section, section_field, heading))

    for line in lines:
        heading = _heading(line.text, plain)
        if heading is None:
            section.append(line)
            continue
        close_section()
        level, title = heading
        path[:] = [(lvl, h) for lvl, h in path if lvl < level] + [(level, title)]
        # A document title (level 1) never names a field; 「办理地点与时间」 names several, so only its labels count.
        grouped = level == 1 or any(c in _NUMBER_PREFIX.sub("", title) for c in _GROUP_CONNECTORS)
        section, section_field = [], None if grouped else field_of(title)
    close_section()
    return found


def _section_fields(lines: list[_Line], heading_field: str | None, heading: str) -> list[FieldSpan]:
    """Label blocks of one section; failing those, the whole body when the heading names a field."""
    blocks: list[tuple[str | None, str, _Line, list[_Line]]] = []  # (field, label, label line, continuation)
    for line in lines:
        match = _LABEL.match(line.text)
        if match:
            blocks.append((field_of(match.group(1)), match.group(1), line, []))
        elif blocks:
            blocks[-1][3].append(line)
    spans: list[FieldSpan] = []
    for name, label, label_line, rest in blocks:
        if name is None:
            continue
        inline = _LABEL.match(label_line.text)
        assert inline is not None  # the line matched when the block was opened
        value_start = label_line.start + inline.start(2)
        # A label with an inline value owns only its line unless the next lines continue without a break.
        content = [_Line(label_line.text[inline.start(2) :], value_start, label_line.end), *_until_blank(rest)]
        value_span = _trimmed(content)
        if value_span is None:
            continue
        quote_start = label_line.start + len(label_line.text) - len(label_line.text.lstrip())
        spans.append(FieldSpan(name, _value(content, value_span), heading or label, quote_start, value_span[1]))
    if spans or heading_field is None:
        return spans
    body = _trimmed(lines)
    if body is None:
        return []
    return [FieldSpan(heading_field, _value(lines, body), heading, body[0], body[1])]


def _until_blank(lines: list[_Line]) -> list[_Line]:
    """Continuation lines of a label: up to the first blank line that follows some content."""
    taken: list[_Line] = []
    for line in lines:
        if not line.text.strip() and any(t.text.strip() for t in taken):
            break
        taken.append(line)
    return taken


def _value(lines: list[_Line], span: tuple[int, int]) -> str:
    """The text of ``lines`` inside ``span``, one stripped line per line, blanks dropped."""
    parts = []
    for line in lines:
        lo, hi = max(line.start, span[0]), min(line.end, span[1])
        if hi > lo:
            piece = line.text[lo - line.start : hi - line.start].strip()
            if piece:
                parts.append(piece)
    return "\n".join(parts)


# 「1.」「1、」 only at a line start or after a separator (else 「第2条」 could split); （1） and ① anywhere.
_ITEM_MARKER = re.compile(r"(?:(?:^|(?<=[\n；;。，,\s]))\s*(\d{1,2})\s*[.．、)）]|[（(](\d{1,2})[)）]|([①-⑳]))(?!\d)")


def split_numbered(text: str) -> list[str]:
    """Items of a numbered list (``1.`` ``1、`` ``（1）`` ``①``), each item's own text without its number.

    Markers must count up from 1, so ``第2条`` or ``1寸`` inside an item never splits it. Without
    numbers, bullets or lines are the items; one line is split on ``；``. An unnumbered line after an
    item that ended a sentence is a note, not part of the item.
    """
    starts: list[tuple[int, int]] = []  # (marker start, text start)
    expected = 1
    for match in _ITEM_MARKER.finditer(text):
        digits = match.group(1) or match.group(2)
        number = int(digits) if digits else ord(match.group(3)) - ord("①") + 1
        if number == expected:
            starts.append((match.start(), match.end()))
            expected += 1
    if not starts:
        lines = [re.sub(r"^\s*[-*·•]\s*", "", line).strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if len(lines) == 1:
            lines = [part.strip() for part in re.split(r"[；;]", lines[0]) if part.strip()]
        return [_clean_item(line) for line in lines if _clean_item(line)]
    items = []
    for index, (_, text_start) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        kept: list[str] = []
        for line in text[text_start:end].split("\n"):
            if kept and kept[-1].rstrip().endswith(("。", "；", ";", "）", ")")):
                break  # the item ended; what follows is a note under the list
            if line.strip():
                kept.append(line.strip())
        item = _clean_item("".join(kept))
        if item:
            items.append(item)
    return items


def _clean_item(item: str) -> str:
    return item.strip().rstrip("。；;，,、 ").strip()
