"""数据查询员 (问数): natural-language questions → read-only SQL over the allow-listed city-operations tables."""

from agents.dataquery.answer import summarise
from agents.dataquery.planner import QueryPlan, choose_table, plan_query
from agents.dataquery.timerange import TimeRange, parse_time_range

__all__ = ["QueryPlan", "TimeRange", "choose_table", "parse_time_range", "plan_query", "summarise"]
