"""审查核验员: the safe condition language, rule files, verdicts with basis, the tool and the agent."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import agents.review.tools  # noqa: F401  (registers review_submission)
from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.guardrails import SensitiveLexicon
from agents.review import Condition, RulesError, evaluate, load_rules, packaged_rules, review
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, build_tools
from app.agent_service import AgentService
from app.settings import Settings
from knowledge import HashingEmbedder
from prompts import render

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples" / "RV"
ROAD = (SAMPLES / "road_occupation.txt").read_text(encoding="utf-8")
SHOP = json.loads((SAMPLES / "sole_proprietor.json").read_text(encoding="utf-8"))
RULES = packaged_rules()


def cond(data: dict) -> Condition:
    return Condition.model_validate(data)


@pytest.mark.parametrize(
    ("condition", "submission", "ok"),
    [
        ({"field": "a", "present": True}, {"a": "x"}, True),
        ({"field": "a", "present": True}, {"a": " "}, False),
        ({"field": "a", "absent": True}, {}, True),
        ({"field": "a", "in": ["x", "y"]}, {"a": "y"}, True),
        ({"field": "a", "not_in": ["x"]}, {"a": "x"}, False),
        ({"field": "a", "max": 500}, {"a": "620平方米"}, False),
        ({"field": "a", "min": 18}, {"a": "18周岁"}, True),
        ({"field": "a", "valid": "date"}, {"a": "2025年2月30日"}, False),
        ({"field": "b", "not_before": "a"}, {"a": "2025-07-01", "b": "2025年7月31日"}, True),
        ({"field": "b", "not_after": "2025-06-30"}, {"b": "2025-07-01"}, False),
        (
            {"any": [{"field": "a", "contains": "租赁合同"}, {"field": "a", "contains": "产权证明"}]},
            {"a": "产权证明复印件"},
            True,
        ),
        ({"not": {"field": "a", "equals": "x"}}, {"a": "x"}, False),
        ({"all": [{"field": "a", "present": True}, {"field": "b", "present": True}]}, {"a": "1"}, False),
    ],
)
def test_conditions_evaluate_without_eval(condition: dict, submission: dict, ok: bool) -> None:
    assert evaluate(cond(condition), submission)[0] is ok


@pytest.mark.parametrize(
    "bad",
    [
        {"field": "a"},
        {"field": "a", "present": True, "absent": True},
        {"field": "a", "matches": ".*"},
        {"all": [], "field": "a"},
    ],
)
def test_a_condition_needs_exactly_one_known_operator(bad: dict) -> None:
    with pytest.raises(ValueError):
        cond(bad)


def test_failed_rules_carry_reason_basis_and_the_strongest_outcome_decides() -> None:
    submission = {
        "申请单位": "江临市通达市政工程有限公司",
        "统一社会信用代码": "91330100MA27XK1230",
        "占用地点": "高新区科创路",
        "面积": "620平方米",
        "起始日期": "2025年7月1日",
        "截止日期": "2025年6月30日",
        "材料": "申请书",
    }
    data = review(submission, RULES["road_occupation"]).to_dict()
    assert data["verdict"] == "不予受理"
    failed = {r["id"]: r for r in data["failed"]}
    assert set(failed) == {"RO-01", "RO-02", "RO-03", "RO-04"}
    assert failed["RO-01"]["reason"].startswith("统一社会信用代码校验位错误") and failed["RO-01"]["outcome"] == "补正"
    assert (
        failed["RO-03"]["basis"] == "《江临市城市道路管理办法（示例）》第十四条"
        and failed["RO-03"]["outcome"] == "不予受理"
    )
    assert "应不早于" in failed["RO-02"]["reason"]


def test_conditional_rules_apply_only_when_their_condition_holds() -> None:
    data = review(SHOP, RULES["sole_proprietor"]).to_dict()
    assert data["verdict"] == "补正"
    assert [r["id"] for r in data["failed"]] == ["SP-02", "SP-05"]  # check digit; 家庭经营 without 关系证明
    individual = review(SHOP | {"组成形式": "个人经营", "身份证号码": "33010219800101123X"}, RULES["sole_proprietor"])
    assert individual.verdict == "通过" and "家庭经营的提交了家庭成员关系证明" in individual.to_dict()["not_applicable"]


def test_a_bad_rules_file_names_the_file_and_the_rule(tmp_path: Path) -> None:
    bad = tmp_path / "r.yaml"
    bad.write_text(
        "id: r\ntitle: t\nrules: [{id: a, title: b, check: {field: x, present: true}, basis: 《法》第1条, on_fail: 驳回}]\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match=r"r\.yaml: rules\.0\.on_fail"):
        load_rules(bad)


def test_the_tool_reads_field_lines_and_free_text_and_the_template_lists_each_failure() -> None:
    tool = build_tools(RunContext(Caller("staff")), ["review_submission"])[0]
    data = json.loads(tool.invoke({"text": ROAD}))
    assert data["rules"] == "road_occupation" and data["verdict"] == "不予受理"
    assert [r["id"] for r in data["failed"]] == ["RO-03"]
    answer = render("answers/compliance_review.j2", data=data, question=ROAD, evidence=[])
    assert "审查结论：不予受理" in answer and "第十四条" in answer and "占用面积为620，超过500" in answer
    free = json.loads(
        tool.invoke(
            {
                "text": "我叫王小明，身份证号33010219800101123X，想在临川区文昌路56号开一家早餐店，我自己一个人经营，经营范围：早餐"
            }
        )
    )
    assert free["rules"] == "sole_proprietor" and [r["id"] for r in free["failed"]] == ["SP-04"]
    with pytest.raises(ToolInputError, match="known"):
        tool.invoke({"text": ROAD, "rules_id": "nope"})


def test_the_compliance_reviewer_answers_through_the_agent_service(tmp_path: Path) -> None:
    spec = load_spec(BUILTIN_DIR / "compliance_reviewer.yaml", set(TOOL_REGISTRY))
    knowledge = SimpleNamespace(embedder=HashingEmbedder())  # one intent: the model-free embedder picks it
    service = AgentService(Settings(home=tmp_path), knowledge, {spec.id: spec}, SensitiveLexicon.default())  # type: ignore[arg-type]
    result = service.ask("compliance-reviewer", ROAD, Caller("staff"))
    assert [c["name"] for c in result.tool_calls] == ["review_submission"] and not result.refused
    assert "审查结论：不予受理" in result.answer and "RO-03" in result.answer
