"""The .docx writer, verified by reading the file back: page, fonts (incl. w:eastAsia), sizes, order, lines."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from agents.gongwen import Attachment, DocumentBrief, draft_document
from agents.gongwen.docx_writer import write_docx


def _document(doc_type: str = "通知", **fields: object) -> docx.document.Document:
    base: dict[str, object] = {
        "doc_type": doc_type,
        "issuer": "江临市人民政府办公室",
        "recipients": ["各区人民政府", "市政府各部门"],
        "subject": "做好2026年防汛工作",
        "points": [{"heading": "压实责任", "items": ["开展隐患排查。各区要在6月底前完成", "建立整改台账"]}, "加强值班"],
        "doc_number": "江政办发〔2026〕12号",
        "date": dt.date(2026, 7, 2),
        "cc": ["市委办公室", "市人大常委会办公室"],
        "attachments": [Attachment(name="防汛检查表", text="一、检查范围。"), "值班表"],
    }
    buffer = io.BytesIO()
    write_docx(draft_document(DocumentBrief.model_validate(base | fields)), buffer)
    buffer.seek(0)
    return docx.Document(buffer)


@pytest.fixture(scope="module")
def notice() -> docx.document.Document:
    return _document()


def _paragraph(doc: docx.document.Document, text: str) -> docx.text.paragraph.Paragraph:
    return next(p for p in doc.paragraphs if p.text.startswith(text))


def _east_asia(run: docx.text.run.Run) -> str:
    return str(run.element.rPr.rFonts.get(qn("w:eastAsia")))


def test_page_is_a4_with_the_standard_margins_and_grid(notice: docx.document.Document) -> None:
    section = notice.sections[0]
    mm = [round(v.mm, 1) for v in (section.page_width, section.page_height)]
    margins = [round(v.mm, 1) for v in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)]
    assert mm == [210, 297] and margins == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars" and grid.get(qn("w:linePitch")) == "579"
    width_pt = Mm(156).pt
    pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert round(width_pt / pitch) == 28  # 28 characters a line
    assert round(Mm(225).pt / (579 / 20)) == 22  # 22 lines a page


def test_paragraphs_come_in_the_standard_order(notice: docx.document.Document) -> None:
    texts = [p.text for p in notice.paragraphs if p.text]
    expected = [
        "江临市人民政府办公室文件",
        "江政办发〔2026〕12号",
        "江临市人民政府办公室关于做好2026年防汛工作的通知",
        "各区人民政府、市政府各部门：",
        "一、压实责任",
        "特此通知。",
        "附件：1.防汛检查表",
        "2.值班表",
        "江临市人民政府办公室",
        "2026年7月2日",
        "附件1",
        "防汛检查表",
        "抄送：市委办公室，市人大常委会办公室。",
        "江临市人民政府办公室\t2026年7月2日印发",
    ]
    positions = [texts.index(t) for t in expected]
    assert positions == sorted(positions)


def test_fonts_and_sizes_follow_gb9704(notice: docx.document.Document) -> None:
    mark = _paragraph(notice, "江临市人民政府办公室文件")
    assert round(mark.paragraph_format.space_before.mm) == 35  # 标志 35 mm below the 版心's top edge
    assert _east_asia(mark.runs[0]) == "方正小标宋简体" and mark.runs[0].font.color.rgb == docx.shared.RGBColor(255, 0, 0)
    title = _paragraph(notice, "江临市人民政府办公室关于")
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = _paragraph(notice, "特此通知")
    assert _east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)  # 左空二字
    assert _east_asia(_paragraph(notice, "一、压实责任").runs[0]) == "黑体"
    level2 = _paragraph(notice, "（一）开展隐患排查")
    assert [_east_asia(r) for r in level2.runs] == ["楷体_GB2312", "仿宋_GB2312"]
    assert _east_asia(_paragraph(notice, "附件1").runs[0]) == "黑体"
    record = _paragraph(notice, "抄送：")
    assert _east_asia(record.runs[0]) == "仿宋_GB2312" and record.runs[0].font.size == Pt(14)


def test_red_separator_under_the_number_and_record_rules(notice: docx.document.Document) -> None:
    number = _paragraph(notice, "江政办发〔2026〕12号")
    bottom = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"
    cc = _paragraph(notice, "抄送：")._p.pPr.find(qn("w:pBdr"))
    printed = _paragraph(notice, "江临市人民政府办公室\t")._p.pPr.find(qn("w:pBdr"))
    assert cc.find(qn("w:top")).get(qn("w:sz")) == "8"  # thick first line
    assert printed.find(qn("w:top")).get(qn("w:sz")) == "6" and printed.find(qn("w:bottom")).get(qn("w:sz")) == "8"
    for start in ("抄送：", "江临市人民政府办公室\t"):  # the 版记 sits at the foot of the last page, in one frame
        frame = _paragraph(notice, start)._p.pPr.find(qn("w:framePr"))
        assert (frame.get(qn("w:vAnchor")), frame.get(qn("w:yAlign"))) == ("margin", "bottom")


def test_page_numbers_are_dashed_song_14pt_odd_right_even_left(notice: docx.document.Document) -> None:
    section = notice.sections[0]
    assert notice.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        assert "PAGE" in paragraph._p.xml and paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert {_east_asia(r) for r in paragraph.runs} == {"宋体"} and paragraph.runs[0].font.size == Pt(14)


def test_upward_document_puts_number_and_signer_on_one_line() -> None:
    doc = _document("请示", recipients=["江临市人民政府"], signer="王明", request="拨付资金", cc=[], attachments=[])
    line = _paragraph(doc, "江政办发〔2026〕12号")
    assert line.text == "江政办发〔2026〕12号\t签发人：王明"
    assert _east_asia(line.runs[-1]) == "楷体_GB2312"  # the signer's name in 楷体


def test_fallback_fonts_are_recorded_in_the_font_table(tmp_path: Path) -> None:
    path = tmp_path / "n.docx"
    write_docx(draft_document(DocumentBrief(doc_type="函", issuer="江临市教育局", subject="商请协助", recipients=["江临市财政局"])), path)
    table = zipfile.ZipFile(path).read("word/fontTable.xml").decode("utf-8")
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="华文中宋"/>' in table
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in table


# ECMA-376 order of the paragraph-property children this writer uses; Word refuses a file that breaks it.
PPR_ORDER = ["framePr", "pBdr", "tabs", "spacing", "ind", "jc", "rPr"]


def test_paragraph_properties_are_in_schema_order(notice: docx.document.Document) -> None:
    for ppr in notice.element.body.iter(qn("w:pPr")):
        tags = [child.tag.split("}")[1] for child in ppr]
        known = [PPR_ORDER.index(t) for t in tags if t in PPR_ORDER]
        assert known == sorted(known), tags
