"""预案 kinds as data (``hazards.yaml``): keywords, basis, lead unit, roles, response levels Ⅰ–Ⅳ and steps."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents.errors import validation_problems

HAZARDS_FILE = Path(__file__).resolve().parent / "hazards.yaml"
LEVELS = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ")
LEVEL_NAMES = {"Ⅰ": "特别重大", "Ⅱ": "重大", "Ⅲ": "较大", "Ⅳ": "一般"}


class HazardFileError(ValueError):
    """The 预案 kinds file is unreadable or invalid (an operator error)."""


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid")

    condition: str
    starter: str = Field(description="the unit that starts this level of response, as named in org_units")


class Hazard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    title: str
    keywords: list[str] = Field(min_length=1)
    hazard_tag: str = Field(description="the value of emergency_resources.hazards this plan draws on")
    category: str
    basis: list[str] = Field(default_factory=list)
    lead: str
    roles: list[str] = Field(min_length=1, description="org_units.role values whose units join the 指挥部")
    levels: dict[str, Level]
    steps: list[str] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _four_levels(cls, value: dict[str, Level]) -> dict[str, Level]:
        if sorted(value) != sorted(LEVELS):
            raise ValueError(f"levels must be exactly {', '.join(LEVELS)}; got {', '.join(value)}")
        return {level: value[level] for level in LEVELS}


class HazardBook(BaseModel):
    model_config = ConfigDict(extra="forbid")

    common_basis: list[str]
    hazards: dict[str, Hazard]

    def choose(self, question: str) -> Hazard | None:
        """The kind whose keywords the question uses most; None when it uses none."""
        scored = [(sum(k in question for k in h.keywords), i, h) for i, h in enumerate(self.hazards.values())]
        best = max(scored, key=lambda s: (s[0], -s[1]))
        return best[2] if best[0] else None


@lru_cache(maxsize=4)
def load_hazards(path: Path = HAZARDS_FILE) -> HazardBook:
    try:
        return HazardBook.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise HazardFileError(f"cannot read plan kinds {path}: {exc}") from exc
    except ValidationError as exc:
        problems = validation_problems(exc)
        raise HazardFileError(f"{path}: {problems}") from exc
