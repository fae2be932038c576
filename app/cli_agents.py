"""`shuzhi agents list`, `shuzhi ask`, `shuzhi chat`: talk to the digital employees from a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from langchain_core.messages import BaseMessage
from rich.table import Table

from agents.context import Caller
from agents.loop import AgentResult, AgentRunError
from agents.spec import AgentSpecError
from app.agent_service import AgentAccessError, AgentService, UnknownAgentError
from app.console import err, fail, jsonl_lines, out
from app.settings import get_settings
from knowledge import KnowledgeError

agents_app = typer.Typer(help="数智员工 / digital employees", no_args_is_help=True)
_USER_ERRORS = (UnknownAgentError, AgentAccessError, AgentSpecError, AgentRunError, KnowledgeError)


def _service() -> AgentService:
    try:
        return AgentService.from_settings(get_settings())
    except _USER_ERRORS as exc:
        raise fail(str(exc)) from exc


def _caller(audience: str, department: str | None) -> Caller:
    if audience not in ("citizen", "staff"):
        raise fail(f"--as {audience!r} is not one of citizen, staff", 2)
    if audience == "staff":
        return Caller("staff", department or "", "internal")
    return Caller("citizen", department or "", "public")


@agents_app.command("list")
def agents_list(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """列出数智员工 / list agents."""
    service = _service()
    specs = list(service.specs.values())
    if as_json:
        rows = [
            {"id": s.id, "name": s.name, "audience": s.audience, "role": s.role, "tools": s.tools, "demo": s.demo}
            for s in specs
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("id", "名称 name", "服务对象 audience", "工具 tools", "示例 demo")
    for s in specs:
        table.add_row(s.id, s.name, s.audience, ", ".join(s.tools), s.demo)
    out.print(table)


def _print(result: AgentResult, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        return
    out.print(result.answer, highlight=False, soft_wrap=True)
    if result.citations:
        out.print("[dim]出处 sources:[/dim]", highlight=False)
        shown: set[tuple[str, str]] = set()
        for c in result.citations:
            heading = c.get("heading", "").split(" > ")[-1]
            if (c["doc_id"], heading) in shown:
                continue  # several quotes from one section: the section is listed once
            shown.add((c["doc_id"], heading))
            out.print(
                f"[dim]  《{c['title']}》{heading if heading != c['title'] else ''}  ({c['doc_id']})[/dim]",
                highlight=False,
            )
    if result.tool_calls:
        calls = ", ".join(f"{c['name']}({json.dumps(c['args'], ensure_ascii=False)})" for c in result.tool_calls)
        out.print(f"[dim]工具 tools: {calls}   trace {result.trace.trace_id}[/dim]", highlight=False)


def ask(
    question: Annotated[str | None, typer.Argument(help="the question")] = None,
    agent: Annotated[str, typer.Option("--agent", help="agent id (see `shuzhi agents list`)")] = "citizen-qa",
    audience: Annotated[str, typer.Option("--as", help="citizen | staff")] = "citizen",
    department: Annotated[str | None, typer.Option(help="the caller's department")] = None,
    questions: Annotated[Path | None, typer.Option(help="JSONL with a 'question' field per line")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """向数智员工提问 / ask an agent one question (or a batch)."""
    if (question is None) == (questions is None):
        raise fail("give either a QUESTION or --questions FILE.jsonl", 2)
    service = _service()
    caller = _caller(audience, department)
    try:
        service.spec(agent)
        if question is not None:
            _print(service.ask(agent, question, caller), as_json)
            return
        assert questions is not None
        _ask_batch(service, agent, questions, caller)
    except _USER_ERRORS as exc:
        raise fail(str(exc)) from exc


def _ask_batch(service: AgentService, agent: str, path: Path, default: Caller) -> None:
    for number, line in jsonl_lines(path):
        row: dict[str, Any]
        try:
            item = json.loads(line)
            question = item["question"]
            if not isinstance(question, str):
                raise TypeError("'question' must be a string")
            caller = _caller(item["as"], item.get("department")) if "as" in item else default
            row = service.ask(agent, question, caller).to_json()
        except (ValueError, KeyError, TypeError, typer.Exit) as exc:
            row = {"question": None, "error": f"{path}:{number}: {exc!r}"}
        except (AgentAccessError, AgentRunError) as exc:
            row = {"question": question, "error": str(exc)}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def chat(
    agent: Annotated[str, typer.Option("--agent", help="agent id")] = "citizen-qa",
    audience: Annotated[str, typer.Option("--as", help="citizen | staff")] = "citizen",
    department: Annotated[str | None, typer.Option(help="the caller's department")] = None,
) -> None:
    """与数智员工多轮对话 / interactive multi-turn chat (empty line or Ctrl-D to quit)."""
    service = _service()
    caller = _caller(audience, department)
    try:
        spec = service.spec(agent)
    except _USER_ERRORS as exc:
        raise fail(str(exc)) from exc
    err.print(f"{spec.name}：您好，请问有什么可以帮您？（空行退出）", highlight=False)
    history: list[BaseMessage] = []
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            break
        if not question:
            break
        try:
            result = service.ask(agent, question, caller, history)
        except _USER_ERRORS as exc:
            err.print(f"[red]错误:[/red] {exc}", highlight=False)
            continue
        history = result.history
        _print(result, as_json=False)


def register(app: typer.Typer) -> None:
    app.add_typer(agents_app, name="agents")
    app.command("ask")(ask)
    app.command("chat")(chat)
