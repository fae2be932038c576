"""LangChain tool of the 统计分析员: ``stats_report`` writes the monthly city-operations report for the month the
question names (上月 by default) from the data, with its queries, derived-figure formulas and an SVG chart.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from langchain_core.tools import BaseTool

from agents.cityops import load_catalog
from agents.cityops.runtime import database_path, readable_tables, tool_today
from agents.context import RunContext
from agents.dataquery.timerange import parse_time_range
from agents.stats.report import build_report
from agents.tools.langchain_tools import ToolConfig, make_tool, register


def report_month(question: str, today: dt.date) -> dt.date:
    """The month the question names (its first day); the previous month when it names none."""
    found = parse_time_range(question, today)
    if found is not None:
        return found.start
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def stats_payload(ctx: RunContext, config: ToolConfig, question: str) -> dict[str, Any]:
    today = tool_today(config)
    readable = readable_tables(ctx.caller.effective_clearance)
    return build_report(database_path(config), load_catalog(), readable, report_month(question, today), today)


@register("stats_report")
def _stats_report(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def stats_report(question: str = "") -> str:
        """统计分析报告：按月生成城市运行分析报告（12345工单、城市管理事件、清雪作业），每个数字附可复核的查询，并附SVG图表。

        Args:
            question: 用户的要求原文，用于确定月份，如「生成2026年1月城市运行分析报告」；不填为上月。
        """
        return json.dumps(stats_payload(ctx, config, question), ensure_ascii=False, default=str)

    return make_tool(stats_report)
