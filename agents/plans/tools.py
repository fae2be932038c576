"""LangChain tool of the 预案编制员: ``write_plan`` drafts a 预案 of the kind the request names (暴雪, 暴雨洪涝,
大面积停电, 节假日和大型活动) from the skeleton, naming only units of the org table and resources of the inventory.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.tools import BaseTool

from agents.cityops import AccessDeniedError, load_catalog
from agents.cityops.runtime import database_path, denial, readable_tables
from agents.context import RunContext
from agents.errors import ToolInputError
from agents.plans.hazards import load_hazards
from agents.plans.writer import write_plan
from agents.tools.langchain_tools import ToolConfig, make_tool, register


def plan_payload(ctx: RunContext, config: ToolConfig, request: str) -> dict[str, Any]:
    if not request.strip():
        raise ToolInputError("request is empty; pass what plan is wanted, e.g. 编制滨江区暴雪灾害应急预案")
    book = load_hazards()
    hazard = book.choose(request)
    if hazard is None:
        kinds = "、".join(h.name for h in book.hazards.values())
        return {"found": False, "message": f"未识别预案类型。可编制：{kinds}。"}
    catalog = load_catalog()
    try:
        return write_plan(
            database_path(config), catalog, readable_tables(ctx.caller.effective_clearance), book, hazard, request
        )
    except AccessDeniedError as exc:
        return denial(exc.tables, "")


@register("write_plan")
def _write_plan(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def write_plan_tool(request: str) -> str:
        """编制应急预案或保障方案：按预案骨架（总则、组织机构与职责、响应分级Ⅰ–Ⅳ、处置流程、保障措施）生成，只使用组织机构表中的单位和应急资源台账中的资源，并列出找不到的单位。

        Args:
            request: 用户的要求原文，如「编制滨江区暴雪灾害应急预案，由市应急管理局牵头，江临市地震局参加」。
        """
        return json.dumps(plan_payload(ctx, config, request), ensure_ascii=False, default=str)

    return make_tool(write_plan_tool, "write_plan")
