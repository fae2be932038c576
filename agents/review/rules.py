"""Review rule files (YAML checklists) and the verdict: 通过, 补正 or 不予受理, with failed rules and their basis."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.errors import validation_problems
from agents.review.conditions import Condition, evaluate

RULES_DIR = Path(__file__).resolve().parent / "rules"
Outcome = Literal["补正", "不予受理"]


class RulesError(ValueError):
    """A rules file is invalid or unknown; the message names the file or the known rule sets."""


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    when: Condition | None = Field(None, description="the rule applies only when this holds")
    check: Condition
    basis: str = Field(min_length=2, description="legal basis, e.g. 《…》第X条")
    on_fail: Outcome
    message: str = Field("", description="what the applicant must do, shown when the rule fails")


class RuleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    keywords: list[str] = Field(default_factory=list)
    aliases: dict[str, list[str]] = Field(default_factory=dict, description="field → other names a submission uses")
    rules: list[Rule] = Field(min_length=1)


@dataclass(frozen=True)
class RuleResult:
    id: str
    title: str
    status: str  # 通过 | 不通过 | 不适用
    reason: str
    basis: str
    outcome: str = ""
    message: str = ""


@dataclass
class Review:
    rules_id: str
    title: str
    submission: dict[str, str]
    results: list[RuleResult] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        outcomes = {r.outcome for r in self.results if r.status == "不通过"}
        return "不予受理" if "不予受理" in outcomes else "补正" if outcomes else "通过"

    def to_dict(self) -> dict[str, Any]:
        failed = [asdict(r) for r in self.results if r.status == "不通过"]
        return {
            "rules": self.rules_id,
            "title": self.title,
            "verdict": self.verdict,
            "failed": failed,
            "failed_ids": [r["id"] for r in failed],
            "passed": [r.title for r in self.results if r.status == "通过"],
            "not_applicable": [r.title for r in self.results if r.status == "不适用"],
            "submission": self.submission,
        }


def load_rules(path: Path) -> RuleSet:
    """Load one rules file, naming the file and the rule on error."""
    try:
        return RuleSet.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise RulesError(f"{path}: cannot read YAML: {exc}") from exc
    except ValidationError as exc:
        problems = validation_problems(exc)
        raise RulesError(f"{path}: {problems}") from exc


def packaged_rules(directory: Path = RULES_DIR) -> dict[str, RuleSet]:
    """Every rules file in ``directory`` by id."""
    return {r.id: r for r in (load_rules(p) for p in sorted(directory.glob("*.yaml")))}


def choose_rules(text: str, rule_sets: dict[str, RuleSet], name: str = "") -> RuleSet:
    """The rule set named ``name`` (id or title), else the one whose title/keywords occur most in ``text``."""
    if name:
        found = next((r for r in rule_sets.values() if name in (r.id, r.title)), None)
        if found is None:
            known = ", ".join(f"{r.id}（{r.title}）" for r in rule_sets.values())
            raise RulesError(f"unknown rules {name!r}; known: {known}")
        return found
    scored = [(sum(w in text for w in [r.title, *r.keywords]), -i, r) for i, r in enumerate(rule_sets.values())]
    return max(scored, key=lambda item: item[:2])[2]


def normalise(submission: dict[str, Any], rule_set: RuleSet) -> dict[str, str]:
    """Submission values as strings under the rule set's field names (aliases resolved, lists joined)."""
    values = {str(k).strip(): "、".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in submission.items()}
    for name, aliases in rule_set.aliases.items():
        if name not in values:
            found = next((values[a] for a in aliases if a in values), None)
            if found is not None:
                values[name] = found
    return values


def review(submission: dict[str, Any], rule_set: RuleSet) -> Review:
    """Evaluate every rule of ``rule_set`` against ``submission``."""
    values = normalise(submission, rule_set)
    result = Review(rule_set.id, rule_set.title, values)
    for rule in rule_set.rules:
        if rule.when is not None:
            applies, why = evaluate(rule.when, values)
            if not applies:
                result.results.append(RuleResult(rule.id, rule.title, "不适用", why, rule.basis))
                continue
        ok, reason = evaluate(rule.check, values)
        status, outcome = ("通过", "") if ok else ("不通过", rule.on_fail)
        result.results.append(RuleResult(rule.id, rule.title, status, reason, rule.basis, outcome, rule.message))
    return result
