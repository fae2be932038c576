"""办事指引: parsing both 办事指南 layouts, finding a guide within the caller's scope, and 材料预审."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agents.context import Caller, RunContext
from agents.tools.guide_parser import split_numbered
from agents.tools.materials import check_materials, split_materials
from agents.tools.service_guide import ServiceGuide, find_service_guide, parse_service_guide
from knowledge import HashingEmbedder, IngestOptions, KnowledgeBase
from knowledge.records import RecordOptions

REPO = Path(__file__).resolve().parent.parent
GUIDES = REPO / "data" / "kb" / "guides"
RECORDS = REPO / "data" / "kb" / "records" / "service_items_sample.jsonl"

INTERNAL_GUIDE = """# 涉密载体销毁审批办事指南

## 一、事项名称与编码
事项名称：涉密载体销毁审批

## 四、申请材料
1. 涉密载体销毁登记表原件1份。

## 六、办理时限
承诺办结时限：3个工作日

## 七、办理地点与时间
办理地点：江临市保密技术服务中心（内部）
"""

RENDERED_RECORD = """事项名称：养犬登记（示例）
实施机关：江临市公安局
事项类型：行政确认
受理条件：在本市养犬重点管理区内饲养犬只的个人，犬只已接种狂犬病疫苗。
申请材料：
1. 养犬人居民身份证（单位提供营业执照）
2. 犬只狂犬病免疫证明
3. 犬只正面、侧面彩色照片
法定办结时限：15个工作日
承诺办结时限：5个工作日
到现场次数：1次
办理地点：各区公安分局养犬登记窗口
网上办理地址：https://example.invalid/dog
咨询电话：0571-86090123
投诉电话：0571-86090100
"""


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """The sample guides, the sample records and one internal guide, ingested once for this module."""
    root = tmp_path_factory.mktemp("service_guide")
    internal = root / "internal"
    internal.mkdir()
    (internal / "涉密载体销毁审批.md").write_text(INTERNAL_GUIDE, encoding="utf-8")
    kb = KnowledgeBase(root / "home", HashingEmbedder())
    assert kb.ingest([GUIDES], "guides").ok
    assert kb.ingest([RECORDS], "records", IngestOptions(records=RecordOptions(template="service_item"))).ok
    assert kb.ingest([internal], "internal", IngestOptions(access="internal")).ok
    yield kb
    kb.close()


def context(knowledge: KnowledgeBase, caller: Caller | None = None, kbs: list[str] | None = None) -> RunContext:
    return RunContext(caller or Caller(), knowledge, kbs or ["guides", "records"])


def guide_from_file(name: str) -> ServiceGuide:
    text = (GUIDES / f"{name}.md").read_text(encoding="utf-8")
    return parse_service_guide(f"{name}办事指南", text, doc_id=name)


# -- parsing ---------------------------------------------------------------------------------------
def test_every_sample_guide_yields_materials_time_limits_location_and_phones() -> None:
    files = sorted(GUIDES.glob("*.md"))
    assert len(files) == 36
    for path in files:
        text = path.read_text(encoding="utf-8")
        guide = parse_service_guide(path.stem, text, doc_id=path.stem)
        assert guide.materials, path.name
        assert guide.time_limit_legal and guide.time_limit_promised, path.name
        assert guide.location and guide.hours, path.name
        assert guide.phone and guide.complaint_phone, path.name
        assert guide.matter and guide.conditions and guide.basis, path.name
        for citation in guide.citations:
            assert text[citation.start : citation.end] == citation.quote, (path.name, citation.label)


def test_guide_fields_hold_the_section_text_and_cite_their_heading() -> None:
    guide = guide_from_file("社会保障卡补办")
    assert guide.matter == "社会保障卡补办"
    assert guide.materials[0] == "本人有效居民身份证原件1份（现场查验后退还）"
    assert len(guide.materials) == 4
    assert guide.time_limit_legal == "10个工作日"
    assert guide.time_limit_promised.startswith("5个工作日")
    assert guide.phone.startswith("0571-86012333")
    assert guide.complaint_phone == "0571-86012300"
    assert guide.hours.startswith("工作日9:00")
    materials = guide.citation_for("materials")
    assert materials is not None and materials.heading.endswith("四、申请材料")
    assert materials.quote.startswith("1. 本人有效居民身份证")


def test_a_note_under_the_materials_list_is_not_an_item() -> None:
    guide = guide_from_file("义务教育入学学位申请")
    assert len(guide.materials) == 4
    assert not any("预防接种证" in item for item in guide.materials)


def test_rendered_record_is_parsed_by_its_labels() -> None:
    guide = parse_service_guide("养犬登记（示例）", RENDERED_RECORD)
    assert guide.matter == "养犬登记（示例）"
    assert guide.materials == ["养犬人居民身份证（单位提供营业执照）", "犬只狂犬病免疫证明", "犬只正面、侧面彩色照片"]
    assert guide.time_limit_legal == "15个工作日"
    assert guide.time_limit_promised == "5个工作日"
    assert guide.location == "各区公安分局养犬登记窗口"  # not the 网上办理地址 URL
    assert guide.phone == "0571-86090123"
    assert guide.complaint_phone == "0571-86090100"
    assert guide.conditions.startswith("在本市养犬重点管理区内")
    materials = guide.citation_for("materials")
    assert materials is not None and materials.quote.startswith("申请材料：\n1. 养犬人")
    assert materials.heading == "申请材料"  # a record has no headings: the label stands in


def test_fields_a_guide_does_not_state_stay_empty() -> None:
    guide = parse_service_guide("养犬登记（示例）", RENDERED_RECORD)
    assert guide.hours == guide.fees == guide.basis == ""
    assert {c.label for c in guide.citations} == {
        "matter",
        "conditions",
        "materials",
        "time_limit_legal",
        "time_limit_promised",
        "location",
        "phone",
        "complaint_phone",
    }


def test_plain_text_guide_with_chinese_numbered_headings() -> None:
    text = "某事项办事指南\n一、申请材料\n1、身份证原件\n2、户口簿原件\n二、办理时限\n5个工作日\n三、收费标准\n不收费\n"
    guide = parse_service_guide("某事项办事指南", text)
    assert guide.materials == ["身份证原件", "户口簿原件"]
    assert guide.time_limit_promised == "5个工作日"  # an unqualified 办理时限 reads as the promised one
    assert guide.time_limit_legal == ""
    assert guide.fees == "不收费"


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("1. 身份证\n2. 户口簿", ["身份证", "户口簿"]),
        ("1、身份证；2、户口簿。", ["身份证", "户口簿"]),
        ("（1）申请表（2）近期1寸照片2张", ["申请表", "近期1寸照片2张"]),
        ("①身份证②营业执照", ["身份证", "营业执照"]),
        ("1. 依据第2条提交的说明\n2. 照片", ["依据第2条提交的说明", "照片"]),
        ("身份证；户口簿", ["身份证", "户口簿"]),
    ],
)
def test_materials_split_on_numbered_items(text: str, items: list[str]) -> None:
    assert split_numbered(text) == items


# -- finding ---------------------------------------------------------------------------------------
def test_find_service_guide_returns_the_matter_with_verbatim_citations(knowledge: KnowledgeBase) -> None:
    ctx = context(knowledge)
    guide = find_service_guide(ctx, "社会保障卡补办")
    assert guide is not None
    assert (guide.kb, guide.doc_id) == ("guides", "社会保障卡补办")
    document = ctx.document_text("guides", "社会保障卡补办")
    assert guide.citations and all(c.quote in document for c in guide.citations)
    assert all(c.doc_id == "社会保障卡补办" and c.title == guide.title for c in guide.citations)
    assert ctx.evidence, "the search behind the tool is recorded for the trace"


@pytest.mark.parametrize(
    ("matter", "doc_id"),
    [
        ("社保卡丢了补办", "社会保障卡补办"),
        ("我想办护照", "普通护照申请"),
        ("驾照到期换证", "机动车驾驶证期满换证"),
        ("户外广告设施设置审批", "JL-2025-CG-0001"),
    ],
)
def test_citizens_words_find_the_guide(knowledge: KnowledgeBase, matter: str, doc_id: str) -> None:
    guide = find_service_guide(context(knowledge), matter)
    assert guide is not None and guide.doc_id == doc_id


def test_a_record_guide_is_parsed_from_the_rebuilt_document(knowledge: KnowledgeBase) -> None:
    guide = find_service_guide(context(knowledge), "燃气经营许可证核发")
    assert guide is not None and guide.kb == "records"
    assert guide.materials[0] == "燃气经营许可申请书"
    assert guide.time_limit_legal == "20个工作日" and guide.time_limit_promised == "10个工作日"
    assert guide.phone == "0571-86070123"


@pytest.mark.parametrize("matter", ["今天天气怎么样", "   "])
def test_no_guide_for_an_unrelated_matter(knowledge: KnowledgeBase, matter: str) -> None:
    assert find_service_guide(context(knowledge), matter) is None


def test_citizen_caller_never_gets_an_internal_guide(knowledge: KnowledgeBase) -> None:
    kbs = ["guides", "records", "internal"]
    claimed = Caller(audience="citizen", clearance="confidential")  # a citizen's claimed clearance is ignored
    citizen = context(knowledge, claimed, kbs)
    found = find_service_guide(citizen, "涉密载体销毁审批")
    assert found is None or found.kb != "internal"
    assert all(hit.access == "public" for hit in citizen.evidence)
    assert citizen.document_text("internal", "涉密载体销毁审批") == ""

    staff = context(knowledge, Caller(audience="staff", clearance="internal"), kbs)
    guide = find_service_guide(staff, "涉密载体销毁审批")
    assert guide is not None and guide.kb == "internal"
    assert guide.materials == ["涉密载体销毁登记表原件1份"]


# -- 材料预审 ---------------------------------------------------------------------------------------
def test_split_materials_reads_a_citizen_statement() -> None:
    assert split_materials("我有身份证、户口本和两张照片") == ["身份证", "户口本", "两张照片"]
    assert split_materials("我只有身份证，没有户口本") == ["身份证"]
    assert split_materials("带了社保卡以及结婚证。还有租房合同") == ["社保卡", "结婚证", "租房合同"]
    assert split_materials("我什么都没有") == []


def test_check_materials_lists_what_a_couple_still_needs_for_marriage_registration() -> None:
    check = check_materials(guide_from_file("结婚登记"), split_materials("我们带了身份证和户口本"))
    assert check.missing == ["近期2寸红底双人合影半身免冠照片3张（部分登记处提供现场拍照）"]
    assert [(m.required, m.provided) for m in check.matched] == [("男女双方本人有效居民身份证原件各1份", "身份证")]
    assert check.exempt == ["《申请结婚登记声明书》1份（现场在登记员面前签署，无需提前准备）"]
    assert check.unrecognised == ["户口本"]
    assert not check.complete


def test_synonyms_and_qualifiers_match_the_guides_wording() -> None:
    guide = parse_service_guide(
        "示例", "申请材料：\n1. 居民身份证原件1份\n2. 居民户口簿复印件1份\n3. 近期1寸证件照片2张\n4. 社会保障卡\n"
    )
    check = check_materials(guide, ["身份证", "户口本", "两张照片", "社保卡"])
    assert check.complete and not check.unrecognised
    assert [m.provided for m in check.matched] == ["身份证", "户口本", "两张照片", "社保卡"]


def test_situational_items_are_conditional_not_missing() -> None:
    check = check_materials(guide_from_file("社会保障卡补办"), split_materials("我有身份证、户口本和两张照片"))
    assert check.complete
    assert len(check.conditional) == 3
    assert any(item.startswith("委托他人代办的") for item in check.conditional)
    assert check.unrecognised == ["户口本", "两张照片"]


def test_an_item_needing_two_documents_is_missing_until_both_are_there() -> None:
    guide = guide_from_file("最低生活保障申请")
    partial = check_materials(guide, split_materials("我有身份证和家庭收入情况说明"))
    assert "家庭成员居民身份证、户口簿原件各1份" in partial.missing
    assert ("家庭成员居民身份证、户口簿原件各1份", "身份证") in [(m.required, m.provided) for m in partial.matched]
    assert "《家庭收入情况说明》原件1份" not in partial.missing

    fuller = check_materials(guide, split_materials("身份证、户口本、家庭收入情况说明"))
    assert "家庭成员居民身份证、户口簿原件各1份" not in fuller.missing


def test_one_of_several_alternatives_is_enough() -> None:
    guide = guide_from_file("居住证办理")
    check = check_materials(guide, split_materials("身份证、租房合同"))
    assert not any(item.startswith("以下证明之一") for item in check.missing)


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("企业设立登记多长时间能办好？", ["企业", "设立登记"]),
        ("门（楼）牌编制去哪里办理？咨询电话是多少？", ["门", "楼", "牌", "编制"]),
        ("医疗费用手工报销去哪里办", ["医疗", "费用", "手工", "报销"]),  # 费用 is part of a matter's name
    ],
)
def test_question_words_about_time_place_and_phone_are_not_matter_words(question: str, words: list[str]) -> None:
    from agents.tools.service_guide import matter_words

    assert matter_words(question) == words
