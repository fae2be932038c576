"""LangChain tool of the 会议纪要员: ``write_minutes`` (transcript → structured 纪要 with flags).

时限 count from the meeting date in the transcript, else from ``ToolConfig.today`` or the system
date; working days use ``ToolConfig.holidays_file``.
"""

from __future__ import annotations

import json

from langchain_core.tools import BaseTool

from agents.context import RunContext
from agents.extraction.inputs import checked_text
from agents.minutes.minutes import write_minutes
from agents.tools.langchain_tools import ToolConfig, make_tool, register

MAX_TRANSCRIPT_CHARS = 30000


@register("write_minutes")
def _write_minutes(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def write_minutes_tool(text: str) -> str:
        """根据会议记录（逐字稿）整理会议纪要：会议概况（名称、时间、地点、主持人）、议定事项（每项的责任单位和时限）和参会人员，并标出缺责任单位或时限的事项。

        Args:
            text: 会议记录原文：会议名称、时间、地点、主持人、参会人员，再逐行「姓名（单位）：发言」。
        """
        source = checked_text(text, "时间：2025年6月11日\n张伟：会议议定……", MAX_TRANSCRIPT_CHARS)
        minutes = write_minutes(source, config.today, config.holidays_file)
        return json.dumps(minutes.to_dict(), ensure_ascii=False)

    return make_tool(write_minutes_tool, "write_minutes")
