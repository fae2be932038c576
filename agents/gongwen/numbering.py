"""Chinese numerals, dates and the four 结构层次序数 一、（一）1.（1） shared by the drafter and the checker."""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = "零一二三四五六七八九"

# Level markers at the start of a paragraph. Level 3 accepts the full-width point too (common in Word).
LEVELS: tuple[re.Pattern[str], ...] = (
    re.compile(r"^([一二三四五六七八九十]{1,3})、"),
    re.compile(r"^（([一二三四五六七八九十]{1,3})）"),
    re.compile(r"^(\d{1,2})[.．](?!\d)"),
    re.compile(r"^（(\d{1,2})）"),
)

DATE_PLACEHOLDER = "XXXX年X月X日"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (enough for 序数)."""
    if not 0 < n < 100:
        raise ValueError(f"序数 {n} out of range 1–99")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def parse_cn_number(text: str) -> int | None:
    """Inverse of ``cn_number``; None for anything else."""
    for n in range(1, 100):
        if cn_number(n) == text:
            return n
    return None


def marker(level: int, n: int) -> str:
    """The 序数 of item ``n`` at ``level`` (1–4)."""
    return (f"{cn_number(n)}、", f"（{cn_number(n)}）", f"{n}.", f"（{n}）")[level - 1]


def heading_level(text: str) -> tuple[int, int] | None:
    """(level 1–4, ordinal) when ``text`` starts with a 序数, else None."""
    for level, pattern in enumerate(LEVELS, start=1):
        match = pattern.match(text)
        if match:
            value = match.group(1)
            number = int(value) if value.isdigit() else parse_cn_number(value)
            return (level, number) if number else None
    return None


def date_text(value: dt.date | None) -> str:
    """成文日期 in Arabic numerals without 虚位 (2026年7月2日); the placeholder when unknown."""
    return f"{value.year}年{value.month}月{value.day}日" if value else DATE_PLACEHOLDER
