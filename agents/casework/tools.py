"""LangChain tool of the 专业文书员: ``write_casework`` (a 文书 from a case record and a template).

法条 are looked up through the run context (``RunContext.search`` and the document's text), so only the
knowledge bases of the agent, within the caller's clearance, can confirm a citation. 时限 count from the
record's 文书日期, else ``ToolConfig.today`` or the system date, on the working-day calendar.
"""

from __future__ import annotations

import json

from langchain_core.tools import BaseTool

from agents.casework.citations import kb_article_finder
from agents.casework.compose import CaseworkError, choose_doc_type, compose
from agents.context import RunContext
from agents.errors import ToolInputError
from agents.extraction import parse_record
from agents.extraction.inputs import checked_text
from agents.tools.langchain_tools import ToolConfig, make_tool, register


@register("write_casework")
def _write_casework(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def write_casework(text: str, doc_type: str = "") -> str:
        """根据案件或申请记录生成执法、审批文书（行政处罚告知书、责令改正通知书、补正告知书、不予受理通知书），字段照录记录，引用法条在知识库中核对，期限自动计算。

        Args:
            text: 案件或申请记录，「字段：值」逐行或 JSON，如「当事人：江临市鑫源商行」「违反条款：《…》第二十条」。
            doc_type: 文书类型（行政处罚告知书/责令改正通知书/补正告知书/不予受理通知书）；留空按记录判断。
        """
        source = checked_text(text, "当事人：江临市鑫源商行\n违反条款：《江临市市容和环境卫生管理条例》第二十条")
        record = parse_record(source)
        if not record:
            raise ToolInputError("no fields found; pass the case record as 「字段：值」 lines or a JSON object")
        try:
            doc = choose_doc_type(source, record, doc_type.strip())
        except CaseworkError as exc:
            raise ToolInputError(str(exc)) from exc
        result = compose(record, doc, kb_article_finder(ctx), config.today, config.holidays_file)
        return json.dumps(result.to_dict(), ensure_ascii=False)

    return make_tool(write_casework)
