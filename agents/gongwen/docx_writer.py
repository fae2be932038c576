"""write_docx: a GongwenDraft as a .docx in the GB/T 9704-2012 layout (python-docx).

Page: A4, margins top 37 / bottom 35 / left 28 / right 26 mm, a 22 × 28 document grid. Fonts: title 2号
方正小标宋简体, body 3号 仿宋_GB2312, level-1 headings 黑体, level-2 楷体_GB2312, 版记 4号 仿宋_GB2312, page
numbers 4号 宋体 “— 1 —” (odd pages right, even pages left, one character in). Chinese font names go into
w:eastAsia as well as w:ascii/w:hAnsi, because Word picks the east-asian slot for Chinese characters.
A machine without the 方正/GB2312 fonts falls back through the w:altName recorded in the font table.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from agents.gongwen.model import GongwenDraft

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_FONT = "宋体"
# Installed on most Chinese Windows/WPS machines when the GB2312/方正 fonts are not.
FALLBACKS = {TITLE_FONT: "华文中宋", BODY_FONT: "仿宋", KAI_FONT: "楷体", HEI_FONT: "SimHei", PAGE_FONT: "SimSun"}
SIZE_2, SIZE_3, SIZE_4 = Pt(22), Pt(16), Pt(14)  # 2号, 3号, 4号
MARK_SIZE = Pt(36)  # 发文机关标志: the standard leaves the size to the issuer; 小初 is common
RED = RGBColor(0xFF, 0x00, 0x00)
CHAR = Pt(16)  # one character of body text, the unit of 左空二字 etc.
LINE_PITCH_TWIPS = 579  # 225 mm 版心 / 22 lines = 28.95 pt
CHAR_SPACE = -839  # 156 mm / 28 chars = 15.75 pt; Word's pitch = 16 pt + charSpace/4096 pt


def write_docx(draft: GongwenDraft, target: Path | BinaryIO) -> None:
    """Write ``draft`` as a GB/T 9704-2012 .docx to a path or a binary stream."""
    doc = Document()
    _page_setup(doc)
    _base_style(doc)
    _head(doc, draft)
    _main(doc, draft)
    for page in draft.attachments:
        _attachment(doc, page.label, page.name, page.text)
    _record(doc, draft)
    _page_numbers(doc)
    _record_fallback_fonts(doc)
    doc.core_properties.title = draft.title
    doc.core_properties.category = draft.doc_type
    doc.save(str(target) if isinstance(target, Path) else target)


# -- page and styles -------------------------------------------------------------------------------


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # page-number line 7 mm below the 版心
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def set_font(run_or_style: object, name: str, size: Pt | None = None, bold: bool = False) -> None:
    """Set a font in all four rFonts slots (incl. w:eastAsia) of a run or style."""
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = name
    if size is not None:
        font.size = size
    font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


def _base_style(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, SIZE_3)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20)
    fmt.widow_control = False


def _para(
    doc: DocxDocument,
    text: str = "",
    font: str = BODY_FONT,
    size: Pt = SIZE_3,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent_chars: float = 0,
    color: RGBColor | None = None,
) -> Paragraph:
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    if indent_chars:
        paragraph.paragraph_format.first_line_indent = Pt(16 * indent_chars)
    if text:
        run = paragraph.add_run(text)
        set_font(run, font, size)
        if color is not None:
            run.font.color.rgb = color
    return paragraph


# CT_PPr children that must follow w:framePr / w:pBdr (ECMA-376 order); python-docx declares neither element.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_AFTER_FRAMEPR = ("w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", *_AFTER_PBDR)


def _blank(doc: DocxDocument, lines: int = 1) -> None:
    for _ in range(lines):
        _para(doc)


def _border(paragraph: Paragraph, side: str, size_eighths: int, color: str = "000000") -> None:
    """A paragraph border line (w:pBdr), as wide as the 版心."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)  # Word rejects pPr children out of schema order
    edge = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", str(size_eighths)), ("space", "1"), ("color", color)):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


# -- 版头 / 主体 / 附件 / 版记 ------------------------------------------------------------------------


def _head(doc: DocxDocument, draft: GongwenDraft) -> None:
    for value in (draft.copy_number, draft.urgency):
        if value:
            _para(doc, value, HEI_FONT, SIZE_3, WD_ALIGN_PARAGRAPH.LEFT)
    mark = _para(doc, draft.issuer_mark, TITLE_FONT, MARK_SIZE, WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    mark.paragraph_format.space_before = Mm(35)  # GB/T 9704-2012 §7.2.4: 35 mm below the 版心's top edge
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _blank(doc, 2)
    if draft.signer is None:
        number = _para(doc, draft.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        # 上行文: 发文字号 居左空一字, 签发人 居右空一字 on the same line (a right tab stop).
        number = _para(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT)
        number.paragraph_format.left_indent = CHAR
        number.paragraph_format.right_indent = CHAR
        number.paragraph_format.tab_stops.add_tab_stop(Mm(156) - 2 * CHAR, WD_TAB_ALIGNMENT.RIGHT)
        set_font(number.add_run(draft.doc_number + "\t签发人："), BODY_FONT, SIZE_3)
        set_font(number.add_run(draft.signer), KAI_FONT, SIZE_3)
    number.paragraph_format.space_after = Mm(4)
    _border(number, "bottom", 12, "FF0000")  # the red separator, 4 mm under the 发文字号


def _main(doc: DocxDocument, draft: GongwenDraft) -> None:
    _blank(doc, 2)
    if not draft.title_in_mark:
        _para(doc, draft.title, TITLE_FONT, SIZE_2, WD_ALIGN_PARAGRAPH.CENTER)
        _blank(doc)
    if draft.recipients:
        _para(doc, draft.recipients_line, align=WD_ALIGN_PARAGRAPH.LEFT)
    for p in draft.body:
        _body_paragraph(doc, p.text, p.level)
    if draft.attachment_names:
        _blank(doc)
        for i, line in enumerate(draft.attachment_lines()):
            paragraph = _para(doc, line.lstrip("　"), indent_chars=2)
            if i:
                paragraph.paragraph_format.first_line_indent = Pt(16 * 5)  # aligned under the first name
    _blank(doc, 3 if draft.sealed else 1)
    right = 4 if draft.sealed else 2
    offset = max(0, (len(draft.date_text) - len(draft.issuer_signature)) / 2)
    signature = _para(doc, draft.issuer_signature, align=WD_ALIGN_PARAGRAPH.RIGHT)
    signature.paragraph_format.right_indent = Pt(16 * (right + offset))
    date = _para(doc, draft.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = Pt(16 * right)
    if draft.note:
        _para(doc, f"（{draft.note}）", indent_chars=2)


def _body_paragraph(doc: DocxDocument, text: str, level: int) -> None:
    if level == 1:
        _para(doc, text, HEI_FONT, SIZE_3, indent_chars=2)
        return
    if level == 2 and "。" in text:
        # （一）标题。正文…: the run-in heading in 楷体, the rest in 仿宋.
        head, rest = text.split("。", 1)
        paragraph = _para(doc, indent_chars=2)
        set_font(paragraph.add_run(head + "。"), KAI_FONT, SIZE_3)
        if rest:
            set_font(paragraph.add_run(rest), BODY_FONT, SIZE_3)
        return
    _para(doc, text, KAI_FONT if level == 2 else BODY_FONT, SIZE_3, indent_chars=2)


def _attachment(doc: DocxDocument, label: str, name: str, text: str) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _para(doc, label, HEI_FONT, SIZE_3, WD_ALIGN_PARAGRAPH.LEFT)
    _blank(doc)
    _para(doc, name, TITLE_FONT, SIZE_2, WD_ALIGN_PARAGRAPH.CENTER)
    _blank(doc)
    for line in text.splitlines():
        if line.strip():
            _para(doc, line.strip(), indent_chars=2)


def _record(doc: DocxDocument, draft: GongwenDraft) -> None:
    """版记: 抄送 and 印发 lines in 4号仿宋 between thick (first/last) and thin (middle) rules."""
    _blank(doc)
    lines = []
    if draft.cc:
        cc = _para(doc, draft.cc_line, size=SIZE_4, align=WD_ALIGN_PARAGRAPH.LEFT)
        cc.paragraph_format.left_indent = cc.paragraph_format.right_indent = Pt(14)
        lines.append(cc)
    printed = _para(doc, "", align=WD_ALIGN_PARAGRAPH.LEFT)
    printed.paragraph_format.left_indent = printed.paragraph_format.right_indent = Pt(14)
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(28), WD_TAB_ALIGNMENT.RIGHT)
    set_font(printed.add_run(f"{draft.printer}\t{draft.print_date_text}印发"), BODY_FONT, SIZE_4)
    lines.append(printed)
    _border(lines[0], "top", 8)  # 0.35 mm ≈ 1 pt
    if len(lines) > 1:
        _border(lines[1], "top", 6)  # 0.25 mm ≈ 0.75 pt
    _border(lines[-1], "bottom", 8)
    for line in lines:
        _at_page_bottom(line)


def _at_page_bottom(paragraph: Paragraph) -> None:
    """Anchor the paragraph in a frame at the foot of the 版心: GB/T 9704 puts the 版记 on the last lines of the
    last page. Consecutive paragraphs with the same frame properties share one frame, so the 版记 stays together."""
    frame = OxmlElement("w:framePr")
    width = str(int(Mm(156).twips))
    attributes = (("w", width), ("wrap", "around"), ("vAnchor", "margin"), ("hAnchor", "margin"), ("yAlign", "bottom"))
    for key, value in attributes:
        frame.set(qn(f"w:{key}"), value)
    paragraph._p.get_or_add_pPr().insert_element_before(frame, *_AFTER_FRAMEPR)


def _page_numbers(doc: DocxDocument) -> None:
    """“— N —” in 4号 宋体: odd pages 居右空一字, even pages 居左空一字."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    sides = ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT))
    for footer, align in sides:
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = SIZE_4
        else:
            paragraph.paragraph_format.left_indent = SIZE_4
        set_font(paragraph.add_run("— "), PAGE_FONT, SIZE_4)
        run = paragraph.add_run()
        set_font(run, PAGE_FONT, SIZE_4)
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
        run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> PAGE </w:instrText>'))
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
        run._r.append(parse_xml(f'<w:t {nsdecls("w")}>1</w:t>'))
        run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))
        set_font(paragraph.add_run(" —"), PAGE_FONT, SIZE_4)


def _record_fallback_fonts(doc: DocxDocument) -> None:
    """Declare each font with its w:altName in word/fontTable.xml, so a reader without it substitutes."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    table = parse_xml(part.blob)
    for name, alt in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt_name = OxmlElement("w:altName")
        alt_name.set(qn("w:val"), alt)
        font.append(alt_name)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.append(charset)
        table.append(font)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
