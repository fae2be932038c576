"""Deployment settings reach the tools: SHUZHI_* → Settings → ToolConfig → the tools an agent runs with."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from agents.context import Caller, RunContext
from agents.guardrails import SensitiveLexicon
from app.agent_service import AgentService
from app.settings import Settings
from app.wiring import build_tool_config, load_agent_specs
from knowledge import HashingEmbedder, KnowledgeBase


def test_tool_data_settings_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHUZHI_HOLIDAYS_FILE", str(tmp_path / "holidays.yaml"))
    monkeypatch.setenv("SHUZHI_TODAY", "2026-03-02")
    monkeypatch.setenv("SHUZHI_TICKET_TAXONOMY", str(tmp_path / "taxonomy.yaml"))
    config = build_tool_config(Settings(home=tmp_path))
    assert config.holidays_file == tmp_path / "holidays.yaml"
    assert config.today == dt.date(2026, 3, 2)
    assert config.ticket_taxonomy == tmp_path / "taxonomy.yaml"
    assert config.policy_catalog is None and config.cityops_db is None


def test_an_agent_runs_with_the_deployment_holiday_file(tmp_path: Path) -> None:
    # 2030 is beyond chinese-calendar's published years: only the deployment file knows its 国庆 holidays.
    holidays = tmp_path / "holidays.yaml"
    holidays.write_text("holidays:\n" + "".join(f"  - 2030-10-0{d}\n" for d in range(1, 8)), encoding="utf-8")
    settings = Settings(home=tmp_path / "home", holidays_file=holidays)
    kb = KnowledgeBase(settings.home, HashingEmbedder())
    try:
        service = AgentService(settings, kb, load_agent_specs(settings), SensitiveLexicon.default())
        runner = service.runner("service-guide")
        tools = {t.name: t for t in runner.tools_factory(RunContext(Caller("citizen"), kb, []), ["workday_calculator"])}
        result = json.loads(tools["workday_calculator"].invoke({"start_date": "2030-09-30", "workdays": 3}))
        assert result["end_date"] == "2030-10-10"  # 10-01..10-07 skipped as the file says; 10-08 Tue is day 1
        assert "holidays.yaml" in result["rule"]
    finally:
        kb.close()
