"""check_document / check_file: run the rule registry over a 公文 and report findings.

A document with a 密级 marking (T12) is refused before anything else runs: 涉密公文 must not be handled
on a networked system at all, so the report says so and contains nothing from the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import agents.gongwen.rules_body
import agents.gongwen.rules_head  # noqa: F401  (registers the 文种/标题/版头 rules)
from agents.gongwen.citations import DocumentRecordLike, citation_findings
from agents.gongwen.doctypes import resolve_doc_type
from agents.gongwen.parse import SECRET_LIKE, ParsedDocument, parse_document
from agents.gongwen.registry import RULES, Hit, ending
from agents.gongwen.report import CheckReport, Finding
from knowledge.errors import LoadError
from knowledge.textdecode import decode_text

MAX_CHARS = 200_000  # a 公文 with attachments is far shorter; longer input is not a 公文
_SECRET_ANYWHERE = re.compile(r"(绝密|机密|秘密)\s*★")


class CheckInputError(ValueError):
    """The file cannot be checked: the message names it and what is accepted."""


def check_document(
    text: str,
    *,
    doc_type: str | None = None,
    documents: Iterable[DocumentRecordLike] = (),
    unit: str = "行",
) -> CheckReport:
    """Check a 公文 given as text or Markdown.

    Args:
        text: the document.
        doc_type: the 文种, overriding the one the title names.
        documents: knowledge-base records (title, doc_number, validity) to look cited documents up in.
        unit: how locations count, 行 (lines) or 段 (.docx paragraphs).
    """
    refusal = _refuse_classified(text)
    if refusal:
        return CheckReport([refusal], refused=True)
    parsed = parse_document(text[:MAX_CHARS])
    declared = resolve_doc_type(doc_type) if doc_type else None
    effective = declared or parsed.doc_type
    if effective is None:
        # The title names no 文种 (T1 says so); the closing phrase still tells which rules apply.
        closing = ending(parsed)
        effective = closing[1] if closing else None
    findings = [
        _finding(rule_id, hit, unit) for rule_id, rule in RULES.items() for hit in rule.check(parsed, effective)
    ]
    already = " ".join(f.text for f in findings if f.rule in ("T20", "T21"))
    findings += [f for f in citation_findings(parsed, documents, unit) if f.text.strip("《》") not in already]
    return CheckReport(findings, doc_type=effective)


def _refuse_classified(text: str) -> Finding | None:
    head = [ln.strip(" 　*#") for ln in text.splitlines()[:6] if ln.strip()]
    marking = next((ln for ln in head if SECRET_LIKE.search(ln)), None)
    if marking is None:
        found = _SECRET_ANYWHERE.search(text)
        marking = found.group() if found else None
    if marking is None:
        return None
    return Finding(
        rule="T12",
        severity="blocking",
        location="版头",
        text=marking,
        fix="涉密公文不得在联网系统中处理，请按保密规定在涉密载体上办理",
        message="文件标有密级，已拒绝处理，未读取正文",
    )


def _finding(rule_id: str, hit: Hit, unit: str) -> Finding:
    rule = RULES[rule_id]
    where = f"{hit.element}（第{hit.line.no}{unit}）" if hit.line else hit.element
    return Finding(rule_id, rule.severity, where, hit.text, hit.fix, hit.message, todo=rule_id == "T31")


def check_file(
    path: Path, *, doc_type: str | None = None, documents: Iterable[DocumentRecordLike] = ()
) -> CheckReport:
    """Check a .docx (text and GB/T 9704 layout), .txt or .md file (arguments as in ``check_document``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from agents.gongwen.layout import check_layout, docx_text

        text = docx_text(path)
        report = check_document(text, doc_type=doc_type, documents=documents, unit="段")
        if not report.refused:
            report.findings += check_layout(path)
    elif suffix in (".txt", ".md"):
        try:
            text = decode_text(path.read_bytes(), str(path))
        except (OSError, LoadError) as exc:
            raise CheckInputError(f"cannot read {path}: {exc}") from exc
        report = check_document(text, doc_type=doc_type, documents=documents)
    else:
        raise CheckInputError(f"{path}: cannot check {suffix or 'a file without suffix'}; use .docx, .txt or .md")
    report.source = str(path)
    return report


__all__ = ["CheckInputError", "ParsedDocument", "check_document", "check_file"]
