"""Read a 公文 back into its elements (版头, 标题, 主送, 正文, 附件说明, 署名, 日期, 附注, 附件, 版记).

The reader is forgiving by design: it must locate the elements of drafts that break the rules, so that
the checker can say which rule they break. It works on text, Markdown and the paragraphs of a .docx.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.gongwen.doctypes import ALIASES, DOC_TYPES, title_suffix

_MD = re.compile(r"^\s*(?:#{1,6}\s+|[>*-]\s+(?=\S))?|\*\*|__|\s+$")
SEPARATOR = re.compile(r"^[─━—\-_=*·.]{3,}$")
CN_DIGIT = "〇○零一二三四五六七八九十"
DATE_LIKE = re.compile(
    rf"^(?:\d{{2,4}}|[{CN_DIGIT}]{{2,4}})\s*[年./\-]\s*(?:\d{{1,2}}|[{CN_DIGIT}]{{1,3}})\s*[月./\-]\s*"
    rf"(?:\d{{1,2}}|[{CN_DIGIT}]{{1,3}})\s*日?$|^X{{2,4}}年X{{1,2}}月X{{1,2}}日$"
)
NUMBER_LIKE = re.compile(
    r"^(?:[\u4e00-\u9fa5]{1,12}\s*[〔\[［(（【]\s*\S{0,5}\s*[〕\]］)）】]\s*第?\s*\S{0,4}号?|第\s*\S{0,4}号"
    r"|〔[\s　\d]*〕\s*\d*号)$"  # the last: a 文号 placeholder without a 机关代字
)
URGENCY_LIKE = re.compile(r"^(特急|加急|紧急|急件|特提|平急|急)$")
SECRET_LIKE = re.compile(r"(绝密|机密|秘密)\s*★|^(绝密|机密|秘密)(\s*\d+\s*年)?$")
# The 印发 line without the word 印发 (T19 reports it): an organ, spacing, a date, at the very end.
_PRINTED_NO_WORD = re.compile(r"^\S+[\s　]{2,}\S*\d{4}\s*[年./\-]\S+$")
ATTACHMENT_LABEL = re.compile(r"^附\s*件\s*\d*$")
_TYPE_NAMES = sorted({*DOC_TYPES, *ALIASES, "令", "请示报告"} - {"命令（令）"}, key=len, reverse=True)


_END_PUNCT = "。！？；，.!?;,"


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line (or paragraph) number in the input
    text: str


@dataclass
class ParsedDocument:
    lines: list[Line]
    head: list[Line] = field(default_factory=list)
    number: Line | None = None
    signer: str | None = None
    title: Line | None = None
    recipients: Line | None = None
    body: list[Line] = field(default_factory=list)
    attachment_note: list[Line] = field(default_factory=list)
    signature: Line | None = None
    date: Line | None = None
    notes: list[Line] = field(default_factory=list)
    attachment_pages: list[tuple[Line, Line | None]] = field(default_factory=list)
    cc: Line | None = None
    printed: Line | None = None
    doc_type: str | None = None  # the statutory 文种 named by the title (None when it names none)
    title_type: str | None = None  # the word the title ends with, statutory or not (e.g. 请示报告)

    @property
    def number_text(self) -> str | None:
        if self.number is None:
            return None
        return re.split(r"[\s　]*签发人", self.number.text)[0].strip()

    @property
    def recipient_names(self) -> list[str]:
        if self.recipients is None:
            return []
        return [n for n in re.split(r"[、，,；;]", self.recipients.text.rstrip("：:")) if n.strip()]


def clean_lines(text: str) -> list[Line]:
    """Lines without indentation or Markdown markup; <br> splits a line."""
    result: list[Line] = []
    for no, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        for part in re.split(r"<br\s*/?>", raw):
            result.append(Line(no, _MD.sub("", part.replace("\t", "　")).strip(" 　\u00a0")))
    return result


def title_type(title: str) -> str | None:
    """The 文种 word the title ends with (statutory or a known non-statutory one such as 请示报告)."""
    for name in _TYPE_NAMES:
        if title.endswith(name):
            return name
    return None


def _statutory(word: str | None) -> str | None:
    if word is None or word == "请示报告":
        return None
    return next((t for t in DOC_TYPES if title_suffix(t) == word or t == word), ALIASES.get(word))


def parse_document(text: str) -> ParsedDocument:
    lines = clean_lines(text)
    doc = ParsedDocument(lines)
    content = [ln for ln in lines if ln.text]
    if not content:
        return doc
    end = _record(doc, content)
    index = _head(doc, content[:end])
    rest = content[index:end]
    rest = [ln for ln in rest if not SEPARATOR.match(ln.text)]
    if not rest:
        return doc
    mark = doc.head[-1] if doc.head else None
    bare = mark.text.rstrip(_END_PUNCT) if mark else ""
    title: Line
    if mark is not None and bare.endswith(("令", "纪要")) and title_type(rest[0].text.rstrip(_END_PUNCT)) is None:
        title = mark  # 令 and 纪要: the 标志 is the title (GB/T 9704 §10.2, §10.3)
    else:
        title, rest = _title(rest)
    doc.title = title
    doc.title_type = title_type(title.text.rstrip(_END_PUNCT))
    doc.doc_type = _statutory(doc.title_type)
    if rest and _looks_like_recipients(rest):
        doc.recipients, rest = rest[0], rest[1:]
    _tail(doc, rest)
    return doc


def _record(doc: ParsedDocument, content: list[Line]) -> int:
    """版记 at the end: 抄送 and 印发 lines. Returns where it starts."""
    end = len(content)
    for i in range(len(content) - 1, max(-1, len(content) - 6), -1):
        text = content[i].text
        if doc.printed is None and (text.endswith("印发") or (i == len(content) - 1 and _PRINTED_NO_WORD.match(text))):
            doc.printed, end = content[i], i
        elif re.match(r"^抄\s*送", text):
            doc.cc, end = content[i], i
    while end > 0 and SEPARATOR.match(content[end - 1].text):
        end -= 1
    return end


def _head(doc: ParsedDocument, content: list[Line]) -> int:
    """版头: lines up to the 发文字号 line (and the red line). Returns where the 主体 starts."""
    for i, line in enumerate(content[:8]):
        number = re.split(r"[\s　]*签发人", line.text)[0].strip()
        if NUMBER_LIKE.match(number) or "签发人" in line.text:
            doc.head, doc.number = content[:i], line
            signer = re.search(r"签发人[：:]\s*(.*)$", line.text)
            doc.signer = signer.group(1).strip() if signer else None
            return i + 1
    # No 发文字号: a head is still there when the first lines are markings or a 标志 ending in 文件.
    i = 0
    while i < min(len(content), 4) and (
        URGENCY_LIKE.match(content[i].text)
        or SECRET_LIKE.search(content[i].text)
        or re.fullmatch(r"\d{6}", content[i].text)
        or (content[i].text.endswith("文件") and i + 1 < len(content))
    ):
        i += 1
    doc.head = content[:i]
    return i


def _title(rest: list[Line]) -> tuple[Line, list[Line]]:
    title = rest[0]
    # A wrapped title: the first line names no 文种 but the two lines together do.
    if len(rest) > 1 and title_type(title.text) is None and not rest[1].text.endswith(("：", ":")):
        joined = title.text + rest[1].text
        if title_type(joined) and len(rest[1].text) <= 30:
            return Line(title.no, joined), rest[2:]
    return title, rest[1:]


_ORG = re.compile(
    r"(政府|局|委|办|厅|部|院|会|室|处|科|中心|公司|单位|集团|学校|所|站|队|馆|团|社|行|组|机关|各部门|同志|长)$"
)


def _looks_like_recipients(rest: list[Line]) -> bool:
    text = rest[0].text
    if len(text) > 80 or "。" in text or re.match(r"^[一二三四五六七八九十（(\d]", text):
        return False
    if re.search(r"如下[：:]$|^(现将|为|根据|经|按照|现就)", text):
        return False  # the opening sentence of a 公告/通告, not a 主送
    if text.endswith(("：", ":")):
        # Organs may be separated by 、 or ，; each is a short name (各县（市、区）, 各直属机构, 各街道 …).
        parts = re.split(r"[、，,]", text.rstrip("：:"))
        return len(rest) > 1 and all(len(p.strip()) <= 30 for p in parts)
    if "，" in text:
        return False
    # No colon: still the 主送 when it names organs and prose follows (T14 reports the colon).
    return len(rest) > 1 and bool(_ORG.search(text.rstrip("，,；;。"))) and len(rest[1].text) > len(text)


def _tail(doc: ParsedDocument, rest: list[Line]) -> None:
    """正文, 附件说明, 署名, 成文日期, 附注 and the 附件 pages."""
    date_at = next((i for i, ln in enumerate(rest) if DATE_LIKE.match(ln.text) and i > 0), None)
    if date_at is None:
        doc.body = rest
        return
    doc.date = rest[date_at]
    main = rest[:date_at]
    if main and len(main[-1].text) <= 40 and not re.search(r"[。；：，]", main[-1].text):
        doc.signature, main = main[-1], main[:-1]
    note_at = next((i for i, ln in enumerate(main) if re.match(r"^附\s*件\s*[：:]", ln.text)), None)
    if note_at is not None:
        doc.body, doc.attachment_note = main[:note_at], main[note_at:]
    else:
        doc.body = main
    after = rest[date_at + 1 :]
    i = 0
    while i < len(after) and not ATTACHMENT_LABEL.match(after[i].text):
        doc.notes.append(after[i])
        i += 1
    while i < len(after):
        label = after[i]
        name = after[i + 1] if i + 1 < len(after) and not ATTACHMENT_LABEL.match(after[i + 1].text) else None
        doc.attachment_pages.append((label, name))
        i += 2 if name else 1
        while i < len(after) and not ATTACHMENT_LABEL.match(after[i].text):
            i += 1
