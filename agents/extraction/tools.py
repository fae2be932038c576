"""LangChain tool of the 信息抽取员: ``extract_info`` (schema-driven extraction with confidence and spans).

Schemas: the packaged ones in ``agents/extraction/schemas`` (工单要素, 执法笔录要素); the request picks one
by title or keyword. Enum fields no word of the text names fall back to the run's embedder
(``ctx.knowledge.embedder``); without a knowledge base that step is skipped and the field is reported missing.
"""

from __future__ import annotations

import json
from functools import lru_cache

from langchain_core.tools import BaseTool

from agents.context import RunContext
from agents.errors import ToolInputError
from agents.extraction.extract import extract
from agents.extraction.inputs import checked_text, run_embedder
from agents.extraction.schema import ExtractionSchema, SchemaError, choose_schema, packaged_schemas
from agents.tools.langchain_tools import ToolConfig, make_tool, register


@lru_cache(maxsize=1)
def _schemas() -> dict[str, ExtractionSchema]:
    return packaged_schemas()


@register("extract_info")
def _extract_info(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def extract_info(text: str, schema_id: str = "") -> str:
        """按抽取模式（字段、类型）从文本中抽取信息：人名、单位、地址、电话、证件号、日期、金额和枚举类别，每项附置信度和原文位置。

        Args:
            text: 原文，如工单或执法笔录，如「当事人张三在滨江区望江路88号店外经营，电话13812345678」。
            schema_id: 抽取模式的编号或名称（ticket 12345工单要素 / case_record 执法笔录要素）；留空按原文自动选择。
        """
        source = checked_text(text, "当事人张三在滨江区望江路88号店外经营")
        try:
            chosen = choose_schema(source, _schemas(), schema_id.strip())
        except SchemaError as exc:
            raise ToolInputError(str(exc)) from exc
        return json.dumps(extract(source, chosen, run_embedder(ctx)).to_dict(), ensure_ascii=False)

    return make_tool(extract_info)
