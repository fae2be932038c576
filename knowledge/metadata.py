"""Metadata a 公文 states about itself: 发文机关, 发文字号, 成文日期 and validity (GB/T 9704 layout).

Only values found are returned; a 办事指南 or a web page without a 版头 yields an empty dict, and the
caller's defaults (现行有效, no number) apply. Values cited in the body (根据《X办法》（江政发〔2019〕8号）)
are never taken for the document's own: the 发文字号 must stand on its own line in the 版头, in a
``发文字号：`` field, or in the title.
"""

from __future__ import annotations

import re
from datetime import date

_HEAD_LINES = 12  # the 版头 and title sit within the first lines
_MARKER_LINES = 5
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

_OPEN, _CLOSE = r"[〔\[［(（【]", r"[〕\]］)）】]"
_DOC_NUMBER = re.compile(
    rf"(?P<code>[\u4e00-\u9fff]{{1,15}})\s*{_OPEN}\s*(?P<year>\d{{4}})\s*{_CLOSE}\s*"
    r"(?P<di>第?)\s*(?P<seq>\d{1,5})\s*号"
)
_DOC_NUMBER_LINE = re.compile(rf"{_DOC_NUMBER.pattern}(?:\s+签发人[:：].*)?")
_DOC_NUMBER_IN_TEXT = re.compile(rf"(?<![\u4e00-\u9fff]){_DOC_NUMBER.pattern}")
_DOC_NUMBER_FIELD = re.compile(r"(?:发文字号|文号)\s*[:：]\s*(.+)")

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DATE = re.compile(
    r"([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_NUMERIC_DATE = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
_WRITTEN_DATE_FIELD = re.compile(r"成文(?:日期|时间)\s*[:：]\s*(.+)")
_ISSUED_DATE_FIELD = re.compile(r"(?:发布|印发|发文)(?:日期|时间)\s*[:：]\s*(.+)")
_CN_DIGIT = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}

_ISSUER_FIELD = re.compile(r"(?:发文机关|发布机关|发文单位|制发机关)\s*[:：]\s*(.+)")
_ORGAN = re.compile(
    r"[\u4e00-\u9fff（）]{2,30}?(?:人民政府|政府|办公厅|办公室|委员会|常委会|管委会|厅|局|委|中心|部|署|院|党组)"
)

_REPEALED_TITLE = re.compile(r"已废止|已失效|全文废止|[（(【\[]\s*(?:废止|失效)\s*[）)】\]]")
_REVISED_TITLE = re.compile(r"已修订|已被修订|已修改|已被修改")
_STATUS_FIELD = re.compile(r"(?:效力状态|时效性|有效性|文件状态)\s*[:：]\s*(\S+)")
_MARKER_LINE = re.compile(
    r"[（(【\[]?\s*(已?废止|已?失效|已修订|已修改)\s*[）)】\]]?|(?:本|该|此)文件已(?:全文)?废止.*"
)


def normalize_doc_number(s: str) -> str:
    """Normalise a 发文字号 to GB/T 9704 form: 六角括号, full year, no 第, no leading zeros.

    Args:
        s: A 发文字号 as written, e.g. ``江政发[2025]012号``.

    Returns:
        The normalised number, e.g. ``江政发〔2025〕12号``.
    """
    compact = re.sub(r"\s+", "", s.translate(_FULLWIDTH_DIGITS))
    m = _DOC_NUMBER.fullmatch(compact)
    if m is None:
        raise ValueError(f"not a 发文字号: {s!r}; expected 机关代字〔四位年份〕序号号, e.g. 江政发〔2025〕12号")
    if m.group("di"):
        raise ValueError(f"not a 发文字号: {s!r}; the 序号 takes no 第 (江政发〔2025〕12号, not 〔2025〕第12号)")
    return f"{m.group('code')}〔{m.group('year')}〕{int(m.group('seq'))}号"


def extract_meta(title: str, text: str) -> dict[str, str]:
    """Find 发文机关, 发文字号, 成文日期 and validity in a document's title and text.

    Args:
        title: The document title.
        text: The document text.

    Returns:
        A dict with only the keys found among ``issuer``, ``doc_number``, ``date`` (ISO) and ``validity``.
    """
    lines = [line.strip() for line in text.translate(_FULLWIDTH_DIGITS).splitlines() if line.strip()]
    found: dict[str, str] = {}
    date_index, iso = _written_date(lines)
    candidates = {
        "issuer": _issuer(lines, date_index),
        "doc_number": _doc_number(title.translate(_FULLWIDTH_DIGITS), lines),
        "date": iso,
        "validity": _validity(title, lines),
    }
    found.update({key: value for key, value in candidates.items() if value})
    return found


def _doc_number(title: str, lines: list[str]) -> str:
    for line in lines:
        if (field := _DOC_NUMBER_FIELD.match(line)) and (m := _DOC_NUMBER_IN_TEXT.search(field.group(1))):
            return _valid_number(m.group(0))
    for line in lines[:_HEAD_LINES]:
        if _DOC_NUMBER_LINE.fullmatch(line) and (m := _DOC_NUMBER.match(line)):
            return _valid_number(m.group(0))
    m = _DOC_NUMBER_IN_TEXT.search(title)
    return _valid_number(m.group(0)) if m else ""


def _valid_number(s: str) -> str:
    try:
        return normalize_doc_number(s)
    except ValueError:
        return ""  # e.g. a 令 number "第12号": not a 发文字号


def _parse_date(s: str) -> str:
    """ISO date from the first date in ``s``, or "" when there is none or it is not a real day."""
    if m := _DATE.search(s) or _NUMERIC_DATE.search(s):
        year, month, day = (int(g) for g in m.groups())
    elif m := _CN_DATE.search(s):
        year = int("".join(str(_CN_DIGIT[ch]) for ch in m.group(1)))
        month, day = _cn_number(m.group(2)), _cn_number(m.group(3))
    else:
        return ""
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""


def _cn_number(s: str) -> int:
    """一 … 三十一 as an int."""
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, units = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[units] if units else 0)


def _is_date_line(line: str) -> bool:
    bare = line.strip("（）() ")
    return bool(_DATE.fullmatch(bare) or _CN_DATE.fullmatch(bare))


def _written_date(lines: list[str]) -> tuple[int | None, str]:
    """The 成文日期 and the index of its line (None when it came from a field)."""
    for line in lines:
        if (m := _WRITTEN_DATE_FIELD.match(line)) and (iso := _parse_date(m.group(1))):
            return None, iso
    # The 成文日期 stands alone under the signature; prefer one right after an organ's name.
    standalone = [i for i, line in enumerate(lines) if _is_date_line(line)]
    signed = [i for i in standalone if i > 0 and _organ(lines[i - 1])]
    for i in reversed(signed or standalone):
        if iso := _parse_date(lines[i]):
            return i, iso
    for line in lines:
        if (m := _ISSUED_DATE_FIELD.match(line)) and (iso := _parse_date(m.group(1))):
            return None, iso
    return None, ""


def _organ(line: str) -> str:
    """The organ(s) a short signature or 版头 line names, joint issuers joined by 、; else ""."""
    parts = line.split()
    if not parts or parts[0].startswith(("各", "关于")):
        return ""
    if all(_ORGAN.fullmatch(part) for part in parts):
        return "、".join(parts)
    return ""


def _issuer(lines: list[str], date_index: int | None) -> str:
    for line in lines:
        if m := _ISSUER_FIELD.match(line):
            return m.group(1).strip()
    for line in lines[:_MARKER_LINES]:
        name = line.removesuffix("文件").strip() if line.endswith("文件") else line
        if organ := _organ(name):
            return organ
    if date_index:
        return _organ(lines[date_index - 1])
    return ""


def _validity(title: str, lines: list[str]) -> str:
    status = next((m.group(1) for line in lines[:_HEAD_LINES] if (m := _STATUS_FIELD.search(line))), "")
    marker = next((line for line in lines[:_MARKER_LINES] if _MARKER_LINE.fullmatch(line)), "")
    if _REPEALED_TITLE.search(title) or any(w in status + marker for w in ("废止", "失效")):
        return "已废止"
    if _REVISED_TITLE.search(title) or any(w in status + marker for w in ("修订", "修改", "修正")):
        return "已修订"
    return ""
