"""法定工作日 arithmetic for 办理时限: 「承诺5个工作日」 from a given day, holidays and 调休 included.

Per year, the first source that knows the year decides:
1. a deployment holiday file (YAML ``holidays: [YYYY-MM-DD, …]``, ``workdays: [...]`` for 调休 days
   worked on a weekend; ``holidays`` may also map a date to its name), so a city can add a year the
   package does not know yet, or correct one;
2. the chinese-calendar package (国务院办公厅 notices, 2004–2026 in 1.11);
3. otherwise weekends only — and the result says so, because an unpublished year may still hold holidays.
The start day is not counted (期间开始之日不计算在内): 3 workdays from a Tuesday end on Friday.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import chinese_calendar
import yaml

_FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}  # the package abbreviates these
MAX_WORKDAYS = 3660  # ten years; a longer 时限 is a typo, and the walk is day by day


class HolidayFileError(ValueError):
    """The deployment holiday file is missing or malformed (an operator error, not the model's)."""


@dataclass(frozen=True)
class Holiday:
    day: dt.date
    name: str  # 国庆节, 春节 …; 法定节假日 when the source gives no name


@dataclass(frozen=True)
class WorkdayResult:
    """The end of a span of 法定工作日 and how it was counted."""

    end_date: dt.date
    rule_used: str  # Chinese, shown to the citizen
    skipped_holidays: list[Holiday] = field(default_factory=list)  # holidays (not plain weekends) passed over
    makeup_workdays: list[dt.date] = field(default_factory=list)  # 调休 weekend days counted as workdays


@dataclass(frozen=True)
class _HolidayFile:
    path: Path
    holidays: dict[dt.date, str]
    workdays: frozenset[dt.date]

    @property
    def years(self) -> frozenset[int]:
        return frozenset(d.year for d in [*self.holidays, *self.workdays])


class WorkdayCalendar:
    """Which days are 法定工作日, year by year from the best source available."""

    def __init__(self, holidays_file: Path | None = None) -> None:
        self.file = _load_holiday_file(holidays_file) if holidays_file else None

    def source(self, year: int) -> str:
        """``file``, ``official`` or ``weekends``: who decides for ``year``."""
        if self.file and year in self.file.years:
            return "file"
        return "official" if year in official_years() else "weekends"

    def is_workday(self, day: dt.date) -> bool:
        source = self.source(day.year)
        if source == "file":
            assert self.file is not None
            if day in self.file.workdays:
                return True
            return day not in self.file.holidays and day.weekday() < 5
        if source == "official":
            try:
                return bool(chinese_calendar.is_workday(day))
            except NotImplementedError:  # the package's "no available data for year N": fall back below
                pass
        return day.weekday() < 5

    def holiday_name(self, day: dt.date) -> str:
        """The holiday's name when ``day`` is a statutory holiday, else empty (plain weekends too)."""
        source = self.source(day.year)
        if source == "file":
            assert self.file is not None
            return self.file.holidays.get(day, "")
        if source == "official":
            try:
                on_holiday, name = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError:
                return ""
            if on_holiday and name:
                chinese = chinese_calendar.Holiday(name).chinese
                return _FULL_NAMES.get(chinese, chinese)
        return ""

    def rule(self, years: list[int]) -> str:
        """How the span over ``years`` was counted, in Chinese, one clause per source."""
        clauses = []
        for year in sorted(set(years)):
            source = self.source(year)
            if source == "file":
                assert self.file is not None
                clauses.append(f"按本地配置的{year}年节假日安排（{self.file.path.name}）计算")
            elif source == "official":
                clauses.append(f"按国务院办公厅公布的{year}年节假日安排计算")
            else:
                clauses.append(f"{year}年节假日安排未公布，仅按周末计算")
        return "；".join(clauses)


def add_workdays(start: dt.date, days: int, holidays_file: Path | None = None) -> WorkdayResult:
    """The date ``days`` 法定工作日 after ``start`` (the start day itself is not counted).

    Args:
        start: the day the matter was accepted (受理日).
        days: how many workdays, 0 to ``MAX_WORKDAYS``; 0 returns ``start``.
        holidays_file: a deployment YAML that adds or corrects years (see the module docstring).

    Returns:
        the end date, the rule used, and the holidays and 调休 days met on the way.
    """
    if not 0 <= days <= MAX_WORKDAYS:
        raise ValueError(f"days must be between 0 and {MAX_WORKDAYS}, got {days}")
    calendar = WorkdayCalendar(holidays_file)
    day, counted = start, 0
    skipped: list[Holiday] = []
    makeup: list[dt.date] = []
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            counted += 1
            if day.weekday() >= 5:
                makeup.append(day)
        elif name := calendar.holiday_name(day):
            skipped.append(Holiday(day, name))
    return WorkdayResult(day, calendar.rule(list(range(start.year, day.year + 1))), skipped, makeup)


def workdays_between(a: dt.date, b: dt.date, holidays_file: Path | None = None) -> int:
    """Workdays after ``a`` up to and including ``b``, so ``add_workdays(a, n)`` ends on a ``b`` giving ``n``.

    Negative when ``b`` is before ``a``.
    """
    if b < a:
        return -workdays_between(b, a, holidays_file)
    calendar = WorkdayCalendar(holidays_file)
    return sum(calendar.is_workday(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))


@lru_cache(maxsize=1)
def official_years() -> frozenset[int]:
    """Years the installed chinese-calendar has 国务院 holiday data for (2004–2026 in 1.11)."""
    return frozenset(day.year for day in chinese_calendar.holidays)


def _load_holiday_file(path: Path) -> _HolidayFile:
    """Read and check the deployment holiday file; errors name the file, the entry and the fix."""
    try:
        # BaseLoader keeps dates as text, so a bad date is reported by _date with its value, not by YAML.
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    except OSError as exc:
        raise HolidayFileError(f"holiday file {path}: cannot read ({exc}); check the holidays_file setting") from exc
    except yaml.YAMLError as exc:
        raise HolidayFileError(f"holiday file {path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or set(data) - {"holidays", "workdays"}:
        raise HolidayFileError(f"holiday file {path}: expected only the keys 'holidays' and 'workdays'")
    raw_holidays = data.get("holidays") or []
    named = raw_holidays if isinstance(raw_holidays, dict) else dict.fromkeys(raw_holidays, "")
    holidays = {_date(path, key): str(name or "法定节假日") for key, name in named.items()}
    workdays = frozenset(_date(path, value) for value in data.get("workdays") or [])
    return _HolidayFile(Path(path), holidays, workdays)


def _date(path: Path, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise HolidayFileError(f"holiday file {path}: {value!r} is not a date; write YYYY-MM-DD") from None
