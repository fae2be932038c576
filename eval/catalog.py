"""The scenario catalog: 400 scenario cards (8 domains × 5 sectors × 10 capabilities) stored as YAML.

``eval/catalog/taxonomy.yaml`` is the skeleton (domains, sectors with their topics, the 20 capabilities with
agent, tools, metrics and threshold); ``eval/catalog/cards/*.yaml`` holds one card per scenario type,
generated from it by ``python -m eval.catalog_build`` and editable (a threshold, a data class) by hand.
"""

from __future__ import annotations

import fnmatch
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agents.errors import validation_problems

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
DataClass = Literal["公开", "内部", "敏感"]
_DATA_CLASS_ORDER: dict[str, int] = {"公开": 0, "内部": 1, "敏感": 2}
_CODE = r"^[A-Z]{2}$"


class CatalogError(ValueError):
    """The catalog YAML is invalid; the message names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Capability(_Strict):
    name: str
    agent: str
    tools: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(min_length=1)
    threshold: float = Field(ge=0, le=1)
    data_class: DataClass = "内部"


class Sector(_Strict):
    name: str
    topics: list[str] = Field(min_length=1, description="content topics generators pick material by")
    data_class: DataClass | None = None


class Domain(_Strict):
    name: str
    capabilities: list[str] = Field(min_length=10, max_length=10)
    sectors: list[Sector] = Field(min_length=5, max_length=5)


class Taxonomy(_Strict):
    capabilities: dict[str, Capability]
    human_review: list[str]
    domains: dict[str, Domain]

    @model_validator(mode="after")
    def _known_codes(self) -> Taxonomy:
        for code, domain in self.domains.items():
            unknown = [c for c in domain.capabilities if c not in self.capabilities]
            if unknown:
                raise ValueError(f"domain {code}: unknown capabilities {unknown}; known: {sorted(self.capabilities)}")
        return self


class ScenarioCard(_Strict):
    """One scenario type: who serves it, how it is scored, how sensitive its data is."""

    id: str = Field(pattern=r"^[A-Z]{2}[1-5]-[A-Z]{2}$")
    domain: str = Field(pattern=_CODE)
    domain_name: str
    sector: int = Field(ge=1, le=5)
    sector_name: str
    capability: str = Field(pattern=_CODE)
    capability_name: str
    title: str
    agent: str
    tools: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(min_length=1)
    threshold: float = Field(ge=0, le=1)
    data_class: DataClass
    human_review: bool
    topics: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent_id(self) -> ScenarioCard:
        if self.id != f"{self.domain}{self.sector}-{self.capability}":
            raise ValueError(f"id {self.id!r} does not match domain/sector/capability")
        if self.title != f"{self.sector_name}·{self.capability_name}":
            raise ValueError(f"title {self.title!r} must be '{self.sector_name}·{self.capability_name}'")
        return self

    @property
    def sector_id(self) -> str:
        return f"{self.domain}{self.sector}"


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The skeleton the cards are generated from."""
    return Taxonomy.model_validate(_read_yaml(path or CATALOG_DIR / "taxonomy.yaml"))


def build_cards(taxonomy: Taxonomy) -> list[ScenarioCard]:
    """Every (sector, capability) card of the taxonomy, in domain/sector/capability order."""
    cards: list[ScenarioCard] = []
    for code, domain in taxonomy.domains.items():
        for number, sector in enumerate(domain.sectors, 1):
            for cap_code in domain.capabilities:
                cap = taxonomy.capabilities[cap_code]
                data_class = max(cap.data_class, sector.data_class or "公开", key=_DATA_CLASS_ORDER.__getitem__)
                cards.append(
                    ScenarioCard(
                        id=f"{code}{number}-{cap_code}",
                        domain=code,
                        domain_name=domain.name,
                        sector=number,
                        sector_name=sector.name,
                        capability=cap_code,
                        capability_name=cap.name,
                        title=f"{sector.name}·{cap.name}",
                        agent=cap.agent,
                        tools=list(cap.tools),
                        metrics=list(cap.metrics),
                        threshold=cap.threshold,
                        data_class=data_class,
                        human_review=cap_code in taxonomy.human_review,
                        topics=list(sector.topics),
                    )
                )
    return cards


@lru_cache(maxsize=4)
def load_catalog(directory: Path | None = None) -> tuple[ScenarioCard, ...]:
    """All scenario cards from ``cards/*.yaml``, validated; duplicate ids are an error."""
    folder = (directory or CATALOG_DIR) / "cards"
    cards: list[ScenarioCard] = []
    for path in sorted(folder.glob("*.yaml")):
        for index, item in enumerate(_read_yaml(path).get("scenarios", [])):
            try:
                cards.append(ScenarioCard.model_validate(item))
            except ValidationError as exc:
                where = validation_problems(exc)
                raise CatalogError(f"{path}: scenario #{index + 1}: {where}") from exc
    seen: set[str] = set()
    for card in cards:
        if card.id in seen:
            raise CatalogError(f"{folder}: scenario id {card.id} appears twice")
        seen.add(card.id)
    if not cards:
        raise CatalogError(f"{folder}: no scenario cards; run `python -m eval.catalog_build`")
    return tuple(cards)


def select(
    cards: tuple[ScenarioCard, ...] | list[ScenarioCard],
    scenarios: list[str] | None = None,
    domain: str | None = None,
    capability: str | None = None,
) -> list[ScenarioCard]:
    """Cards matching id patterns (``FW4-PM``, ``ZL1-*``, ``*-CD``), a domain and a capability code."""
    chosen = list(cards)
    if scenarios:
        patterns = [p.strip().upper() for p in scenarios if p.strip()]
        unmatched = [p for p in patterns if not any(fnmatch.fnmatchcase(c.id, p) for c in chosen)]
        if unmatched:
            raise CatalogError(f"no scenario matches {', '.join(unmatched)}; ids look like FW4-PM, ZL1-* or *-CD")
        chosen = [c for c in chosen if any(fnmatch.fnmatchcase(c.id, p) for p in patterns)]
    if domain:
        chosen = [c for c in chosen if c.domain == domain.upper()]
    if capability:
        chosen = [c for c in chosen if c.capability == capability.upper()]
    return chosen


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        # libyaml's loader when present: the 400 cards parse in a fraction of the pure-Python time.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"{path}: cannot read YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    return data
