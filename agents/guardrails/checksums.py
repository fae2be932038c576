"""Check-digit validators for Chinese identifiers, so a random run of digits is not taken for one."""

from __future__ import annotations

from datetime import date

# GB 11643-1999: weight of position i is 2^(17-i) mod 11; the sum mod 11 indexes this string.
_ID_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
_ID_CHECK = "10X98765432"
# First two digits of a resident ID: province-level codes, plus 71/81/82/83 (Taiwan, Hong Kong, Macao and
# the residence permits for their residents). A leading 9 is the 2023 foreigner permanent-residence card.
_ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)

# GB 32100-2015: 31 characters (no I, O, S, V, Z); weight of position i is 3^i mod 31.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# Registering authority + organisation type (GB 32100 annex): 9 1 企业, 5 1 社会团体, Y 1 其他… Checking the
# pair as well turns a 1-in-31 chance for a random 18-character run into about 1 in 120.
_USCC_PREFIXES = frozenset(
    "11 12 13 19 21 29 31 32 33 34 35 39 41 49 51 52 53 59 61 62 69 71 72 79 81 89 91 92 93 A1 A9 "
    "N1 N2 N3 N9 Y1".split()
)


def id_check_char(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits of a resident ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_resident_id(value: str) -> bool:
    """True for an 18-character 居民身份证号 with a known region, a real birth date and the right check char."""
    value = value.upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return False
    if value[:2] not in _ID_PROVINCES and value[0] != "9":
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return born.year >= 1900 and id_check_char(value[:17]) == value[17]


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters of a 统一社会信用代码."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def is_uscc(value: str) -> bool:
    """True for an 18-character 统一社会信用代码 with a known type prefix, a digit region and the right check char."""
    value = value.upper()
    if len(value) != 18 or any(c not in USCC_CHARS for c in value) or not value[2:8].isdigit():
        return False
    if value[:2] not in _USCC_PREFIXES:
        return False
    return uscc_check_char(value[:17]) == value[17]


def luhn_ok(digits: str) -> bool:
    """True when a digit string passes the Luhn (mod 10) check used by bank card numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
