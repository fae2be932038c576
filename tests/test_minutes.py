"""会议纪要员: transcript parsing, 议定事项 with 责任单位 and 时限, attendees only from the transcript, the agent."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import agents.minutes.tools  # noqa: F401  (registers write_minutes)
from agents.context import Caller, RunContext
from agents.guardrails import SensitiveLexicon
from agents.minutes import parse_transcript, write_minutes
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools
from app.agent_service import AgentService
from app.settings import Settings
from knowledge import HashingEmbedder
from prompts import render

TRANSCRIPT = (Path(__file__).resolve().parent.parent / "data" / "samples" / "MN" / "transcript.txt").read_text(
    encoding="utf-8"
)
TODAY = dt.date(2025, 6, 11)


def test_header_speakers_and_listed_attendees_are_read_with_their_units() -> None:
    transcript = parse_transcript(TRANSCRIPT)
    assert transcript.header["place"] == "江临市人民政府3号会议室"
    people = {p.name: (p.unit, p.spoke) for p in transcript.people}
    assert people == {
        "张伟": ("副市长", True),
        "李明": ("市城管局", True),
        "王芳": ("市水务局", True),
        "陈刚": ("市应急管理局", True),
        "赵丽": ("滨江区人民政府", True),
        "周敏": ("", False),
    }
    assert transcript.decision_lines[0].startswith("一、由市水务局负责")


def test_every_decision_has_its_unit_and_deadline_on_the_working_day_calendar() -> None:
    minutes = write_minutes(TRANSCRIPT, TODAY).to_dict()
    got = [(d["unit"], d["co_units"], d["deadline"]["date"] if d["deadline"] else None) for d in minutes["decisions"]]
    assert got == [
        ("市水务局", [], "2025-06-30"),
        ("市城管局", ["滨江区人民政府"], "2025-06-25"),  # 10 working days from Wed 11 June
        ("市应急管理局", [], "2025-06-30"),
        ("未明确", [], None),
    ]
    assert minutes["flags"] == [
        "议定事项4「望江路下穿通道改造资金问题，会后另行研究」未明确责任单位",
        "议定事项4「望江路下穿通道改造资金问题，会后另行研究」未明确时限",
    ]
    assert minutes["overview"]["日期"] == "2025-06-11" and minutes["overview"]["主持人"] == "张伟（副市长）"


def test_attendees_are_only_people_the_transcript_names() -> None:
    minutes = write_minutes(TRANSCRIPT, TODAY)
    for person in minutes.attendees:
        assert person["name"] in TRANSCRIPT
    assert "会议" not in [p["name"] for p in minutes.attendees]  # header keys are never people


def test_a_transcript_without_a_decision_cue_or_place_is_flagged() -> None:
    text = "时间：2025年6月11日\n主持人：张伟\n张伟：由市城管局负责，本周五前清理望江路占道摊点。"
    minutes = write_minutes(text, TODAY).to_dict()
    assert minutes["decisions"][0]["unit"] == "市城管局" and minutes["decisions"][0]["deadline"]["date"] == "2025-06-13"
    assert any("未找到「会议议定" in f for f in minutes["flags"]) and "会议概况缺少地点" in minutes["flags"]


def test_the_tool_uses_the_configured_today_and_the_template_is_a_minutes_document() -> None:
    tool = build_tools(RunContext(Caller("staff")), ["write_minutes"], ToolConfig(today=TODAY))[0]
    data = json.loads(tool.invoke({"text": TRANSCRIPT}))
    text = render("answers/minutes.j2", data=data, question="", evidence=[])
    assert text.startswith("汛期城市排水防涝工作专题协调会（示例）会议纪要")
    assert (
        "（2）制定望江路下穿通道积水点整治方案。责任单位：市城管局；配合单位：滨江区人民政府。时限：10个工作日内（2025-06-25）。"
        in text
    )
    assert "二、待明确事项" in text and "参会人员：张伟（副市长）、李明（市城管局）" in text


def test_the_minutes_writer_answers_through_the_agent_service(tmp_path: Path) -> None:
    spec = load_spec(BUILTIN_DIR / "minutes_writer.yaml", set(TOOL_REGISTRY))
    knowledge = SimpleNamespace(embedder=HashingEmbedder())  # one intent: the model-free embedder picks it
    service = AgentService(Settings(home=tmp_path), knowledge, {spec.id: spec}, SensitiveLexicon.default())  # type: ignore[arg-type]
    result = service.ask("minutes-writer", TRANSCRIPT, Caller("staff"))
    assert [c["name"] for c in result.tool_calls] == ["write_minutes"] and not result.refused
    assert "责任单位：市水务局" in result.answer and "待明确事项" in result.answer
