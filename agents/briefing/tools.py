"""LangChain tool of the 简报摘要员: ``summarize_text`` (structured, length-limited, numerically faithful).

The tool refuses to emit a number its source lacks: the summary is extractive and checked with
``unfaithful_numbers`` before it leaves the tool.
"""

from __future__ import annotations

import json

from langchain_core.tools import BaseTool

from agents.briefing.faithfulness import unfaithful_numbers
from agents.briefing.summary import DEFAULT_LIMIT, KIND_LABELS, MAX_LIMIT, MIN_LIMIT, split_request, summarize
from agents.context import RunContext
from agents.errors import ToolInputError
from agents.extraction.inputs import checked_text
from agents.tools.langchain_tools import ToolConfig, make_tool, register

MAX_SOURCE_CHARS = 20000


@register("summarize_text")
def _summarize_text(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def summarize_text(text: str, limit: int = 0, kind: str = "") -> str:
        """把工单、报告或值班日志压缩成结构化摘要（值班要情、工单摘要、报告摘要），不超过字数限制，摘要中的每个数字都来自原文。

        Args:
            text: 原文，可带要求，如「把下面值班日志压缩成150字以内的要情：……」。
            limit: 字数上限，30 到 2000；0 表示按原文中的要求，未写则 200。
            kind: ticket 工单 / shift_log 值班日志 / report 报告；留空自动判断。
        """
        source, asked = split_request(checked_text(text, "06:30 接报望江路积水约30厘米", MAX_SOURCE_CHARS))
        size = limit or asked or DEFAULT_LIMIT
        if not MIN_LIMIT <= size <= MAX_LIMIT:
            raise ToolInputError(f"limit {size} is out of range; use {MIN_LIMIT} to {MAX_LIMIT} characters")
        if kind and kind not in KIND_LABELS:
            raise ToolInputError(f"unknown kind {kind!r}; use one of {', '.join(KIND_LABELS)} or leave it empty")
        if not source:
            raise ToolInputError("nothing to summarise after the request; put the source text after 「：」")
        briefing = summarize(source, kind or None, size)  # type: ignore[arg-type]
        data = briefing.to_dict()
        if unfaithful_numbers(data["summary"], source):  # a broken invariant is an error, never an output
            raise RuntimeError("summary carries a number the source lacks; refusing to emit it")
        return json.dumps(data, ensure_ascii=False)

    return make_tool(summarize_text)
