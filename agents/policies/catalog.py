"""The policy catalog: each support measure's eligibility as data, tied to the 条 of the policy that states it.

A catalog is YAML (the built-in one is ``agents/policies/catalog.yaml``). Conditions name a profile field
from ``vocabulary.FIELD_LABELS``, an operator that fits the field's kind and a value; industry and
qualification values must come from the vocabulary. A bad entry fails at load with the file, the measure
and the fix, never at evaluation time.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agents.policies.vocabulary import FIELD_LABELS, INDUSTRIES, QUALIFICATIONS

Op = Literal["in", "not_in", ">=", "<=", ">", "<", "==", "contains"]
OPS_BY_KIND: dict[str, tuple[str, ...]] = {
    "number": (">=", "<=", ">", "<", "=="),
    "text": ("in", "not_in", "=="),
    "list": ("contains",),
    "bool": ("==",),
}
_ARTICLE = r"^第[一二三四五六七八九十百零]+条$"


class CatalogError(ValueError):
    """A catalog file is invalid; the message names the file, the measure and the fix."""


class Condition(BaseModel):
    """One checkable condition: ``field op value``, with the policy's own wording in ``text``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    op: Op
    value: bool | int | float | str | list[str]
    text: str = Field(min_length=1, description="the condition's original wording in the policy")

    @model_validator(mode="after")
    def _fits_field(self) -> Condition:
        if self.field not in FIELD_LABELS:
            raise ValueError(f"unknown field {self.field!r}; known: {', '.join(FIELD_LABELS)}")
        kind = FIELD_LABELS[self.field].kind
        if self.op not in OPS_BY_KIND[kind]:
            usable = ", ".join(OPS_BY_KIND[kind])
            raise ValueError(f"op {self.op!r} does not apply to {kind} field {self.field!r}; use {usable}")
        expected = {
            "number": isinstance(self.value, int | float) and not isinstance(self.value, bool),
            "bool": isinstance(self.value, bool),
            "list": isinstance(self.value, str | list),
            "text": isinstance(self.value, list) if self.op in ("in", "not_in") else isinstance(self.value, str),
        }[kind]
        if not expected or self.value in ([], ""):
            raise ValueError(f"value {self.value!r} does not fit {self.field} {self.op}; see OPS_BY_KIND for the forms")
        vocabulary = {"industry": INDUSTRIES, "qualifications": QUALIFICATIONS}.get(self.field)
        values = self.value if isinstance(self.value, list) else [self.value]
        unknown = [v for v in values if vocabulary and v not in vocabulary]
        if vocabulary and unknown:
            listing = ", ".join(map(str, unknown))
            raise ValueError(f"{self.field} value(s) {listing} unknown; known: {', '.join(vocabulary)}")
        return self


class Benefit(BaseModel):
    """What the measure gives: the policy's wording, a short amount, and the maximum in 万元 if monetary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    amount: str = ""
    amount_wan: float | None = Field(None, ge=0)


class Measure(BaseModel):
    """One support measure (扶持措施) of a policy, stated in one 条."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,60}$")
    title: str
    article: str = Field(pattern=_ARTICLE, description="the 条 stating the measure, e.g. 第九条")
    benefit: Benefit
    conditions: list[Condition] = Field(min_length=1)
    unchecked: list[str] = Field(default_factory=list, description="conditions a profile cannot show; to confirm")
    department: str = ""


class Policy(BaseModel):
    """A policy document and the measures catalogued from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    doc_id: str = Field(description="the document's id in the knowledge base (file name without extension)")
    title: str
    doc_number: str = ""
    valid_until: str = Field("", pattern=r"^(\d{4}-\d{2}-\d{2})?$")
    notes: list[str] = Field(default_factory=list, description="how to apply and rules across measures")
    measures: list[Measure] = Field(min_length=1)


class Catalog(BaseModel):
    """Every catalogued policy; measure ids are unique across the catalog."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    policies: list[Policy] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalog:
        ids = [measure.id for _, measure in self.measures()]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"measure id(s) {', '.join(duplicates)} used more than once; give each measure its own id")
        return self

    def measures(self) -> Iterator[tuple[Policy, Measure]]:
        """Every (policy, measure) in catalog order."""
        for policy in self.policies:
            for measure in policy.measures:
                yield policy, measure


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and validate a catalog file; without ``path``, the built-in catalog (read once).

    Raises:
        CatalogError: unreadable YAML or an invalid entry, naming the file and the measure.
    """
    if path is None:
        return _builtin()
    return _load(path, path.read_text(encoding="utf-8") if path.is_file() else None)


@lru_cache(maxsize=1)
def _builtin() -> Catalog:
    resource = files("agents.policies").joinpath("catalog.yaml")
    return _load(Path(str(resource)), resource.read_text(encoding="utf-8"))


def _load(path: Path, text: str | None) -> Catalog:
    if text is None:
        raise CatalogError(f"{path}: policy catalog not found; check the path")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: cannot read YAML: {exc}") from exc
    try:
        return Catalog.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_entry(data, error['loc'])}: {error['msg']}" for error in exc.errors())
        raise CatalogError(f"{path}: {problems}") from exc


def _entry(data: Any, loc: tuple[int | str, ...]) -> str:
    """Where an error sits, naming the measure by id: ``measure 'hightech-award' conditions.0``."""
    where = ".".join(map(str, loc)) or "(root)"
    if len(loc) >= 4 and loc[0] == "policies" and loc[2] == "measures":
        try:
            measure_id = data["policies"][loc[1]]["measures"][loc[3]].get("id", "?")
        except (KeyError, IndexError, TypeError, AttributeError):
            return where
        rest = ".".join(map(str, loc[4:]))
        return f"measure {measure_id!r}{' ' + rest if rest else ''} ({where})"
    return where
