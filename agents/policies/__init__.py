"""惠企政策匹配: enterprise profiles, a policy catalog with structured conditions, deterministic eligibility.

The ``match_policies`` tool lives in ``agents.policies.tools`` (importing it registers the tool); this
package's own API needs no LangChain.
"""

from agents.policies.catalog import Benefit, Catalog, CatalogError, Condition, Measure, Policy, load_catalog
from agents.policies.eligibility import ConditionCheck, PolicyMatch, check_condition, evaluate
from agents.policies.profile import (
    EnterpriseProfile,
    ProfileError,
    ProfileExtraction,
    extract_profile,
    parse_profile,
    profile_from_mapping,
)

__all__ = [
    "Benefit",
    "Catalog",
    "CatalogError",
    "Condition",
    "ConditionCheck",
    "EnterpriseProfile",
    "Measure",
    "Policy",
    "PolicyMatch",
    "ProfileError",
    "ProfileExtraction",
    "check_condition",
    "evaluate",
    "extract_profile",
    "load_catalog",
    "parse_profile",
    "profile_from_mapping",
]
