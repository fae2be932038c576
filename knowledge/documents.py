"""The data that flows through ingestion and retrieval: loaded documents, chunks, hits."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

AccessLevel = Literal["public", "internal", "confidential"]
ACCESS_LEVELS: tuple[AccessLevel, ...] = ("public", "internal", "confidential")

Validity = Literal["现行有效", "已废止", "已修订"]
VALIDITIES: tuple[Validity, ...] = ("现行有效", "已废止", "已修订")


def levels_up_to(clearance: AccessLevel) -> list[AccessLevel]:
    """Access levels a caller cleared for ``clearance`` may read (public ⊂ internal ⊂ confidential)."""
    return list(ACCESS_LEVELS[: ACCESS_LEVELS.index(clearance) + 1])


@dataclass
class DocumentMeta:
    """Facts about a document, extracted from its text and overridable by flags or a sidecar."""

    issuer: str = ""  # 发文机关
    doc_number: str = ""  # 发文字号, e.g. 示市府〔2025〕12号
    date: str = ""  # 成文日期, ISO yyyy-mm-dd
    validity: Validity = "现行有效"
    access: AccessLevel = "public"
    department: str = ""


@dataclass
class SourceDocument:
    """One document as a loader produced it: plain text plus what the loader knew.

    ``meta_hints`` holds values the source stated explicitly (a docx core property, a record field,
    a sidecar); they win over values extracted from the text.
    """

    doc_id: str
    title: str
    text: str
    source: str
    meta_hints: dict[str, str] = field(default_factory=dict)


@dataclass
class Chunk:
    """A passage of a document with its place in the document's structure.

    ``start``/``end`` are character offsets into the document text, so ``text == doc.text[start:end]``.
    ``heading`` is the heading path, e.g. ``第三章 总则 > 第十二条``.
    """

    text: str
    heading: str
    start: int
    end: int


@dataclass
class Hit:
    """A retrieved passage with everything a citation needs."""

    doc_id: str
    title: str
    heading: str
    text: str
    score: float
    source: str
    access: AccessLevel
    start: int
    end: int
    kb: str = ""
    validity: str = "现行有效"
    doc_number: str = ""
    issuer: str = ""
    department: str = ""

    def citation(self) -> str:
        """Human citation like 《江临市社会保障卡管理办法》第十二条 (the innermost heading)."""
        innermost = self.heading.split(" > ")[-1] if self.heading else ""
        return f"《{self.title}》{innermost if innermost != self.title else ''}"
