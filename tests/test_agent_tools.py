"""The LangChain tool wrappers: schemas from hints and docstrings, JSON results, errors for the model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool

from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools
from knowledge import HashingEmbedder, IngestOptions, KnowledgeBase
from knowledge.records import RecordOptions

REPO = Path(__file__).resolve().parent.parent
GUIDES = REPO / "data" / "kb" / "guides"
RECORDS = REPO / "data" / "kb" / "records" / "service_items_sample.jsonl"
NAMES = ["kb_search", "get_service_guide", "check_materials", "workday_calculator"]
REQUIRED = {
    "kb_search": ["query"],
    "get_service_guide": ["matter"],
    "check_materials": ["matter", "provided"],
    "workday_calculator": ["start_date", "workdays"],
}


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase(tmp_path_factory.mktemp("agent_tools") / "home", HashingEmbedder())
    assert kb.ingest([GUIDES], "guides").ok
    assert kb.ingest([RECORDS], "records", IngestOptions(records=RecordOptions(template="service_item"))).ok
    yield kb
    kb.close()


@pytest.fixture()
def ctx(knowledge: KnowledgeBase) -> RunContext:
    return RunContext(Caller(), knowledge, ["guides", "records"])


def tools_by_name(ctx: RunContext, config: ToolConfig | None = None) -> dict[str, BaseTool]:
    return {tool.name: tool for tool in build_tools(ctx, NAMES, config)}


def test_every_registered_tool_has_a_schema_with_described_arguments(ctx: RunContext) -> None:
    assert set(NAMES) <= set(TOOL_REGISTRY)
    for name, tool in tools_by_name(ctx).items():
        schema = convert_to_openai_tool(tool)["function"]
        assert schema["name"] == name
        assert schema["description"] and "Args" not in schema["description"]
        parameters = schema["parameters"]
        assert sorted(parameters["required"]) == sorted(REQUIRED[name])
        assert "ctx" not in parameters["properties"], "the run context is never the model's to fill"
        for argument, spec in parameters["properties"].items():
            assert spec.get("description"), f"{name}.{argument} has no description"


def test_kb_search_returns_citable_hits(ctx: RunContext) -> None:
    result = json.loads(tools_by_name(ctx)["kb_search"].invoke({"query": "社会保障卡补办需要什么材料", "k": 3}))
    assert 1 <= len(result["hits"]) <= 3
    for hit in result["hits"]:
        assert set(hit) == {"doc_id", "title", "heading", "quote", "validity"}
        assert hit["quote"]
    assert ctx.evidence


def test_kb_search_rejects_an_out_of_range_k(ctx: RunContext) -> None:
    with pytest.raises(ToolInputError, match="use an integer from 1 to 20"):
        tools_by_name(ctx)["kb_search"].invoke({"query": "护照", "k": 0})


def test_get_service_guide_returns_fields_and_citations(ctx: RunContext) -> None:
    result = json.loads(tools_by_name(ctx)["get_service_guide"].invoke({"matter": "社会保障卡补办"}))
    assert result["found"] is True
    assert result["doc_id"] == "社会保障卡补办"
    assert result["materials"] and result["time_limit_legal"] == "10个工作日"
    assert result["phone"].startswith("0571-86012333")
    assert result["citations"]
    assert all(set(c) == {"doc_id", "title", "heading", "quote"} for c in result["citations"])


def test_get_service_guide_says_when_nothing_fits(ctx: RunContext) -> None:
    content = tools_by_name(ctx)["get_service_guide"].invoke({"matter": "今天天气怎么样"})
    assert json.loads(content) == {"found": False, "message": "未找到相关办事指南"}
    assert "未找到相关办事指南" in content, "JSON keeps Chinese readable (ensure_ascii=False)"


def test_check_materials_tool_reads_free_text(ctx: RunContext) -> None:
    tool = tools_by_name(ctx)["check_materials"]
    result = json.loads(tool.invoke({"matter": "结婚登记", "provided": "我们带了身份证和户口本"}))
    assert result["found"] is True and result["complete"] is False
    assert result["missing"] == ["近期2寸红底双人合影半身免冠照片3张（部分登记处提供现场拍照）"]
    assert result["matched"] == [{"required": "男女双方本人有效居民身份证原件各1份", "provided": "身份证"}]
    assert result["unrecognised"] == ["户口本"]
    assert result["citations"][0]["heading"].endswith("申请材料")


def test_workday_calculator_returns_end_date_and_rule(ctx: RunContext) -> None:
    result = json.loads(tools_by_name(ctx)["workday_calculator"].invoke({"start_date": "2025-09-30", "workdays": 3}))
    assert result["end_date"] == "2025-10-11"  # 10-09, 10-10 and the 调休 Saturday 10-11
    assert result["rule"] == "按国务院办公厅公布的2025年节假日安排计算"
    assert result["makeup_workdays"] == ["2025-10-11"]
    assert {"date": "2025-10-01", "name": "国庆节"} in result["skipped_holidays"]


def test_workday_calculator_uses_the_configured_holiday_file(ctx: RunContext, tmp_path: Path) -> None:
    path = tmp_path / "holidays.yaml"
    path.write_text("holidays:\n  - 2027-10-01\n", encoding="utf-8")
    tool = tools_by_name(ctx, ToolConfig(holidays_file=path))["workday_calculator"]
    result = json.loads(tool.invoke({"start_date": "2027年9月30日", "workdays": 1}))
    assert result["end_date"] == "2027-10-04"
    assert "holidays.yaml" in result["rule"]


@pytest.mark.parametrize("bad", ["2025/13/01", "明天", "2025-02-30", ""])
def test_a_bad_date_is_an_error_for_the_model_with_the_expected_form(ctx: RunContext, bad: str) -> None:
    with pytest.raises(ToolInputError, match="is not a date; use YYYY-MM-DD") as caught:
        tools_by_name(ctx)["workday_calculator"].invoke({"start_date": bad, "workdays": 3})
    assert repr(bad) in str(caught.value)


def test_an_out_of_range_workday_count_is_an_error_for_the_model(ctx: RunContext) -> None:
    with pytest.raises(ToolInputError, match="workdays -1 is out of range"):
        tools_by_name(ctx)["workday_calculator"].invoke({"start_date": "2025-09-30", "workdays": -1})


def test_an_unknown_tool_name_lists_the_known_ones(ctx: RunContext) -> None:
    with pytest.raises(ValueError, match=r"unknown tool 'send_email'; known: .*kb_search"):
        build_tools(ctx, ["kb_search", "send_email"])


def test_tools_close_over_their_own_run(knowledge: KnowledgeBase) -> None:
    first = RunContext(Caller(), knowledge, ["guides"])
    second = RunContext(Caller(), knowledge, ["guides"])
    build_tools(first, ["kb_search"])[0].invoke({"query": "结婚登记"})
    assert first.evidence and not second.evidence
