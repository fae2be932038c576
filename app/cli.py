"""The ``shuzhi`` command line: `shuzhi kb …` (knowledge bases), `shuzhi agents list`, `shuzhi ask`, `shuzhi chat`."""

from __future__ import annotations

import typer

from app.cli_agents import register as register_agent_commands
from app.cli_data import data_app
from app.cli_doc import doc_app
from app.cli_eval import eval_app
from app.cli_kb import kb_app
from app.cli_serve import register as register_serve_commands

app = typer.Typer(help="shuzhi 数智员工 — 政务智能体框架", no_args_is_help=True, add_completion=False)
app.add_typer(kb_app, name="kb")
app.add_typer(data_app, name="data")
app.add_typer(doc_app, name="doc")
app.add_typer(eval_app, name="eval")
register_agent_commands(app)
register_serve_commands(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
