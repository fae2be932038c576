"""Who is asking and what a run may use: the Caller and the RunContext every tool receives.

Tools never open stores or read settings; they get a RunContext whose ``search`` applies the caller's
scope. That is what makes "an internal document never reaches a citizen" a property of the structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from knowledge import AccessLevel, Hit, KnowledgeBase, SearchFilters
from knowledge.retrieval import passage_hit

Audience = Literal["citizen", "staff", "admin", "evaluator"]


@dataclass(frozen=True)
class Caller:
    """The person (or system) on whose behalf an agent runs."""

    audience: Audience = "citizen"
    department: str = ""
    clearance: AccessLevel = "public"

    @property
    def effective_clearance(self) -> AccessLevel:
        """Citizens are public-only whatever clearance was claimed; staff keep theirs."""
        return "public" if self.audience == "citizen" else self.clearance

    def filters(self, include_repealed: bool = False) -> SearchFilters:
        # Administrators see every department's confidential documents; everyone else only their own's.
        home = None if self.audience == "admin" else self.department
        return SearchFilters(self.effective_clearance, include_repealed=include_repealed, home_department=home)


@dataclass
class RunContext:
    """What one agent run may use. Created at the edge (CLI/API) per request."""

    caller: Caller
    knowledge: KnowledgeBase | None = None
    kbs: list[str] = field(default_factory=list)
    evidence: list[Hit] = field(default_factory=list)  # every passage a tool retrieved, for citations and trace
    searches: int = 0  # how many retrievals tools ran; with no evidence, an evidence-bound answer refuses

    def search(self, query: str, k: int = 5, per_doc: int = 1, include_repealed: bool = False) -> list[Hit]:
        """Search the agent's knowledge bases within the caller's scope, recording the evidence."""
        self.searches += 1
        if self.knowledge is None or not self.kbs:
            return []
        names = [kb for kb in self.kbs if kb in self.knowledge.names()]
        if not names:
            return []
        hits = self.knowledge.search(query, names, k=k, filters=self.caller.filters(include_repealed), per_doc=per_doc)
        self.evidence.extend(hit for hit in hits if hit not in self.evidence)
        return hits

    def document_text(self, kb: str, doc_id: str) -> str:
        """The parsed text of one document (rebuilt from its chunks' spans), if the caller may read it."""
        parts: list[str] = []
        covered = 0
        for passage in self.document_passages(kb, doc_id):
            if passage.end <= covered:
                continue
            skip = max(0, covered - passage.start)  # overlapping chunks repeat text; keep it once
            if passage.start > covered and parts:
                parts.append("\n")
            parts.append(passage.text[skip:])
            covered = passage.end
        return "".join(parts)

    def document_passages(self, kb: str, doc_id: str) -> list[Hit]:
        """All passages of one document in reading order, if the caller may read it (else [])."""
        if self.knowledge is None or kb not in self.kbs:
            return []
        document = self.knowledge.manifest.document(kb, doc_id)
        if document is None or not self.caller.filters(include_repealed=True).admits(document):
            return []
        passages = [
            passage_hit(chunk, document, 1.0)
            for chunk in self.knowledge.manifest.chunks_of(kb, doc_id)
            if chunk.ord >= 0
        ]
        return passages
