"""Finding a document by name and following the repeal chain (which document replaced which).

The chain is read from the documents themselves: a current 办法 says 「《…暂行办法》同时废止」 in its
final article. Nothing is inferred from titles alone, so a relation is reported only with the sentence
that states it, and only from documents the caller may read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.context import RunContext
from knowledge import Hit

# 「《江临市住房公积金提取管理暂行办法》（江临政发〔2019〕5号）同时废止」
_REPEALS = re.compile(r"《([^》]{2,60})》(?:（[^）]{0,40}）)?[^。；《]{0,30}?废止")
_BRACKETS = re.compile(r"[《》〈〉\"“”]")


@dataclass(frozen=True)
class DocumentRef:
    """One document as a research answer names it."""

    kb: str
    doc_id: str
    title: str
    doc_number: str
    issuer: str
    validity: str
    access: str

    @classmethod
    def from_hit(cls, hit: Hit) -> DocumentRef:
        return cls(hit.kb, hit.doc_id, hit.title, hit.doc_number, hit.issuer, hit.validity, hit.access)

    def to_dict(self) -> dict[str, str]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "validity": self.validity,
            "access": self.access,
        }


def _normal(name: str) -> str:
    return _BRACKETS.sub("", name).strip()


def find_document(ctx: RunContext, name: str) -> DocumentRef | None:
    """The document the caller may read whose title best matches ``name`` (repealed ones included).

    An exact title wins, then a title containing the name (or contained in it); otherwise the
    top search hit, which may be a different document than meant — the answer shows its title.
    """
    wanted = _normal(name)
    if not wanted:
        return None
    hits = ctx.search(wanted, k=8, include_repealed=True)
    if not hits:
        return None
    for test in (
        lambda title: title == wanted,
        lambda title: wanted in title,
        lambda title: title in wanted,
    ):
        matches = [hit for hit in hits if test(hit.title)]
        if matches:
            return DocumentRef.from_hit(matches[0])
    return DocumentRef.from_hit(hits[0])


def predecessor_of(ctx: RunContext, document: DocumentRef) -> tuple[DocumentRef, Hit] | None:
    """The document ``document`` repealed, with the passage that says so."""
    for passage in ctx.document_passages(document.kb, document.doc_id):
        for match in _REPEALS.finditer(passage.text):
            title = match.group(1)
            if title == document.title:
                continue
            found = find_document(ctx, title)
            if found is not None and found.title == title:
                return found, passage
    return None


def successor_of(ctx: RunContext, document: DocumentRef) -> tuple[DocumentRef, Hit] | None:
    """The document that repealed ``document``, with the passage that says so."""
    for hit in ctx.search(f"《{document.title}》同时废止", k=5, include_repealed=True):
        if hit.doc_id == document.doc_id:
            continue
        if any(match.group(1) == document.title for match in _REPEALS.finditer(hit.text)):
            return DocumentRef.from_hit(hit), hit
    return None
