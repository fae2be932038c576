"""draft_document: a DocumentBrief → a GongwenDraft, through the 文种's Jinja2 template in prompts/templates/gongwen.

The drafter never invents a 发文字号, 签发人 or 成文日期: what the brief leaves out becomes a visible
placeholder (〔　　〕号, XXXX年X月X日, 【待补：…】) that ``check_document`` reports as a to-do item.
"""

from __future__ import annotations

import re

from agents.gongwen.brief import Attachment, BriefPoint, DocumentBrief
from agents.gongwen.doctypes import DOC_TYPE_INFO, title_suffix
from agents.gongwen.model import NUMBER_PLACEHOLDER, AttachmentPage, BodyParagraph, GongwenDraft, todo
from agents.gongwen.numbering import date_text, heading_level, marker
from prompts import render

_END_PUNCT = re.compile(r"[。！？；：…”）)]$")
# 涉密 markings in a brief: the document must not be drafted on a networked system at all (涉密不上网).
SECRET_MARK = re.compile(r"(绝密|机密|秘密)\s*★|^\s*(绝密|机密|秘密)\s*$", re.MULTILINE)


class ClassifiedDocumentError(ValueError):
    """The input carries a 密级 marking; 涉密公文 are not drafted or checked on this system."""


def _sentence(text: str) -> str:
    text = text.strip()
    return text if _END_PUNCT.search(text) else text + "。"


def point_lines(points: list[str | BriefPoint]) -> list[str]:
    """The numbered 正文 paragraphs: 一、… for each point, （一）… for its items."""
    lines: list[str] = []
    for n, point in enumerate(points, start=1):
        if isinstance(point, str):
            lines.append(marker(1, n) + _sentence(point))
            continue
        if not point.text and not point.items:
            lines.append(marker(1, n) + _sentence(point.heading))
            continue
        lines.append(marker(1, n) + point.heading.rstrip("。；："))
        if point.text:
            lines.append(_sentence(point.text))
        lines += [marker(2, i) + _sentence(item) for i, item in enumerate(point.items, start=1)]
    return lines


def default_title(brief: DocumentBrief) -> str:
    if brief.doc_type == "命令（令）":
        return f"{brief.issuer}令"
    if brief.doc_type == "纪要":
        return f"{brief.meeting.name if brief.meeting else brief.subject}纪要"
    if brief.doc_type == "公报":
        return f"{brief.issuer}{brief.subject}公报"
    return f"{brief.issuer}关于{brief.subject}的{title_suffix(brief.doc_type)}"


def _mark(brief: DocumentBrief) -> str:
    """发文机关标志: “…文件”; 信函格式 (函) shows the organ only; 纪要 and 令 have their own (GB/T 9704 §10)."""
    if brief.doc_type == "函":
        return brief.issuer
    if brief.doc_type in ("纪要", "命令（令）"):
        return default_title(brief)
    return f"{brief.issuer}文件"


def _number(brief: DocumentBrief) -> str:
    if brief.doc_number:
        return brief.doc_number
    if brief.doc_type == "命令（令）":
        return "第　　号"
    return (brief.agency_code or "") + NUMBER_PLACEHOLDER


def _refuse_classified(brief: DocumentBrief) -> None:
    text = brief.model_dump_json()
    if SECRET_MARK.search(text.replace("\\n", "\n")):
        raise ClassifiedDocumentError(
            "简报含密级标志（绝密/机密/秘密★）：涉密公文不得在本系统起草，请按保密规定线下办理"
        )


def draft_document(brief: DocumentBrief) -> GongwenDraft:
    """Draft the 公文 described by ``brief`` in the format of 条例第九条 and GB/T 9704-2012."""
    _refuse_classified(brief)
    info = DOC_TYPE_INFO[brief.doc_type]
    recipients = list(brief.recipients) or ([todo("主送机关")] if info.needs_recipients else [])
    body_text = render(
        f"gongwen/{info.template}.j2",
        brief=brief,
        info=info,
        points=point_lines(brief.points) or ([] if brief.opening else [todo("正文要点")]),
        opening=_sentence(brief.opening) if brief.opening else None,
        reply=brief.reply_to,
        meeting=brief.meeting,
        meeting_date=date_text(brief.meeting.date) if brief.meeting and brief.meeting.date else None,
        todo=todo,
    )
    body = [BodyParagraph(line.strip(), (heading_level(line.strip()) or (0, 0))[0]) for line in body_text.splitlines()]
    attachments: list[Attachment] = brief.attachment_list
    many = len(attachments) > 1
    pages = [
        AttachmentPage(f"附件{i}" if many else "附件", a.name, a.text)
        for i, a in enumerate(attachments, start=1)
        if a.text.strip()
    ]
    signer = (brief.signer or todo("签发人")) if info.direction == "上行" else None
    return GongwenDraft(
        doc_type=brief.doc_type,
        direction=info.direction,
        issuer_mark=brief.issuer_mark or _mark(brief),
        doc_number=_number(brief),
        title=brief.title or default_title(brief),
        recipients=recipients,
        body=[p for p in body if p.text],
        issuer_signature=brief.issuer,
        date_text=date_text(brief.date),
        printer=brief.printer or brief.issuer,
        print_date_text=date_text(brief.print_date or brief.date),
        signer=signer,
        urgency=brief.urgency,
        attachment_names=[a.name for a in attachments],
        attachments=pages,
        sealed=brief.sealed,
        note=brief.note,
        cc=list(brief.cc),
    )
