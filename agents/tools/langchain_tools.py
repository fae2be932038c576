"""LangChain tools, built per run around a RunContext the model never sees.

Each tool is a thin wrapper: typed arguments and a Google-style docstring give LangChain the JSON schema
(argument descriptions included), the body calls the plain functions in this package and returns JSON
(``ensure_ascii=False``). A wrong argument raises :class:`ToolInputError`, which the loop hands back to
the model as a retry message. New tools register in ``TOOL_REGISTRY`` and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool

from agents.context import RunContext
from agents.errors import ToolInputError
from agents.tools.materials import check_materials, split_materials
from agents.tools.service_guide import find_service_guide
from agents.tools.workdays import MAX_WORKDAYS, add_workdays

NOT_FOUND = {"found": False, "message": "未找到相关办事指南"}
MAX_HITS = 20


@dataclass(frozen=True)
class ToolConfig:
    """Deployment choices tools need; injected at the edge, never read from settings by a tool."""

    holidays_file: Path | None = None
    today: dt.date | None = None  # "today" for relative dates (上月, 逾期); None = the system date. Tests pin it.
    cityops_db: Path | None = None  # the city-operations SQLite file; None = the sample, built on first use
    ticket_taxonomy: Path | None = None  # None = the packaged 江临市 taxonomy
    policy_catalog: Path | None = None  # None = the packaged 惠企政策 catalog
    ticket_cache_dir: Path | None = None  # where taxonomy example vectors are cached; None = memory only


ToolFactory = Callable[[RunContext, ToolConfig], BaseTool]
TOOL_REGISTRY: dict[str, ToolFactory] = {}


def register(name: str) -> Callable[[ToolFactory], ToolFactory]:
    """Add a tool factory under ``name`` (the name the model calls)."""

    def decorate(factory: ToolFactory) -> ToolFactory:
        TOOL_REGISTRY[name] = factory
        return factory

    return decorate


def build_tools(ctx: RunContext, names: list[str], config: ToolConfig | None = None) -> list[BaseTool]:
    """The tools an agent may use in this run, each closed over ``ctx``.

    Args:
        ctx: the run context (caller scope, knowledge bases, evidence log).
        names: tool names from the agent spec's allow-list.
        config: deployment choices such as the holiday file.

    Raises:
        ValueError: a name no factory is registered for.
    """
    unknown = [name for name in names if name not in TOOL_REGISTRY]
    if unknown:
        raise ValueError(f"unknown tool {', '.join(map(repr, unknown))}; known: {', '.join(sorted(TOOL_REGISTRY))}")
    return [TOOL_REGISTRY[name](ctx, config or ToolConfig()) for name in names]


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


# Tools are built per run (each closes over that run's context), but a tool's schema depends only on its
# function's signature and docstring. Building the schema (pydantic models from the signature) cost ~9 ms of
# a ~50 ms API request, so the first build is kept as a template and later runs copy it with their function.
# Two threads building the same template at once store equal ones; no lock is needed.
_TEMPLATES: dict[tuple[str, str, str, str | None], StructuredTool] = {}


def make_tool(func: Callable[..., str], name: str | None = None) -> StructuredTool:
    """A LangChain tool for ``func`` (schema from its type hints and Google-style docstring).

    Args:
        func: the tool body, usually a closure over the run context.
        name: the name the model calls; defaults to the function's name.
    """
    key = (func.__module__, func.__qualname__, name or func.__name__, func.__doc__)
    template = _TEMPLATES.get(key)
    if template is None:
        template = StructuredTool.from_function(func, name=name, parse_docstring=True, error_on_invalid_docstring=True)
        _TEMPLATES[key] = template
    return template.model_copy(update={"func": func})


@register("kb_search")
def _kb_search(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def kb_search(query: str, k: int = 5) -> str:
        """在知识库中检索与问题相关的政策文件和办事指南段落，返回可引用的原文。

        Args:
            query: 检索用的问题或关键词，如「社会保障卡丢了怎么办」。
            k: 返回的段落数，1 到 20，默认 5。
        """
        if not 1 <= k <= MAX_HITS:
            raise ToolInputError(f"k {k} is out of range; use an integer from 1 to {MAX_HITS}")
        if not query.strip():
            raise ToolInputError("query is empty; pass the question or keywords to search for")
        hits = [
            {"doc_id": h.doc_id, "title": h.title, "heading": h.heading, "quote": h.text, "validity": h.validity}
            for h in ctx.search(query, k=k)
        ]
        return _json({"hits": hits})

    return make_tool(kb_search)


@register("get_service_guide")
def _get_service_guide(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def get_service_guide(matter: str) -> str:
        """查询政务服务事项的办事指南：申请材料、办理时限、办理地点与时间、咨询电话、受理条件、收费和依据。

        Args:
            matter: 事项名称，如「社会保障卡补办」「结婚登记」「普通护照申请」。
        """
        guide = find_service_guide(ctx, _required(matter, "matter", "社会保障卡补办"))
        return _json(NOT_FOUND if guide is None else {"found": True, **guide.to_dict()})

    return make_tool(get_service_guide)


@register("check_materials")
def _check_materials(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def check_materials_tool(matter: str, provided: str) -> str:
        """材料预审：对照办事指南的申请材料，列出群众已备齐、缺少、视情形需要和无需提交的材料。

        Args:
            matter: 事项名称，如「结婚登记」。
            provided: 群众已有的材料，原话或用「、」分隔的清单，如「身份证、户口本和两张照片」。
        """
        guide = find_service_guide(ctx, _required(matter, "matter", "结婚登记"))
        if guide is None:
            return _json(NOT_FOUND)
        check = check_materials(guide, split_materials(provided))
        citation = guide.citation_for("materials")
        data = {"found": True, "title": guide.title, "doc_id": guide.doc_id, **check.to_dict()}
        data["citations"] = [citation.to_dict()] if citation else []
        return _json(data)

    return make_tool(check_materials_tool, "check_materials")  # the inner name avoids shadowing the import


@register("workday_calculator")
def _workday_calculator(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def workday_calculator(start_date: str, workdays: int) -> str:
        """按法定工作日计算办理期限的截止日期，自动跳过法定节假日并计入调休上班日。

        Args:
            start_date: 起算日期（如受理日），格式 YYYY-MM-DD，如 2025-09-30；起算当日不计入。
            workdays: 工作日天数，如承诺办结时限「5个工作日」填 5。
        """
        start = parse_date(start_date, "start_date")
        if not 0 <= workdays <= MAX_WORKDAYS:
            raise ToolInputError(f"workdays {workdays} is out of range; use an integer from 0 to {MAX_WORKDAYS}")
        result = add_workdays(start, workdays, config.holidays_file)
        return _json(
            {
                "start_date": start.isoformat(),
                "workdays": workdays,
                "end_date": result.end_date.isoformat(),
                "weekday": "一二三四五六日"[result.end_date.weekday()],
                "rule": result.rule_used,
                "skipped_holidays": [{"date": h.day.isoformat(), "name": h.name} for h in result.skipped_holidays],
                "makeup_workdays": [d.isoformat() for d in result.makeup_workdays],
            }
        )

    return make_tool(workday_calculator)


_DATE_FORMS = re.compile(r"^\s*(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?\s*$")


def parse_date(value: str, argument: str) -> dt.date:
    """A date from 2025-09-30 (also 2025/9/30, 2025.9.30, 2025年9月30日), else ToolInputError with the form."""
    match = _DATE_FORMS.match(value)
    try:
        if match:
            return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    raise ToolInputError(f"{argument} {value!r} is not a date; use YYYY-MM-DD, e.g. 2025-09-30")


def _required(value: str, argument: str, example: str) -> str:
    if not value.strip():
        raise ToolInputError(f"{argument} is empty; pass the matter's name, e.g. {example}")
    return value.strip()
