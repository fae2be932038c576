"""时限 phrases of a 督办 item as dates: 「12月15日前」「10个工作日内」「本月底前」「3日内」, from a base date.

Working days use ``agents.tools.workdays`` (chinese-calendar, 调休 included). A span in natural days whose last day
is a 法定节假日 or weekend ends on the next working day (民法典第二百零三条: 期间的最后一日是法定休假日的，以法定
休假日结束的次日为期间的最后一日). An explicit date is kept as written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(\d{1,3}|[一二两三四五六七八九十]{1,3})"
_WEEKDAYS = "一二三四五六日天"

LIMIT_PATTERN = re.compile(
    r"(?:于|在|须在|务必于|要在|应于|应在)?\s*(?:"
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]\s*(?:前|之前|以前)?"
    rf"|{_NUM}\s*个?\s*工作日\s*(?:内|之内)?"
    rf"|{_NUM}\s*(?:个自然日|日|天)\s*(?:内|之内)"
    r"|(本|当|下个?)?\s*月\s*(?:底|末)\s*(?:前|之前)?"
    r"|(今年|本年|年)\s*(?:底|末)\s*(?:前|之前)?"
    rf"|(本周|下周)\s*([{_WEEKDAYS}])\s*(?:前|之前)?"
    r"|(立即|即日起|马上|长期坚持|长期|持续推进)"
    r")"
)


@dataclass(frozen=True)
class Deadline:
    """A computed 时限: the date (None for 长期), how it was counted, and the phrase it came from."""

    phrase: str
    date: dt.date | None
    rule: str

    def to_dict(self) -> dict[str, str | None]:
        return {"phrase": self.phrase, "date": self.date.isoformat() if self.date else None, "rule": self.rule}


def _int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN.get(tens, 1) if tens else 1) * 10 + (_CN.get(ones, 0) if ones else 0)
    return _CN[text]


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def deadline_from(match: re.Match[str], base: dt.date, holidays_file: Path | None = None) -> Deadline:
    """The date a matched 时限 phrase means, counted from ``base`` (the meeting or document date)."""
    # Imported here: importing agents.tools registers every tool, this package's included.
    from agents.tools.workdays import WorkdayCalendar, add_workdays

    g = match.groups()
    phrase = match.group().strip()
    if g[1]:
        year = int(g[0]) if g[0] else base.year
        day = dt.date(year, int(g[1]), int(g[2]))
        if not g[0] and day < base:  # 「1月10日前」 written in December means next January
            day = day.replace(year=year + 1)
        return Deadline(phrase, day, "文中明确的日期")
    if g[3]:
        count = _int(g[3])
        result = add_workdays(base, count, holidays_file)
        return Deadline(phrase, result.end_date, f"自{base.isoformat()}起{count}个工作日（{result.rule_used}）")
    if g[4]:
        count = _int(g[4])
        end = base + dt.timedelta(days=count)
        workdays = WorkdayCalendar(holidays_file)
        rolled = end
        while not workdays.is_workday(rolled):
            rolled += dt.timedelta(days=1)
        rule = f"自{base.isoformat()}起{count}个自然日"
        if rolled != end:
            rule += f"，期满日{end.isoformat()}为休息日，顺延至其后第一个工作日"
        return Deadline(phrase, rolled, rule)
    if re.search(r"月\s*[底末]", phrase) and not g[6]:
        month = base.month + (1 if g[5] in ("下", "下个") else 0)
        year = base.year + (month - 1) // 12
        return Deadline(phrase, _month_end(year, (month - 1) % 12 + 1), "该月最后一日")
    if g[6]:
        return Deadline(phrase, dt.date(base.year, 12, 31), "当年12月31日")
    if g[7]:
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=1 if g[7] == "下周" else 0)
        index = min(_WEEKDAYS.index(g[8]), 6)
        return Deadline(phrase, monday + dt.timedelta(days=index), f"{g[7]}星期{g[8]}")
    if g[9] in ("立即", "即日起", "马上"):
        return Deadline(phrase, base, "立即办理，按当日计")
    return Deadline(phrase, None, "长期事项，不设截止日期，按月跟踪")
