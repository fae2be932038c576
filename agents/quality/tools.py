"""LangChain tool of the 回访质检员: ``inspect_reply`` (a 12345 reply checked against its ticket).

The run's embedder (``ctx.knowledge.embedder``) adds a similarity test to 答非所问; without a knowledge
base the test uses words only.
"""

from __future__ import annotations

import json

from langchain_core.tools import BaseTool

from agents.context import RunContext
from agents.errors import ToolInputError
from agents.extraction import parse_record
from agents.extraction.inputs import checked_text, run_embedder
from agents.quality.inspection import inspect_reply, split_ticket_reply
from agents.tools.langchain_tools import ToolConfig, make_tool, register

_TICKET_KEYS = ("工单", "工单内容", "诉求内容", "ticket")
_REPLY_KEYS = ("答复", "办理答复", "答复内容", "reply")


def ticket_and_reply(text: str) -> tuple[str, str]:
    """(ticket, reply) from a JSON object with 工单/答复 keys or from text marked 「工单：」「答复：」."""
    if text.lstrip().startswith("{"):
        record = parse_record(text)
        ticket = next((str(record[k]) for k in _TICKET_KEYS if k in record), "")
        reply = next((str(record[k]) for k in _REPLY_KEYS if k in record), "")
        if ticket and reply:
            return ticket, reply
    return split_ticket_reply(text)


@register("inspect_reply")
def _inspect_reply(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def inspect_reply_tool(text: str) -> str:
        """12345办理答复质检：对照工单检查答非所问、避重就轻（诉求未逐项回应）和缺少的要素（办理结果、依据、承办人/联系方式、时限），给出结论、原因和回访话术。

        Args:
            text: 工单和答复，格式「工单：……答复：……」或 JSON {"工单": …, "答复": …}。
        """
        source = checked_text(text, "工单：楼下饭店油烟大，要求整改。答复：经核查，已责令其安装油烟净化器")
        ticket, reply = ticket_and_reply(source)
        if not ticket or not reply:
            raise ToolInputError("pass both the ticket and the reply, marked 「工单：…」 and 「答复：…」")
        return json.dumps(inspect_reply(ticket, reply, run_embedder(ctx)).to_dict(), ensure_ascii=False)

    return make_tool(inspect_reply_tool, "inspect_reply")
