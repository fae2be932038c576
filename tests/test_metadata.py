"""Metadata a 公文 states about itself: 发文机关, 发文字号, 成文日期, validity."""

from __future__ import annotations

import pytest

from knowledge.metadata import extract_meta, normalize_doc_number

NOTICE_TITLE = "江临市人民政府办公室关于印发江临市社会保障卡管理办法的通知"
NOTICE = """江临市人民政府办公室文件

江政办发〔2025〕12号

江临市人民政府办公室关于印发江临市社会保障卡管理办法的通知

各区人民政府，市政府各部门、各直属机构：
　　《江临市社会保障卡管理办法》已经市政府同意，现印发给你们，请认真贯彻执行。
　　本办法自印发之日起施行。《江临市社会保障卡管理暂行办法》（江政办发〔2019〕8号）同时废止。

　　附件：江临市社会保障卡管理办法

江临市人民政府办公室
2025年3月15日

（此件公开发布）

抄送：市委办公室，市人大常委会办公室，市政协办公室。
江临市人民政府办公室　　　　　　　　2025年3月16日印发
"""

MEASURES_TITLE = "江临市住房公积金提取管理办法"
MEASURES = """江临市住房公积金提取管理办法
效力状态：已废止

第一章　总则
第一条　为了规范住房公积金提取管理，根据《江临市住房公积金管理规定》（江政发〔2016〕3号），制定本办法。
第二条　本办法自二〇一九年七月一日起施行。

江临市住房公积金管理委员会
二〇一九年六月一日
"""

GUIDE_TITLE = "社会保障卡补办办事指南"
GUIDE = """# 社会保障卡补办办事指南

一、事项名称
社会保障卡补办

二、实施主体
实施主体：江临市人力资源和社会保障局

三、办理时限
承诺办结时限：即时办结。本指南自2024年5月1日起施行。

四、咨询电话
0591-12345678
"""


def test_notice_with_masthead_yields_issuer_number_and_written_date() -> None:
    assert extract_meta(NOTICE_TITLE, NOTICE) == {
        "issuer": "江临市人民政府办公室",
        "doc_number": "江政办发〔2025〕12号",
        "date": "2025-03-15",  # the 成文日期 under the signature, not the 印发 date of the 版记
    }


def test_measures_take_signature_organ_chinese_numeral_date_and_repealed_status() -> None:
    assert extract_meta(MEASURES_TITLE, MEASURES) == {
        "issuer": "江临市住房公积金管理委员会",
        "date": "2019-06-01",
        "validity": "已废止",
    }


def test_number_cited_in_the_body_is_not_the_documents_own() -> None:
    assert "doc_number" not in extract_meta(MEASURES_TITLE, MEASURES)


def test_service_guide_without_any_marker_gives_empty_dict() -> None:
    assert extract_meta(GUIDE_TITLE, GUIDE) == {}


@pytest.mark.parametrize(
    "line",
    [
        "江政发[2025]12号",
        "江政发［2025］12号",
        "江政发（2025）12号",
        "江政发(2025)12号",
        "江政发〔２０２５〕１２号",
    ],
)
def test_bracket_variants_in_the_masthead_are_normalised(line: str) -> None:
    meta = extract_meta("通知", f"江临市人民政府文件\n{line}\n关于做好社会保障工作的通知\n正文。")
    assert meta["doc_number"] == "江政发〔2025〕12号"
    assert meta["issuer"] == "江临市人民政府"


def test_numbers_with_di_or_a_short_year_are_not_doc_numbers() -> None:
    order = "江临市人民政府令\n第12号\n《江临市住房公积金提取管理办法》已经市政府常务会议通过，现予公布。"
    assert "doc_number" not in extract_meta("江临市人民政府令", order)
    assert "doc_number" not in extract_meta("通知", "江政令〔2024〕第3号\n正文。")
    assert "doc_number" not in extract_meta("通知", "江政发〔24〕3号\n正文。")


def test_doc_number_field_and_title_are_read() -> None:
    assert extract_meta("通知", "发文字号：江人社发〔2024〕7号\n正文。")["doc_number"] == "江人社发〔2024〕7号"
    title = "江临市人民政府关于调整最低工资标准的通知（江政发〔2024〕21号）"
    assert extract_meta(title, "正文。")["doc_number"] == "江政发〔2024〕21号"


def test_written_date_field_wins_over_other_dates() -> None:
    text = "成文日期：2024年3月15日\n发布日期：2024-03-20\n正文。\n\n江临市人民政府\n2024年3月18日"
    assert extract_meta("通知", text)["date"] == "2024-03-15"


def test_publication_date_field_is_the_fallback() -> None:
    assert extract_meta("通知", "发布日期：2024-03-20\n正文。")["date"] == "2024-03-20"


def test_impossible_calendar_date_is_not_extracted() -> None:
    assert "date" not in extract_meta("通知", "正文。\n江临市人民政府\n2024年2月30日")


def test_joint_issuers_on_the_signature_line_are_all_named() -> None:
    text = "关于调整社会保险缴费基数的通知\n正文。\n\n江临市财政局　江临市人力资源和社会保障局\n2024年12月1日"
    assert extract_meta("通知", text)["issuer"] == "江临市财政局、江临市人力资源和社会保障局"


def test_issuer_field_is_read() -> None:
    assert extract_meta("通知", "发文机关：江临市医疗保障局\n正文。")["issuer"] == "江临市医疗保障局"


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("江临市社会保障卡管理暂行办法（已废止）", "正文。", "已废止"),
        ("江临市社会保障卡管理暂行办法", "【失效】\n正文。", "已废止"),
        ("江临市社会保障卡管理暂行办法", "时效性：失效\n正文。", "已废止"),
        ("江临市社会保障卡管理暂行办法", "效力状态：已修订\n正文。", "已修订"),
        ("江临市最低工资规定（已被修订）", "正文。", "已修订"),
    ],
)
def test_validity_markers_in_title_or_head(title: str, text: str, expected: str) -> None:
    assert extract_meta(title, text)["validity"] == expected


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("江临市人民政府关于宣布失效一批规范性文件的决定", "经清理，下列文件宣布失效。"),
        ("江临市最低工资规定（2023年修订）", "正文。"),
        ("江临市社会保障卡管理办法", "效力状态：现行有效\n正文。"),
    ],
)
def test_documents_about_repeal_or_revised_editions_stay_current(title: str, text: str) -> None:
    assert "validity" not in extract_meta(title, text)


def test_normalize_doc_number_fixes_brackets_digits_and_leading_zeros() -> None:
    assert normalize_doc_number("江政发[2025]012号") == "江政发〔2025〕12号"
    assert normalize_doc_number(" 国办发（２０２０）５３号 ") == "国办发〔2020〕53号"
    assert normalize_doc_number("济政办字〔2025〕28号") == "济政办字〔2025〕28号"


@pytest.mark.parametrize(("value", "reason"), [("江政令〔2024〕第3号", "第"), ("江政发〔24〕3号", "四位年份")])
def test_normalize_doc_number_rejects_invalid_numbers_with_the_value(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as error:
        normalize_doc_number(value)
    assert value in str(error.value)
