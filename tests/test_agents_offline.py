"""The built-in digital employees end to end on the offline model and the sample knowledge base."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.context import Caller
from agents.guardrails import SensitiveLexicon
from app.agent_service import AgentAccessError, AgentService, UnknownAgentError
from app.settings import Settings
from app.wiring import load_agent_specs
from knowledge import KnowledgeBase

pytestmark = pytest.mark.slow

CITIZEN = Caller("citizen")


@pytest.fixture(scope="module")
def service(sample_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> AgentService:
    settings = Settings(home=tmp_path_factory.mktemp("agents-home"))
    return AgentService(settings, sample_kb, load_agent_specs(settings), SensitiveLexicon.default())


def test_citizen_qa_answers_with_the_current_article(service: AgentService) -> None:
    result = service.ask("citizen-qa", "租房可以取公积金吗，多久取一次", CITIZEN)
    assert not result.refused
    assert "3个月" in result.answer
    assert any(c["title"] == "江临市住房公积金提取管理办法" and "第十三条" in c["heading"] for c in result.citations)
    assert all(c["title"] != "江临市住房公积金提取管理暂行办法" for c in result.citations)  # repealed
    for citation in result.citations:
        assert citation["quote"] in result.answer
    assert result.tool_calls == [{"name": "kb_search", "args": {"query": "租房可以取公积金吗，多久取一次"}}]


@pytest.mark.parametrize("question", ["今天天气怎么样", "怎么做红烧肉", "推荐一部电影"])
def test_citizen_qa_refuses_without_evidence(service: AgentService, question: str) -> None:
    result = service.ask("citizen-qa", question, CITIZEN)
    assert result.refused and "12345" in result.answer and result.citations == []


def test_citizen_never_gets_internal_documents(service: AgentService, sample_kb: KnowledgeBase) -> None:
    internal = {d.doc_id for d in sample_kb.documents("demo") if d.access != "public"}
    for question in ["2025年度惠企政策资金预算安排各区分配多少", "12345工单派发内部工作规程的时限", "窗口人员考核细则"]:
        result = service.ask("citizen-qa", question, CITIZEN)
        assert not {c["doc_id"] for c in result.citations} & internal
        assert not {e["doc_id"] for e in result.trace.evidence} & internal


def test_service_guide_lists_materials_time_limit_and_phone(service: AgentService) -> None:
    result = service.ask("service-guide", "社保卡丢了要补办，需要带什么材料？", CITIZEN)
    assert result.tool_calls[0]["name"] == "get_service_guide"
    for section in ("申请材料", "办理时限", "办理地点", "咨询电话"):
        assert section in result.answer
    assert {c["doc_id"] for c in result.citations} == {"社会保障卡补办"}


def test_service_guide_precheck_lists_what_is_missing(service: AgentService) -> None:
    result = service.ask("service-guide", "我有身份证和户口本，办结婚登记还缺什么", CITIZEN)
    assert result.tool_calls[0]["name"] == "check_materials"
    assert result.tool_calls[0]["args"]["provided"] == "身份证和户口本"
    assert "还缺少" in result.answer and "照片" in result.answer.split("还缺少")[1]


def test_service_guide_computes_deadlines_in_working_days(service: AgentService) -> None:
    result = service.ask("service-guide", "2025年9月30日受理，5个工作日后是哪天", CITIZEN)
    assert result.tool_calls == [{"name": "workday_calculator", "args": {"start_date": "2025-09-30", "workdays": "5"}}]
    assert "2025-10-14" in result.answer and "国庆节" in result.answer


def test_unknown_agent_error_lists_known_agents(service: AgentService) -> None:
    with pytest.raises(UnknownAgentError, match=r"unknown agent 'nope'; known: .*citizen-qa, .*service-guide"):
        service.ask("nope", "你好", CITIZEN)


def test_staff_only_agent_is_refused_to_citizens(service: AgentService, tmp_path: Path) -> None:
    spec = service.spec("citizen-qa").model_copy(update={"id": "policy-research", "audience": "staff"})
    service.specs["policy-research"] = spec
    try:
        with pytest.raises(AgentAccessError, match="serves staff only"):
            service.ask("policy-research", "公积金提取", CITIZEN)
        staff = service.ask("policy-research", "2025年度惠企政策资金预算安排", Caller("staff", "", "internal"))
        assert any(e["doc_id"].startswith("关于2025年度惠企政策资金预算安排") for e in staff.trace.evidence)
    finally:
        del service.specs["policy-research"]


def test_policy_researcher_compares_the_new_rules_with_the_repealed_ones(service: AgentService) -> None:
    staff = Caller("staff", "市住房公积金管理中心", "internal")
    result = service.ask("policy-researcher", "新的《江临市住房公积金提取管理办法》和暂行办法相比有什么变化", staff)
    assert not result.refused
    assert [call["name"] for call in result.tool_calls] == ["compare_documents"]
    assert "已废止" in result.answer and "修改" in result.answer
    assert "「6」改为「3」" in result.answer  # 租房提取间隔 6个月 → 3个月, quoted from the two texts
    assert result.citations and all(c["title"].startswith("江临市住房公积金提取管理") for c in result.citations)
    with pytest.raises(AgentAccessError):
        service.ask("policy-researcher", "租房提取公积金有哪些规定", CITIZEN)


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("企业设立登记多长时间能办好？", "get_service_guide"),  # 「多长时间」 is not a date question
        ("门（楼）牌编制去哪里办理？咨询电话是多少？", "get_service_guide"),
        ("办二手房买卖不动产转移登记需要带哪些材料？", "get_service_guide"),  # no materials listed: no pre-check
        ("我已经准备了本人有效居民身份证，办退休住房公积金提取还缺什么材料？", "check_materials"),
        ("2025年9月30日受理，5个工作日后是哪天", "workday_calculator"),
    ],
)
def test_service_guide_picks_the_intent_whose_values_the_question_states(
    service: AgentService, question: str, tool: str
) -> None:
    result = service.ask("service-guide", question, CITIZEN)
    assert [call["name"] for call in result.tool_calls] == [tool]
    assert not result.refused
