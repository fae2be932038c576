"""Tool-input helpers shared by the text-processing employees (抽取, 填报, 审查, 文书, 纪要, 简报, 质检).

Kept out of any ``tools`` module so one package's tools can use them without importing another's tools
(which would import the tool registry mid-initialisation).
"""

from __future__ import annotations

from agents.context import RunContext
from agents.errors import ToolInputError
from knowledge import Embedder

MAX_TEXT_CHARS = 8000


def run_embedder(ctx: RunContext) -> Embedder | None:
    """The run's knowledge-base embedder, or None when the run has no knowledge base."""
    return ctx.knowledge.embedder if ctx.knowledge is not None else None


def checked_text(text: str, example: str, limit: int = MAX_TEXT_CHARS) -> str:
    """``text`` stripped, or a ToolInputError that shows the model what to pass."""
    if not text.strip():
        raise ToolInputError(f"text is empty; pass the source text as written, e.g. 「{example}」")
    if len(text) > limit:
        raise ToolInputError(f"text has {len(text)} characters; pass at most {limit}")
    return text.strip()
