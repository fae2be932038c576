"""Structured input from a message: a JSON object, a YAML mapping, or lines of 「字段：值」.

Several employees (审查核验, 专业文书, 表单填报) take a record the user pastes as text; this is the one
reader for it, so the three accept the same forms.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

# 「字段：值」 or 「字段: 值」; a field name is short and has no sentence punctuation.
_LINE = re.compile(r"^\s*[-*·]?\s*(?P<key>[^：:，。,\n]{1,20}?)\s*[：:]\s*(?P<value>.*?)\s*$")


def parse_record(text: str) -> dict[str, Any]:
    """A record from ``text``: the first JSON object or YAML mapping in it, else its 「字段：值」 lines.

    Returns:
        Field name → value (strings for the line form); {} when nothing record-like is found.
    """
    stripped = text.strip()
    start = stripped.find("{")
    if start >= 0:
        try:
            data = json.loads(stripped[start : stripped.rfind("}") + 1])
        except ValueError:
            data = None
        if isinstance(data, dict):
            return data
    record: dict[str, Any] = {}
    for line in stripped.splitlines():
        match = _LINE.match(line)
        if match and match.group("value"):
            record[match.group("key").strip()] = match.group("value").strip("'\"")
    if record:
        return record
    try:
        data = yaml.safe_load(stripped)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def record_text(record: dict[str, Any]) -> str:
    """The record as 「字段：值」 lines, the form the extractors read best."""
    return "\n".join(f"{key}：{value}" for key, value in record.items())
