"""Records files (事项库 JSONL/CSV exports): one document per record, rendered through a Jinja2 template."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from knowledge.documents import SourceDocument
from knowledge.errors import LoadError
from knowledge.loaders import load_file
from knowledge.records import RecordOptions, available_templates
from tests.conftest import gd_service_items


def jsonl(path: Path, *records: dict[str, Any] | str) -> Path:
    """Write records (dicts as JSON, strings verbatim) one per line."""
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load(path: Path, **options: Any) -> list[SourceDocument]:
    return load_file(path, path.parent, records=RecordOptions(**options))


def load_error(path: Path, **options: Any) -> str:
    """The reason of the LoadError, which must name the file."""
    with pytest.raises(LoadError) as caught:
        load(path, **options)
    assert caught.value.path == str(path)
    return caught.value.reason


def test_default_template_renders_title_then_non_empty_fields(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "items.jsonl",
        {"事项名称": "社保卡补办", "材料": ["身份证", "", "照片"], "备注": "无", "费用": None, "时限": 1},
    )
    [document] = load(path)
    assert document.text == "社保卡补办\n事项名称：社保卡补办\n材料：身份证、照片\n时限：1"
    assert (document.doc_id, document.title) == ("items#1", "社保卡补办")
    assert document.source == f"{path}#L1"


def test_blank_lines_are_skipped_and_ids_keep_physical_line_numbers(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = jsonl(tmp_path / "sub" / "x.jsonl", {"name": "甲"}, "", {"name": "乙"})
    documents = load_file(path, tmp_path, records=RecordOptions())
    assert [(d.doc_id, d.title, d.source) for d in documents] == [
        ("sub/x#1", "甲", f"{path}#L1"),
        ("sub/x#3", "乙", f"{path}#L3"),
    ]


def test_id_and_title_fields_are_used_when_given(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "i.jsonl", {"code": 1001, "name": "默认名", "label": "补办社保卡"})
    [document] = load(path, id_field="code", title_field="label")
    assert (document.doc_id, document.title) == ("1001", "补办社保卡")


def test_title_falls_back_to_the_id_when_no_title_field_exists(tmp_path: Path) -> None:
    [document] = load(jsonl(tmp_path / "i.jsonl", {"code": "A1", "内容": "正文"}), id_field="code")
    assert document.title == "A1"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (['{"name": "甲"}', '{"name": "乙",}'], "line 2: invalid JSON: "),
        (['{"name": "甲"}', "", '["not", "an", "object"]'], "line 3: expected a JSON object, got list"),
    ],
)
def test_one_bad_line_fails_the_whole_file(tmp_path: Path, lines: list[str], expected: str) -> None:
    assert expected in load_error(jsonl(tmp_path / "bad.jsonl", *lines))


def test_duplicate_ids_name_both_lines(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "d.jsonl", {"id": "A"}, {"id": "B"}, {"id": "A"})
    assert "line 3: duplicate id 'A' (first on line 1)" in load_error(path, id_field="id")


@pytest.mark.parametrize("value", [None, "", "无"])
def test_missing_or_empty_id_field_names_the_line(tmp_path: Path, value: str | None) -> None:
    path = jsonl(tmp_path / "m.jsonl", {"id": "A"}, {"id": value, "name": "乙"})
    assert "line 2: id field 'id' is missing or empty" in load_error(path, id_field="id")


# --- csv ----------------------------------------------------------------------------------------------

CSV = '事项名称,实施机关,材料\n社保卡补办,人社局,身份证\n"居住证\n办理",公安局,"照片,身份证"\n'


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_records_in_common_encodings(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "items.csv"
    path.write_bytes(CSV.encode(encoding))
    documents = load(path, title_field="事项名称")
    assert [d.title for d in documents] == ["社保卡补办", "居住证\n办理"]
    assert [d.source for d in documents] == [f"{path}#L2", f"{path}#L3"]  # a record's first line
    assert "实施机关：公安局\n材料：照片,身份证" in documents[1].text


def test_csv_row_with_extra_fields_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n3,4,5\n", encoding="utf-8")
    assert "line 3: 3 fields but the header has 2" in load_error(path)


def test_csv_with_only_a_header_has_no_records(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n", encoding="utf-8")
    assert "no records found" in load_error(path)


# --- templates ----------------------------------------------------------------------------------------


SPARSE_RECORDS = [{"x": "仅一个无关字段"}, {"TASK_CODE": "T1", "TASK_NAME": "事项", "材料": "无"}]


@pytest.mark.parametrize("template", available_templates())
@pytest.mark.parametrize("record", SPARSE_RECORDS)
def test_every_shipped_template_renders_sparse_records(tmp_path: Path, template: str, record: dict[str, str]) -> None:
    id_field = "x" if "x" in record else None
    [document] = load(jsonl(tmp_path / "r.jsonl", record), template=template, id_field=id_field)
    assert document.text.strip()
    assert "：无" not in document.text


def test_shipped_templates_are_found() -> None:
    assert {"default", "service_item"} <= set(available_templates())


def test_unknown_template_lists_available_ones() -> None:
    with pytest.raises(ValueError, match="unknown record template 'guide'; available: default, service_item"):
        RecordOptions(template="guide")


def test_template_file_path_is_used(tmp_path: Path) -> None:
    template = tmp_path / "mine.j2"
    source = "【{{ title }}】{{ field('missing') }}{{ field('tags') | joined('/') }}\n"
    template.write_text(source, encoding="utf-8")
    [document] = load(jsonl(tmp_path / "r.jsonl", {"name": "甲", "tags": ["a", "b"]}), template=str(template))
    assert document.text == "【甲】a/b"


def test_failing_template_is_a_load_error_naming_the_line(tmp_path: Path) -> None:
    template = tmp_path / "strict.j2"
    template.write_text("{{ r.nope }}", encoding="utf-8")
    path = jsonl(tmp_path / "r.jsonl", {"name": "甲"})
    reason = load_error(path, template=str(template))
    assert re.search(r"line 1: template '.*strict.j2' failed: .*nope", reason)


# --- 办事指南 (service_item) -------------------------------------------------------------------------------

SERVICE_ITEM = {
    "TASK_CODE": "11440000006939756B2440101007000",
    "TASK_NAME": "临时价格干预范围事项提价申报",
    "CATANAME": "临时价格干预范围事项提价申报",
    "DEPT_NAME": "广东省发展和改革委员会",
    "TASK_TYPE_TEXT": "行政许可",
    "matter_level": "省级",
    "handle_location": "办理地点：广州市越秀区东风中路305号",
    "handle_time": "30(工作日)",
    "handle_time_limit": "90(自然日)",
    "visit_number": "0",
    "accept_standard": "无",
    "material_intro": ["提价申报申请报告", "成本测算表"],
    "consult_phone": "020-34121084",
    "complain_phone": None,
    "online_book": "是",
    "courier_service": "不支持",
    "theme_category": ["其他"],
    "service_object_name": ["自然人", "企业法人"],
    "URL": "",
    "bear_paltform": "无",
}


def test_service_item_renders_a_readable_guide(tmp_path: Path) -> None:
    [document] = load(jsonl(tmp_path / "items.jsonl", SERVICE_ITEM), template="service_item")
    assert document.text == (
        "事项名称：临时价格干预范围事项提价申报\n"
        "实施机关：广东省发展和改革委员会\n"
        "事项类型：行政许可\n"
        "事项层级：省级\n"
        "服务对象：自然人、企业法人\n"
        "主题分类：其他\n"
        "申请材料：\n"
        "1. 提价申报申请报告\n"
        "2. 成本测算表\n"
        "法定办结时限：30个工作日\n"
        "承诺办结时限：90个自然日\n"
        "到现场次数：0次\n"
        "办理地点：广州市越秀区东风中路305号\n"
        "网上预约：是\n"
        "快递送达：不支持\n"
        "咨询电话：020-34121084"
    )
    assert document.doc_id == SERVICE_ITEM["TASK_CODE"]
    assert document.title == SERVICE_ITEM["TASK_NAME"]
    assert document.meta_hints == {"department": "广东省发展和改革委员会"}


def test_service_item_presets_yield_to_explicit_options(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "items.jsonl", SERVICE_ITEM)
    [document] = load(path, template="service_item", id_field="TASK_NAME", department_field="TASK_TYPE_TEXT")
    assert document.doc_id == "临时价格干预范围事项提价申报"
    assert document.meta_hints == {"department": "行政许可"}


@pytest.mark.realdata
def test_real_service_items_render_as_guides() -> None:
    path = gd_service_items()
    documents = load_file(path, path.parent, records=RecordOptions(template="service_item"))
    assert len(documents) == sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    first = json.loads(path.read_text(encoding="utf-8").split("\n", 1)[0])
    guide = documents[0]
    assert guide.doc_id == first["TASK_CODE"]
    assert guide.title == first["TASK_NAME"]
    assert guide.meta_hints["department"] == first["DEPT_NAME"]
    assert guide.text.startswith(f"事项名称：{first['TASK_NAME']}\n实施机关：{first['DEPT_NAME']}\n")
    for document in documents:
        assert "：无\n" not in document.text + "\n"
        assert "办理地点：办理地点" not in document.text
        assert "(工作日)" not in document.text
    with_materials = next(d for d in documents if "申请材料：\n1. " in d.text)
    assert re.search(r"申请材料：\n(\d+\. .+\n)+", with_materials.text)
