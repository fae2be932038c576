"""Query normalisation: colloquial government-service words expanded with their official terms.

Citizens ask 「社保卡丢了怎么办」; the 办事指南 is titled 社会保障卡补领. Neither BM25 (no shared token) nor
the small offline embedding model reliably bridges that gap. So BM25 searches the question with the official
terms appended (``expand``: its own tokens still count), and the embedding model gets the question with the
colloquial words replaced in place (``rewrite``: no longer to encode). The map is data (``query_terms.yaml``),
general vocabulary rather than item names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from knowledge.errors import KnowledgeError

SECTIONS = ("terms", "actions")


class TermMapSpec(BaseModel):
    """The YAML file: ``terms`` and ``actions``, each mapping an official term to its colloquial forms."""

    model_config = ConfigDict(extra="forbid")

    terms: dict[str, list[str]] = {}
    actions: dict[str, list[str]] = {}

    @field_validator("terms", "actions")
    @classmethod
    def _non_empty(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for official, colloquial in value.items():
            if not official.strip() or not colloquial or any(not c.strip() for c in colloquial):
                raise ValueError(f"entry {official!r}: official term and every colloquial form must be non-empty")
        return value


@dataclass(frozen=True)
class TermMap:
    """Colloquial → official lookups, longest colloquial form first."""

    entries: tuple[tuple[str, str], ...]  # (colloquial, official)

    @classmethod
    def from_spec(cls, spec: TermMapSpec, sections: tuple[str, ...] = SECTIONS) -> TermMap:
        pairs = {
            (colloquial, official)
            for section in sections
            for official, forms in getattr(spec, section).items()
            for colloquial in forms
        }
        return cls(tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair))))

    def matches(self, query: str) -> list[tuple[int, int, str]]:
        """(start, end, official term) of each colloquial word in ``query`` whose official term is absent.

        A position claimed by a longer colloquial form is not matched again by a shorter one inside it
        (社保卡 → 社会保障卡, not also 社保 → 社会保险). Sorted by position.
        """
        claimed = [False] * len(query)
        found: list[tuple[int, int, str]] = []
        for colloquial, official in self.entries:
            start = query.find(colloquial)
            while start >= 0:
                end = start + len(colloquial)
                if not any(claimed[start:end]):
                    claimed[start:end] = [True] * (end - start)
                    if official not in query:
                        found.append((start, end, official))
                start = query.find(colloquial, start + 1)
        return sorted(found)

    def official_terms(self, query: str) -> list[str]:
        """Official terms for the colloquial words in ``query``, in the order first met, none already present."""
        ordered: list[str] = []
        for _, _, official in self.matches(query):
            if official not in ordered:
                ordered.append(official)
        return ordered

    def expand(self, query: str) -> str:
        """``query`` followed by the official terms of its colloquial words (unchanged when there are none).

        For BM25: the question's own tokens still match, and the official ones are added.
        """
        extra = self.official_terms(query)
        return f"{query} {' '.join(extra)}" if extra else query

    def rewrite(self, query: str) -> str:
        """``query`` with each colloquial word replaced in place by its official term.

        For the embedding model: as good as appending the terms on the benchmark, without the ~10% more tokens
        to encode (encoding the query is most of a search's cost).
        """
        for start, end, official in reversed(self.matches(query)):
            query = query[:start] + official + query[end:]
        return query


def load_term_map(path: Path | None = None, sections: tuple[str, ...] = SECTIONS) -> TermMap:
    """The term map from ``path``, or the shipped ``knowledge/query_terms.yaml``."""
    source = path or files("knowledge").joinpath("query_terms.yaml")
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
        spec = TermMapSpec.model_validate(raw)
    except (OSError, yaml.YAMLError, ValueError) as exc:
        raise KnowledgeError(f"cannot load the query term map {source}: {exc}") from exc
    return TermMap.from_spec(spec, sections)


@lru_cache(maxsize=1)
def default_term_map() -> TermMap:
    """The shipped map, loaded once per process."""
    return load_term_map()
