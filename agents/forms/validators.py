"""Field validators of a form: 身份证号 (GB 11643), 统一社会信用代码 (GB 32100), dates, phone numbers.

Each returns None for a valid value or a reason in Chinese that names what is wrong and, for a check
digit, what it should be, so the applicant can fix a typo rather than guess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from agents.guardrails.checksums import USCC_CHARS, id_check_char, is_uscc, uscc_check_char

Validator = Literal["id_number", "uscc", "date", "phone"]
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def check_resident_id(value: str) -> str | None:
    """Why ``value`` is not a valid 居民身份证号, or None."""
    value = value.strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return f"身份证号应为18位（17位数字加1位数字或X），现为「{value}」（{len(value)}位）"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"身份证号第7–14位出生日期「{value[6:14]}」不是有效日期"
    expected = id_check_char(value[:17])
    if expected != value[17]:
        return f"身份证号校验位错误：第18位应为「{expected}」，现为「{value[17]}」，请核对号码"
    return None


def check_uscc(value: str) -> str | None:
    """Why ``value`` is not a valid 统一社会信用代码, or None."""
    value = value.strip().upper()
    if len(value) != 18 or any(c not in USCC_CHARS for c in value):
        return f"统一社会信用代码应为18位（数字和除I、O、S、V、Z外的大写字母），现为「{value}」"
    if not is_uscc(value):
        expected = uscc_check_char(value[:17])
        if expected != value[17]:
            return f"统一社会信用代码校验位错误：第18位应为「{expected}」，现为「{value[17]}」"
        return f"统一社会信用代码前两位「{value[:2]}」不是有效的登记管理部门和机构类别代码"
    return None


def check_date(value: str) -> str | None:
    """Why ``value`` is not a date written as YYYY-MM-DD, or None."""
    try:
        dt.date.fromisoformat(value.strip())
    except ValueError:
        return f"日期「{value}」无效，应为真实存在的日期（如2025年6月11日）"
    return None


def check_phone(value: str) -> str | None:
    """Why ``value`` is neither an 11-digit mobile number nor a landline with its area code, or None."""
    digits = value.strip().replace(" ", "")
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return None
    return f"联系电话「{value}」格式不对，应为11位手机号或带区号的固定电话"


VALIDATORS: dict[str, Callable[[str], str | None]] = {
    "id_number": check_resident_id,
    "uscc": check_uscc,
    "date": check_date,
    "phone": check_phone,
}
