"""Text normalisation for matching: NFKC (full → half width), case, punctuation, 中文数字 → digits."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
# 万 stays a unit word: 二十万元 → 20万元, the way figures are usually written.
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+")
_PUNCT = re.compile(r"[\s\u3000，。、；：？！“”‘’「」『』《》〈〉（）()【】\[\],.;:?!\"'·…—\-]+")
# Chinese numerals inside these words are names, not quantities (第一条 stays 第一条 only after 第).
_KEEP_AFTER = ("第", "星期", "周")


def chinese_to_int(text: str) -> int | None:
    """一千二百零五 → 1205, 十五 → 15, 三万 → 30000; None if ``text`` is not a Chinese numeral."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS and ch != "万" for ch in text):
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            section += (digit if digit is not None else 1) * _UNITS[ch]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def cn_digits(text: str) -> str:
    """Replace Chinese numerals that are quantities with Arabic digits (三个工作日 → 3个工作日)."""

    def swap(match: re.Match[str]) -> str:
        before = text[max(0, match.start() - 2) : match.start()]
        if any(before.endswith(k) for k in _KEEP_AFTER):
            return match.group()
        if match.group() in {"千", "百"}:
            return match.group()
        value = chinese_to_int(match.group())
        return str(value) if value is not None else match.group()

    return _CN_NUMBER.sub(swap, text)


def normalise(text: str) -> str:
    """The form two strings are compared in: NFKC, lower case, no punctuation or spaces, digits for numerals."""
    return _with_separations(text)[0]


def contains(text: str, part: str) -> bool:
    """``normalise(part)`` occurs in ``normalise(text)`` without cutting a number: 5个工作日 is not in 15个工作日,
    30元 is not in 300元 — but 80周岁 is in 「2. 80周岁」, where punctuation separated the digits."""
    needle = normalise(part)
    if not needle:
        return False
    haystack, separated = _with_separations(text)
    start = haystack.find(needle)
    while start >= 0:
        end = start + len(needle)
        cut_before = needle[0].isdigit() and start > 0 and haystack[start - 1].isdigit() and start not in separated
        cut_after = needle[-1].isdigit() and end < len(haystack) and haystack[end].isdigit() and end not in separated
        if not (cut_before or cut_after):
            return True
        start = haystack.find(needle, start + 1)
    return False


def _with_separations(text: str) -> tuple[str, set[int]]:
    """The normal form of ``text`` (see ``normalise``) and the positions in it where punctuation or space stood
    between two characters."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # 1,200 is one number
    pieces = _PUNCT.split(cn_digits(text))
    out: list[str] = []
    separated: set[int] = set()
    length = 0
    for piece in pieces:
        if piece and out:
            separated.add(length)
        out.append(piece)
        length += len(piece)
    return "".join(out), separated


def numbers(text: str) -> list[str]:
    """Every number in ``text`` after normalisation (1,200 → 1200; 三个 → 3), as strings."""
    text = cn_digits(unicodedata.normalize("NFKC", str(text))).replace(",", "")
    return re.findall(r"\d+(?:\.\d+)?", text)
