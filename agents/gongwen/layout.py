"""Reading a .docx for the checker: its paragraphs as text, and the GB/T 9704 page layout checks (T30)."""

from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path
from typing import BinaryIO

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from agents.gongwen.report import Finding

# GB/T 9704 §5: A4, 上 37 / 下 35 / 左 28 / 右 26 mm, tolerance ±1 mm.
PAGE_MM = {"纸张宽度": 210.0, "纸张高度": 297.0, "上白边": 37.0, "下白边": 35.0, "左白边": 28.0, "右白边": 26.0}
BODY_FONTS = ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312")


def _open(path: Path | BinaryIO) -> docx.document.Document:
    from agents.gongwen.checker import CheckInputError

    try:
        return docx.Document(str(path) if isinstance(path, Path) else path)
    except (OSError, PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise CheckInputError(f"cannot read {path} as .docx: {exc}") from exc


def docx_text(path: Path | BinaryIO) -> str:
    """The document's paragraphs, one a line (tables flattened cell by cell)."""
    document = _open(path)
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def check_layout(path: Path | BinaryIO) -> list[Finding]:
    """T30: page size and margins, body font and size, the 22×28 grid."""
    document = _open(path)
    findings: list[Finding] = []
    section = document.sections[0]
    values = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    for (name, expected), value in zip(PAGE_MM.items(), values, strict=True):
        if value is None or abs(value.mm - expected) > 1.0:
            actual = "未设置" if value is None else f"{value.mm:.1f}mm"
            findings.append(_layout(f"页面（{name}）", actual, f"{name}应为{expected:g}mm（±1mm）"))
    grid = section._sectPr.find(qn("w:docGrid"))
    pitch = grid.get(qn("w:linePitch")) if grid is not None else None
    if pitch is None or not 560 <= int(pitch) <= 600:  # 225 mm / 22 lines = 579 twips
        actual = "未设置" if pitch is None else f"行距{int(pitch) / 20:g}pt"
        findings.append(_layout("页面（文档网格）", actual, "设置文档网格：每页22行、每行28字（行距约28.95pt）"))
    footer = section.footer
    if footer.is_linked_to_previous or "PAGE" not in footer._element.xml:
        findings.append(_layout("页码", "未设置", "页脚加页码：4号半角宋体“— 1 —”，单页居右空一字、双页居左空一字"))
    body = _body_font(document)
    if body is not None and body[0] not in BODY_FONTS:
        findings.append(_layout("正文字体", body[0], "正文用3号仿宋_GB2312"))
    if body is not None and body[1] is not None and abs(body[1] - 16) > 0.5:
        findings.append(_layout("正文字号", f"{body[1]:g}pt", "正文用3号字（16pt）"))
    return findings


def _body_font(document: docx.document.Document) -> tuple[str, float | None] | None:
    """The east-asian font and size that carry most of the text (the 正文), style values as fallback."""
    style_font = document.styles["Normal"].font
    weights: Counter[tuple[str, float | None]] = Counter()
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            fonts = run.element.rPr.rFonts if run.element.rPr is not None else None
            name = (fonts.get(qn("w:eastAsia")) if fonts is not None else None) or style_font.name or "未设置"
            size = run.font.size or style_font.size or _default_size(document)
            weights[(name, size.pt if size is not None else None)] += len(run.text.strip())
    if not weights or weights.most_common(1)[0][1] < 20:
        return None
    return weights.most_common(1)[0][0]


def _default_size(document: docx.document.Document) -> Length | None:
    """The document-wide default size (w:docDefaults), which Word uses when no style sets one."""
    size = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    return Pt(int(size.get(qn("w:val"))) / 2) if size is not None else None


def _layout(where: str, actual: str, fix: str) -> Finding:
    return Finding("T30", "warning", where, actual, fix, "版式不符合GB/T 9704-2012")
