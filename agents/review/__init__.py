"""审查核验: YAML rule checklists over submission fields (a safe structured condition language), each rule
with its legal basis and outcome on failure; the verdict 通过 / 补正 / 不予受理 lists the failed rules.

The LangChain tool lives in ``agents.review.tools`` and registers itself on import.
"""

from agents.review.conditions import Condition, evaluate
from agents.review.rules import (
    Review,
    Rule,
    RuleResult,
    RulesError,
    RuleSet,
    choose_rules,
    load_rules,
    packaged_rules,
    review,
)

__all__ = [
    "Condition",
    "Review",
    "Rule",
    "RuleResult",
    "RuleSet",
    "RulesError",
    "choose_rules",
    "evaluate",
    "load_rules",
    "packaged_rules",
    "review",
]
