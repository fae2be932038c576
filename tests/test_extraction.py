"""信息抽取员: typed value finders, schema-driven extraction with confidence and spans, the tool and the agent."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

import agents.extraction.tools  # noqa: F401  (registers extract_info)
from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.extraction import (
    ExtractionSchema,
    SchemaError,
    choose_schema,
    extract,
    find_amounts,
    find_dates,
    find_orgs,
    find_resident_ids,
    load_schema,
    packaged_schemas,
    parse_record,
)
from agents.guardrails import SensitiveLexicon
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, build_tools
from app.agent_service import AgentService
from app.settings import Settings
from knowledge import HashingEmbedder
from prompts import render

REPO = Path(__file__).resolve().parent.parent
SAMPLE = (REPO / "data" / "samples" / "IE" / "case_record.txt").read_text(encoding="utf-8")
VALID_ID = "33010219800101123X"  # check character computed by GB 11643
SCHEMAS = packaged_schemas()


def field(result: object, name: str) -> dict:
    return next(f for f in result["fields"] if f["name"] == name)  # type: ignore[index]


def test_dates_are_normalised_and_impossible_dates_are_flagged() -> None:
    found = find_dates("2025年6月11日立案，二〇二五年六月十三日送达，2025-02-30无效")
    assert [(d.normalized, d.valid) for d in found] == [
        ("2025-06-11", True),
        ("2025-06-13", True),
        ("2025-02-30", False),
    ]


def test_resident_ids_are_found_by_shape_and_checked_by_digit() -> None:
    wrong = VALID_ID[:-1] + "1"
    assert [(c.text, c.valid) for c in find_resident_ids(f"{VALID_ID}，{wrong}")] == [(VALID_ID, True), (wrong, False)]


def test_amounts_become_yuan_and_orgs_stop_at_connectives() -> None:
    assert [a.normalized for a in find_amounts("罚款5000元，违法所得1.2万元")] == ["5000", "12000"]
    orgs = find_orgs("由江临市滨江区综合行政执法局牵头，会同滨江区市场监督管理局和楼下张记饭店")
    assert [o.text for o in orgs] == ["江临市滨江区综合行政执法局", "滨江区市场监督管理局", "张记饭店"]


def test_case_record_fields_have_spans_into_the_text_and_method_confidence() -> None:
    result = extract(SAMPLE, SCHEMAS["case_record"]).to_dict()
    for name, value in [
        ("party", "李四"),
        ("phone", "13912345678"),
        ("company", "江临市鑫源商行"),
        ("credit_code", "91330100MA27XK123M"),
        ("place", "江临市滨江区望江路88号"),
        ("agency", "江临市滨江区综合行政执法局"),
    ]:
        found = field(result, name)
        assert found["value"] == value and SAMPLE[found["start"] : found["end"]] == value
        assert found["method"] == "cue" and found["confidence"] >= 0.9
    assert field(result, "inspected")["normalized"] == "2025-06-11"
    assert (
        field(result, "violation")["normalized"] == "占道经营" and field(result, "violation")["method"] == "gazetteer"
    )
    assert field(result, "credit_code")["valid"] is True
    assert set(result["missing"]) == {"身份证号码", "涉案金额"}


def test_an_id_with_a_wrong_check_digit_is_kept_but_marked_invalid_with_low_confidence() -> None:
    result = extract(f"当事人王五，身份证号{VALID_ID[:-1]}1", SCHEMAS["case_record"]).to_dict()
    assert field(result, "party_id")["valid"] is False and field(result, "party_id")["confidence"] == 0.4


def test_an_enum_no_word_names_falls_back_to_the_embedder_with_lower_confidence() -> None:
    text = "小区门口每天晚上都有人唱歌跳舞到十一点"
    without = extract(text, SCHEMAS["ticket"]).to_dict()
    assert field(without, "category")["value"] is None
    embedded = field(extract(text, SCHEMAS["ticket"], HashingEmbedder()).to_dict(), "category")
    assert embedded["method"] == "embedding" and embedded["start"] is None
    assert embedded["value"] in SCHEMAS["ticket"].fields[4].choices and 0.4 <= embedded["confidence"] <= 0.75


def test_two_fields_of_one_type_do_not_take_the_same_span() -> None:
    schema = ExtractionSchema.model_validate(
        {
            "id": "x",
            "title": "x",
            "fields": [{"name": "a", "label": "甲", "type": "phone"}, {"name": "b", "label": "乙", "type": "phone"}],
        }
    )
    values = [f.value for f in extract("13812345678，13912345678", schema).fields]
    assert values == ["13812345678", "13912345678"]


def test_schema_errors_name_the_file_or_the_known_schemas(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: a\ntitle: b\nfields: [{name: c, label: 类别, type: enum}]\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"bad\.yaml.*list its choices"):
        load_schema(bad)
    with pytest.raises(SchemaError, match=r"known: .*case_record"):
        choose_schema("x", SCHEMAS, "nope")
    assert choose_schema("这份执法笔录的当事人", SCHEMAS).id == "case_record"
    assert choose_schema("12345工单：楼下噪音", SCHEMAS).id == "ticket"


@pytest.mark.parametrize(
    "text",
    ['{"姓名": "张三", "电话": "13812345678"}', "姓名：张三\n电话: 13812345678", "姓名: 张三\n电话: '13812345678'"],
)
def test_records_read_from_json_yaml_or_field_lines(text: str) -> None:
    assert parse_record(text) == {"姓名": "张三", "电话": "13812345678"}


def test_tool_returns_json_and_rejects_an_unknown_schema() -> None:
    tool = build_tools(RunContext(Caller("staff")), ["extract_info"])[0]
    data = json.loads(tool.invoke({"text": SAMPLE, "schema_id": "case_record"}))
    assert data["title"] == "执法笔录要素" and field(data, "party")["value"] == "李四"
    with pytest.raises(ToolInputError, match="known"):
        tool.invoke({"text": SAMPLE, "schema_id": "nope"})
    answer = render("answers/info_extraction.j2", data=data, question="", evidence=[])
    assert "当事人：李四" in answer and "未抽取到：身份证号码、涉案金额" in answer


def test_the_info_extractor_answers_through_the_agent_service(tmp_path: Path) -> None:
    spec = load_spec(BUILTIN_DIR / "info_extractor.yaml", set(TOOL_REGISTRY))
    knowledge = SimpleNamespace(embedder=HashingEmbedder())  # one intent: the model-free embedder picks it
    service = AgentService(Settings(home=tmp_path), knowledge, {spec.id: spec}, SensitiveLexicon.default())  # type: ignore[arg-type]
    result = service.ask("info-extractor", SAMPLE, Caller("staff"))
    assert [c["name"] for c in result.tool_calls] == ["extract_info"] and not result.refused
    for expected in ("执法笔录要素", "李四", "13912345678", "江临市鑫源商行", "占道经营"):
        assert expected in result.answer
