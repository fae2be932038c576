"""法定工作日: chinese-calendar for published years, a deployment file or weekends only after that."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import pytest

from agents.tools.workdays import HolidayFileError, add_workdays, official_years, workdays_between

FIRST_UNPUBLISHED = max(official_years()) + 1  # 2027 with chinese-calendar 1.11


def nth_workday(start: dt.date, days: int, is_workday: object) -> dt.date:
    """Reference count, independent of the code under test: step day by day, count workdays."""
    assert callable(is_workday)
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        counted += bool(is_workday(day))
    return day


def weekday_only(day: dt.date) -> bool:
    return day.weekday() < 5


def test_national_day_2025_is_skipped() -> None:
    start = dt.date(2025, 9, 30)
    expected = nth_workday(start, 3, chinese_calendar.is_workday)
    result = add_workdays(start, 3)
    assert result.end_date == expected
    assert expected > dt.date(2025, 10, 8), "the reference itself must skip the 国庆 holiday"
    assert result.end_date != nth_workday(start, 3, weekday_only)
    assert result.rule_used == "按国务院办公厅公布的2025年节假日安排计算"
    assert dt.date(2025, 10, 1) in [h.day for h in result.skipped_holidays]
    assert {h.name for h in result.skipped_holidays} >= {"国庆节"}


def test_a_makeup_saturday_counts_as_a_workday() -> None:
    makeup_saturdays = [
        dt.date(2025, 1, 1) + dt.timedelta(days=i)
        for i in range(365)
        if (dt.date(2025, 1, 1) + dt.timedelta(days=i)).weekday() == 5
        and chinese_calendar.is_workday(dt.date(2025, 1, 1) + dt.timedelta(days=i))
    ]
    assert makeup_saturdays, "2025 has 调休 Saturdays"
    saturday = makeup_saturdays[0]
    result = add_workdays(saturday - dt.timedelta(days=1), 1)
    assert result.end_date == saturday
    assert result.makeup_workdays == [saturday]


def test_an_unpublished_year_falls_back_to_weekends_and_says_so() -> None:
    with pytest.raises(NotImplementedError):  # why the fallback exists
        chinese_calendar.is_workday(dt.date(FIRST_UNPUBLISHED, 10, 1))
    start = dt.date(FIRST_UNPUBLISHED, 9, 30)
    result = add_workdays(start, 3)
    assert result.end_date == nth_workday(start, 3, weekday_only)
    assert result.rule_used == f"{FIRST_UNPUBLISHED}年节假日安排未公布，仅按周末计算"
    assert result.skipped_holidays == []


def test_a_span_across_years_states_each_years_rule() -> None:
    result = add_workdays(dt.date(FIRST_UNPUBLISHED - 1, 12, 28), 5)
    assert result.end_date.year == FIRST_UNPUBLISHED
    assert f"按国务院办公厅公布的{FIRST_UNPUBLISHED - 1}年节假日安排计算" in result.rule_used
    assert f"{FIRST_UNPUBLISHED}年节假日安排未公布，仅按周末计算" in result.rule_used


def test_a_deployment_holiday_file_overrides(tmp_path: Path) -> None:
    year = FIRST_UNPUBLISHED
    holidays = [dt.date(year, 10, d) for d in range(1, 8)]
    makeup = dt.date(year, 10, 9) if dt.date(year, 10, 9).weekday() >= 5 else dt.date(year, 10, 10)
    path = tmp_path / "holidays.yaml"
    path.write_text(
        "holidays:\n" + "".join(f"  - {d.isoformat()}\n" for d in holidays) + f"workdays:\n  - {makeup.isoformat()}\n",
        encoding="utf-8",
    )

    def file_rule(day: dt.date) -> bool:
        return day == makeup or (day not in holidays and day.weekday() < 5)

    start = dt.date(year, 9, 30)
    result = add_workdays(start, 3, path)
    assert result.end_date == nth_workday(start, 3, file_rule)
    assert result.end_date > dt.date(year, 10, 7)
    assert result.rule_used == f"按本地配置的{year}年节假日安排（holidays.yaml）计算"
    assert [h.day for h in result.skipped_holidays] == holidays
    assert result.makeup_workdays == ([makeup] if makeup <= result.end_date else [])


def test_a_holiday_file_with_names(tmp_path: Path) -> None:
    path = tmp_path / "holidays.yaml"
    path.write_text(f"holidays:\n  {FIRST_UNPUBLISHED}-01-01: 元旦\n", encoding="utf-8")
    result = add_workdays(dt.date(FIRST_UNPUBLISHED - 1, 12, 31), 1, path)
    assert [(h.day, h.name) for h in result.skipped_holidays][:1] == [(dt.date(FIRST_UNPUBLISHED, 1, 1), "元旦")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("holidays:\n  - 2027-13-01\n", "'2027-13-01' is not a date; write YYYY-MM-DD"),
        ("days: []\n", "expected only the keys 'holidays' and 'workdays'"),
        ("holidays: [\n", "not valid YAML"),
    ],
)
def test_a_bad_holiday_file_names_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "holidays.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(HolidayFileError, match=message):
        add_workdays(dt.date(2027, 1, 1), 1, path)


def test_a_missing_holiday_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(HolidayFileError, match="cannot read"):
        add_workdays(dt.date(2027, 1, 1), 1, tmp_path / "absent.yaml")


def test_zero_days_is_the_start_and_negative_days_are_refused() -> None:
    assert add_workdays(dt.date(2025, 10, 1), 0).end_date == dt.date(2025, 10, 1)
    with pytest.raises(ValueError, match="between 0 and"):
        add_workdays(dt.date(2025, 10, 1), -1)


def test_workdays_between_agrees_with_add_workdays() -> None:
    start = dt.date(2025, 9, 26)
    for days in (1, 3, 10):
        end = add_workdays(start, days).end_date
        assert workdays_between(start, end) == days
        assert workdays_between(end, start) == -days
    assert workdays_between(dt.date(2025, 10, 1), dt.date(2025, 10, 8)) == 0
