"""Errors raised by the knowledge base, each naming the offending value and the fix."""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class for knowledge-base errors shown to operators."""


class LoadError(KnowledgeError):
    """A file could not be read into text. The rest of a batch still ingests."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnknownKnowledgeBaseError(KnowledgeError):
    def __init__(self, name: str, known: list[str]) -> None:
        listing = ", ".join(known) if known else "(none yet; create one with `shuzhi kb ingest PATH --kb NAME`)"
        super().__init__(f"unknown knowledge base {name!r}; known: {listing}")
        self.name = name
