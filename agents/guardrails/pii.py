"""PII detection and masking for Chinese identifiers, before text reaches a model or a log.

Kinds: 身份证号 (18 characters, GB 11643 check digit, real birth date), 手机号 (1[3-9] + 9 digits, optional
+86/0086 and space or hyphen separators), 统一社会信用代码 (GB 32100 check character), 银行卡号 (13-19 digits,
Luhn, and a card-network first digit), 车牌号 (standard and new-energy) and 电子邮箱. Candidates that fail
their check are left alone. Where candidates overlap, the longest wins, then the kind listed first, so an
ID number is never also a bank card and a phone number inside an email address goes with the address.

``PiiVault.mask`` swaps each value for a placeholder such as ``[手机号_1]`` (the same value keeps the same
placeholder within one vault) and ``unmask`` puts the values back, so a tool can still use them. ``redact``
is the irreversible form for logs (``110105********002X``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from agents.guardrails.checksums import is_resident_id, is_uscc, luhn_ok


class PiiKind(StrEnum):
    """Kinds of personal identifiers; the value is the label used in placeholders."""

    RESIDENT_ID = "身份证号"
    USCC = "统一社会信用代码"
    PHONE = "手机号"
    BANK_CARD = "银行卡号"
    PLATE = "车牌号"
    EMAIL = "电子邮箱"


_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTER = "A-HJ-NP-Za-hj-np-z"  # plates use no I or O
_PATTERNS: dict[PiiKind, re.Pattern[str]] = {
    PiiKind.RESIDENT_ID: re.compile(r"(?<!\d)\d{17}[\dXx](?![\dXx])"),
    PiiKind.USCC: re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{2}\d{6}[0-9A-Za-z]{10}(?![0-9A-Za-z])"),
    PiiKind.PHONE: re.compile(r"(?<!\d)(?:(?:\+|00)?86[ \-]?)?1[3-9]\d(?:[ \-]?\d{4}){2}(?!\d)"),
    # Either one unbroken run or groups of four (the way cards are printed) with a short last group.
    PiiKind.BANK_CARD: re.compile(r"(?<!\d)(?:\d{4}(?:[ \-]\d{4}){2,3}(?:[ \-]\d{1,3})?|\d{13,19})(?!\d)"),
    PiiKind.PLATE: re.compile(rf"[{_PROVINCES}][{_PLATE_LETTER}][·・.\- ]?[{_PLATE_LETTER}0-9]{{5,6}}(?![A-Za-z0-9])"),
    PiiKind.EMAIL: re.compile(
        r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
    ),
}
_PRIORITY = {kind: rank for rank, kind in enumerate(PiiKind)}
_SEPARATORS = re.compile(r"[ \-·・.]")


def _phone_value(text: str) -> str:
    return re.sub(r"\D", "", text)[-11:]  # drops +86 / 0086 and separators


def _card_value(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    # Luhn alone passes one random run in ten; card numbers also start with a network digit
    # (3 JCB/Amex, 4 Visa, 5 Mastercard, 6 UnionPay, 9 domestic debit, 2221-2720 Mastercard), which keeps
    # dates and ticket numbers such as 20240315000123 out.
    network = digits[0] in "34569" or 2221 <= int(digits[:4]) <= 2720
    return digits if 13 <= len(digits) <= 19 and network and luhn_ok(digits) else None


def _plate_value(text: str) -> str | None:
    value = _SEPARATORS.sub("", text).upper()
    tail = value[2:]
    standard = len(tail) == 5 and sum(c.isdigit() for c in tail) >= 3
    new_energy = len(tail) == 6 and (
        bool(re.fullmatch(r"[DF][A-HJ-NP-Z0-9]\d{4}", tail)) or bool(re.fullmatch(r"\d{5}[DF]", tail))
    )
    return value if standard or new_energy else None


_VALUE: dict[PiiKind, Callable[[str], str | None]] = {
    PiiKind.RESIDENT_ID: lambda t: t.upper() if is_resident_id(t) else None,
    PiiKind.USCC: lambda t: t.upper() if is_uscc(t) else None,
    PiiKind.PHONE: _phone_value,
    PiiKind.BANK_CARD: _card_value,
    PiiKind.PLATE: _plate_value,
    PiiKind.EMAIL: lambda t: t,
}
# Characters kept in the clear by ``redact``: (head, tail).
_KEEP = {
    PiiKind.RESIDENT_ID: (6, 4),
    PiiKind.USCC: (8, 2),
    PiiKind.PHONE: (3, 4),
    PiiKind.BANK_CARD: (4, 4),
    PiiKind.PLATE: (2, 1),
}


@dataclass(frozen=True)
class PiiMatch:
    """One identifier found in a text: its kind, canonical value, surface text and original span."""

    kind: PiiKind
    value: str  # canonical: upper-case, separators and +86 removed
    text: str
    start: int
    end: int


def find_pii(text: str) -> list[PiiMatch]:
    """Find validated identifiers in ``text``, non-overlapping and in text order."""
    candidates: list[PiiMatch] = []
    for kind, pattern in _PATTERNS.items():
        for found in pattern.finditer(text):
            value = _VALUE[kind](found.group())
            if value:
                candidates.append(PiiMatch(kind, value, found.group(), found.start(), found.end()))
    candidates.sort(key=lambda m: (m.start - m.end, _PRIORITY[m.kind], m.start))
    chosen: list[PiiMatch] = []
    for match in candidates:  # longest first, so a shorter candidate inside a kept one is dropped
        if all(match.end <= kept.start or match.start >= kept.end for kept in chosen):
            chosen.append(match)
    return sorted(chosen, key=lambda m: m.start)


def pii_kinds(text: str) -> dict[PiiKind, int]:
    """Count identifiers per kind, for audit records and evaluation (no values leave this function)."""
    counts: dict[PiiKind, int] = {}
    for match in find_pii(text):
        counts[match.kind] = counts.get(match.kind, 0) + 1
    return counts


def _replace(text: str, matches: list[PiiMatch], render: Callable[[PiiMatch], str]) -> str:
    pieces: list[str] = []
    position = 0
    for match in matches:
        pieces += [text[position : match.start], render(match)]
        position = match.end
    pieces.append(text[position:])
    return "".join(pieces)


def _redacted(match: PiiMatch) -> str:
    value = match.value
    if match.kind is PiiKind.EMAIL:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    head, tail = _KEEP[match.kind]
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def redact(text: str) -> str:
    """Irreversibly mask identifiers for logs, keeping a few characters (``138****5678``)."""
    return _replace(text, find_pii(text), _redacted)


@dataclass(frozen=True)
class MaskedText:
    """Text with identifiers replaced by placeholders, the matches, and the vault that can restore them."""

    text: str
    matches: tuple[PiiMatch, ...]
    vault: PiiVault

    def original(self) -> str:
        """The exact text before masking (each occurrence as written, unlike ``PiiVault.unmask``)."""
        pieces: list[str] = []
        position = shift = 0  # shift: how far the masked text has drifted from the original so far
        for match in self.matches:
            placeholder = self.vault.placeholder(match)
            at = match.start + shift
            pieces += [self.text[position:at], match.text]
            position = at + len(placeholder)
            shift += len(placeholder) - (match.end - match.start)
        pieces.append(self.text[position:])
        return "".join(pieces)


_PLACEHOLDER = re.compile(rf"[\[【]({'|'.join(kind.value for kind in PiiKind)})_(\d+)[\]】]")


class PiiVault:
    """Placeholder ↔ value table for one conversation; keep it out of logs, it holds the real values."""

    def __init__(self) -> None:
        self._by_value: dict[tuple[PiiKind, str], str] = {}
        self._by_placeholder: dict[str, PiiMatch] = {}
        self._counts: dict[PiiKind, int] = {}

    def __len__(self) -> int:
        return len(self._by_placeholder)

    def placeholder(self, match: PiiMatch) -> str:
        """The placeholder for a match, creating ``[类别_n]`` the first time its value is seen."""
        key = (match.kind, match.value)
        if key not in self._by_value:
            number = self._counts.get(match.kind, 0) + 1
            self._counts[match.kind] = number
            name = f"[{match.kind.value}_{number}]"
            self._by_value[key] = name
            self._by_placeholder[name] = match
        return self._by_value[key]

    def mask(self, text: str) -> MaskedText:
        """Replace every identifier in ``text`` with its placeholder."""
        matches = find_pii(text)
        return MaskedText(_replace(text, matches, self.placeholder), tuple(matches), self)

    def lookup(self, placeholder: str) -> PiiMatch | None:
        """The match a placeholder stands for (``【手机号_1】`` is accepted too), or None if unknown."""
        found = _PLACEHOLDER.fullmatch(placeholder.strip())
        return self._by_placeholder.get(f"[{found.group(1)}_{found.group(2)}]") if found else None

    def unmask(self, text: str, canonical: bool = False) -> str:
        """Put real values back in place of this vault's placeholders; unknown placeholders stay as they are.

        Args:
            text: text that may contain placeholders, e.g. a model's answer or a tool argument.
            canonical: restore the canonical value (``13812345678``) instead of the value as first written
                (``+86 138-1234-5678``).
        """

        def restore(found: re.Match[str]) -> str:
            match = self.lookup(found.group())
            if match is None:
                return found.group()
            return match.value if canonical else match.text

        return _PLACEHOLDER.sub(restore, text)

    def unmask_args(self, value: Any) -> Any:
        """Unmask every string inside tool-call arguments (nested dicts, lists, tuples) to canonical values."""
        if isinstance(value, str):
            return self.unmask(value, canonical=True)
        if isinstance(value, dict):
            return {key: self.unmask_args(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.unmask_args(item) for item in value)
        return value


def mask_pii(text: str, vault: PiiVault | None = None) -> MaskedText:
    """Mask identifiers with reversible placeholders, in ``vault`` or in a new one."""
    return (vault if vault is not None else PiiVault()).mask(text)
