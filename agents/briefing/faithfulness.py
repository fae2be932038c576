"""Numeric faithfulness: every number in a summary must appear in its source.

Numbers are compared by value (「06」 = 「6」, 「1,200」 = 「1200」), so re-formatting a date is not a
fabrication while changing any digit is.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def numbers_in(text: str) -> list[str]:
    """The numbers written in ``text`` with Arabic digits, normalised by value, in text order."""
    values = []
    for match in _NUMBER.finditer(text):
        raw = match.group().replace(",", "")
        value = float(raw)
        values.append(f"{value:g}" if "." in raw else str(int(value)))
    return values


def unfaithful_numbers(output: str, source: str) -> list[str]:
    """Numbers in ``output`` that do not occur in ``source`` (empty when the output is faithful)."""
    allowed = set(numbers_in(source))
    return [n for n in dict.fromkeys(numbers_in(output)) if n not in allowed]
