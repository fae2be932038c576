"""LangChain tool of the 审查核验员: ``review_submission`` (a submission checked against a YAML rules file).

The submission is read from the message: JSON, YAML or 「字段：值」 lines; when the message is free text
and a form of the same id exists (``agents/forms/schemas``), the form filler turns it into fields first.
"""

from __future__ import annotations

import json
from functools import lru_cache

from langchain_core.tools import BaseTool

from agents.context import RunContext
from agents.errors import ToolInputError
from agents.extraction import parse_record
from agents.extraction.inputs import checked_text, run_embedder
from agents.forms import fill_form, packaged_forms
from agents.review.rules import RulesError, RuleSet, choose_rules, packaged_rules, review
from agents.tools.langchain_tools import ToolConfig, make_tool, register


@lru_cache(maxsize=1)
def _rule_sets() -> dict[str, RuleSet]:
    return packaged_rules()


@register("review_submission")
def _review_submission(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def review_submission(text: str, rules_id: str = "") -> str:
        """按审查规则清单逐条核验申请材料（条件、法律依据、不通过时补正或不予受理），给出通过/补正/不予受理的结论和未通过的规则。

        Args:
            text: 申请信息，「字段：值」逐行或 JSON，如「申请单位：江临市通达市政工程有限公司」逐行列出。
            rules_id: 规则清单编号（sole_proprietor 个体工商户设立登记 / road_occupation 道路临时占用）；留空自动选择。
        """
        source = checked_text(text, "申请单位：江临市通达市政工程有限公司\n占用面积：120平方米")
        try:
            rule_set = choose_rules(source, _rule_sets(), rules_id.strip())
        except RulesError as exc:
            raise ToolInputError(str(exc)) from exc
        submission = parse_record(source)
        forms = packaged_forms()
        if not submission and rule_set.id in forms:
            filled = fill_form(source, forms[rule_set.id], run_embedder(ctx))
            submission = {f.label: f.value for f in filled.fields if f.value is not None}
        if not submission:
            raise ToolInputError("no fields found; pass the submission as 「字段：值」 lines or a JSON object")
        return json.dumps(review(submission, rule_set).to_dict(), ensure_ascii=False)

    return make_tool(review_submission)
