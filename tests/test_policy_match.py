"""惠企政策匹配员: profile extraction, the catalog, deterministic eligibility, the cited tool, the agent."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool

from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.policies import (
    CatalogError,
    Condition,
    EnterpriseProfile,
    ProfileError,
    check_condition,
    evaluate,
    extract_profile,
    load_catalog,
    parse_profile,
)
from agents.policies.tools import article_span, match_policies
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, build_tools
from knowledge import HashingEmbedder, IngestOptions, KnowledgeBase
from prompts import render

REPO = Path(__file__).resolve().parent.parent
POLICIES = REPO / "data" / "kb" / "policies"
DOC_ID = "江临市促进中小企业发展若干政策措施"
POLICY_TEXT = (POLICIES / f"{DOC_ID}.md").read_text(encoding="utf-8")
SOFTWARE = "我们是滨江区的一家软件公司，2019年成立，去年营收3200万元，员工85人，去年评上了高新技术企业"
STARTUP = "刚在高新区注册的人工智能公司，去年成立，入驻了孵化器，团队12人，营收300万元，研发投入占营收8%，有2件发明专利"
TODAY = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """The sample policies twice: public in 'policies', and as internal documents in 'restricted'."""
    kb = KnowledgeBase(tmp_path_factory.mktemp("policy_match") / "home", HashingEmbedder())
    assert kb.ingest([POLICIES], "policies").ok
    assert kb.ingest([POLICIES], "restricted", IngestOptions(access="internal")).ok
    yield kb
    kb.close()


def citizen(knowledge: KnowledgeBase, kbs: list[str] | None = None) -> RunContext:
    return RunContext(Caller("citizen"), knowledge, kbs or ["policies"])


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in data["matches"]}


# -- profile extraction ----------------------------------------------------------------------------
def test_the_brief_example_yields_every_stated_fact_and_reports_the_rest_missing() -> None:
    extraction = extract_profile(SOFTWARE, current_year=2025)
    profile = extraction.profile
    assert profile.registered_district == "滨江区"
    assert profile.industry == "软件和信息技术服务业"
    assert (profile.annual_revenue_wan, profile.employees) == (3200, 85)
    assert (profile.established, profile.years_established) == (2019, 6)
    assert profile.qualifications == ["高新技术企业"]
    assert profile.is_sme is True and "软件和信息技术服务业" in profile.derived["is_sme"]
    assert extraction.missing == ["rd_ratio_pct", "invention_patents", "in_incubator"]
    assert extraction.sources["annual_revenue_wan"] == "营收3200万元"


@pytest.mark.parametrize(
    ("text", "wan"),
    [
        ("去年营收1.2亿元", 12000),
        ("营业收入3千万", 3000),
        ("年营业额800万", 800),
        ("销售收入三千二百万元", 3200),
        ("营收三千二万", 3200),
        ("营收两千零五十万", 2050),
        ("营收5000000元", 500),
        ("主营业务收入2.5亿", 25000),
        ("还没有收入", 0),
        ("营收3200", None),  # no unit: not trusted
        ("研发投入占营收5%", None),  # a share, not revenue
    ],
)
def test_revenue_units_convert_to_wan(text: str, wan: float | None) -> None:
    assert extract_profile(text, 2025).profile.annual_revenue_wan == wan


@pytest.mark.parametrize(
    ("text", "employees"),
    [
        ("员工85人", 85),
        ("有120名员工", 120),
        ("职工二百人", 200),
        ("从业人数不到50人", 49),
        ("团队12人", 12),
        ("刚起步，8个人，在找融资", 8),
        ("招了2个人负责销售", None),
    ],
)
def test_employee_counts(text: str, employees: int | None) -> None:
    assert extract_profile(text, 2025).profile.employees == employees


@pytest.mark.parametrize(
    ("text", "established", "years"),
    [
        ("去年成立", 2024, 1),
        ("前年注册的公司", 2023, 2),
        ("今年刚成立", 2025, 0),
        ("成立3年", 2022, 3),
        ("成立了五年多", 2020, 5),
        ("三年前成立", 2022, 3),
        ("成立不到2年", 2024, 1),
        ("成立于2018年", 2018, 7),
        ("2019年3月注册成立", dt.date(2019, 3, 1), 6),
        ("开了两年的餐馆", 2023, 2),
    ],
)
def test_years_established_count_from_the_given_year(text: str, established: object, years: int) -> None:
    profile = extract_profile(text, current_year=2025).profile
    assert (profile.established, profile.years_established) == (established, years)


def test_relative_years_move_with_the_current_year() -> None:
    assert extract_profile("去年成立", current_year=2030).profile.established == 2029
    assert extract_profile("2019年成立", current_year=2030).profile.years_established == 11


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("注册在临川区的一家工厂", "临川区"),
        ("位于高新技术产业开发区", "高新区"),
        ("在高新区的孵化器办公，注册在滨江区", "滨江区"),
        ("公司注册在上海，在滨江区有办事处", "上海"),
        ("注册在江临市", "江临市"),
        ("我们是高新技术企业", None),  # 高新 here is a qualification, not the district
        ("想了解江临有什么政策", None),  # naming the city says nothing about where the firm is
    ],
)
def test_registered_district(text: str, district: str | None) -> None:
    assert extract_profile(text, 2025).profile.registered_district == district


def test_qualifications_read_negation_and_intention_from_their_clause() -> None:
    text = "去年评上了高新技术企业，还不是专精特新，正在申报科技型中小企业"
    profile = extract_profile(text, 2025).profile
    assert profile.qualifications == ["高新技术企业"]
    assert profile.lacking == ["专精特新中小企业"]
    assert extract_profile("国家级专精特新“小巨人”企业", 2025).profile.qualifications == ["专精特新“小巨人”企业"]
    assert extract_profile("想提高企业效率", 2025).profile.qualifications == []


@pytest.mark.parametrize(
    ("text", "industry"),
    [("做餐饮的", "住宿餐饮业"), ("一家机械加工厂", "制造业"), ("软件公司，也做技术服务", "软件和信息技术服务业"), ("我们公司", None)],
)
def test_industry_keywords_map_to_the_vocabulary(text: str, industry: str | None) -> None:
    assert extract_profile(text, 2025).profile.industry == industry


def test_sme_status_is_stated_or_derived_by_the_size_standard() -> None:
    assert extract_profile("我们是小微企业", 2025).profile.is_sme is True
    assert extract_profile("我们不是中小企业", 2025).profile.is_sme is False
    large = extract_profile("机械制造企业，员工1200人，营收5亿元", 2025).profile
    assert large.is_sme is False and "制造业" in large.derived["is_sme"]
    assert extract_profile("机械制造企业，员工1200人", 2025).profile.is_sme is None  # revenue could still qualify
    assert extract_profile("科技型中小企业", 2025).profile.is_sme is True


def test_rd_share_is_stated_or_computed_from_two_amounts() -> None:
    assert extract_profile("研发投入占营收6%", 2025).profile.rd_ratio_pct == 6
    computed = extract_profile("研发费用160万元，营收3200万元", 2025).profile
    assert computed.rd_ratio_pct == 5 and "160万元" in computed.derived["rd_ratio_pct"]
    assert extract_profile("研发费用160万元", 2025).profile.rd_ratio_pct is None


# -- form (JSON) profiles --------------------------------------------------------------------------
def test_json_profile_is_normalised_and_its_qualification_list_is_complete() -> None:
    form = {"registered_district": "滨江", "industry": "软件", "annual_revenue_wan": 3200, "employees": 85}
    extraction = parse_profile(json.dumps(form | {"established": 2019, "qualifications": ["高企"]}), 2025)
    profile = extraction.profile
    assert (profile.registered_district, profile.industry) == ("滨江区", "软件和信息技术服务业")
    assert profile.qualifications == ["高新技术企业"] and "专精特新中小企业" in profile.lacking
    assert profile.years_established == 6
    statuses = {match.measure.id: match.status for match in evaluate(load_catalog(), profile)}
    assert statuses["specialized-sme-award"] == "ineligible"  # a form that omits it says it is not held


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ('{"revenue": 3200}', ["revenue", "annual_revenue_wan"]),
        ('{"employees": "很多"}', ["employees"]),
        ('{"employees": 85', ["JSON"]),
        ("[1, 2]", ["object"]),
        ("   ", ["empty"]),
    ],
)
def test_malformed_profiles_name_the_problem(value: str, words: list[str]) -> None:
    with pytest.raises(ProfileError) as error:
        parse_profile(value, 2025)
    assert all(word in str(error.value) for word in words)


# -- eligibility -----------------------------------------------------------------------------------
REVENUE_AT_LEAST_2000 = Condition(field="annual_revenue_wan", op=">=", value=2000, text="年主营业务收入2000万元以上")


@pytest.mark.parametrize(
    ("revenue", "status", "reason"),
    [
        (3200, "met", "年营业收入3200万元 ≥ 2000万元，符合"),
        (1500, "not_met", "年营业收入1500万元 < 2000万元，不符合"),
        (None, "unknown", "年营业收入未知，需补充上年度营业收入"),
    ],
)
def test_a_condition_is_met_not_met_or_unknown_with_a_reason(revenue: float | None, status: str, reason: str) -> None:
    check = check_condition(REVENUE_AT_LEAST_2000, EnterpriseProfile(annual_revenue_wan=revenue))
    assert (check.status, check.reason) == (status, reason)


def test_reasons_for_each_kind_of_condition() -> None:
    young = Condition(field="years_established", op="<", value=3, text="成立未满3年")
    assert check_condition(young, EnterpriseProfile()).reason == "成立年限未知，需补充成立时间"
    local = Condition(field="registered_district", op="in", value=["滨江区", "临川区"], text="在本市")
    assert check_condition(local, EnterpriseProfile(registered_district="上海")).reason.endswith("不在滨江区、临川区之列，不符合")
    hightech = Condition(field="qualifications", op="contains", value="高新技术企业", text="高新技术企业")
    assert check_condition(hightech, EnterpriseProfile(qualifications=["高新技术企业"])).status == "met"
    assert check_condition(hightech, EnterpriseProfile(lacking=["高新技术企业"])).status == "not_met"
    assert check_condition(hightech, EnterpriseProfile(qualifications=["科技型中小企业"])).status == "unknown"
    sme = Condition(field="is_sme", op="==", value=True, text="中小企业")
    assert check_condition(sme, EnterpriseProfile(is_sme=False)).reason == "不属于中小企业，不符合"


def test_evaluation_orders_eligible_then_needs_info_then_ineligible_with_reasons() -> None:
    matches = evaluate(load_catalog(), extract_profile(SOFTWARE, 2025).profile)
    ranks = [("eligible", "needs_info", "ineligible").index(m.status) for m in matches]
    assert ranks == sorted(ranks) and len({m.measure.id for m in matches}) == len(matches)
    status = {m.measure.id: m for m in matches}
    assert status["hightech-award"].status == "eligible"
    assert status["rd-expense-subsidy"].status == "needs_info"
    assert status["rd-expense-subsidy"].needs == ["研发费用或其占营业收入的比例"]
    incubator = status["incubator-rent-subsidy"]
    assert incubator.status == "ineligible"
    reasons = [check.reason for check in incubator.checks]
    assert "从业人数85人 > 50人，不符合" in reasons and "年营业收入3200万元 > 2000万元，不符合" in reasons


def test_an_empty_profile_is_never_ineligible_only_incomplete() -> None:
    assert {match.status for match in evaluate(load_catalog(), EnterpriseProfile())} == {"needs_info"}


def test_a_young_incubated_startup_gets_the_rent_subsidy() -> None:
    status = {m.measure.id: m.status for m in evaluate(load_catalog(), extract_profile(STARTUP, 2025).profile)}
    assert status["incubator-rent-subsidy"] == "eligible"
    assert status["invention-patent-award"] == "eligible"
    assert status["rd-expense-subsidy"] == "ineligible"  # 300万元 < 500万元


# -- the catalog -----------------------------------------------------------------------------------
def test_the_builtin_catalog_cites_real_articles_in_the_policys_own_words() -> None:
    pairs = list(load_catalog().measures())
    assert len(pairs) >= 6
    for policy, measure in pairs:
        assert policy.doc_id == DOC_ID
        assert article_span(POLICY_TEXT, measure.article), f"{measure.id}: {measure.article} not in the policy"
        for condition in measure.conditions:
            wording = re.sub(r"（第[一二三四五六七八九十]+条）$", "", condition.text)
            assert wording in POLICY_TEXT, f"{measure.id}: {condition.text!r} is not the policy's wording"


def write_catalog(tmp_path: Path, condition: str) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(
        f"""policies:
  - doc_id: d
    title: t
    measures:
      - id: ok-measure
        title: fine
        article: 第一条
        benefit: {{text: x}}
        conditions: [{{field: employees, op: '<=', value: 50, text: 不超过50人}}]
      - id: broken-measure
        title: broken
        article: 第二条
        benefit: {{text: x}}
        conditions: [{condition}]
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("{field: revenue, op: '>=', value: 1, text: x}", ["unknown field 'revenue'", "annual_revenue_wan"]),
        ("{field: employees, op: '=>', value: 1, text: x}", ["op", "'>='"]),
        ("{field: industry, op: '>=', value: 1, text: x}", ["does not apply", "industry"]),
        ("{field: qualifications, op: contains, value: 高新技术企, text: x}", ["高新技术企", "known"]),
        ("{field: employees, op: '<=', value: 很多, text: x}", ["does not fit"]),
    ],
)
def test_a_bad_catalog_entry_names_the_file_and_the_measure(tmp_path: Path, condition: str, words: list[str]) -> None:
    path = write_catalog(tmp_path, condition)
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    message = str(error.value)
    assert str(path) in message and "'broken-measure'" in message and "ok-measure" not in message
    assert all(word in message for word in words), message


def test_duplicate_ids_and_missing_files_are_catalog_errors(tmp_path: Path) -> None:
    path = write_catalog(tmp_path, "{field: employees, op: '<=', value: 50, text: x}")
    path.write_text(path.read_text(encoding="utf-8").replace("broken-measure", "ok-measure"), encoding="utf-8")
    with pytest.raises(CatalogError, match="ok-measure used more than once"):
        load_catalog(path)
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(tmp_path / "nope.yaml")


# -- the tool --------------------------------------------------------------------------------------
def test_tool_returns_verdicts_with_verbatim_citations_of_each_article(knowledge: KnowledgeBase) -> None:
    ctx = citizen(knowledge)
    (tool,) = build_tools(ctx, ["match_policies"])
    data = json.loads(tool.invoke({"profile": SOFTWARE}))
    document = ctx.document_text("policies", DOC_ID)
    assert data["profile"]["registered_district"] == "滨江区" and data["recognised"]
    assert {m["field"] for m in data["missing"]} == {"rd_ratio_pct", "invention_patents", "in_incubator"}
    rows = by_id(data)
    hightech = rows["hightech-award"]
    assert hightech["status"] == "eligible" and hightech["benefit"]["amount_wan"] == 20
    assert hightech["citation"]["heading"].endswith("第九条")
    assert hightech["citation"]["quote"].startswith("第九条") and "一次性奖励20万元" in hightech["citation"]["quote"]
    assert all(c["reason"] for row in data["matches"] for c in row["conditions"])
    for row in data["matches"]:
        quote = row["citation"]["quote"]
        assert quote in document and quote.startswith(row["article"])
    assert all(set(c) == {"doc_id", "title", "heading", "quote"} for c in data["citations"])
    assert data["summary"] == {s: sum(r["status"] == s for r in data["matches"]) for s in ("eligible", "ineligible", "needs_info")}
    assert ctx.searches == 0 and ctx.evidence  # cited passages are traced without counting as a search


def test_tool_accepts_a_json_profile(knowledge: KnowledgeBase) -> None:
    (tool,) = build_tools(citizen(knowledge), ["match_policies"])
    profile = {"registered_district": "临川区", "industry": "制造业", "annual_revenue_wan": 2600, "is_sme": True}
    rows = by_id(json.loads(tool.invoke({"profile": json.dumps(profile, ensure_ascii=False)})))
    assert rows["industrial-scale-award"]["status"] == "eligible"
    assert rows["hightech-award"]["status"] == "needs_info"  # the form says nothing about qualifications
    listed = json.dumps(profile | {"qualifications": []}, ensure_ascii=False)
    assert by_id(json.loads(tool.invoke({"profile": listed})))["hightech-award"]["status"] == "ineligible"


def test_tool_errors_are_for_the_model(knowledge: KnowledgeBase) -> None:
    (tool,) = build_tools(citizen(knowledge), ["match_policies"])
    with pytest.raises(ToolInputError, match="empty"):
        tool.invoke({"profile": " "})
    schema = convert_to_openai_tool(tool)["function"]
    assert schema["name"] == "match_policies" and schema["parameters"]["required"] == ["profile"]
    assert schema["description"] and schema["parameters"]["properties"]["profile"]["description"]


def test_a_caller_who_cannot_read_the_policy_gets_verdicts_without_citations(knowledge: KnowledgeBase) -> None:
    hidden = match_policies(citizen(knowledge, ["restricted"]), SOFTWARE, today=TODAY)
    assert hidden["citations"] == [] and hidden["citation_note"]
    assert all(row["citation"] is None for row in hidden["matches"])
    staff = RunContext(Caller("staff", clearance="internal"), knowledge, ["restricted"])
    cleared = match_policies(staff, SOFTWARE, today=TODAY)
    assert cleared["citations"] and not cleared["citation_note"]
    assert [r["status"] for r in hidden["matches"]] == [r["status"] for r in cleared["matches"]]


def test_policy_validity_is_reported(knowledge: KnowledgeBase) -> None:
    assert not match_policies(citizen(knowledge), SOFTWARE, today=TODAY)["policies"][0]["expired"]
    assert match_policies(citizen(knowledge), SOFTWARE, today=dt.date(2027, 1, 1))["policies"][0]["expired"]


# -- spec and templates ----------------------------------------------------------------------------
def test_spec_loads_and_templates_render_every_group_with_reasons(knowledge: KnowledgeBase) -> None:
    spec = load_spec(BUILTIN_DIR / "policy_match.yaml", set(TOOL_REGISTRY))
    assert spec.audience == "citizen" and spec.tools == ["match_policies", "kb_search"]
    assert spec.name in render(spec.system_prompt, spec=spec, caller=Caller("citizen"))
    data = match_policies(citizen(knowledge), STARTUP, today=TODAY)
    answer = render("answers/policy_match.j2", question=STARTUP, data=data, evidence=[])
    for heading in ("可申报", "暂不符合", "需补充信息"):
        assert heading in answer
    assert "《江临市促进中小企业发展若干政策措施》第七条" in answer
    assert all(c["reason"] in answer for row in data["matches"] for c in row["conditions"])
    assert all(row["benefit"]["text"] in answer for row in data["matches"])


def test_an_unrecognised_profile_asks_for_the_facts(knowledge: KnowledgeBase) -> None:
    data = match_policies(citizen(knowledge), "帮我看看有什么政策", today=TODAY)
    answer = render("answers/policy_match.j2", question="", data=data, evidence=[])
    assert not data["recognised"] and "请补充" in answer and "成立时间" in answer


# -- the agent end to end --------------------------------------------------------------------------
@pytest.mark.slow
def test_agent_routes_profiles_to_matching_and_questions_to_search(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    from agents.guardrails import SensitiveLexicon
    from app.agent_service import AgentService
    from app.settings import Settings

    spec = load_spec(BUILTIN_DIR / "policy_match.yaml", set(TOOL_REGISTRY))
    service = AgentService(Settings(home=tmp_path), sample_kb, {spec.id: spec}, SensitiveLexicon.default())
    result = service.ask("policy-match", spec.demo, Caller("citizen"))
    assert result.tool_calls == [{"name": "match_policies", "args": {"profile": spec.demo}}]
    assert not result.refused and "可申报" in result.answer and "第九条" in result.answer
    assert any(c["heading"].endswith("第九条") for c in result.citations)
    question = service.ask("policy-match", "惠企政策每年什么时候申报", Caller("citizen"))
    assert question.tool_calls[0]["name"] == "kb_search" and "4月和9月" in question.answer
