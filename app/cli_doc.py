"""`shuzhi doc draft` and `shuzhi doc check`: 公文 drafting (GB/T 9704 .docx) and format checking."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from agents.gongwen import BriefError, ClassifiedDocumentError, DocumentBrief, draft_document
from agents.gongwen.checker import CheckInputError, check_file
from agents.gongwen.docx_writer import write_docx
from app.console import err, fail, open_knowledge_base, out
from knowledge import KnowledgeError
from knowledge.manifest import DocumentRecord

doc_app = typer.Typer(help="公文起草与校核 / draft and check official documents", no_args_is_help=True)


@doc_app.command("draft")
def draft(
    brief: Annotated[Path, typer.Option("--brief", help="YAML brief (see data/gongwen/*.yaml)")],
    doc_type: Annotated[str | None, typer.Option("--type", help="文种, e.g. 通知; overrides the brief's")] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="out.docx (GB/T 9704 layout), out.md or out.txt")
    ] = None,
) -> None:
    """按简报起草公文 / draft a 公文 from a YAML brief; prints text unless -o is given."""
    try:
        document = draft_document(DocumentBrief.from_yaml(brief, doc_type=doc_type))
    except (BriefError, ClassifiedDocumentError, ValueError) as exc:
        raise fail(str(exc), 2) from exc
    if output is None:
        sys.stdout.write(document.to_text())
    else:
        suffix = output.suffix.lower()
        if suffix not in (".docx", ".md", ".txt"):
            raise fail(f"-o {output}: use a .docx, .md or .txt file name", 2)
        try:
            if suffix == ".docx":
                write_docx(document, output)
            else:
                output.write_text(document.to_markdown() if suffix == ".md" else document.to_text(), encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc}") from exc
        err.print(f"已写入 written: {output}", highlight=False)
    todos = document.placeholders()
    if todos:
        listing = "、".join(dict.fromkeys(todos))
        note = f"[yellow]待补 to-do:[/yellow] {listing}（文号、日期、签发人须由发文流程填写）"
        err.print(note, highlight=False, soft_wrap=True)


@doc_app.command("check")
def check(
    path: Annotated[Path, typer.Argument(help="the 公文: .docx, .txt or .md")],
    doc_type: Annotated[str | None, typer.Option("--type", help="文种, when the title does not say it")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
    kb: Annotated[str | None, typer.Option("--kb", help="look cited 《documents》 up in this knowledge base")] = None,
) -> None:
    """校核公文格式与行文规则 / check a 公文; exit 1 on blocking findings, 3 when refused (涉密)."""
    try:
        report = check_file(path, doc_type=doc_type, documents=_kb_documents(kb) if kb else ())
    except (CheckInputError, ValueError) as exc:
        raise fail(str(exc), 2) from exc
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(report.to_text(), highlight=False, soft_wrap=True)
    if report.refused:
        raise typer.Exit(3)
    if report.blocking_count:
        raise typer.Exit(1)


def _kb_documents(name: str) -> list[DocumentRecord]:
    """The records of one knowledge base (the CLI runs as the operator: every access level)."""
    knowledge = open_knowledge_base()
    try:
        return knowledge.documents(name)
    except KnowledgeError as exc:
        raise fail(str(exc), 2) from exc
    finally:
        knowledge.close()
