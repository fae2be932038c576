"""Guardrails: sensitive-word lexicon, PII masking and prompt-injection neutralisation, each standalone."""

from agents.guardrails.injection import (
    InjectionMatch,
    UserInputCheck,
    check_user_input,
    detect_injection,
    neutralize,
    wrap_evidence,
)
from agents.guardrails.pii import MaskedText, PiiKind, PiiMatch, PiiVault, find_pii, mask_pii, pii_kinds, redact
from agents.guardrails.sensitive import InputVerdict, LexiconError, Match, SensitiveLexicon

__all__ = [
    "InjectionMatch",
    "InputVerdict",
    "LexiconError",
    "MaskedText",
    "Match",
    "PiiKind",
    "PiiMatch",
    "PiiVault",
    "SensitiveLexicon",
    "UserInputCheck",
    "check_user_input",
    "detect_injection",
    "find_pii",
    "mask_pii",
    "neutralize",
    "pii_kinds",
    "redact",
    "wrap_evidence",
]
