"""LangChain tools of the 公文起草员: ``draft_document`` and ``check_document``.

Importing this module registers both in ``TOOL_REGISTRY``. The drafter and the checker are deterministic
and local; from the run context the checker only reads the records of the run's knowledge bases that the
caller may see, to look up the documents a 公文 cites (已废止? the right 发文字号?). Results are JSON for
the answer templates ``answers/doc_draft.j2`` and ``answers/doc_check.j2``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.tools import BaseTool

from agents.context import RunContext
from agents.errors import ToolInputError
from agents.gongwen.checker import check_document as run_checks
from agents.gongwen.citations import DocumentRecordLike
from agents.gongwen.drafter import ClassifiedDocumentError, draft_document
from agents.gongwen.request import brief_from_request
from agents.gongwen.shape import INSTRUCTION, looks_like_document, looks_like_request, pasted_document
from agents.tools.langchain_tools import ToolConfig, make_tool, register
from knowledge import ACCESS_LEVELS
from knowledge.manifest import DocumentRecord

MAX_REQUEST_CHARS = 2000
MAX_DOCUMENT_CHARS = 30_000  # a long 公文 with attachments; beyond this it is not one document


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def draft_from_request(text: str, documents: Sequence[DocumentRecordLike] = ()) -> dict[str, Any]:
    """The draft for a plain request, as the JSON the answer template renders.

    A whole pasted 公文 is checked instead of redrafted: the offline model's intent choice by similarity
    cannot always tell “这份请示格式对吗：<全文>” from a drafting request, the document's structure can.
    """
    if not text.strip():
        raise ToolInputError("text is empty; pass the drafting request, e.g. 「以江临市教育局名义起草一份通知，关于…」")
    if looks_like_document(text):
        return check_pasted(text, documents)
    if len(text) > MAX_REQUEST_CHARS:
        raise ToolInputError(f"text has {len(text)} characters; a drafting request has at most {MAX_REQUEST_CHARS}")
    reading = brief_from_request(text)
    try:
        draft = draft_document(reading.brief)
    except ClassifiedDocumentError as exc:
        return {"error": str(exc), "refused": True}
    return {
        "doc_type": draft.doc_type,
        "title": draft.title,
        "text": draft.to_text(),
        "placeholders": list(dict.fromkeys(draft.placeholders())),
        "assumptions": reading.assumptions,
        "brief": reading.brief.model_dump(mode="json", exclude_defaults=True),
    }


def check_or_draft(text: str, documents: Sequence[DocumentRecordLike] = ()) -> dict[str, Any]:
    """What ``check_document`` answers: the check report, or a draft when the text is a drafting request."""
    if looks_like_request(text):
        return draft_from_request(text)
    return check_pasted(text, documents)


def check_pasted(text: str, documents: Sequence[DocumentRecordLike] = ()) -> dict[str, Any]:
    """The check report for a pasted document (an instruction line before it is dropped); ``documents``
    are knowledge-base records its citations are looked up in."""
    # Structure first: a document whose title says 检查 or 规范 must keep its title; otherwise drop a line
    # asking for the check and check what remains, so a damaged document still gets its findings.
    document = pasted_document(text) or INSTRUCTION.sub("", text.strip(), count=1)
    if len(document.strip()) < 10:
        raise ToolInputError("text holds no document; paste the whole 公文 (标题、主送机关、正文、落款)")
    if len(document) > MAX_DOCUMENT_CHARS:
        raise ToolInputError(f"text has {len(document)} characters; paste one 公文 of at most {MAX_DOCUMENT_CHARS}")
    report = run_checks(document, documents=documents)
    return report.to_json() | {"summary": report.to_text()}


def visible_documents(ctx: RunContext) -> list[DocumentRecord]:
    """Records of the run's knowledge bases that the caller may see (for the citation lookup)."""
    if ctx.knowledge is None:
        return []
    clearance = ctx.caller.effective_clearance
    allowed = ACCESS_LEVELS[: ACCESS_LEVELS.index(clearance) + 1]
    names = set(ctx.knowledge.names())
    return [d for kb in ctx.kbs if kb in names for d in ctx.knowledge.documents(kb) if d.access in allowed]


@register("draft_document")
def _draft_document(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def draft_document_tool(text: str) -> str:
        """按起草要求生成公文草稿（15种法定文种，GB/T 9704格式）；文号、签发人、成文日期留作待补项，不编造。

        Args:
            text: 起草要求原文，如「以江临市教育局名义给市财政局发函，商请拨付2026年学生资助资金」。
        """
        return _json(draft_from_request(text, visible_documents(ctx)))

    return make_tool(draft_document_tool, "draft_document")


@register("check_document")
def _check_document(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def check_document_tool(text: str) -> str:
        """校核一份公文的格式和行文规则（文种、标题、发文字号、层次序数、日期、附件说明、抄送等），涉密文件拒绝处理。

        Args:
            text: 公文全文（可在前面加一句“请检查下面这份公文：”）。
        """
        return _json(check_or_draft(text, visible_documents(ctx)))

    return make_tool(check_document_tool, "check_document")
