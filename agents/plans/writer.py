"""A 预案 from the skeleton (总则, 组织机构与职责, 响应分级 Ⅰ–Ⅳ, 处置流程, 保障措施) that names only units of the org
table and resources of the inventory. A unit the request or a step names but the table lacks is reported, never used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.cityops import Catalog, run_select
from agents.cityops.seeddata import DISTRICTS
from agents.plans.hazards import LEVEL_NAMES, Hazard, HazardBook
from prompts import render

PLAN_TEMPLATE = "plans/emergency_plan.j2"
_SUFFIX = r"(?:局|委员会|委|办公室|中心|人民政府|政府|公司|集团|支队|大队|宣传部|部|院)"
# 「江临市应急管理局」「市城市管理局」「滨江区人民政府」「各区综合行政执法局」「江临供电公司」
UNIT_MENTION = re.compile(rf"(?:江临市|江临|各区|[滨临高][江川新]区|市)[一-龥]{{1,14}}?{_SUFFIX}")


@dataclass
class Unit:
    name: str
    level: str
    district: str | None
    role: str
    duty: str
    phone: str


@dataclass
class UnitCheck:
    """Which mentions resolve to units of the table, and which do not."""

    table: dict[str, Unit]
    district: str | None
    used: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def resolve(self, mention: str) -> list[str]:
        """Table names a mention stands for: 「市X局」 is 「江临市X局」; 「各区X」 is each district's X."""
        if mention.startswith("各区"):
            districts = [self.district] if self.district else list(DISTRICTS)
            names = [f"{d}{mention[2:]}" for d in districts]
            return names if all(n in self.table for n in names) else []
        name = "江临" + mention if mention.startswith("市") else mention
        return [name] if name in self.table else []

    def text(self, text: str) -> str:
        """``text`` with each unit mention checked; unknown ones are marked and recorded."""

        def check(match: re.Match[str]) -> str:
            mention = match.group()
            names = self.resolve(mention)
            if not names:
                if mention not in self.missing:
                    self.missing.append(mention)
                return f"{mention}（组织机构表中无此单位，待明确）"
            self.used += [n for n in names if n not in self.used]
            if mention.startswith("各区") and self.district:
                return names[0]
            return mention

        return UNIT_MENTION.sub(check, text)


def _units(db: Path, catalog: Catalog, readable: list[str]) -> tuple[dict[str, Unit], str]:
    sql = "SELECT name, level, district, role, duty, phone FROM org_units ORDER BY unit_id"
    rows = run_select(db, sql, catalog, readable).rows
    return {row[0]: Unit(*row) for row in rows}, sql


def _resources(
    db: Path, catalog: Catalog, readable: list[str], hazard: Hazard, district: str | None
) -> tuple[list[list[Any]], str]:
    where = f"hazards LIKE '%{hazard.hazard_tag}%'"
    if district:  # the district's own stock, plus what city units hold for every district
        where += f" AND (district = '{district}' OR district IS NULL OR owner_unit LIKE '江临%')"
    sql = (
        "SELECT category, name, quantity, measure, owner_unit, location FROM emergency_resources "
        f"WHERE {where} ORDER BY category, owner_unit, name"
    )
    return run_select(db, sql, catalog, readable).rows, sql


def requested_units(question: str) -> list[str]:
    """Unit names the request itself mentions (「由市应急管理局牵头，江临市地震局参加」)."""
    found: list[str] = []
    for match in UNIT_MENTION.finditer(question):
        if match.group() not in found:
            found.append(match.group())
    return found


def write_plan(
    db: Path, catalog: Catalog, readable: list[str], book: HazardBook, hazard: Hazard, question: str
) -> dict[str, Any]:
    """The plan for ``hazard`` (a district's when the question names one), with what it used and what it lacks."""
    district = next((d for d in DISTRICTS if d in question), None)
    table, unit_sql = _units(db, catalog, readable)
    resources, resource_sql = _resources(db, catalog, readable, hazard, district)
    check = UnitCheck(table, district)
    asked = requested_units(question)
    asked_found = [name for mention in asked for name in check.resolve(mention)]
    asked_missing = [mention for mention in asked if not check.resolve(mention)]
    members = [
        u
        for u in table.values()
        if (u.role in hazard.roles or u.name in asked_found) and (u.district in (None, district) or not district)
    ]
    lead = check.text(hazard.lead)
    commander = check.text(f"{district}人民政府" if district else "江临市突发事件应急委员会")
    levels = [
        {
            "level": level,
            "name": LEVEL_NAMES[level],
            "condition": check.text(spec.condition),
            "starter": check.text(spec.starter),
        }
        for level, spec in hazard.levels.items()
    ]
    steps = [check.text(step) for step in hazard.steps]
    owners = {row[4] for row in resources}
    check.used += [m.name for m in members if m.name not in check.used]
    check.used += [o for o in sorted(owners) if o not in check.used]
    scope = district or "江临市"
    title = f"{scope}{hazard.title}（示例）"
    text = render(
        PLAN_TEMPLATE,
        title=title,
        hazard=hazard,
        scope=scope,
        basis=book.common_basis + hazard.basis,
        lead=lead,
        commander=commander,
        members=members,
        levels=levels,
        steps=steps,
        resources=resources,
        missing=asked_missing + check.missing,
    )
    return {
        "found": True,
        "title": title,
        "hazard": hazard.name,
        "district": district,
        "plan": text,
        "units_used": check.used,
        "resources_used": [f"{r[1]}（{r[4]}）" for r in resources],
        "requested": {"found": asked_found, "not_found": asked_missing},
        "not_found": asked_missing + [m for m in check.missing if m not in asked_missing],
        "queries": [unit_sql, resource_sql],
    }
