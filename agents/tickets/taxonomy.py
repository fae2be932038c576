"""The 12345 ticket taxonomy: 诉求类型, a two-level topic tree, 承办单位 and 办理时限, validated from YAML.

The packaged ``taxonomy.yaml`` encodes the sample city's 派发规程; a deployment points
``load_taxonomy(path)`` (wired to a setting such as ``SHUZHI_TICKET_TAXONOMY``) at its own file.
A bad file fails at load with the file, the field and the fix.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

TimeLimitClass = Literal["A", "B", "C"]
DISTRICT_PLACEHOLDER = "{区}"
UNKNOWN_DISTRICT = "事发地区"  # the 规程's own wording when the district is not known
DEFAULT_TAXONOMY = Path(__file__).resolve().parent / "taxonomy.yaml"


class TaxonomyError(ValueError):
    """A taxonomy file is invalid: the message names the file, the field and the fix."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TimeLimit(_Strict):
    days: int = Field(ge=1, le=60, description="工作日")
    description: str


class Urgency(_Strict):
    """Phrases that make a topic's ticket an A-class emergency (规程: 正在发生的为A, 窨井盖缺失为A …)."""

    keywords: list[str] = Field(min_length=1)
    note: str


class TicketType(_Strict):
    """One 诉求类型 (咨询, 求助, 投诉 …)."""

    name: str = Field(min_length=1)
    description: str
    time_limit: TimeLimitClass | None = Field(None, description="None: no 办理时限 (e.g. 感谢 is passed on)")
    always_review: bool = Field(False, description="e.g. 其他: not a 诉求 to dispatch, a person decides")
    strong_keywords: list[str] = Field(default_factory=list, description="the caller naming the type: 我要投诉")
    keywords: list[str] = Field(default_factory=list)
    examples: list[str] = Field(min_length=3, max_length=20)


class Topic(_Strict):
    """A leaf topic with its 承办单位 and the 规程's 时限类别."""

    name: str = Field(min_length=1)
    description: str
    unit: str = Field(min_length=1, description="主办承办单位; {区} is replaced by the district")
    co_units: list[str] = Field(default_factory=list)
    time_limit: Literal["A", "B/C", "C"]
    urgent: Urgency | None = None
    keywords: list[str] = Field(default_factory=list)
    examples: list[str] = Field(min_length=3, max_length=20)


class Category(_Strict):
    name: str = Field(min_length=1)
    topics: list[Topic] = Field(min_length=1)


class Scoring(_Strict):
    """How keyword hits and embedding similarity combine; see ``agents.tickets.triage``."""

    # Chosen by leave-one-out over this file's own examples (not the test set): topics 0.905 top-1,
    # and 96% of topic answers with confidence ≥ 0.8 were right.
    keyword_weight: float = Field(0.08, ge=0, le=1, description="topics: weight of keyword evidence (0–1)")
    type_keyword_weight: float = Field(0.08, ge=0, le=1, description="诉求类型: weight of keyword evidence (0–1)")
    temperature: float = Field(0.01, gt=0, le=1, description="softmax temperature over combined scores")


class Taxonomy(_Strict):
    """The whole configuration for one city."""

    city: str
    version: str
    basis: str = ""
    districts: list[str] = Field(min_length=1)
    fallback_unit: str
    review_threshold: float = Field(0.8, ge=0, le=1)
    time_limits: dict[TimeLimitClass, TimeLimit]
    conflicts: list[tuple[str, str]] = Field(default_factory=list)
    scoring: Scoring = Field(default_factory=Scoring)
    types: list[TicketType] = Field(min_length=2)
    categories: list[Category] = Field(min_length=1)

    _fingerprint: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _consistent(self) -> Taxonomy:
        missing = {"A", "B", "C"} - set(self.time_limits)
        if missing:
            raise ValueError(f"time_limits lacks class(es) {', '.join(sorted(missing))}; define A, B and C")
        names = [t.name for t in self.types]
        _unique(names, "types")
        _unique([c.name for c in self.categories], "categories")
        for category in self.categories:
            _unique([t.name for t in category.topics], f"categories.{category.name}.topics")
        for pair in self.conflicts:
            unknown = [name for name in pair if name not in names]
            if unknown:
                raise ValueError(f"conflicts: unknown type(s) {', '.join(unknown)}; known: {', '.join(names)}")
        return self

    def model_post_init(self, __context: object) -> None:
        dump = json.dumps(self.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
        self._fingerprint = hashlib.sha256(dump.encode("utf-8")).hexdigest()[:16]

    @property
    def fingerprint(self) -> str:
        """A content hash; cached example vectors are keyed by it."""
        return self._fingerprint

    def leaves(self) -> list[tuple[Category, Topic]]:
        """Every (category, topic) pair in file order."""
        return [(category, topic) for category in self.categories for topic in category.topics]

    def type_named(self, name: str) -> TicketType:
        """The 诉求类型 called ``name``."""
        for ticket_type in self.types:
            if ticket_type.name == name:
                return ticket_type
        raise KeyError(f"unknown ticket type {name!r}; known: {', '.join(t.name for t in self.types)}")


def _unique(names: list[str], field: str) -> None:
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"{field}: duplicate name(s) {', '.join(repeated)}; each name must be unique")


def load_taxonomy(path: Path | str | None = None) -> Taxonomy:
    """Load and validate a taxonomy YAML file.

    Args:
        path: the deployment's taxonomy file; None loads the packaged 江临市 sample.

    Returns:
        The validated taxonomy.

    Raises:
        TaxonomyError: the file is unreadable or invalid; the message names the file and the field.
    """
    source = Path(path) if path is not None else DEFAULT_TAXONOMY
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TaxonomyError(f"{source}: cannot read taxonomy YAML: {exc}; check SHUZHI_TICKET_TAXONOMY") from exc
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"field {_where(data, e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False))
        raise TaxonomyError(f"{source}: {problems}") from exc


def _where(data: Any, loc: tuple[int | str, ...]) -> str:
    """A readable field path: list items are named by their ``name`` (categories.3[城市管理].topics.0[占道经营])."""
    parts: list[str] = []
    node = data
    for key in loc:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        name = node.get("name") if isinstance(key, int) and isinstance(node, dict) else None
        parts.append(f"{key}[{name}]" if name else str(key))
    return ".".join(parts) or "(root)"
