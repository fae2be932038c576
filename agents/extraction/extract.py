"""Schema-driven extraction: each field by cue word, then by type pattern, then (enums) by the embedder.

Confidence is a fixed score per method, so a reviewer can read it as a rule, not a probability:

=========================================  ==========
how the value was found                    confidence
=========================================  ==========
after its label/cue, value passes checks   0.95
after its label/cue (free text)            0.90
enum word or alias in the text (one)       0.90
type pattern, the only candidate           0.80
enum words of several choices              0.60
type pattern, one of several candidates    0.60
embedding nearest choice (enum)            0.40–0.75 (by margin over the runner-up)
value fails its check (身份证 check digit)  0.40
=========================================  ==========
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from agents.extraction.schema import ExtractionSchema, FieldSpec
from agents.extraction.values import FINDERS, Candidate, leading_person
from knowledge import Embedder

_VALUE_END = "，,。；;\n"


@dataclass(frozen=True)
class ExtractedField:
    """One field's value (None when not found) with its span in the text and how it was found."""

    name: str
    label: str
    type: str
    value: str | None = None
    normalized: str | None = None
    start: int | None = None
    end: int | None = None
    confidence: float = 0.0
    method: str = "none"
    valid: bool | None = None


@dataclass
class Extraction:
    """The result for one schema: every field in schema order."""

    schema_id: str
    title: str
    fields: list[ExtractedField] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Labels of the fields with no value."""
        return [f.label for f in self.fields if f.value is None]

    def values(self) -> dict[str, str]:
        """Field name → normalised value, for the fields found."""
        return {f.name: f.normalized or f.value or "" for f in self.fields if f.value is not None}

    def to_dict(self) -> dict[str, Any]:
        fields = [asdict(f) for f in self.fields]
        return {"schema": self.schema_id, "title": self.title, "fields": fields, "values": self.values()} | {
            "missing": self.missing
        }


def extract(text: str, schema: ExtractionSchema, embedder: Embedder | None = None) -> Extraction:
    """Extract every field of ``schema`` from ``text``.

    Args:
        text: the source text (a message, a record's 「字段：值」 lines, a document).
        schema: the fields to find.
        embedder: used only for enum fields that no word of the text names; None skips that step.
    """
    used: set[tuple[int, int]] = set()
    result = Extraction(schema.id, schema.title)
    for spec in schema.fields:
        found = _by_cue(text, spec, used) or _by_pattern(text, spec, used) or _by_embedding(text, spec, embedder)
        if found.start is not None and found.end is not None:
            used.add((found.start, found.end))
        result.fields.append(found)
    return result


def _result(spec: FieldSpec, candidate: Candidate, offset: int, confidence: float, method: str) -> ExtractedField:
    if candidate.valid is False:
        confidence = 0.4
    return ExtractedField(
        spec.name,
        spec.label,
        spec.type,
        candidate.text,
        candidate.normalized,
        candidate.start + offset,
        candidate.end + offset,
        confidence,
        method,
        candidate.valid,
    )


def _by_cue(text: str, spec: FieldSpec, used: set[tuple[int, int]]) -> ExtractedField | None:
    for cue in spec.all_cues:
        for match in re.finditer(rf"{re.escape(cue)}\s*(?:[:：]|为|是|叫)?\s*", text):
            window_end = min((i for i in (text.find(c, match.end()) for c in _VALUE_END) if i >= 0), default=len(text))
            window = text[match.end() : window_end].strip()
            offset = match.end() + (len(text[match.end() : window_end]) - len(text[match.end() : window_end].lstrip()))
            candidate = _in_window(window, spec)
            if candidate and (candidate.start + offset, candidate.end + offset) not in used:
                confidence = 0.9 if spec.type in ("text", "person", "enum") else 0.95
                return _result(spec, candidate, offset, confidence, "cue")
    return None


def _in_window(window: str, spec: FieldSpec) -> Candidate | None:
    if not window:
        return None
    if spec.type == "text":
        return Candidate(window, 0, len(window), window)
    if spec.type == "person":
        name = leading_person(window)
        return Candidate(name, 0, len(name), name) if name else None
    if spec.type == "enum":
        named = _choices_named(window, spec)
        return named[0] if len(named) == 1 else None
    found = FINDERS[spec.type](window)
    if not found and spec.type in ("org", "address"):
        return Candidate(window, 0, len(window), window)  # after its label, the whole value is the name
    return found[0] if found else None


def _by_pattern(text: str, spec: FieldSpec, used: set[tuple[int, int]]) -> ExtractedField | None:
    if spec.type in ("text", "number"):  # a bare number or clause means nothing without its label
        return None
    if spec.type == "enum":
        named = _choices_named(text, spec)
        if not named:
            return None
        distinct = {c.normalized for c in named}
        return _result(spec, named[0], 0, 0.9 if len(distinct) == 1 else 0.6, "gazetteer")
    candidates = [c for c in FINDERS[spec.type](text) if not any(c.start < e and s < c.end for s, e in used)]
    if not candidates:
        return None
    chosen = next((c for c in candidates if c.valid is not False), candidates[0])
    return _result(spec, chosen, 0, 0.8 if len(candidates) == 1 else 0.6, "pattern")


def _choices_named(text: str, spec: FieldSpec) -> list[Candidate]:
    """Choices whose name or an alias occurs in ``text``, in text order."""
    found = []
    for choice in spec.choices:
        for word in [choice, *spec.aliases.get(choice, [])]:
            position = text.find(word)
            if position >= 0:
                found.append(Candidate(word, position, position + len(word), choice))
                break
    return sorted(found, key=lambda c: c.start)


def _by_embedding(text: str, spec: FieldSpec, embedder: Embedder | None) -> ExtractedField:
    if spec.type != "enum" or embedder is None or not text.strip():
        return ExtractedField(spec.name, spec.label, spec.type)
    query = embedder.embed_query(text)
    scores = np.asarray(embedder.embed_passages(list(spec.choices))) @ query
    order = np.argsort(-scores)
    margin = float(scores[order[0]] - scores[order[1]]) if len(order) > 1 else 0.1
    choice = spec.choices[int(order[0])]
    confidence = round(min(0.75, 0.4 + 5 * margin), 2)
    return ExtractedField(spec.name, spec.label, spec.type, choice, choice, None, None, confidence, "embedding")
