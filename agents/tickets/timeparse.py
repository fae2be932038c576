"""Times in a ticket: 「昨天晚上10点」「3月5日下午」「上周三」「每天凌晨两点」, verbatim and normalised.

Normalisation is done only where it is unambiguous against a reference day: a day (今天, 前天, 上周三,
3月5日, 2025-03-05) becomes ISO ``YYYY-MM-DD``; a clock with its part of day (晚上10点, 凌晨两点半) becomes
``HH:MM``. Vague expressions (最近, 每天晚上, 这几天) are kept verbatim with no normalised form.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

_CN = "零一二两三四五六七八九十"
_DAY_OFFSETS = {
    "大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "昨夜": -1, "今天": 0, "今日": 0,
    "今晚": 0, "今早": 0, "今天早上": 0, "明天": 1, "明晚": 1, "后天": 2,
}  # fmt: skip
_IMPLIED_PART = {"昨晚": "晚上", "昨夜": "晚上", "今晚": "晚上", "明晚": "晚上", "今早": "早上"}
_VAGUE = "每天|每晚|天天|每周末|周末|最近|近期|这几天|前几天|这两天|上个月|这个月|本月|上周|上星期|去年|今年|当天|当晚"
_WEEKDAY = r"(?P<week>上|本|这|下)?(?:周|星期|礼拜)(?P<wday>[一二三四五六日天])"
_DATE = (
    r"(?P<iso>\d{4})[-/.](?P<iso_m>\d{1,2})[-/.](?P<iso_d>\d{1,2})"
    r"|(?:(?P<year>\d{4})年)?(?P<month>\d{1,2})月(?P<day>\d{1,2})[日号]"
    r"|(?P<ago>\d{1,2}|[一两二三四五六七八九十]{1,3})天前"
    rf"|{_WEEKDAY}"
    rf"|(?P<rel>{'|'.join(sorted(_DAY_OFFSETS, key=len, reverse=True))})"
    rf"|(?P<vague>{_VAGUE})"
    r"|(?P<dom>\d{1,2})[日号](?=凌晨|早上|上午|中午|下午|傍晚|晚上|夜里)"
)
_PART = "凌晨|清晨|早上|早晨|上午|中午|下午|傍晚|晚上|晚间|夜里|夜间|半夜|深夜"
_HOUR = rf"(?:\d{{1,2}}|[{_CN}]{{1,3}})"
_CLOCK = rf"(?:\d{{1,2}}[:：]\d{{2}}|{_HOUR}[点时](?:半|一刻|{_HOUR}分)?)(?:左右|多|钟)?"
_CLOCK_PARTS = re.compile(rf"({_HOUR})(?:[:：](\d{{2}})|[点时](半|一刻|({_HOUR})分)?)")
_TIME = re.compile(
    rf"(?:{_DATE})?(?P<part>{_PART})?(?P<clock>{_CLOCK})?"
    rf"(?:(?:到|至|~|-)(?P<part2>{_PART})?(?P<clock2>{_CLOCK}))?"
)


class TimeExpression(NamedTuple):
    """A time as written, its span, the normalised form (or None) and its kind."""

    text: str
    start: int
    end: int
    normalized: str | None
    kind: str


def find_times(text: str, today: dt.date) -> list[TimeExpression]:
    """Time expressions in ``text``, each with its span and a normalised form where one is certain.

    Args:
        text: the ticket.
        today: the reference day for relative expressions.
    """
    spans: list[TimeExpression] = []
    for match in _TIME.finditer(text):
        if not match.group() or not _plausible(match):
            continue
        day = _day(match, today)
        part = match.group("part") or _IMPLIED_PART.get(match.group("rel") or "")
        clocks = [_clock(c, p or part) for c, p in ((match["clock"], part), (match["clock2"], match["part2"])) if c]
        pieces = [day.isoformat()] if day else []
        if clocks and all(clocks):
            pieces.append("至".join(c for c in clocks if c))
        kind = "相对时间" if match.group("rel") or match.group("ago") or match.group("wday") else "时间"
        spans.append(TimeExpression(match.group(), match.start(), match.end(), " ".join(pieces) or None, kind))
    return spans


def _plausible(match: re.Match[str]) -> bool:
    """A bare clock in Chinese numerals (「快一点」「一时」) is not a time without a day or part of day."""
    has_day = any(match.group(g) for g in ("iso", "month", "ago", "wday", "rel", "vague", "dom"))
    if has_day or match.group("part"):
        return True
    clock = match.group("clock") or ""
    return bool(clock) and clock[0].isdigit()


def _day(match: re.Match[str], today: dt.date) -> dt.date | None:
    try:
        if match.group("iso"):
            return dt.date(int(match["iso"]), int(match["iso_m"]), int(match["iso_d"]))
        if match.group("month"):
            year = int(match["year"]) if match["year"] else today.year
            day = dt.date(year, int(match["month"]), int(match["day"]))
            # A ticket reports the past: 「12月30日」 written on 1月2日 means last year.
            return day.replace(year=year - 1) if not match["year"] and day > today else day
    except ValueError:
        return None  # 2月30日: keep the text, claim no date
    if match.group("rel"):
        return today + dt.timedelta(days=_DAY_OFFSETS[match["rel"]])
    if match.group("ago"):
        return today - dt.timedelta(days=_number(match["ago"]))
    if match.group("wday"):
        weekday = "一二三四五六".find(match["wday"]) if match["wday"] not in "日天" else 6
        monday = today - dt.timedelta(days=today.weekday())
        if match["week"] == "上":
            return monday - dt.timedelta(days=7 - weekday)
        if match["week"] == "下":
            return monday + dt.timedelta(days=7 + weekday)
        day = monday + dt.timedelta(days=weekday)
        # A bare 「周三」 in a complaint is the most recent one; 「本周三」 is this week's, even if ahead.
        return day - dt.timedelta(days=7) if match["week"] is None and day > today else day
    return None


def _clock(clock: str, part: str | None) -> str | None:
    found = _CLOCK_PARTS.match(clock)
    if not found:
        return None
    hour = _number(found.group(1))
    if found.group(2):
        minute = int(found.group(2))
    else:
        minute = {"半": 30, "一刻": 15}.get(found.group(3) or "", 0)
        if found.group(4):
            minute = _number(found.group(4))
    if part in ("下午", "傍晚", "晚间") and hour < 12:
        hour += 12
    elif part in ("晚上", "夜里", "夜间", "深夜"):
        # 晚上10点 → 22:00; 晚上12点 → 00:00; 夜里2点 is already past midnight.
        hour = hour + 12 if 5 <= hour < 12 else (0 if hour == 12 else hour)
    elif part in ("凌晨", "半夜") and hour == 12:
        hour = 0
    elif part == "中午" and hour in (1, 2):
        hour += 12
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    return f"{hour % 24:02d}:{minute:02d}"


def _number(value: str) -> int:
    """「10」「十」「十一」「二十三」「两」 → int."""
    if value.isdigit():
        return int(value)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
    if "十" in value:
        tens, _, ones = value.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(ones, 0) if ones else 0)
    return digits.get(value, 0)
