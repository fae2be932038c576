"""专业文书: 行政处罚告知书, 责令改正通知书, 补正告知书, 不予受理通知书 from a case record and a Jinja2 template
(``prompts/templates/casework``); fields verbatim, cited 法条 checked in the knowledge base, 时限 computed.

The LangChain tool lives in ``agents.casework.tools`` and registers itself on import.
"""

from agents.casework.citations import Citation, check_citations, chinese_number, find_citations, kb_article_finder
from agents.casework.compose import CaseDocument, CaseworkError, choose_doc_type, compose, resolve_fields
from agents.casework.doctypes import DOC_TYPES, DocType

__all__ = [
    "DOC_TYPES",
    "CaseDocument",
    "CaseworkError",
    "Citation",
    "DocType",
    "check_citations",
    "chinese_number",
    "choose_doc_type",
    "compose",
    "find_citations",
    "kb_article_finder",
    "resolve_fields",
]
