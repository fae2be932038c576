"""LangChain tools of the 督办跟踪员: ``track_tasks`` (items, deadlines and status as of today) and
``extract_tasks`` (items and deadlines only). "Today" is the ``as_of`` argument, else ``ToolConfig.today``,
else the system date; the working-day calendar honours ``ToolConfig.holidays_file``.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from langchain_core.tools import BaseTool

from agents.cityops.runtime import tool_today
from agents.context import RunContext
from agents.errors import ToolInputError
from agents.tools.langchain_tools import ToolConfig, make_tool, parse_date, register
from agents.tracking.tasks import assess, base_date, extract_tasks

MAX_TEXT_CHARS = 20_000  # a long 纪要 or 督办通知; a whole report volume is a paste error
STATUS_ORDER = ["已逾期", "今日到期", "即将到期", "未到期", "长期跟踪", "待明确时限"]


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _text(text: str) -> str:
    if not text.strip():
        raise ToolInputError("text is empty; pass the minutes or document text, e.g. 「一、由市城市管理局牵头……」")
    if len(text) > MAX_TEXT_CHARS:
        raise ToolInputError(f"text has {len(text)} characters; pass one document of at most {MAX_TEXT_CHARS}")
    return text


def track(text: str, config: ToolConfig, as_of: str = "", with_status: bool = True) -> dict[str, Any]:
    """The 督办 list of ``text``: items with unit and deadline, and (with status) where each stands today."""
    today = parse_date(as_of, "as_of") if as_of.strip() else tool_today(config)
    start, start_rule = base_date(_text(text), today)
    tasks = extract_tasks(text, start, config.holidays_file)
    if not tasks:
        return {"found": False, "message": "未从文本中识别出带责任单位或时限的督办事项"}
    data: dict[str, Any] = {"found": True, "base_date": start.isoformat(), "base_rule": start_rule}
    if with_status:
        assess(tasks, today, config.holidays_file)
        counts = Counter(t.status for t in tasks)
        data |= {"as_of": today.isoformat(), "counts": {s: counts[s] for s in STATUS_ORDER if counts[s]}}
        tasks.sort(key=lambda t: (STATUS_ORDER.index(t.status), (t.deadline and t.deadline.date) or start))
    data["tasks"] = [t.to_dict() for t in tasks]
    data["deadlines"] = sorted(t.deadline.date.isoformat() for t in tasks if t.deadline and t.deadline.date)
    return data


@register("track_tasks")
def _track_tasks(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def track_tasks(text: str, as_of: str = "") -> str:
        """督办跟踪：从会议纪要或文件中提取督办事项（事项、责任单位、时限），按工作日日历计算截止日期，列出已逾期和即将到期的事项。

        Args:
            text: 会议纪要或文件原文，如「一、由市城市管理局牵头，于12月15日前完成清雪设备检修。」。
            as_of: 以哪一天判断是否逾期，YYYY-MM-DD；不填为今天。
        """
        return _json(track(text, config, as_of))

    return make_tool(track_tasks)


@register("extract_tasks")
def _extract_tasks(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def extract_tasks_tool(text: str) -> str:
        """从会议纪要或文件中提取督办事项清单：事项、责任单位、配合单位、时限及按工作日计算的截止日期。

        Args:
            text: 会议纪要或文件原文。
        """
        return _json(track(text, config, with_status=False))

    return make_tool(extract_tasks_tool, "extract_tasks")
