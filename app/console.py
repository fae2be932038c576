"""Shared pieces of the command line: consoles, error exits, opening the knowledge base."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console

from app.settings import Settings, get_settings
from knowledge import ACCESS_LEVELS, KnowledgeBase

out = Console()
err = Console(stderr=True)


def open_knowledge_base(settings: Settings | None = None) -> KnowledgeBase:
    from app.wiring import build_knowledge_base

    return build_knowledge_base(settings or get_settings())


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error (never a traceback) and return the Exit to raise."""
    err.print(f"[red]错误 / error:[/red] {message}", highlight=False)
    return typer.Exit(code)


def jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of the non-blank lines of a UTF-8 JSONL batch file; an unreadable file exits."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


def check_access(value: str | None) -> None:
    if value is not None and value not in ACCESS_LEVELS:
        raise fail(f"access level {value!r} is not one of {', '.join(ACCESS_LEVELS)}", 2)
