"""Time phrases of a data question (上月, 本周, 近30天, 2026年1月 …) as a half-open date range against a given today."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class TimeRange:
    """``start`` ≤ t < ``end``; ``label`` is how the answer names the range (e.g. 2026年1月)."""

    start: dt.date
    end: dt.date
    label: str
    phrase: str  # the words of the question it was read from

    def to_dict(self) -> dict[str, str]:
        last = self.end - dt.timedelta(days=1)
        return {"label": self.label, "start": self.start.isoformat(), "end": last.isoformat(), "phrase": self.phrase}


def cn_number(text: str) -> int | None:
    """12, 十二, 二十, 三十 → int; None when the text is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(c not in _CN_DIGITS for c in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, end


def _shift_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def parse_time_range(question: str, today: dt.date) -> TimeRange | None:
    """The first time phrase in ``question`` as a range; None when the question names no time."""
    tomorrow = today + dt.timedelta(days=1)
    explicit = re.search(r"(\d{4})\s*年\s*(\d{1,2})\s*月份?", question)
    if explicit:
        year, month = int(explicit.group(1)), int(explicit.group(2))
        if 1 <= month <= 12:
            return TimeRange(*_month(year, month), f"{year}年{month}月", explicit.group())
    quarter = re.search(r"(\d{4})\s*年\s*(?:第)?([一二三四1-4])\s*季度", question)
    if quarter:
        year, q = int(quarter.group(1)), cn_number(quarter.group(2)) or 1
        start = dt.date(year, 3 * q - 2, 1)
        return TimeRange(start, _shift_month(start, 3), f"{year}年第{q}季度", quarter.group())
    year_only = re.search(r"(\d{4})\s*年(?!\s*\d)", question)
    if year_only:
        year = int(year_only.group(1))
        return TimeRange(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), f"{year}年", year_only.group())
    recent = re.search(r"(?:近|最近|过去)\s*([0-9一二两三四五六七八九十]+)\s*(天|日|周|个月|月)", question)
    if recent:
        count = cn_number(recent.group(1)) or 1
        unit = recent.group(2)
        if unit in ("天", "日"):
            start = tomorrow - dt.timedelta(days=count)
        elif unit == "周":
            start = tomorrow - dt.timedelta(weeks=count)
        else:
            start = _months_back(today, count)
        return TimeRange(
            start, tomorrow, f"近{count}{unit}（{start.isoformat()}至{today.isoformat()}）", recent.group()
        )
    return _relative(question, today)


def _months_back(today: dt.date, count: int) -> dt.date:
    """The same day ``count`` months earlier, clamped to the month's length, plus one day (近3个月 excludes it)."""
    first = _shift_month(today, -count)
    last_day = (_shift_month(first, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(today.day, last_day)) + dt.timedelta(days=1)


def _relative(question: str, today: dt.date) -> TimeRange | None:
    tomorrow = today + dt.timedelta(days=1)
    monday = today - dt.timedelta(days=today.weekday())
    this_month = today.replace(day=1)
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    phrases: list[tuple[str, dt.date, dt.date, str]] = [
        (r"上上个?月", _shift_month(today, -2), _shift_month(today, -1), ""),
        (r"上个?月", _shift_month(today, -1), this_month, ""),
        (r"(?:本|这个?|当)月", this_month, tomorrow, "本月"),
        (r"上一?周|上个?星期", monday - dt.timedelta(weeks=1), monday, "上周"),
        (r"(?:本|这一?)周|这个?星期", monday, tomorrow, "本周"),
        (r"上个?季度", _shift_month(quarter_start, -3), quarter_start, ""),
        (r"(?:本|这个?)季度", quarter_start, tomorrow, "本季度"),
        (r"去年", dt.date(today.year - 1, 1, 1), dt.date(today.year, 1, 1), f"{today.year - 1}年"),
        (r"今年|本年度?", dt.date(today.year, 1, 1), tomorrow, "今年"),
        (r"昨天|昨日", today - dt.timedelta(days=1), today, "昨天"),
        (r"今天|今日", today, tomorrow, "今天"),
    ]
    for pattern, start, end, label in phrases:
        match = re.search(pattern, question)
        if match:
            if not label:  # a whole month or quarter: name it by the calendar
                label = f"{start.year}年{start.month}月" if _shift_month(start, 1) == end else _quarter_label(start)
            return TimeRange(start, end, _with_span(label, start, end, today), match.group())
    month_only = re.search(r"(?<![\d年])(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月份?(?![\d日号])", question)
    if month_only:
        month = cn_number(month_only.group(1))
        if month and 1 <= month <= 12:
            year = today.year if month <= today.month else today.year - 1  # 「1月」 in November is this January
            return TimeRange(*_month(year, month), f"{year}年{month}月", month_only.group())
    return None


def _quarter_label(start: dt.date) -> str:
    return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"


def _with_span(label: str, start: dt.date, end: dt.date, today: dt.date) -> str:
    if label in ("本月", "本周", "本季度", "今年"):
        return f"{label}（{start.isoformat()}至{today.isoformat()}）"
    if label in ("今天", "昨天"):
        return f"{label}（{start.isoformat()}）"
    return label
