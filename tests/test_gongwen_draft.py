"""公文 drafting: the brief, the 15 templates, placeholders instead of invented values, text/Markdown output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from agents.gongwen import (
    DOC_TYPES,
    BriefError,
    BriefPoint,
    ClassifiedDocumentError,
    DocumentBrief,
    Meeting,
    ReplyTo,
    draft_document,
)
from agents.gongwen.numbering import cn_number, heading_level, parse_cn_number

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "gongwen"


def brief(doc_type: str = "通知", **fields: object) -> DocumentBrief:
    base: dict[str, object] = {
        "doc_type": doc_type,
        "issuer": "江临市人民政府办公室",
        "recipients": ["各区人民政府", "市政府各部门"],
        "subject": "做好2026年防汛工作",
        "points": ["压实防汛责任", "加强值班值守"],
    }
    return DocumentBrief.model_validate(base | fields)


def test_there_are_fifteen_statutory_types() -> None:
    assert len(DOC_TYPES) == 15 and "命令（令）" in DOC_TYPES and "纪要" in DOC_TYPES


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_type_drafts_with_its_title_and_ending(doc_type: str) -> None:
    fields: dict[str, object] = {}
    if doc_type == "批复":
        fields["reply_to"] = ReplyTo(title="江临市滨江区人民政府关于设立滨江湿地公园的请示", number="滨政〔2026〕8号")
    if doc_type == "纪要":
        fields["meeting"] = Meeting(name="江临市人民政府第12次常务会议", date=dt.date(2026, 3, 2), host="李明市长")
    if doc_type == "请示":
        fields["request"] = "市政府批准设立滨江湿地公园"
    draft = draft_document(brief(doc_type, **fields))
    text = draft.to_text()
    suffix = "令" if doc_type == "命令（令）" else doc_type
    assert draft.title.endswith(suffix)
    assert text.count(draft.title) == 1  # 令 and 纪要 carry it as the 标志, the others below the red line
    ending = {"通知": "特此通知。", "请示": "妥否，请批示。", "报告": "特此报告。", "批复": "此复。", "函": "请予函复。"}
    if doc_type in ending:
        assert draft.body[-1].text == ending[doc_type]
    assert "一、压实防汛责任。" in text and "二、加强值班值守。" in text
    assert (draft.signer is not None) == (doc_type in ("请示", "报告", "议案"))


def test_unknown_number_signer_and_date_stay_placeholders() -> None:
    draft = draft_document(brief("请示", recipients=["江临市人民政府"], agency_code="江政办", request="拨付资金"))
    assert draft.doc_number == "江政办〔　　〕号"
    assert draft.date_text == "XXXX年X月X日"
    assert draft.signer == "【待补：签发人】"
    assert set(draft.placeholders()) >= {"〔　　〕", "XXXX年X月X日", "【待补：签发人】"}


def test_known_values_are_used_verbatim() -> None:
    draft = draft_document(brief(doc_number="江政办发〔2026〕12号", date=dt.date(2026, 7, 2)))
    assert draft.doc_number == "江政办发〔2026〕12号" and draft.date_text == "2026年7月2日"
    assert draft.print_date_text == "2026年7月2日" and draft.placeholders() == []


def test_pifu_cites_the_incoming_title_and_number() -> None:
    reply = ReplyTo(title="江临市滨江区人民政府关于设立滨江湿地公园的请示", number="滨政〔2026〕8号")
    opening = draft_document(brief("批复", reply_to=reply)).body[0].text
    assert opening.startswith("你单位《江临市滨江区人民政府关于设立滨江湿地公园的请示》（滨政〔2026〕8号）收悉")


def test_missing_recipients_are_a_todo_where_the_type_needs_them() -> None:
    assert draft_document(brief("函", recipients=[])).recipients == ["【待补：主送机关】"]
    assert draft_document(brief("通告", recipients=[])).recipients == []


def test_structured_points_number_two_levels() -> None:
    point = BriefPoint(heading="压实责任", text="各区要落实属地责任。", items=["开展隐患排查", "建立整改台账"])
    body = [(p.level, p.text) for p in draft_document(brief(points=[point, "加强值班"])).body]
    assert body[1:6] == [
        (1, "一、压实责任"),
        (0, "各区要落实属地责任。"),
        (2, "（一）开展隐患排查。"),
        (2, "（二）建立整改台账。"),
        (1, "二、加强值班。"),
    ]


def test_attachment_note_numbers_several_attachments() -> None:
    draft = draft_document(brief(attachments=["检查表", "值班表"]))
    assert draft.attachment_lines() == ["附件：1.检查表", "　　　2.值班表"]
    assert draft_document(brief(attachments=["检查表"])).attachment_lines() == ["附件：检查表"]


def test_a_report_cannot_carry_a_request() -> None:
    with pytest.raises(ValueError, match="请示"):
        brief("报告", request="拨付资金")


def test_a_classified_brief_is_refused() -> None:
    with pytest.raises(ClassifiedDocumentError, match="涉密"):
        draft_document(brief(opening="机密★1年"))


def test_markdown_keeps_the_elements_in_order() -> None:
    md = draft_document(brief(cc=["市委办公室"], note="此件公开发布")).to_markdown()
    order = ["江临市人民政府办公室文件", "# 江临市人民政府办公室关于", "各区人民政府、市政府各部门：", "特此通知。", "（此件公开发布）", "抄送：市委办公室。", "印发"]
    positions = [md.index(part) for part in order]
    assert positions == sorted(positions)


def test_brief_yaml_errors_name_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(yaml.safe_dump({"doc_type": "简报", "issuer": "x", "subject": "y"}, allow_unicode=True), "utf-8")
    with pytest.raises(BriefError, match=r"b\.yaml: field doc_type: .*15 statutory types"):
        DocumentBrief.from_yaml(path)
    path.write_text("doc_type: 通知\nissuer: x\nsubject: y\ncolour: red\n", "utf-8")
    with pytest.raises(BriefError, match="colour"):
        DocumentBrief.from_yaml(path)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*_brief.yaml")), ids=lambda p: p.name)
def test_sample_briefs_load_and_draft(path: Path) -> None:
    draft = draft_document(DocumentBrief.from_yaml(path))
    assert draft.body and draft.title


def test_numbering_round_trips() -> None:
    assert [cn_number(n) for n in (1, 10, 12, 20, 99)] == ["一", "十", "十二", "二十", "九十九"]
    assert parse_cn_number("十五") == 15 and parse_cn_number("零") is None
    assert heading_level("（三）加强") == (2, 3) and heading_level("12.做好") == (3, 12)
    assert heading_level("（2）做好") == (4, 2) and heading_level("2026年") is None


def test_cli_draft_writes_docx_markdown_and_text(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from app.cli import app

    runner = CliRunner()
    sample = str(SAMPLES / "tongzhi_brief.yaml")
    result = runner.invoke(app, ["doc", "draft", "--type", "通知", "--brief", sample])
    assert result.exit_code == 0, result.output
    assert "江临市人民政府办公室关于做好2026年春节期间安全生产工作的通知" in result.stdout
    for suffix in ("docx", "md"):
        target = tmp_path / f"out.{suffix}"
        result = runner.invoke(app, ["doc", "draft", "--brief", sample, "-o", str(target)])
        assert result.exit_code == 0 and target.stat().st_size > 0
    result = runner.invoke(app, ["doc", "draft", "--type", "简报", "--brief", sample])
    assert result.exit_code == 2 and "15 statutory types" in result.output


def test_each_template_file_belongs_to_exactly_one_type() -> None:
    from agents.gongwen import DOC_TYPE_INFO
    from prompts import template_names

    names = template_names("gongwen")
    assert sorted(names) == sorted(f"gongwen/{info.template}.j2" for info in DOC_TYPE_INFO.values())
