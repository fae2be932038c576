"""表单填报员: validators, filling a declared form from free text, the tool and the agent."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import agents.forms.tools  # noqa: F401  (registers fill_form)
from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.forms import (
    FormError,
    check_date,
    check_phone,
    check_resident_id,
    check_uscc,
    choose_form,
    fill_form,
    load_form,
    packaged_forms,
)
from agents.guardrails import SensitiveLexicon
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, build_tools
from app.agent_service import AgentService
from app.settings import Settings
from knowledge import HashingEmbedder
from prompts import render

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples" / "FF"
SHOP = (SAMPLES / "sole_proprietor.txt").read_text(encoding="utf-8")
ROAD = (SAMPLES / "road_occupation.txt").read_text(encoding="utf-8")
FORMS = packaged_forms()


def by_label(data: dict, label: str) -> dict:
    return next(f for f in data["fields"] if f["label"] == label)


def test_resident_id_check_digit_names_the_expected_character() -> None:
    assert check_resident_id("33010219800101123X") is None
    assert "第18位应为「X」" in (check_resident_id("330102198001011231") or "")
    assert "出生日期" in (check_resident_id("330102198002301234") or "")
    assert "18位" in (check_resident_id("3301021980") or "")


def test_uscc_check_character_follows_gb_32100() -> None:
    assert check_uscc("91330100MA27XK123M") is None
    assert "第18位应为「M」" in (check_uscc("91330100MA27XK1230") or "")
    assert "18位" in (check_uscc("91330100MA27XK12OO") or "")  # O is not a GB 32100 character


@pytest.mark.parametrize(("value", "ok"), [("2025-06-11", True), ("2025-02-30", False), ("明天", False)])
def test_dates_must_exist(value: str, ok: bool) -> None:
    assert (check_date(value) is None) is ok


@pytest.mark.parametrize(("value", "ok"), [("13812345678", True), ("0571-88886666", True), ("1234567", False)])
def test_phones_are_mobile_or_landline_with_area_code(value: str, ok: bool) -> None:
    assert (check_phone(value) is None) is ok


def test_a_shop_owner_s_words_fill_the_sole_proprietor_form() -> None:
    form = choose_form(SHOP, FORMS)
    assert form.id == "sole_proprietor"
    data = fill_form(SHOP, form).to_dict()
    expected = {
        "经营者姓名": "王小明",
        "身份证号码": "33010219800101123X",
        "联系电话": "13812345678",
        "个体工商户名称": "江临市小明早餐店",
        "经营场所": "江临市临川区文昌路56号",
        "组成形式": "个人经营",
        "经营范围": "早餐、面点制售",
        "资金数额": "50000",
    }
    assert {label: by_label(data, label)["value"] for label in expected} == expected
    assert data["unfilled"] == ["拟开业日期"] and data["missing_required"] == [] and data["complete"]


def test_a_wrong_check_digit_and_missing_required_fields_are_reported() -> None:
    data = fill_form(ROAD.replace("联系人：赵六，", ""), FORMS["road_occupation"]).to_dict()
    assert data["invalid"] == [
        {
            "label": "统一社会信用代码",
            "value": "91330100MA27XK1230",
            "problem": "统一社会信用代码校验位错误：第18位应为「M」，现为「0」",
        }
    ]
    assert data["missing_required"] == ["联系人"] and not data["complete"]
    assert by_label(data, "占用起始日期")["value"] == "2025-07-01" and by_label(data, "占用面积")["value"] == "120"


def test_bad_form_files_and_unknown_forms_name_the_fix(tmp_path: Path) -> None:
    bad = tmp_path / "f.yaml"
    bad.write_text("id: f\ntitle: t\nfields: [{name: a, label: b, validator: email}]\n", encoding="utf-8")
    with pytest.raises(FormError, match=r"f\.yaml: fields\.0\.validator"):
        load_form(bad)
    with pytest.raises(FormError, match="known: road_occupation"):
        choose_form("", FORMS, "nope")


def test_the_tool_and_the_answer_template() -> None:
    tool = build_tools(RunContext(Caller("citizen")), ["fill_form"])[0]
    data = json.loads(tool.invoke({"text": ROAD}))
    assert data["form"] == "road_occupation"
    answer = render("answers/form_fill.j2", data=data, question=ROAD, evidence=[])
    assert "请更正统一社会信用代码" in answer and "第18位应为「M」" in answer and "联系人（必填）：赵六" in answer
    with pytest.raises(ToolInputError, match="empty"):
        tool.invoke({"text": " "})


def test_the_form_filler_answers_through_the_agent_service(tmp_path: Path) -> None:
    spec = load_spec(BUILTIN_DIR / "form_filler.yaml", set(TOOL_REGISTRY))
    knowledge = SimpleNamespace(embedder=HashingEmbedder())  # one intent: the model-free embedder picks it
    service = AgentService(Settings(home=tmp_path), knowledge, {spec.id: spec}, SensitiveLexicon.default())  # type: ignore[arg-type]
    result = service.ask("form-filler", SHOP, Caller("citizen"))
    assert [c["name"] for c in result.tool_calls] == ["fill_form"] and not result.refused
    assert "个体工商户开业登记申请表" in result.answer and "33010219800101123X" in result.answer
    assert "33010219800101123X" not in json.dumps(
        result.tool_calls, ensure_ascii=False
    )  # PII stays masked in the trace
