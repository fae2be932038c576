"""Citation: a quoted source passage that backs a statement, shared by every tool that cites."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge import Hit


@dataclass(frozen=True)
class Citation:
    """A verbatim quote from one document, with where it sits.

    ``quote`` is exact source text (a substring of the document text ``RunContext.document_text``
    rebuilds); ``start``/``end`` are its offsets there, -1 when the quote came straight from a hit.
    ``label`` names the claim the quote backs (e.g. ``申请材料``), empty for a plain passage.
    """

    doc_id: str
    title: str
    heading: str
    quote: str
    kb: str = ""
    label: str = ""
    start: int = -1
    end: int = -1

    @classmethod
    def from_hit(cls, hit: Hit, quote: str | None = None, label: str = "") -> Citation:
        """Cite a retrieved passage, or the part ``quote`` of it."""
        text = hit.text if quote is None else quote
        offset = hit.text.find(text)
        start, end = (hit.start + offset, hit.start + offset + len(text)) if offset >= 0 else (-1, -1)
        return cls(hit.doc_id, hit.title, hit.heading, text, hit.kb, label, start, end)

    def render(self) -> str:
        """Human form such as 《社会保障卡补办办事指南》四、申请材料 (the innermost heading)."""
        innermost = self.heading.split(" > ")[-1] if self.heading else ""
        return f"《{self.title}》{innermost if innermost != self.title else ''}"

    def to_dict(self) -> dict[str, str]:
        """The four keys the CLI/API contract shows: doc_id, title, heading, quote."""
        return {"doc_id": self.doc_id, "title": self.title, "heading": self.heading, "quote": self.quote}
