"""The monthly city-operations report: every figure comes from a named read-only query kept in the output, so a
reader can rerun it; the few derived figures (环比, shares) carry their formula. Sections come from a Jinja2
template; a section over a table the caller may not read is left out and said so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.cityops import AccessDeniedError, Catalog, run_select
from agents.stats.chart import bar_chart
from prompts import render

REPORT_TEMPLATE = "reports/city_monthly.j2"
RISE_SHARE = 0.3  # a category rising 30% or more month on month (and by 10 tickets or more) is called out
RISE_MIN = 10


@dataclass
class FigureBook:
    """Runs the report's queries and keeps each (id, label, sql, rows) so every figure can be traced."""

    db: Path
    catalog: Catalog
    readable: list[str]
    queries: list[dict[str, Any]] = field(default_factory=list)
    derived: list[dict[str, Any]] = field(default_factory=list)

    def rows(self, key: str, label: str, sql: str) -> list[list[Any]]:
        result = run_select(self.db, sql, self.catalog, self.readable, limit=500)
        self.queries.append({"id": key, "label": label, "sql": sql, "rows": result.rows})
        return result.rows

    def value(self, key: str, label: str, sql: str) -> Any:
        rows = self.rows(key, label, sql)
        return rows[0][0] if rows and rows[0] else None

    def derive(self, key: str, label: str, formula: str, value: float | None) -> float | None:
        self.derived.append({"id": key, "label": label, "formula": formula, "value": value})
        return value


def month_span(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    return start, (start + dt.timedelta(days=32)).replace(day=1)


def _where(column: str, start: dt.date, end: dt.date) -> str:
    return f"{column} >= '{start.isoformat()}' AND {column} < '{end.isoformat()}'"


def _change(now: float | None, before: float | None) -> float | None:
    if not now or not before:
        return None
    return round(100.0 * (now - before) / before, 1)


def _tickets(book: FigureBook, start: dt.date, end: dt.date, as_of: dt.date) -> dict[str, Any]:
    prev_start, _ = month_span(start - dt.timedelta(days=1))
    now, before = _where("received_at", start, end), _where("received_at", prev_start, start)
    total = book.value("t_total", "本月受理工单", f"SELECT COUNT(*) FROM tickets WHERE {now}")
    prev = book.value("t_prev", "上月受理工单", f"SELECT COUNT(*) FROM tickets WHERE {before}")
    overdue = (
        f"SUM(CASE WHEN (closed_at IS NOT NULL AND substr(closed_at, 1, 10) > deadline) OR "
        f"(closed_at IS NULL AND deadline < '{as_of.isoformat()}') THEN 1 ELSE 0 END)"
    )
    rates = book.rows(
        "t_rates",
        "办结率、满意率、超期件数",
        "SELECT ROUND(100.0 * SUM(status = '已办结') / COUNT(*), 1), "
        "ROUND(100.0 * SUM(satisfaction = '满意') / NULLIF(COUNT(satisfaction), 0), 1), "
        f"{overdue} FROM tickets WHERE {now}",
    )[0]
    districts = book.rows(
        "t_district",
        "各区受理量与满意率",
        "SELECT district, COUNT(*), ROUND(100.0 * SUM(satisfaction = '满意') / NULLIF(COUNT(satisfaction), 0), 1) "
        f"FROM tickets WHERE {now} GROUP BY district ORDER BY 2 DESC, 1",
    )
    categories = book.rows(
        "t_category",
        "诉求类别受理量",
        f"SELECT category, COUNT(*) FROM tickets WHERE {now} GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    before_by = dict(
        (r[0], r[1])
        for r in book.rows(
            "t_category_prev", "上月诉求类别受理量", f"SELECT category, COUNT(*) FROM tickets WHERE {before} GROUP BY 1"
        )
    )
    rising = []
    for name, count in categories:
        was = before_by.get(name, 0)
        if count - was >= RISE_MIN and (not was or (count - was) / was >= RISE_SHARE):
            change = book.derive(
                f"rise_{name}",
                f"{name}环比",
                f"(t_category[{name}] - t_category_prev[{name}]) / t_category_prev[{name}]",
                _change(count, was),
            )
            rising.append({"category": name, "count": count, "before": was, "change": change})
    change = book.derive("t_change", "受理量环比", "(t_total - t_prev) / t_prev × 100%", _change(total, prev))
    top_share = book.derive(
        "t_top_share", "首位类别占比", "t_category[0] / t_total × 100%",
        round(100.0 * categories[0][1] / total, 1) if total and categories else None,
    )  # fmt: skip
    lowest = min((d for d in districts if d[2] is not None), key=lambda d: d[2], default=None)
    return {
        "total": total, "prev": prev, "change": change, "closed_rate": rates[0], "satisfaction": rates[1],
        "overdue": rates[2], "districts": districts, "categories": categories, "top_share": top_share,
        "rising": rising, "lowest_district": lowest,
    }  # fmt: skip


def _events(book: FigureBook, start: dt.date, end: dt.date) -> dict[str, Any]:
    now = _where("reported_at", start, end)
    summary = book.rows(
        "e_summary",
        "城管事件数、结案率、平均处置时长",
        "SELECT COUNT(*), ROUND(100.0 * SUM(status = '已结案') / COUNT(*), 1), ROUND(AVG(handle_hours), 1) "
        f"FROM city_events WHERE {now}",
    )[0]
    types = book.rows(
        "e_type",
        "城管事件大类",
        f"SELECT event_type, COUNT(*) FROM city_events WHERE {now} GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    sources = book.rows(
        "e_source",
        "城管事件来源",
        f"SELECT source, COUNT(*) FROM city_events WHERE {now} GROUP BY 1 ORDER BY 2 DESC, 1",
    )
    return {"total": summary[0], "closed_rate": summary[1], "hours": summary[2], "types": types, "sources": sources}


def _snow(book: FigureBook, start: dt.date, end: dt.date) -> dict[str, Any] | None:
    row = book.rows(
        "s_summary",
        "清雪作业天数、雪量、车辆、人员、覆盖率",
        "SELECT COUNT(DISTINCT work_date), ROUND(SUM(snow_tons), 1), SUM(vehicles), SUM(workers), "
        f"ROUND(100.0 * SUM(cleared_km) / SUM(road_km), 1) FROM snow_removal WHERE {_where('work_date', start, end)}",
    )[0]
    if not row[0]:
        return None
    return {"days": row[0], "tons": row[1], "vehicles": row[2], "workers": row[3], "coverage": row[4]}


def build_report(db: Path, catalog: Catalog, readable: list[str], month: dt.date, as_of: dt.date) -> dict[str, Any]:
    """The report for the month containing ``month``; overdue is judged as of ``as_of`` (at most the month's end)."""
    start, end = month_span(month)
    judged = min(as_of, end - dt.timedelta(days=1))
    book = FigureBook(db, catalog, readable)
    sections: dict[str, Any] = {}
    skipped: list[str] = []
    makers: list[tuple[str, Callable[[], Any]]] = [
        ("tickets", lambda: _tickets(book, start, end, judged)),
        ("events", lambda: _events(book, start, end)),
        ("snow", lambda: _snow(book, start, end)),
    ]
    for name, make in makers:
        try:
            sections[name] = make()
        except AccessDeniedError as exc:
            skipped.append(f"{'、'.join(catalog.tables[t].label for t in exc.tables)}（无权限）")
    period = f"{start.year}年{start.month}月"
    chart = ""
    if "tickets" in sections and sections["tickets"]["categories"]:
        items = [(str(c), float(n)) for c, n in sections["tickets"]["categories"][:8]]
        chart = bar_chart(f"{period}12345工单诉求类别（件）", items)
    elif "events" in sections and sections["events"]["types"]:
        chart = bar_chart(
            f"{period}城市管理事件大类（件）", [(str(t), float(n)) for t, n in sections["events"]["types"]]
        )
    context = {"period": period, "start": start, "end": end - dt.timedelta(days=1), "judged": judged, **sections}
    text = render(
        REPORT_TEMPLATE,
        skipped=skipped,
        **{k: context.get(k) for k in ("period", "start", "end", "judged", "tickets", "events", "snow")},
    )
    return {
        "found": True,
        "title": f"江临市{period}城市运行分析报告（示例）",
        "period": {"label": period, "start": start.isoformat(), "end": (end - dt.timedelta(days=1)).isoformat()},
        "report": text,
        "chart_svg": chart,
        "queries": book.queries,
        "derived": book.derived,
        "skipped": skipped,
    }
