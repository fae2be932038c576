"""Citations against a knowledge base: a cited 《document》 that the KB records as 已废止, or cited with a
发文字号 other than the one the KB holds (T21 / T20 with the KB lookup of gov-domain §2.5).

The checker itself needs no knowledge base; the agent's ``check_document`` tool passes the records of the
run's knowledge bases that the caller may see. Titles are matched exactly (after removing spaces), so a
paraphrased title is not looked up rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from agents.gongwen.parse import ParsedDocument, parse_document
from agents.gongwen.registry import RULES
from agents.gongwen.report import Finding

_CITED = re.compile(r"《(?P<title>[^》]{4,60})》(?:[（(](?P<number>[^）)]{3,24}号)[）)])?")


class DocumentRecordLike(Protocol):
    """The fields of ``knowledge.DocumentRecord`` this check reads."""

    title: str
    doc_number: str
    validity: str


def _key(title: str) -> str:
    return re.sub(r"[\s　]", "", title)


def check_citations(text: str, documents: Iterable[DocumentRecordLike]) -> list[Finding]:
    """Findings for cited documents the knowledge base marks repealed or numbers differently."""
    return citation_findings(parse_document(text), documents)


def citation_findings(
    parsed: ParsedDocument, documents: Iterable[DocumentRecordLike], unit: str = "行"
) -> list[Finding]:
    """``check_citations`` on a document already parsed (the checker's path)."""
    known = {_key(d.title): d for d in documents if d.title}
    if not known:
        return []
    findings: list[Finding] = []
    seen: set[str] = set()
    for line in parsed.body:
        for match in _CITED.finditer(line.text):
            title, number = match.group("title"), match.group("number")
            record = known.get(_key(title))
            if record is None or title in seen:
                continue
            seen.add(title)
            where = f"正文引文（第{line.no}{unit}）"
            if record.validity == "已废止":
                message = f"知识库记载《{title}》已废止"
                fix = "改引现行有效的文件"
                findings.append(Finding("T21", RULES["T21"].severity, where, f"《{title}》", fix, message))
            elif number and record.doc_number and _key(number) != _key(record.doc_number):
                fix = f"按知识库记录改为“（{record.doc_number}）”，或核对所引文件"
                findings.append(Finding("T20", RULES["T20"].severity, where, number, fix, "所引文号与知识库记录不符"))
    return findings
