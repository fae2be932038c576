"""LangChain tools of the 12345 工单分拣员: ``classify_ticket``, ``extract_ticket_fields``, ``triage_ticket``.

Importing this module registers the three tools in ``TOOL_REGISTRY``. What they use, all injected:

- embedder: ``ctx.knowledge.embedder`` when the run has a knowledge base (the model the KB was built
  with, already configured by the deployment, so nothing new loads and nothing remote is called
  unless the deployment chose a remote embedder); otherwise ``knowledge.HashingEmbedder()``, which is
  lexical only: classification then rests mostly on keywords and flags more tickets for review.
- taxonomy: ``ToolConfig.ticket_taxonomy`` when the deployment sets it, else the packaged 江临市 file.
- vector cache: ``ToolConfig.ticket_cache_dir`` when set, else vectors are kept in memory only.
The offline model makes one tool call per intent, so the agent's main intent uses ``triage_ticket``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.tools import BaseTool

from agents.context import RunContext
from agents.errors import ToolInputError
from agents.tickets.fields import extract_ticket_fields
from agents.tickets.taxonomy import Taxonomy, TimeLimitClass, load_taxonomy
from agents.tickets.triage import classify_ticket
from agents.tools.langchain_tools import ToolConfig, make_tool, register
from knowledge import Embedder, HashingEmbedder

MAX_TICKET_CHARS = 4000  # a 工单 is a few hundred characters; longer input is a paste error


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


@lru_cache(maxsize=4)
def _taxonomy(path: str | None) -> Taxonomy:
    return load_taxonomy(Path(path) if path else None)


def ticket_taxonomy(config: ToolConfig) -> Taxonomy:
    """The taxonomy the deployment configured (``ToolConfig.ticket_taxonomy``), else the packaged one."""
    path = config.ticket_taxonomy
    return _taxonomy(str(path) if path else None)


def ticket_embedder(ctx: RunContext) -> Embedder:
    """The run's knowledge-base embedder, else the model-free hashing embedder (see the module docstring)."""
    if ctx.knowledge is not None:
        embedder: Embedder = ctx.knowledge.embedder
        return embedder
    return HashingEmbedder()


def _ticket(text: str) -> str:
    if not text.strip():
        raise ToolInputError("text is empty; pass the ticket's 诉求内容 as recorded, e.g. 「楼上每天半夜装修…」")
    if len(text) > MAX_TICKET_CHARS:
        raise ToolInputError(f"text has {len(text)} characters; pass one ticket of at most {MAX_TICKET_CHARS}")
    return text.strip()


def _classification(text: str, ctx: RunContext, config: ToolConfig, taxonomy: Taxonomy) -> dict[str, Any]:
    cache_dir = config.ticket_cache_dir
    result = classify_ticket(text, taxonomy, ticket_embedder(ctx), cache_dir=Path(cache_dir) if cache_dir else None)
    extra = {"basis": taxonomy.basis, "time_limit_text": _time_limit_text(taxonomy, result.time_limit)}
    return result.to_dict() | extra


def _time_limit_text(taxonomy: Taxonomy, time_limit: TimeLimitClass | None) -> str:
    if time_limit is None:
        return "不设办理时限"
    return taxonomy.time_limits[time_limit].description


def _fields(text: str, taxonomy: Taxonomy) -> dict[str, Any]:
    return extract_ticket_fields(text, taxonomy.districts, dt.date.today(), taxonomy.city).to_dict()


@register("classify_ticket")
def _classify_ticket(ctx: RunContext, config: ToolConfig) -> BaseTool:
    taxonomy = ticket_taxonomy(config)

    def classify_ticket_tool(text: str) -> str:
        """对12345工单分类派单：判断诉求类型和主题，给出承办单位、办理时限、置信度和是否需人工复核。

        Args:
            text: 工单的诉求内容原文，如「临川区文昌路工地半夜还在打桩，吵得睡不着」。
        """
        return _json(_classification(_ticket(text), ctx, config, taxonomy))

    return make_tool(classify_ticket_tool, "classify_ticket")  # the inner name avoids shadowing the import


@register("extract_ticket_fields")
def _extract_ticket_fields(ctx: RunContext, config: ToolConfig) -> BaseTool:
    taxonomy = ticket_taxonomy(config)

    def extract_ticket_fields_tool(text: str) -> str:
        """从12345工单中提取地址、事发区、时间、联系电话和诉求对象，每项附原文位置。

        Args:
            text: 工单的诉求内容原文，如「我住滨江区望江路88号，电话13812345678，楼下张记饭店油烟太大」。
        """
        return _json(_fields(_ticket(text), taxonomy))

    return make_tool(extract_ticket_fields_tool, "extract_ticket_fields")


@register("triage_ticket")
def _triage_ticket(ctx: RunContext, config: ToolConfig) -> BaseTool:
    taxonomy = ticket_taxonomy(config)

    def triage_ticket(text: str) -> str:
        """12345工单分拣：一次完成分类派单（诉求类型、主题、承办单位、办理时限、置信度、复核）和要素提取（地址、时间、电话、诉求对象）。

        Args:
            text: 工单的诉求内容原文，如「高新区科创路的窨井盖没了，今早7点发现的，电话13812345678」。
        """
        ticket = _ticket(text)
        classification = _classification(ticket, ctx, config, taxonomy)
        return _json({"classification": classification, "fields": _fields(ticket, taxonomy)})

    return make_tool(triage_ticket)
