"""The 问数 answer: one sentence computed from the rows the query returned, plus the rows with Chinese headers."""

from __future__ import annotations

from typing import Any

from agents.cityops import Catalog, QueryResult
from agents.dataquery.planner import QueryPlan

MAX_LISTED_GROUPS = 12


def number(value: Any) -> str:
    """12 → 12, 12.0 → 12, 12.345 → 12.3, None → 无数据."""
    if value is None:
        return "无数据"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    return str(value)


def headers(result: QueryResult, table: str, catalog: Catalog, plan: QueryPlan | None) -> list[str]:
    """Column headers in Chinese: the catalog label, the dimension label or the measure label."""
    named = {"value": plan.measure.label} if plan else {}
    if plan:
        named |= {
            ("month" if d.label == "月份" else "day" if d.label == "日期" else d.sql): d.label for d in plan.dimensions
        }
    return [named.get(c) or catalog.label(table, c) for c in result.columns]


def scope(plan: QueryPlan, catalog: Catalog) -> str:
    """「2026年1月，滨江区，诉求类别为供暖」: the time range and filters the figures are limited to."""
    parts = [plan.time_range.label] if plan.time_range else ["全部时间"]
    for column, values in plan.filters.items():
        named = "、".join(values)
        parts.append(named if column == "district" else f"{catalog.label(plan.table, column)}为{named}")
    return "，".join(parts)


def summarise(plan: QueryPlan, result: QueryResult, catalog: Catalog) -> str:
    """The answer sentence; every figure in it is a cell of ``result`` or the sum of a column of it."""
    label = catalog.tables[plan.table].label
    unit = plan.measure.unit
    if plan.listing:
        shown = len(result.rows)
        more = "（仅显示前若干条）" if result.truncated or (plan.limit and shown == plan.limit) else ""
        return f"{scope(plan, catalog)}，{label}共查到{shown}条记录{more}。"
    if not result.rows:
        return f"{scope(plan, catalog)}，{label}没有符合条件的数据。"
    if not plan.dimensions:
        return f"{scope(plan, catalog)}，{label}{plan.measure.label}为{number(result.rows[0][-1])}{unit}。"
    groups = [("/".join(str(c) for c in row[:-1]), row[-1]) for row in result.rows]
    listed = "；".join(f"{name} {number(value)}{unit}" for name, value in groups[:MAX_LISTED_GROUPS])
    if len(groups) > MAX_LISTED_GROUPS:
        listed += f"；等共{len(groups)}组"
    by = "、".join(d.label for d in plan.dimensions)
    sentence = f"{scope(plan, catalog)}，按{by}统计{label}{plan.measure.label}：{listed}。"
    complete = not result.truncated and not plan.limit  # a total over the top N only would mislead
    if plan.measure.additive and complete and all(isinstance(v, int | float) for _, v in groups):
        sentence += f"合计{number(sum(v for _, v in groups))}{unit}。"
    if not any(d.chronological for d in plan.dimensions) and len(groups) > 1:
        word = "最少" if plan.ascending else "最多"
        if not plan.measure.additive:
            word = "最低" if plan.ascending else "最高"
        sentence += f"{word}的是{groups[0][0]}（{number(groups[0][1])}{unit}）。"
    return sentence
