"""Slot extraction for the offline model: pattern-only values from the user's words."""

from __future__ import annotations

from datetime import date

from agents.slots import extract_slots


def test_materials_follow_what_the_citizen_says_they_have() -> None:
    slots = extract_slots("我有身份证、户口本和两张照片，办居住证还缺什么？")
    assert slots["materials"] == "身份证、户口本和两张照片"
    assert slots["question"].startswith("我有身份证")
    assert slots["matter"] == "办居住证还缺什么"


def test_dates_are_normalised_to_iso() -> None:
    assert extract_slots("2025年9月30日提交，5个工作日后是哪天")["date"] == "2025-09-30"
    assert extract_slots("从2025-10-08开始算")["date"] == "2025-10-08"
    assert extract_slots("今天提交", today=date(2026, 1, 5))["date"] == "2026-01-05"


def test_number_of_workdays_is_found_outside_the_date() -> None:
    assert extract_slots("2025年9月30日起算15个工作日")["number"] == "15"
    assert extract_slots("今天起三个工作日")["number"] == "3"


def test_an_impossible_date_is_kept_verbatim_for_the_tool_to_reject() -> None:
    assert extract_slots("2025年13月40日")["date"] == "2025年13月40日"


def test_no_slots_beyond_the_question_when_nothing_matches() -> None:
    assert set(extract_slots("社保卡丢了怎么办")) == {"question", "text", "matter", "title"}
