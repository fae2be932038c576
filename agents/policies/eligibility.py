"""资格判定: every catalogued measure checked against a profile, condition by condition, with a reason.

Deterministic and three-valued: a condition is met, not met, or unknown because the profile does not
state the field (unknown is never read as not met — the enterprise is asked instead). A measure is
*eligible* when every condition is met, *ineligible* when any is not met, and *needs_info* otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from agents.policies.catalog import Catalog, Condition, Measure, Policy
from agents.policies.profile import EnterpriseProfile
from agents.policies.vocabulary import BOOL_WORDS, FIELD_LABELS

CheckStatus = Literal["met", "not_met", "unknown"]
MatchStatus = Literal["eligible", "ineligible", "needs_info"]
STATUS_LABELS: dict[str, str] = {"eligible": "可申报", "ineligible": "暂不符合", "needs_info": "需补充信息"}
_RANK = {"eligible": 0, "needs_info": 1, "ineligible": 2}  # closest to a payout first
_SYMBOL = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
_OPPOSITE = {">=": "<", "<=": ">", ">": "≤", "<": "≥", "==": "≠"}


@dataclass(frozen=True)
class ConditionCheck:
    """One condition's verdict and the Chinese reason shown to the enterprise."""

    condition: Condition
    status: CheckStatus
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the condition as catalogued plus ``status`` and ``reason``."""
        return self.condition.model_dump() | {"status": self.status, "reason": self.reason}


@dataclass(frozen=True)
class PolicyMatch:
    """One measure's verdict for one enterprise."""

    policy: Policy
    measure: Measure
    status: MatchStatus
    checks: tuple[ConditionCheck, ...]

    @property
    def needs(self) -> list[str]:
        """What to ask the enterprise for, one entry per unknown field."""
        fields = dict.fromkeys(c.condition.field for c in self.checks if c.status == "unknown")
        return [FIELD_LABELS[name].ask for name in fields]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready verdict: measure, status (and its Chinese label), benefit, checks, what to confirm."""
        return {
            "id": self.measure.id,
            "title": self.measure.title,
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
            "policy": {"doc_id": self.policy.doc_id, "title": self.policy.title, "doc_number": self.policy.doc_number},
            "article": self.measure.article,
            "benefit": self.measure.benefit.model_dump(),
            "conditions": [check.to_dict() for check in self.checks],
            "unchecked": list(self.measure.unchecked),
            "needs": self.needs,
            "department": self.measure.department,
        }


def evaluate(catalog: Catalog, profile: EnterpriseProfile) -> list[PolicyMatch]:
    """Every measure of ``catalog`` judged against ``profile``: eligible first, then needs_info, ineligible.

    Args:
        catalog: the policy catalog.
        profile: the enterprise; unknown fields make conditions unknown, not failed.

    Returns:
        One PolicyMatch per measure, catalog order within each status.
    """
    matches = []
    for policy, measure in catalog.measures():
        checks = tuple(check_condition(condition, profile) for condition in measure.conditions)
        statuses = {check.status for check in checks}
        status: MatchStatus = (
            "ineligible" if "not_met" in statuses else "needs_info" if "unknown" in statuses else "eligible"
        )
        matches.append(PolicyMatch(policy, measure, status, checks))
    return sorted(matches, key=lambda match: _RANK[match.status])


def check_condition(condition: Condition, profile: EnterpriseProfile) -> ConditionCheck:
    """Judge one condition against the profile, with a reason such as 「年营业收入3200万元 ≥ 2000万元，符合」."""
    label = FIELD_LABELS[condition.field]
    if condition.field == "qualifications":
        return _check_qualifications(condition, profile)
    value = getattr(profile, condition.field)
    if value is None:
        return ConditionCheck(condition, "unknown", f"{label.label}未知，需补充{label.ask}")
    note = f"（{profile.derived[condition.field]}）" if condition.field in profile.derived else ""
    target = condition.value
    if label.kind == "number":
        assert isinstance(target, int | float)  # the catalog validated the kind
        met = _compare(float(value), condition.op, float(target))
        symbol = _SYMBOL[condition.op] if met else _OPPOSITE[condition.op]
        statement = f"{label.label}{_number(value)}{label.unit} {symbol} {_number(target)}{label.unit}"
    elif label.kind == "bool":
        met = value == target
        statement = BOOL_WORDS[condition.field][0 if value else 1]
    elif condition.op in ("in", "not_in"):
        options = target if isinstance(target, list) else [str(target)]
        inside = value in options
        met = inside if condition.op == "in" else not inside
        statement = f"{label.label}为{value}，{'在' if inside else '不在'}{'、'.join(options)}之列"
    else:
        met = value == target
        statement = f"{label.label}为{value}" + ("" if met else f"，不是{target}")
    return ConditionCheck(condition, "met" if met else "not_met", f"{statement}{note}，{'符合' if met else '不符合'}")


def _check_qualifications(condition: Condition, profile: EnterpriseProfile) -> ConditionCheck:
    targets = condition.value if isinstance(condition.value, list) else [str(condition.value)]
    wanted = "或".join(targets)
    held = [name for name in targets if name in profile.qualifications]
    if held:
        return ConditionCheck(condition, "met", f"已具备{held[0]}资质，符合")
    if all(name in profile.lacking for name in targets):
        return ConditionCheck(condition, "not_met", f"不具备{wanted}资质，不符合")
    return ConditionCheck(condition, "unknown", f"未说明是否具备{wanted}资质，需补充资质认定情况")


def _compare(value: float, op: str, target: float) -> bool:
    return {
        ">=": value >= target,
        "<=": value <= target,
        ">": value > target,
        "<": value < target,
        "==": value == target,
    }[op]


def _number(value: float) -> str:
    """3200.0 → 3200, 2.5 → 2.5: amounts read as people write them."""
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")
