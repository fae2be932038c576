"""The offline 问数 planner: a question becomes a query plan (table, measure, groups, filters, time) and one SELECT.

It fills slot templates, it does not write free SQL: every piece comes from ``vocabulary.py`` or from values
that exist in the database, and literals are dates or those values, quoted. The SQL it returns is shown to
the user as is, so anyone can rerun it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from agents.cityops import Catalog
from agents.dataquery.timerange import TimeRange, cn_number, parse_time_range
from agents.dataquery.vocabulary import VOCABULARY, Dimension, Measure, TableVocabulary

_LIST_WORDS = ("列出", "明细", "清单", "名单", "有哪些", "都有什么", "列表", "详细信息")
_TOP = re.compile(r"(?:前|top|TOP|排名前)\s*([0-9一二两三四五六七八九十]+)\s*(?:个|名|位|家|条|类)?")
_LEAST = ("最少", "最低", "最短", "最小")


@dataclass(frozen=True)
class QueryPlan:
    vocabulary: TableVocabulary
    measure: Measure
    dimensions: tuple[Dimension, ...]
    filters: dict[str, tuple[str, ...]]
    time_range: TimeRange | None
    listing: bool
    ascending: bool = False
    limit: int | None = None
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def table(self) -> str:
        return self.vocabulary.table

    def sql(self, catalog: Catalog) -> str:
        """The SELECT this plan stands for, with its literals inlined so it can be rerun as shown."""
        where = [_condition(column, values) for column, values in self.filters.items()]
        date_column = catalog.tables[self.table].date_column
        if self.time_range and date_column:
            where.append(f"{date_column} >= {_quote(self.time_range.start.isoformat())}")
            where.append(f"{date_column} < {_quote(self.time_range.end.isoformat())}")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        if self.listing:
            columns = ", ".join(self.vocabulary.listing)
            order = f" ORDER BY {date_column} DESC" if date_column else ""
            return f"SELECT {columns} FROM {self.table}{clause}{order}" + _limit(self.limit)
        value = self.measure.sql.replace("{today}", self.today.isoformat())
        if not self.dimensions:
            return f"SELECT {value} AS value FROM {self.table}{clause}"
        groups = ", ".join(f"{d.sql} AS {_alias(d)}" for d in self.dimensions)
        keys = ", ".join(_alias(d) for d in self.dimensions)
        if any(d.chronological for d in self.dimensions):
            order = keys
        else:
            order = f"value {'ASC' if self.ascending else 'DESC'}, {keys}"
        sql = f"SELECT {groups}, {value} AS value FROM {self.table}{clause} GROUP BY {keys} ORDER BY {order}"
        return sql + _limit(self.limit)


def _alias(dimension: Dimension) -> str:
    return {"月份": "month", "日期": "day"}.get(dimension.label, dimension.sql)


def _limit(limit: int | None) -> str:
    return f" LIMIT {limit}" if limit else ""


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _condition(column: str, values: tuple[str, ...]) -> str:
    if len(values) == 1:
        return f"{column} = {_quote(values[0])}"
    return f"{column} IN ({', '.join(_quote(v) for v in values)})"


def choose_table(question: str) -> TableVocabulary | None:
    """The first table (in vocabulary order, most specific first) a word of the question names."""
    return next((v for v in VOCABULARY if any(k in question for k in v.keywords)), None)


def plan_query(question: str, today: dt.date, values: dict[str, list[str]] | None = None) -> QueryPlan | None:
    """A plan for ``question``, or None when it names no known table.

    Args:
        question: the user's question, e.g. 「上月各区清雪作业量」.
        today: the date relative phrases (上月, 本周) are computed against.
        values: column → the values it holds in the chosen table, to recognise filters (滨江区, 供暖 …).
    """
    vocabulary = choose_table(question)
    if vocabulary is None:
        return None
    time_range = parse_time_range(question, today)
    rest = question.replace(time_range.phrase, " ") if time_range else question
    filters = _filters(rest, vocabulary, values or {})
    dimensions = tuple(d for d in vocabulary.dimensions if any(k in rest for k in d.keywords))[:2]
    measure = next((m for m in vocabulary.measures if any(k in rest for k in m.keywords)), vocabulary.measures[0])
    wants_list = any(w in rest for w in _LIST_WORDS)
    asked_measure = any(k in rest for m in vocabulary.measures for k in m.keywords)
    listing = not dimensions and (wants_list or (vocabulary.list_by_default and not asked_measure))
    top = _TOP.search(rest)
    return QueryPlan(
        vocabulary,
        measure,
        dimensions,
        filters,
        time_range,
        listing,
        ascending=any(w in rest for w in _LEAST),
        limit=cn_number(top.group(1)) if top else (50 if listing else None),
        today=today,
    )


def _filters(question: str, vocabulary: TableVocabulary, values: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Values of the table's categorical columns that the question names, longest first so 临川区 beats 临川."""
    found: dict[str, tuple[str, ...]] = {}
    for column in vocabulary.filters:
        if column == "credit_level":  # single letters: only 「A级」, never a stray A
            levels = re.findall(r"([ABCD])\s*级", question)
            if levels:
                found[column] = tuple(sorted(set(levels)))
            continue
        named = [v for v in sorted(values.get(column, []), key=len, reverse=True) if v and v in question]
        named = [v for v in named if not any(v != other and v in other for other in named)]
        if not named and column in ("category", "event_type", "subtype"):
            named = [v for v in values.get(column, []) if len(v) >= 4 and v[:2] in question]  # 噪声 → 噪声扰民
        if named:
            found[column] = tuple(sorted(named))
    return found
