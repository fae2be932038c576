"""The 公文 checker: rules on hand-written documents, severities, to-dos, 涉密 refusal, files and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agents.gongwen import DOC_TYPES, DocumentBrief, check_document, check_file, draft_document, write_docx
from agents.gongwen.inject import INJECTORS
from agents.gongwen.registry import RULES
from agents.gongwen.synth import random_brief
from app.cli import app

# A hand-written 通知 in the layout offices paste from Word: no 版头, wrapped title, half-width indentation.
CLEAN = """江临市滨江区人民政府办公室关于做好2026年
汛期地质灾害防治工作的通知

各街道办事处，区政府各部门：
    为切实做好汛期地质灾害防治工作，根据《江临市地质灾害防治办法》（江政发〔2024〕7号），现将有关事项通知如下：
    一、压实防治责任
    各街道要落实属地责任，明确具体责任人。
    （一）开展隐患排查。5月31日前完成辖区隐患点全面排查。
    （二）落实监测措施。对隐患点实行专人监测。
    二、加强应急值守
    汛期实行24小时值班，遇有险情及时报告。
    特此通知。

    附件：1.地质灾害隐患点清单
          2.值班人员安排表

江临市滨江区人民政府办公室
2026年5月6日
（此件公开发布）
"""


def _rules(text: str, **kwargs: object) -> set[str]:
    return check_document(text, **kwargs).rules()  # type: ignore[arg-type]


def test_a_hand_written_clean_notice_has_no_findings() -> None:
    report = check_document(CLEAN)
    assert report.findings == [] and report.doc_type == "通知" and report.ready_to_send


# Hand-written mistakes, each in the form writers actually make it, with the rule that must catch it.
MISTAKES = [
    ("T1", "做好2026年\n汛期地质灾害防治工作的通知", "做好汛期地质灾害防治工作的请示报告"),
    ("T2", "江临市滨江区人民政府办公室关于做好2026年\n汛期地质灾害防治工作的通知", "滨江区做好汛期地质灾害防治工作通知"),
    ("T14", "各街道办事处，区政府各部门：", "各街道办事处、区政府各部门"),
    ("T15", "二、加强应急值守", "三、加强应急值守"),
    ("T15", "（二）落实监测措施。", "（二）、落实监测措施。"),
    ("T15", "（一）开展隐患排查。", "1.开展隐患排查。"),
    ("T16", "2.值班人员安排表", "2.值班人员安排表。"),
    ("T10", "2026年5月6日", "二〇二六年五月六日"),
    ("T10", "2026年5月6日", "2026年05月06日"),
    ("T17", "（此件公开发布）", "此件公开发布"),
    ("T20", "《江临市地质灾害防治办法》（江政发〔2024〕7号）", "（江政发〔2024〕7号）《江临市地质灾害防治办法》"),
    ("T20", "《江临市地质灾害防治办法》（江政发〔2024〕7号）", "《江临市地质灾害防治办法》（江政发[2024]7号）"),
    ("T21", "根据《江临市地质灾害防治办法》（江政发〔2024〕7号）", "根据《国家行政机关公文处理办法》"),
    ("T22", "各街道要落实属地责任，", "各街道要落实属地责任,"),
    ("T24", "汛期实行24小时值班", "下周起实行24小时值班"),
    ("T31", "2026年5月6日", "XXXX年X月X日"),
    ("G1", "各街道办事处，区政府各部门：\n", ""),
]


@pytest.mark.parametrize(("rule", "old", "new"), MISTAKES, ids=[f"{m[0]}-{i}" for i, m in enumerate(MISTAKES)])
def test_each_hand_written_mistake_is_caught(rule: str, old: str, new: str) -> None:
    assert old in CLEAN
    found = _rules(CLEAN.replace(old, new, 1))
    assert rule in found


def test_a_qingshi_with_two_requests_and_a_report_with_a_request_block() -> None:
    qingshi = draft_document(random_brief(random.Random(1), "请示")).to_text()
    two = qingshi.replace("妥否，请批示。", "同时，恳请市政府同意增加编制2名。\n　　妥否，请批示。")
    report = check_document(two)
    assert [f.severity for f in report.findings if f.rule == "T4"] == ["blocking"] and report.blocking_count == 1
    baogao = draft_document(random_brief(random.Random(2), "报告")).to_text()
    assert "T5" in _rules(baogao.replace("特此报告。", "以上报告，请批准。\n　　特此报告。"))


def test_upward_rules_signer_one_recipient_prompt_and_wrong_number() -> None:
    draft = draft_document(random_brief(random.Random(3), "请示"))
    text = draft.to_text()
    assert "签发人：" in text and _rules(text) == set()
    assert "T7a" in _rules(text.replace(draft.number_line, draft.doc_number))
    many = check_document(text.replace(draft.recipients_line, "江临市人民政府、江临市财政局："))
    assert [(f.rule, f.severity) for f in many.findings] == [("T7b", "prompt")]
    broken = text.replace(draft.doc_number, draft.doc_number.replace("〔", "[").replace("〕", "]"))
    (finding,) = check_document(broken).findings
    assert finding.rule == "T9" and "六角括号" in finding.message and finding.location.startswith("发文字号（第")


def test_title_type_against_the_ending_and_the_direction() -> None:
    text = CLEAN.replace("工作的通知", "工作的通报")
    (finding,) = check_document(text).findings
    assert finding.rule == "T3" and finding.text == "特此通知。"
    assert check_document(CLEAN, doc_type="通知").findings == []


def test_placeholders_are_todos_not_errors() -> None:
    draft = draft_document(DocumentBrief(doc_type="函", issuer="江临市教育局", subject="商请协助", recipients=["江临市财政局"]))
    report = check_document(draft.to_text())
    assert report.rules() == {"T31"} and report.blocking_count == 0 and report.todo_count == 4
    assert all(f.todo for f in report.findings) and not report.ready_to_send
    assert {f.message for f in report.findings} == {"发文字号未填写", "日期未填写", "正文要点未填写"}


@pytest.mark.parametrize("marking", ["机密★1年", "秘密", "绝密★长期"])
def test_classified_documents_are_refused_without_reading_on(marking: str) -> None:
    report = check_document(marking + "\n" + CLEAN)
    assert report.refused and [f.rule for f in report.findings] == ["T12"]
    assert report.findings[0].severity == "blocking" and "涉密" in report.findings[0].fix
    assert "滨江区" not in json.dumps(report.to_json(), ensure_ascii=False)  # nothing of the text is echoed


def test_every_rule_has_an_id_severity_and_basis() -> None:
    assert len(RULES) >= 25
    for rule in RULES.values():
        assert rule.severity in ("blocking", "warning", "prompt") and rule.basis and rule.name
    assert {"T4", "T5", "T21", "T27"} <= {r.id for r in RULES.values() if r.severity == "blocking"}
    assert {"T7b", "T24"} <= {r.id for r in RULES.values() if r.severity == "prompt"}


def test_seeded_injections_are_found_on_one_document_of_each_type() -> None:
    rng = random.Random(11)
    for doc_type in DOC_TYPES:
        draft = draft_document(random_brief(rng, doc_type))
        text = draft.to_text()
        assert check_document(text).findings == [], doc_type
        for rule, inject in INJECTORS.items():
            broken = inject(draft, text, rng)
            if broken is not None and broken != text:
                assert rule in _rules(broken), (doc_type, rule)


def test_docx_round_trip_and_layout_check(tmp_path: Path) -> None:
    brief = random_brief(random.Random(5), "通知").model_copy(update={"date": dt.date(2026, 3, 9)})
    path = tmp_path / "n.docx"
    write_docx(draft_document(brief), path)
    report = check_file(path)
    assert report.findings == [] and report.source == str(path)
    import docx
    from docx.shared import Mm

    document = docx.Document(str(path))
    document.sections[0].top_margin = Mm(25)
    document.save(str(path))
    (finding,) = check_file(path).findings
    assert finding.rule == "T30" and finding.text == "25.0mm" and "37" in finding.fix
    plain = tmp_path / "plain.docx"
    bare = docx.Document()
    for line in CLEAN.splitlines():
        bare.add_paragraph(line)
    bare.save(str(plain))
    layout = {f.location for f in check_file(plain).findings if f.rule == "T30"}
    assert {"页面（上白边）", "页面（文档网格）", "页码", "正文字体", "正文字号"} <= layout


def test_check_file_rejects_other_suffixes(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ValueError, match=r"\.docx, \.txt or \.md"):
        check_file(path)


def test_cli_check_json_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    good = tmp_path / "good.txt"
    good.write_text(CLEAN, encoding="utf-8")
    result = runner.invoke(app, ["doc", "check", str(good), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["doc_type"] == "通知" and data["findings"] == [] and data["counts"]["blocking"] == 0
    bad = tmp_path / "bad.md"
    bad.write_text(CLEAN.replace("根据《江临市地质灾害防治办法》（江政发〔2024〕7号）", "根据《国家行政机关公文处理办法》"), "utf-8")
    result = runner.invoke(app, ["doc", "check", str(bad)])
    assert result.exit_code == 1 and "T21" in result.stdout
    secret = tmp_path / "secret.txt"
    secret.write_text("机密★1年\n" + CLEAN, encoding="utf-8")
    assert runner.invoke(app, ["doc", "check", str(secret)]).exit_code == 3


def test_the_shipped_sample_with_errors_reports_each_planted_mistake() -> None:
    report = check_file(Path(__file__).resolve().parent.parent / "data" / "gongwen" / "notice_with_errors.txt")
    assert report.rules() == {"T2", "T9", "T10", "T14", "T15", "T16", "T18", "T21", "T22", "T24"}
    t15 = [f.message for f in report.findings if f.rule == "T15"]
    assert t15 == ["“（一）”后不加标点", "序号不连续：应为第2项"]
    assert report.blocking_count == 1 and report.prompt_count == 1


# More hand-written clean documents in layouts seen in practice: a 请示 with a wrapped title and 签发人 on the
# number line, a 转发-style 通知 without 正文 points, a 函 with “1.” items, a 联合行文 with attachment pages.
OTHER_CLEAN = [
    """江临市高新区管理委员会文件

高新管〔2026〕15号　　　　　　　　签发人：刘洋

江临市高新区管理委员会
关于申请设立高新区人才服务中心的请示

江临市人民政府：
    为加快集聚创新人才，优化人才服务，根据《江临市人才发展促进条例》（江临人大常〔2023〕9号）有关规定，结合高新区实际，现就设立高新区人才服务中心有关事项请示如下：
    一、必要性
    2025年，高新区新引进各类人才3200人，人才服务事项逐年增加，现有服务力量难以满足需求。
    二、机构设置
    中心为管委会所属公益一类事业单位，核定事业编制8名，所需经费由区财政保障。
    以上请示妥否，请批示。

    附件：高新区人才服务中心职能方案

江临市高新区管理委员会
2026年4月8日
（联系人：周敏，电话：0000-87654321）
""",
    """江临市人民政府办公室关于印发江临市2026年
政务公开工作要点的通知

各区人民政府，市政府各部门、各直属机构：
　　《江临市2026年政务公开工作要点》已经市政府同意，现印发给你们，请认真贯彻执行。

江临市人民政府办公室
2026年3月2日
（此件公开发布）
""",
    """江临市财政局
关于商请提供2026年部门预算编制基础数据的函

市自然资源和规划局：
　　为做好2026年部门预算编制工作，请贵局于2026年9月15日前提供以下基础数据：
　　1.2025年土地出让收入明细；
　　2.2026年土地供应计划。
　　联系人：赵磊，联系电话：0000-66668888。
　　请予函复。

江临市财政局
2026年8月20日
""",
    """江临市教育局
江临市财政局文件

江教发〔2026〕21号

江临市教育局 江临市财政局关于做好2026年
学生资助工作的通知

各区教育局、财政局，市直各学校：
　　为做好2026年学生资助工作，现将有关事项通知如下：
　　一、资助对象和标准
　　（一）资助对象。家庭经济困难学生。
　　（二）资助标准。按照每生每年2000元的标准发放，8:30—17:30可到窗口咨询。
　　二、工作要求
　　各单位要于2026年10月31日前将资金发放到位，并将发放情况报市教育局。
　　特此通知。

　　附件：1.2026年学生资助资金分配表
　　　　　2.学生资助工作联系人名单

江临市教育局　　　　　　江临市财政局
2026年9月1日

附件1

2026年学生资助资金分配表

一、滨江区：120万元。
二、临川区：90万元。

附件2

学生资助工作联系人名单

略

抄送：市人民政府办公室。
江临市教育局办公室　　　　　2026年9月1日印发
""",
]


@pytest.mark.parametrize("text", OTHER_CLEAN, ids=["qingshi", "zhuanfa", "han", "lianhe"])
def test_other_clean_layouts_raise_nothing(text: str) -> None:
    report = check_document(text)
    assert report.findings == [] and report.doc_type in ("请示", "通知", "函")


def test_applying_for_funds_is_a_fact_not_a_second_request() -> None:
    text = OTHER_CLEAN[0].replace("优化人才服务，", "优化人才服务，我区已申请省级资金支持，")
    assert check_document(text).findings == []
