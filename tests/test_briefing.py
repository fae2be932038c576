"""简报摘要员: numeric faithfulness, length limits, structured summaries of each kind, the tool and the agent."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import agents.briefing.tools  # noqa: F401  (registers summarize_text)
from agents.briefing import detect_kind, numbers_in, split_request, summarize, unfaithful_numbers
from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.guardrails import SensitiveLexicon
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, build_tools
from app.agent_service import AgentService
from app.settings import Settings
from knowledge import HashingEmbedder
from prompts import render

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples" / "SM"
LOG = (SAMPLES / "shift_log.txt").read_text(encoding="utf-8")
REPORT = (SAMPLES / "report.txt").read_text(encoding="utf-8")
TICKET = "工单：市民反映滨江区望江路张记饭店油烟太大，熏得家里窗户都不敢开，已经持续3个月，要求整改，电话13812345678。"


def test_numbers_compare_by_value_and_any_changed_digit_is_caught() -> None:
    assert numbers_in("06:30 共1,200人，增长7.50%") == ["6", "30", "1200", "7.5"]
    assert unfaithful_numbers("6时30分，1200人", "06:30，1,200人") == []
    assert unfaithful_numbers("查处车辆58辆，共计4次", REPORT) == ["58", "4"]


@pytest.mark.parametrize("limit", [60, 100, 200])
def test_every_summary_is_within_its_limit_and_faithful(limit: int) -> None:
    for source in (LOG, REPORT, TICKET):
        briefing = summarize(source, limit=limit).to_dict()
        assert 0 < briefing["length"] <= limit
        assert unfaithful_numbers(briefing["summary"], source) == []
        assert all(item in source or item[:-1] in source for item in briefing["points"])  # clauses of the source


def test_a_tight_limit_keeps_the_casualty_and_flooding_entries_of_a_shift_log() -> None:
    briefing = summarize(LOG, limit=100)
    assert briefing.kind == "shift_log" and briefing.title == "值班要情"
    assert any("2名工人被困" in item for item in briefing.points) and any(
        "积水约30厘米" in item for item in briefing.points
    )
    assert not any("带班领导检查" in item for item in briefing.points)


def test_items_keep_source_order_and_are_cut_at_clause_boundaries() -> None:
    briefing = summarize(REPORT, limit=80)
    positions = [REPORT.find(item.rstrip("。")[:10]) for item in briefing.points]
    assert positions == sorted(positions) and all(p >= 0 for p in positions)
    assert all(not item.endswith(("，", "、")) for item in briefing.points)


def test_a_ticket_summary_lists_its_fields() -> None:
    briefing = summarize(TICKET, limit=80)
    assert briefing.kind == "ticket"
    assert briefing.fields == {
        "联系电话": "13812345678",
        "事发地址": "江临市滨江区望江路",
        "诉求对象": "张记饭店",
        "诉求类别": "环境污染",
    }


def test_requests_carry_the_limit_and_the_kind_is_detected() -> None:
    assert split_request("把下面值班日志压缩成150字以内的要情：06:30 积水") == ("06:30 积水", 150)
    assert split_request("06:30 积水") == ("06:30 积水", None)
    assert (detect_kind(LOG), detect_kind(REPORT), detect_kind(TICKET)) == ("shift_log", "report", "ticket")


def test_the_tool_reads_the_limit_from_the_request_and_rejects_bad_limits() -> None:
    tool = build_tools(RunContext(Caller("staff")), ["summarize_text"])[0]
    data = json.loads(tool.invoke({"text": f"把下面报告写成90字以内的摘要：{REPORT}"}))
    assert data["limit"] == 90 and data["length"] <= 90 and data["kind"] == "report"
    assert "150" not in data["numbers"] and "90" not in data["numbers"]  # the request's number is not a source fact
    answer = render("answers/briefing.j2", data=data, question="", evidence=[])
    assert answer.startswith("【报告摘要】") and "上限90字" in answer
    with pytest.raises(ToolInputError, match="out of range"):
        tool.invoke({"text": REPORT, "limit": 5})


def test_the_briefing_writer_answers_through_the_agent_service(tmp_path: Path) -> None:
    spec = load_spec(BUILTIN_DIR / "briefing_writer.yaml", set(TOOL_REGISTRY))
    knowledge = SimpleNamespace(embedder=HashingEmbedder())  # one intent: the model-free embedder picks it
    service = AgentService(Settings(home=tmp_path), knowledge, {spec.id: spec}, SensitiveLexicon.default())  # type: ignore[arg-type]
    result = service.ask("briefing-writer", f"把下面值班日志压缩成100字以内的要情：\n{LOG}", Caller("staff"))
    assert [c["name"] for c in result.tool_calls] == ["summarize_text"] and not result.refused
    assert result.answer.startswith("【值班要情】") and "2名工人被困" in result.answer
    assert unfaithful_numbers(result.answer.split("（摘要")[0], LOG) == []
