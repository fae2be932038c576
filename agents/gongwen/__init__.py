"""公文: drafting the 15 statutory 文种, GB/T 9704-2012 .docx output, and the format checker.

The LangChain tools live in ``agents.gongwen.tools`` and register themselves on import.
"""

from agents.gongwen.brief import Attachment, BriefError, BriefPoint, DocumentBrief, Meeting, ReplyTo
from agents.gongwen.checker import CheckInputError, check_document, check_file
from agents.gongwen.doctypes import DOC_TYPE_INFO, DOC_TYPES, resolve_doc_type
from agents.gongwen.docx_writer import write_docx
from agents.gongwen.drafter import ClassifiedDocumentError, draft_document
from agents.gongwen.model import BodyParagraph, GongwenDraft
from agents.gongwen.report import CheckReport, Finding
from agents.gongwen.shape import looks_like_document, looks_like_request

__all__ = [
    "DOC_TYPES",
    "DOC_TYPE_INFO",
    "Attachment",
    "BodyParagraph",
    "BriefError",
    "BriefPoint",
    "CheckInputError",
    "CheckReport",
    "ClassifiedDocumentError",
    "DocumentBrief",
    "Finding",
    "GongwenDraft",
    "Meeting",
    "ReplyTo",
    "check_document",
    "check_file",
    "draft_document",
    "looks_like_document",
    "looks_like_request",
    "resolve_doc_type",
    "write_docx",
]
