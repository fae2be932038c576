"""LangChain tool of the 表单填报员: ``fill_form`` (fill a declared form from free text and validate it).

Forms: the packaged schemas in ``agents/forms/schemas``; the request picks one by title or keyword.
Choice fields no word of the text names use the run's embedder (``ctx.knowledge.embedder``) when there is one.
"""

from __future__ import annotations

import json
from functools import lru_cache

from langchain_core.tools import BaseTool

from agents.context import RunContext
from agents.errors import ToolInputError
from agents.extraction.inputs import checked_text, run_embedder
from agents.forms.form import FormError, FormSchema, choose_form, fill_form, packaged_forms
from agents.tools.langchain_tools import ToolConfig, make_tool, register


@lru_cache(maxsize=1)
def _forms() -> dict[str, FormSchema]:
    return packaged_forms()


@register("fill_form")
def _fill_form(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def fill_form_tool(text: str, form_id: str = "") -> str:
        """按表单模板从申请人的描述或证照文字中填写表单，校验身份证号、统一社会信用代码、日期和电话，列出未填和校验不通过的项。

        Args:
            text: 申请人的描述或证照文字，如「我叫王小明，身份证号……，想在临川区文昌路56号开一家早餐店」。
            form_id: 表单编号（sole_proprietor 个体户开业登记 / road_occupation 道路临时占用）；留空自动选择。
        """
        source = checked_text(text, "我叫王小明，想在临川区文昌路56号开一家早餐店")
        try:
            form = choose_form(source, _forms(), form_id.strip())
        except FormError as exc:
            raise ToolInputError(str(exc)) from exc
        return json.dumps(fill_form(source, form, run_embedder(ctx)).to_dict(), ensure_ascii=False)

    return make_tool(fill_form_tool, "fill_form")
