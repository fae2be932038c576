"""A small, safe condition language over submission fields: structured YAML, evaluated without eval/exec.

A condition is a mapping with ``field`` and exactly one operator, or a combinator:

- ``{field: 经营场所, present: true}`` / ``{field: 备注, absent: true}``
- ``{field: 组成形式, equals: 家庭经营}`` / ``not_equals`` / ``in: [...]`` / ``not_in: [...]``
- ``{field: 提交材料, contains: 租赁合同}`` / ``not_contains``
- ``{field: 占用面积, max: 200}`` / ``min`` (the first number in the value)
- ``{field: 身份证号码, valid: id_number}`` (id_number | uscc | date | phone)
- ``{field: 占用截止日期, not_before: 占用起始日期}`` / ``not_after`` (another field's date or YYYY-MM-DD)
- ``{all: [...]}`` / ``{any: [...]}`` / ``{not: {...}}``

Every evaluation returns a reason in Chinese, so a failed rule says which value failed and why.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, model_validator

from agents.extraction.values import find_dates
from agents.forms.validators import VALIDATORS

_OPERATORS = ("present", "absent", "equals", "not_equals", "in", "not_in", "contains", "not_contains")
_MORE = ("min", "max", "valid", "not_before", "not_after")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class Condition(BaseModel):
    """One condition; see the module docstring for the forms."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    field: str | None = None
    present: bool | None = None
    absent: bool | None = None
    equals: str | None = None
    not_equals: str | None = None
    in_: list[str] | None = None
    not_in: list[str] | None = None
    contains: str | None = None
    not_contains: str | None = None
    min: float | None = None
    max: float | None = None
    valid: Literal["id_number", "uscc", "date", "phone"] | None = None
    not_before: str | None = None
    not_after: str | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = None

    @model_validator(mode="before")
    @classmethod
    def _keywords(cls, data: Any) -> Any:
        if isinstance(data, dict):  # ``in`` and ``not`` are Python keywords; YAML authors write them plainly
            data = {{"in": "in_", "not": "not_"}.get(k, k): v for k, v in data.items()}
        return data

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        set_ops = [name for name in (*_OPERATORS, *_MORE) if getattr(self, name if name != "in" else "in_") is not None]
        combinators = [name for name in ("all", "any", "not_") if getattr(self, name) is not None]
        if combinators:
            if self.field or set_ops or len(combinators) > 1:
                raise ValueError(f"a combinator ({', '.join(combinators)}) stands alone, without field or operators")
            return self
        if not self.field or len(set_ops) != 1:
            known = ", ".join((*_OPERATORS, *_MORE))
            raise ValueError(f"a condition needs field and exactly one operator of: {known} (got {set_ops or 'none'})")
        return self


def _value(submission: dict[str, str], name: str) -> str:
    return str(submission.get(name, "") or "").strip()


def _date(submission: dict[str, str], reference: str) -> dt.date | None:
    text = _value(submission, reference) or reference
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        found = [d for d in find_dates(text) if d.valid]
        return dt.date.fromisoformat(found[0].normalized) if found else None


def evaluate(condition: Condition, submission: dict[str, str]) -> tuple[bool, str]:
    """Whether ``condition`` holds for ``submission`` and why (a reason in Chinese)."""
    if condition.all is not None:
        results = [evaluate(c, submission) for c in condition.all]
        failed = [reason for ok, reason in results if not ok]
        return not failed, "；".join(failed) if failed else "；".join(r for _, r in results)
    if condition.any is not None:
        results = [evaluate(c, submission) for c in condition.any]
        passed = [reason for ok, reason in results if ok]
        return bool(passed), passed[0] if passed else "以下均不满足：" + "；".join(r for _, r in results)
    if condition.not_ is not None:
        ok, reason = evaluate(condition.not_, submission)
        return not ok, f"不应满足：{reason}" if ok else reason
    name = condition.field or ""
    value = _value(submission, name)
    if condition.absent:
        return not value, f"{name}未填写" if not value else f"{name}不应填写（现为「{value}」）"
    if not value:
        return False, f"{name}未填写"
    if condition.present:
        return True, f"{name}已填写"
    return _compare(condition, name, value, submission)


def _compare(c: Condition, name: str, value: str, submission: dict[str, str]) -> tuple[bool, str]:
    if c.equals is not None:
        return value == c.equals, f"{name}为「{value}」" + ("" if value == c.equals else f"，应为「{c.equals}」")
    if c.not_equals is not None:
        return value != c.not_equals, f"{name}为「{value}」"
    if c.in_ is not None:
        return value in c.in_, f"{name}为「{value}」" + ("" if value in c.in_ else f"，应为{'、'.join(c.in_)}之一")
    if c.not_in is not None:
        return value not in c.not_in, f"{name}为「{value}」"
    if c.contains is not None:
        ok = c.contains in value
        return ok, f"{name}{'包含' if ok else '缺少'}「{c.contains}」"
    if c.not_contains is not None:
        ok = c.not_contains not in value
        return ok, f"{name}{'不含' if ok else '含有'}「{c.not_contains}」"
    if c.min is not None or c.max is not None:
        number = _NUMBER.search(value)
        if number is None:
            return False, f"{name}「{value}」不是数值"
        amount = float(number.group())
        if c.min is not None and amount < c.min:
            return False, f"{name}为{number.group()}，低于{c.min:g}"
        if c.max is not None and amount > c.max:
            return False, f"{name}为{number.group()}，超过{c.max:g}"
        return True, f"{name}为{number.group()}"
    if c.valid is not None:
        problem = VALIDATORS[c.valid](_date_text(value) if c.valid == "date" else value)
        return problem is None, problem or f"{name}校验通过"
    reference = c.not_before or c.not_after or ""
    mine, other = _date(submission, name), _date(submission, reference)
    if mine is None or other is None:
        return False, f"{name}或{reference}不是有效日期"
    ok = mine >= other if c.not_before else mine <= other
    relation = "不早于" if c.not_before else "不晚于"
    return ok, f"{name}（{mine.isoformat()}）{'' if ok else '应'}{relation}{reference}（{other.isoformat()}）"


def _date_text(value: str) -> str:
    found = find_dates(value)
    return found[0].normalized if found and found[0].valid else value
