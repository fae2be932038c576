"""Risk rules as data (``rules.yaml``): what to watch, the limits, the basis and the advice of each alert."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agents.errors import validation_problems

RULES_FILE = Path(__file__).resolve().parent / "rules.yaml"


class RiskRulesError(ValueError):
    """The rules file is unreadable or invalid (an operator error): the message names the rule and field."""


class RiskRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,40}$")
    name: str
    kind: Literal["repeat", "overdue", "threshold"]
    table: str
    lookback_days: int = Field(30, ge=1, le=1000, description="how far back from the as-of day the rule looks")
    key: list[str] = Field(default_factory=list, description="repeat: the columns that make two records 'the same'")
    window_days: int = Field(14, ge=1, le=365)
    min_count: int = Field(3, ge=2)
    group: list[str] = Field(default_factory=list, description="threshold: the columns a metric is computed per")
    metric: str = ""
    metric_label: str = ""
    above: float | None = None
    below: float | None = None
    min_rows: int = Field(1, ge=1, description="threshold: groups with fewer rows are too small to judge")
    words: list[str] = Field(default_factory=list, description="question words that select this rule")
    basis: str
    advice: str

    @model_validator(mode="after")
    def _complete(self) -> RiskRule:
        if self.kind == "repeat" and not self.key:
            raise ValueError("a repeat rule needs key (the columns that identify the same place and problem)")
        if self.kind == "threshold" and (
            not self.group or not self.metric or (self.above is None) == (self.below is None)
        ):
            raise ValueError("a threshold rule needs group, metric and exactly one of above/below")
        return self


class RiskRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    levels: dict[str, int] = Field(description="warning level → lowest score, e.g. 红色: 85")
    rules: list[RiskRule] = Field(min_length=1)

    def level(self, score: int) -> str:
        """The highest level whose lowest score ``score`` reaches."""
        ranked = sorted(self.levels.items(), key=lambda item: -item[1])
        return next((name for name, floor in ranked if score >= floor), ranked[-1][0])


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> RiskRules:
    """The rules at ``path`` (the packaged 示例 rules by default)."""
    try:
        return RiskRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise RiskRulesError(f"cannot read risk rules {path}: {exc}") from exc
    except ValidationError as exc:
        problems = validation_problems(exc)
        raise RiskRulesError(f"{path}: {problems}") from exc
