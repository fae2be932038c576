"""The 江临市 city-operations sample database (示例, fictional), generated from a seed so every build is identical.

Tables: 12345 tickets (and their callers, confidential), 城市管理 events, 清雪作业, 企业名录, emergency org units and
resources. The data spans ``DATA_START`` to ``DATA_END`` and carries patterns the risk and report tools must find:
repeated complaints from a few addresses, tickets left open past their deadline, snow days whose coverage falls
short, one 承办单位 with many dissatisfied callers, a heating season. Nothing is random at run time:
``random.Random(seed)`` drives every value.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from agents.cityops.seeddata import (
    CATEGORIES,
    DISTRICTS,
    EVENT_TYPES,
    INDUSTRIES,
    ORG_UNITS,
    RESOURCES,
    SNOW_DAYS,
    SURNAMES,
    credit_code,
)

SCHEMA_VERSION = 1
DEFAULT_SEED = 20261125
DATA_START = dt.date(2025, 11, 1)
DATA_END = dt.date(2026, 11, 20)  # the snapshot day: tickets received later do not exist yet
POOR_UNIT = "高新区住房和城乡建设局"  # its callers are often dissatisfied: the pattern the 不满意率 rule must find

_SCHEMA = """
CREATE TABLE tickets (id TEXT PRIMARY KEY, received_at TEXT NOT NULL, district TEXT NOT NULL, street TEXT NOT NULL,
  address TEXT NOT NULL, category TEXT NOT NULL, ticket_type TEXT NOT NULL, unit TEXT NOT NULL, status TEXT NOT NULL,
  deadline TEXT NOT NULL, closed_at TEXT, satisfaction TEXT);
CREATE TABLE ticket_callers (ticket_id TEXT PRIMARY KEY, caller_name TEXT NOT NULL, phone TEXT NOT NULL);
CREATE TABLE city_events (id TEXT PRIMARY KEY, reported_at TEXT NOT NULL, district TEXT NOT NULL, street TEXT NOT NULL,
  event_type TEXT NOT NULL, subtype TEXT NOT NULL, source TEXT NOT NULL, status TEXT NOT NULL, closed_at TEXT,
  handle_hours REAL);
CREATE TABLE snow_removal (id INTEGER PRIMARY KEY, work_date TEXT NOT NULL, district TEXT NOT NULL, road TEXT NOT NULL,
  road_km REAL NOT NULL, cleared_km REAL NOT NULL, snow_tons REAL NOT NULL, vehicles INTEGER NOT NULL,
  workers INTEGER NOT NULL);
CREATE TABLE enterprises (credit_code TEXT PRIMARY KEY, name TEXT NOT NULL, industry TEXT NOT NULL,
  district TEXT NOT NULL, size TEXT NOT NULL, credit_level TEXT NOT NULL, established TEXT NOT NULL,
  employees INTEGER NOT NULL);
CREATE TABLE org_units (unit_id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, level TEXT NOT NULL, district TEXT,
  role TEXT NOT NULL, duty TEXT NOT NULL, phone TEXT NOT NULL);
CREATE TABLE emergency_resources (resource_id TEXT PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
  quantity INTEGER NOT NULL, measure TEXT NOT NULL, owner_unit TEXT NOT NULL REFERENCES org_units(name),
  district TEXT, location TEXT NOT NULL, hazards TEXT NOT NULL);
"""


@dataclass(frozen=True)
class BuildSummary:
    """What a build wrote: the file and the row count per table."""

    path: Path
    seed: int
    rows: dict[str, int]


def build_cityops(path: Path, seed: int = DEFAULT_SEED) -> BuildSummary:
    """Write the sample database to ``path`` (replaced atomically), from ``seed``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")  # two processes never share a half-built file
    partial.unlink(missing_ok=True)
    rng = random.Random(seed)
    with sqlite3.connect(partial) as conn:
        conn.executescript(_SCHEMA)
        tickets, callers = _tickets(rng)
        rows = {
            "tickets": _insert(conn, "tickets", tickets),
            "ticket_callers": _insert(conn, "ticket_callers", callers),
            "city_events": _insert(conn, "city_events", _events(rng)),
            "snow_removal": _insert(conn, "snow_removal", _snow(rng)),
            "enterprises": _insert(conn, "enterprises", _enterprises(rng)),
            "org_units": _insert(conn, "org_units", [(f"U{i + 1:03d}", *u) for i, u in enumerate(ORG_UNITS)]),
            "emergency_resources": _insert(
                conn, "emergency_resources", [(f"R{i + 1:03d}", *r) for i, r in enumerate(RESOURCES)]
            ),
        }
    conn.close()
    partial.replace(path)
    return BuildSummary(path, seed, rows)


def _insert(conn: sqlite3.Connection, table: str, rows: list[tuple[object, ...]]) -> int:
    if rows:
        marks = ",".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    return len(rows)


def _days() -> list[dt.date]:
    return [DATA_START + dt.timedelta(days=n) for n in range((DATA_END - DATA_START).days + 1)]


def _stamp(day: dt.date, rng: random.Random) -> str:
    return dt.datetime.combine(day, dt.time(rng.randint(7, 22), rng.randint(0, 59))).isoformat(sep=" ")


def _place(rng: random.Random, district: str | None = None) -> tuple[str, str, str]:
    name = district or rng.choice(list(DISTRICTS))
    street, roads = rng.choice(list(DISTRICTS[name].items()))
    return name, street, f"{name}{rng.choice(roads)[0]}{rng.randint(1, 300)}号"


def _tickets(rng: random.Random) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """About 3,400 tickets; a few addresses complain again and again, a few tickets stay open past their deadline."""
    drafts: list[tuple[dt.date, tuple[str, str, str], str]] = []
    weights = [c.weight for c in CATEGORIES]
    for day in _days():
        heating = day.month in (11, 12, 1, 2, 3)
        for _ in range(rng.randint(6, 12)):
            category = rng.choices(CATEGORIES, weights)[0]
            if category.name == "供暖" and not heating:
                category = CATEGORIES[0]
            drafts.append((day, _place(rng), category.name))
    for _ in range(8):  # repeated complaints: one address, one problem, several calls within a fortnight
        place, repeated = _place(rng), rng.choice(["噪声扰民", "占道经营", "物业管理", "市容环卫"])
        first = DATA_START + dt.timedelta(days=rng.randint(0, len(_days()) - 15))
        drafts.extend(
            (first + dt.timedelta(days=rng.randint(0, 13)), place, repeated) for _ in range(rng.randint(3, 6))
        )
    drafts.sort(key=lambda d: d[0])
    from agents.tools.workdays import add_workdays  # here, not at import: agents.tools imports the data tools

    by_name = {c.name: c for c in CATEGORIES}
    deadlines: dict[tuple[dt.date, int], dt.date] = {}  # the calendar walk is day by day; 1,200 keys, not 3,500
    tickets: list[tuple[object, ...]] = []
    callers: list[tuple[object, ...]] = []
    for number, (day, (district, street, address), name) in enumerate(drafts, start=1):
        category = by_name[name]
        ticket_id = f"JL{day:%Y%m%d}{number:05d}"
        key = (day, category.workdays)
        if key not in deadlines:
            deadlines[key] = add_workdays(day, category.workdays).end_date
        deadline = deadlines[key]
        received = dt.datetime.combine(day, dt.time(rng.randint(7, 22), rng.randint(0, 59)))
        unit = category.unit.format(区=district)
        closed_at, status, satisfaction = _outcome(rng, received, deadline, unit == POOR_UNIT)
        ticket_type = rng.choices(["投诉", "求助", "咨询", "举报", "建议"], [40, 30, 18, 7, 5])[0]
        tickets.append(
            (
                ticket_id,
                received.isoformat(sep=" "),
                district,
                street,
                address,
                name,
                ticket_type,
                unit,
                status,
                deadline.isoformat(),
                closed_at,
                satisfaction,
            )
        )
        phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"
        callers.append((ticket_id, rng.choice(SURNAMES) + "**", phone))
    return tickets, callers


def _outcome(
    rng: random.Random, received: dt.datetime, deadline: dt.date, poor: bool
) -> tuple[str | None, str, str | None]:
    """Closed on time mostly, some late; tickets near the snapshot (and a few old ones) still open."""
    day = received.date()
    open_chance = 0.6 if (DATA_END - day).days < 7 else 0.004
    if rng.random() < open_chance:
        return None, "办理中", None
    late = rng.random() < 0.07
    span = (deadline - day).days
    closed = day + dt.timedelta(days=span + rng.randint(1, 6) if late else rng.randint(0, max(span, 0)))
    closed = min(closed, DATA_END)
    closed_at = dt.datetime.combine(closed, dt.time(rng.randint(9, 17), rng.randint(0, 59)))
    if closed_at <= received:  # a 直办 answer on the day it came in
        closed_at = received + dt.timedelta(minutes=rng.randint(20, 90))
    stamp = closed_at.isoformat(sep=" ")
    weights = [55, 20, 25] if poor else [74, 18, 12 if late else 8]
    satisfaction = rng.choices(["满意", "基本满意", "不满意"], weights)[0]
    return stamp, "已办结", satisfaction


def _events(rng: random.Random) -> list[tuple[object, ...]]:
    events: list[tuple[object, ...]] = []
    sources = ["网格员上报", "视频AI识别", "12345转办", "巡查发现"]
    for day in _days():
        for _ in range(rng.randint(2, 6)):
            district, street, _address = _place(rng)
            event_type = rng.choice(list(EVENT_TYPES))
            hours = round(rng.uniform(0.5, 72.0), 1)
            closed = dt.datetime.combine(day, dt.time(12)) + dt.timedelta(hours=hours)
            done = closed.date() <= DATA_END
            events.append(
                (
                    f"CG{day:%Y%m%d}{len(events) + 1:05d}",
                    _stamp(day, rng),
                    district,
                    street,
                    event_type,
                    rng.choice(EVENT_TYPES[event_type]),
                    rng.choices(sources, [40, 25, 20, 15])[0],
                    "已结案" if done else "处置中",
                    closed.isoformat(sep=" ", timespec="minutes") if done else None,
                    hours if done else None,
                )
            )
    return events


def _snow(rng: random.Random) -> list[tuple[object, ...]]:
    """Every road of every district on each snow day; a snow day in one district now and then falls short."""
    rows: list[tuple[object, ...]] = []
    for day, depth in SNOW_DAYS:
        for district, streets in DISTRICTS.items():
            short = rng.random() < 0.15
            for roads in streets.values():
                for road, km in roads:
                    share = rng.uniform(0.55, 0.8) if short else rng.uniform(0.92, 1.0)
                    cleared = round(km * share, 1)
                    tons = round(cleared * depth * rng.uniform(8, 12), 1)
                    vehicles = max(1, round(cleared / 2.5 + rng.randint(0, 2)))
                    rows.append(
                        (
                            len(rows) + 1,
                            day.isoformat(),
                            district,
                            road,
                            km,
                            cleared,
                            tons,
                            vehicles,
                            vehicles * rng.randint(3, 5),
                        )
                    )
    return rows


def _enterprises(rng: random.Random) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    sizes = ["大型", "中型", "小型", "微型"]
    for number in range(1, 241):
        industry, words = rng.choice(list(INDUSTRIES.items()))
        district = rng.choice(list(DISTRICTS))
        size = rng.choices(sizes, [4, 16, 45, 35])[0]
        employees = {"大型": (1000, 5000), "中型": (100, 999), "小型": (10, 99), "微型": (1, 9)}[size]
        founded = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 9400))
        name = (
            f"江临{rng.choice(words)}{rng.choice(['科技', '实业', '发展', '商贸', '服务'])}有限公司（示例{number:03d}）"
        )
        rows.append(
            (
                credit_code(rng, district),
                name,
                industry,
                district,
                size,
                rng.choices("ABCD", [45, 35, 15, 5])[0],
                founded.isoformat(),
                rng.randint(*employees),
            )
        )
    return rows
