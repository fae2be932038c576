"""LangChain tools of the 数据查询员: ``query_data`` (question → planned SQL), ``run_sql`` (a model's SQL, validated)
and ``describe_tables`` (the schema the caller may read).

The database is ``ToolConfig.cityops_db`` or the sample built on first use; "today" is ``ToolConfig.today`` or the
system date. Which tables a run may read follows the caller's clearance and ``agents/cityops/tables.yaml``; a query
that touches any other table is refused with the table named, and never retried.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.tools import BaseTool

from agents.cityops import AccessDeniedError, QueryResult, load_catalog, run_select
from agents.cityops.runtime import column_values, database_path, denial, readable_tables, tool_today
from agents.context import RunContext
from agents.dataquery.answer import headers, summarise
from agents.dataquery.planner import QueryPlan, plan_query
from agents.errors import ToolInputError
from agents.tools.langchain_tools import ToolConfig, make_tool, register

MAX_QUESTION_CHARS = 500
NO_TABLE = (
    "未能识别要查询的数据。可查询：12345工单、城市管理事件、清雪作业、企业名录、应急机构与应急资源；"
    "请说明指标、范围和时间，如「上月各区清雪作业量」。"
)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def answer_plan(ctx: RunContext, config: ToolConfig, question: str) -> dict[str, Any]:
    """Plan ``question``, run the SQL within the caller's clearance, and compose the answer from the rows."""
    text = question.strip()
    if not text:
        raise ToolInputError("question is empty; pass the user's question, e.g. 上月各区清雪作业量")
    if len(text) > MAX_QUESTION_CHARS:
        raise ToolInputError(f"question has {len(text)} characters; pass one question of at most {MAX_QUESTION_CHARS}")
    catalog, path, today = load_catalog(), database_path(config), tool_today(config)
    readable = readable_tables(ctx.caller.effective_clearance)
    plan = plan_query(text, today, _values(path, text, readable))
    if plan is None:
        return {"found": False, "message": NO_TABLE}
    sql = plan.sql(catalog)
    try:
        result = run_select(path, sql, catalog, readable)
    except AccessDeniedError as exc:
        return denial(exc.tables, sql)
    return _payload(plan, result, today.isoformat())


def _values(path: Any, question: str, readable: list[str]) -> dict[str, list[str]]:
    from agents.dataquery.planner import choose_table

    vocabulary = choose_table(question)
    if vocabulary is None or vocabulary.table not in readable:
        return {}
    return {column: column_values(path, vocabulary.table, column) for column in vocabulary.filters}


def _payload(plan: QueryPlan, result: QueryResult, today: str) -> dict[str, Any]:
    catalog = load_catalog()
    return {
        "found": True,
        "table": plan.table,
        "table_label": catalog.tables[plan.table].label,
        "sql": result.sql,
        "headers": headers(result, plan.table, catalog, plan),
        "rows": result.rows,
        "truncated": result.truncated,
        "answer": summarise(plan, result, catalog),
        "time_range": plan.time_range.to_dict() if plan.time_range else None,
        "filters": {column: list(values) for column, values in plan.filters.items()},
        "today": today,
    }


@register("query_data")
def _query_data(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def query_data(question: str) -> str:
        """问数：把关于城市运行数据的自然语言问题转成只读SQL并执行，返回答案、SQL和结果行。

        Args:
            question: 用户的问题原文，如「上月各区清雪作业量」「2026年10月滨江区12345工单满意率」。
        """
        return _json(answer_plan(ctx, config, question))

    return make_tool(query_data)


@register("run_sql")
def _run_sql(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def run_sql(sql: str) -> str:
        """执行一条只读SQL查询（仅限单条SELECT、有权限的表，最多返回200行；先用describe_tables看表和列）。

        Args:
            sql: 一条SQLite的SELECT语句，如「SELECT district, SUM(snow_tons) FROM snow_removal GROUP BY district」。
        """
        catalog, path = load_catalog(), database_path(config)
        try:
            result = run_select(path, sql, catalog, readable_tables(ctx.caller.effective_clearance))
        except AccessDeniedError as exc:
            return _json(denial(exc.tables, sql.strip()))
        return _json({"found": True, **result.to_dict(), "tables": result.tables})

    return make_tool(run_sql)


@register("describe_tables")
def _describe_tables(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def describe_tables() -> str:
        """列出当前用户有权查询的城市运行数据表、各列含义和时间列，供编写SQL或说明可查询范围。"""
        catalog = load_catalog()
        tables = [
            {"table": name, "label": spec.label, "date_column": spec.date_column, "columns": spec.columns}
            for name, spec in catalog.tables.items()
            if name in readable_tables(ctx.caller.effective_clearance)
        ]
        return _json({"found": True, "tables": tables, "today": tool_today(config).isoformat()})

    return make_tool(describe_tables)
