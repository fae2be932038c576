"""Run risk rules over the city-operations data as of a day: alerts with a 0–100 score, a level and evidence rows.

Every query goes through the read-only guard with the caller's readable tables, so a rule over a table the
caller may not read is skipped and reported, never run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.cityops import AccessDeniedError, Catalog, run_select
from agents.risk.rules import RiskRule, RiskRules

MAX_EVIDENCE_ROWS = 10
_SCAN_ROWS = 20_000  # every ticket of a lookback window; far above the sample's daily volume times 120 days


@dataclass
class Alert:
    rule: RiskRule
    subject: str
    score: int
    summary: str
    columns: list[str]
    rows: list[list[Any]]
    level: str = ""

    def to_dict(self, catalog: Catalog) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "name": self.rule.name,
            "level": self.level,
            "score": self.score,
            "subject": self.subject,
            "summary": self.summary,
            "basis": self.rule.basis,
            "advice": self.rule.advice,
            "evidence": {
                "columns": [catalog.label(self.rule.table, c) for c in self.columns],
                "rows": self.rows[:MAX_EVIDENCE_ROWS],
                "total": len(self.rows),
            },
        }


@dataclass
class ScanResult:
    as_of: dt.date
    alerts: list[Alert] = field(default_factory=list)
    queries: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


def _span(rule: RiskRule, as_of: dt.date) -> tuple[str, str]:
    return (as_of - dt.timedelta(days=rule.lookback_days)).isoformat(), (as_of + dt.timedelta(days=1)).isoformat()


def _district(column: str, districts: list[str]) -> str:
    if not districts:
        return ""
    return f" AND {column} IN ({', '.join(repr(d) for d in districts)})"


def scan(rules: RiskRules, selected: list[RiskRule], db: Path, catalog: Catalog, readable: list[str],
         as_of: dt.date, districts: list[str] | None = None) -> ScanResult:  # fmt: skip
    """Run ``selected`` rules as of ``as_of`` (only ``districts`` when given); alerts sorted by score."""
    result = ScanResult(as_of)
    for rule in selected:
        sql = _sql(rule, catalog, as_of, districts or [])
        try:
            rows = run_select(db, sql, catalog, readable, limit=_SCAN_ROWS)
        except AccessDeniedError as exc:
            result.skipped.append({"rule": rule.name, "reason": f"无权读取{'、'.join(exc.tables)}"})
            continue
        result.queries.append({"rule": rule.name, "sql": sql})
        found = {"repeat": _repeats, "overdue": _overdue, "threshold": _thresholds}[rule.kind](
            rule, rows.columns, rows.rows, as_of
        )
        for alert in found:
            alert.level = rules.level(alert.score)
        result.alerts += found
    result.alerts.sort(key=lambda a: (-a.score, a.rule.id, a.subject))
    return result


def _sql(rule: RiskRule, catalog: Catalog, as_of: dt.date, districts: list[str]) -> str:
    start, end = _span(rule, as_of)
    date_column = catalog.tables[rule.table].date_column or ""
    where = f"{date_column} >= '{start}' AND {date_column} < '{end}'" + _district("district", districts)
    if rule.kind == "repeat":
        keys = ", ".join(rule.key)
        columns = f"{keys}, id, {date_column}, unit, status"
        return f"SELECT {columns} FROM {rule.table} WHERE {where} ORDER BY {keys}, {date_column}"
    if rule.kind == "overdue":
        open_at = f"(closed_at IS NULL OR closed_at >= '{end}')"
        return (
            f"SELECT id, {date_column}, district, category, unit, deadline FROM {rule.table} "
            f"WHERE {where} AND {open_at} AND deadline < '{as_of.isoformat()}' ORDER BY deadline"
        )
    groups = ", ".join(rule.group)
    return (
        f"SELECT {groups}, {rule.metric} AS value, COUNT(*) AS n FROM {rule.table} WHERE {where} "
        f"GROUP BY {groups} ORDER BY {groups}"
    )


def _repeats(rule: RiskRule, columns: list[str], rows: list[list[Any]], as_of: dt.date) -> list[Alert]:
    """The densest run of records per key within ``window_days``; an alert where it reaches ``min_count``."""
    width = len(rule.key)
    by_key: dict[tuple[Any, ...], list[list[Any]]] = {}
    for row in rows:
        by_key.setdefault(tuple(row[:width]), []).append(row)
    alerts = []
    for key, records in by_key.items():
        best: list[list[Any]] = []
        for i, first in enumerate(records):
            start = dt.date.fromisoformat(str(first[width + 1])[:10])
            run = [
                r
                for r in records[i:]
                if (dt.date.fromisoformat(str(r[width + 1])[:10]) - start).days < rule.window_days
            ]
            best = run if len(run) > len(best) else best
        if len(best) >= rule.min_count:
            score = min(
                100, 50 + 12 * (len(best) - rule.min_count) + (10 if any(r[-1] == "办理中" for r in best) else 0)
            )
            subject = "，".join(str(k) for k in key)
            first_day, last_day = str(best[0][width + 1])[:10], str(best[-1][width + 1])[:10]
            rule_text = f"{rule.window_days}日内≥{rule.min_count}件"
            summary = f"{subject}：{first_day}至{last_day}共{len(best)}件同类诉求（{rule_text}）"
            alerts.append(Alert(rule, subject, score, summary, columns, best))
    return alerts


def _overdue(rule: RiskRule, columns: list[str], rows: list[list[Any]], as_of: dt.date) -> list[Alert]:
    from agents.tools.workdays import workdays_between  # here: importing agents.tools imports the risk tools

    alerts = []
    for row in rows:
        late = workdays_between(dt.date.fromisoformat(str(row[-1])), as_of)
        score = min(100, 50 + 5 * late)
        summary = (
            f"工单{row[0]}（{row[3]}，{row[4]}）办理期限{row[-1]}，截至{as_of.isoformat()}未办结，已超期{late}个工作日"
        )
        alerts.append(Alert(rule, str(row[0]), score, summary, columns, [row]))
    return alerts


def _thresholds(rule: RiskRule, columns: list[str], rows: list[list[Any]], as_of: dt.date) -> list[Alert]:
    width = len(rule.group)
    alerts = []
    for row in rows:
        value, count = row[width], row[width + 1]
        if value is None or count < rule.min_rows:
            continue
        limit = rule.above if rule.above is not None else rule.below
        assert limit is not None
        breached = value > limit if rule.above is not None else value < limit
        if not breached:
            continue
        gap = abs(value - limit)
        score = min(100, round(50 + 100 * gap / max(limit, 1)))
        subject = "，".join(str(v) for v in row[:width])
        side = "高于" if rule.above is not None else "低于"
        summary = f"{subject}：{rule.metric_label or '指标'}{value}，{side}{limit}（{count}条记录）"
        alerts.append(Alert(rule, subject, score, summary, [*rule.group, "value", "n"], [row]))
    return alerts
