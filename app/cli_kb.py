"""`shuzhi kb …`: ingest, search, list, remove and verify knowledge bases."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.console import check_access, err, fail, jsonl_lines, open_knowledge_base, out
from app.settings import get_settings
from knowledge import Hit, IngestOptions, KnowledgeBase, KnowledgeError, SearchFilters
from knowledge.ingest import IngestProgress
from knowledge.records import RecordOptions

kb_app = typer.Typer(help="知识库：导入、检索、管理 / knowledge bases", no_args_is_help=True)


def hit_json(hit: Hit) -> dict[str, Any]:
    """The JSON shape of a search hit (a CLI and API contract)."""
    return dataclasses.asdict(hit)


@kb_app.command("ingest")
def kb_ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (folders recurse)")],
    kb: Annotated[str, typer.Option("--kb", help="knowledge base name (created if new)")],
    access: Annotated[str | None, typer.Option(help="public | internal | confidential")] = None,
    department: Annotated[str | None, typer.Option(help="owning department")] = None,
    id_field: Annotated[str | None, typer.Option(help="records: field kept as doc_id")] = None,
    title_field: Annotated[str | None, typer.Option(help="records: field used as the title")] = None,
    template: Annotated[
        str, typer.Option(help="records: template name (default, service_item) or .j2 file")
    ] = "default",
) -> None:
    """导入文件或文件夹到知识库 / ingest files into a knowledge base."""
    check_access(access)
    settings = get_settings()
    knowledge = open_knowledge_base(settings)
    try:
        records = RecordOptions(id_field=id_field, title_field=title_field, template=template)
    except ValidationError as exc:
        raise fail("; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()), 2) from exc
    options = IngestOptions(
        access=access,  # type: ignore[arg-type]
        department=department,
        records=records,
        max_bytes=settings.max_upload_mb * 1024 * 1024,
    )
    columns = [
        TextColumn("导入 {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("文件 files · {task.fields[documents]} 篇文档 documents"),
        TimeElapsedColumn(),
    ]
    try:
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task(kb, total=None, documents=0)

            def on_progress(progress: IngestProgress) -> None:
                bar.update(
                    task,
                    total=progress.files_total,
                    completed=progress.files_done,
                    documents=progress.documents_done,
                    description=Path(progress.current).name[:40],
                )

            report = knowledge.ingest(paths, kb, options, on_progress)
    except KnowledgeError as exc:
        raise fail(str(exc)) from exc
    for path, reason in report.failed:
        err.print(f"[red]失败 failed[/red] {path}: {reason}", highlight=False)
    out.print(
        f"知识库 {kb}: 导入 ingested {len(report.ingested)}, 跳过(未变化) skipped {len(report.skipped)}, "
        f"失败 failed {len(report.failed)}; {report.chunks} chunks, {report.seconds:.1f}s",
        highlight=False,
    )
    if report.failed:
        raise typer.Exit(1)


@kb_app.command("search")
def kb_search(
    query: Annotated[str | None, typer.Argument(help="question or keywords")] = None,
    kb: Annotated[list[str], typer.Option("--kb", help="knowledge base (repeatable)")] = [],  # noqa: B006
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="number of hits")] = 5,
    access_level: Annotated[str, typer.Option(help="caller clearance: public | internal | confidential")] = "public",
    department: Annotated[list[str], typer.Option(help="only documents of these departments")] = [],  # noqa: B006
    include_repealed: Annotated[bool, typer.Option(help="also return 已废止 documents")] = False,
    mode: Annotated[str, typer.Option(help="hybrid | dense | lexical")] = "hybrid",
    per_doc: Annotated[int, typer.Option(min=1, max=20, help="max passages per document")] = 1,
    queries: Annotated[Path | None, typer.Option(help="JSONL file with a 'query' field per line")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """检索知识库 / search; prints cited passages."""
    check_access(access_level)
    if not kb:
        raise fail("--kb is required", 2)
    if mode not in ("hybrid", "dense", "lexical"):
        raise fail(f"mode {mode!r} is not one of hybrid, dense, lexical", 2)
    if (query is None) == (queries is None):
        raise fail("give either a QUERY or --queries FILE.jsonl", 2)
    filters = SearchFilters(access_level, tuple(department), include_repealed)  # type: ignore[arg-type]
    knowledge = open_knowledge_base()
    try:
        for name in kb:
            knowledge.require(name)
        if queries is not None:
            _search_batch(knowledge, queries, kb, k, filters, mode, per_doc)
            return
        assert query is not None
        hits = knowledge.search(query, kb, k=k, filters=filters, mode=mode, per_doc=per_doc)  # type: ignore[arg-type]
    except KnowledgeError as exc:
        raise fail(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps([hit_json(h) for h in hits], ensure_ascii=False, indent=2) + "\n")
        return
    if not hits:
        out.print("未找到相关内容 / no results")
    for rank, hit in enumerate(hits, start=1):
        flag = " [已废止]" if hit.validity == "已废止" else ""
        out.print(
            f"[bold]{rank}. {hit.citation()}[/bold]{flag}  score={hit.score:.3f}  ({hit.doc_id})", highlight=False
        )
        out.print(f"   {hit.text[:160].replace(chr(10), ' ')}", highlight=False)


def _search_batch(
    knowledge: KnowledgeBase, path: Path, kbs: list[str], k: int, filters: SearchFilters, mode: str, per_doc: int
) -> None:
    for number, line in jsonl_lines(path):
        try:
            query = json.loads(line)["query"]
            if not isinstance(query, str):
                raise TypeError("'query' must be a string")
        except (ValueError, KeyError, TypeError) as exc:
            row: dict[str, Any] = {"query": None, "hits": [], "error": f"{path}:{number}: {exc!r}"}
        else:
            hits = knowledge.search(query, kbs, k=k, filters=filters, mode=mode, per_doc=per_doc)  # type: ignore[arg-type]
            row = {"query": query, "hits": [hit_json(h) for h in hits]}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@kb_app.command("list")
def kb_list(
    kb: Annotated[str | None, typer.Option("--kb", help="list the documents of this knowledge base")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """列出知识库（或某知识库的文档） / list knowledge bases or documents."""
    knowledge = open_knowledge_base()
    try:
        if kb:
            documents = [dataclasses.asdict(d) for d in knowledge.documents(kb)]
            if as_json:
                sys.stdout.write(json.dumps(documents, ensure_ascii=False, indent=2) + "\n")
                return
            table = Table("doc_id", "title", "access", "validity", "chunks")
            for d in documents:
                table.add_row(d["doc_id"], d["title"], d["access"], d["validity"], str(d["chunk_count"]))
            out.print(table)
            return
    except KnowledgeError as exc:
        raise fail(str(exc)) from exc
    summaries = knowledge.summaries()
    if as_json:
        sys.stdout.write(json.dumps([dataclasses.asdict(s) for s in summaries], ensure_ascii=False, indent=2) + "\n")
        return
    if not summaries:
        out.print("还没有知识库；用 `shuzhi kb ingest PATH --kb NAME` 创建 / no knowledge bases yet")
        return
    table = Table("知识库 kb", "文档 documents", "片段 chunks", "访问级别 access", "已废止 repealed")
    for s in summaries:
        access = ", ".join(f"{level}:{n}" for level, n in sorted(s.by_access.items()))
        table.add_row(s.name, str(s.documents), str(s.chunks), access, str(s.repealed))
    out.print(table)


@kb_app.command("rm")
def kb_rm(
    doc_ids: Annotated[list[str] | None, typer.Argument(help="documents to remove; none = the whole KB")] = None,
    kb: Annotated[str, typer.Option("--kb", help="knowledge base")] = "",
) -> None:
    """删除文档或整个知识库 / remove documents or a knowledge base."""
    if not kb:
        raise fail("--kb is required", 2)
    knowledge = open_knowledge_base()
    try:
        removed = knowledge.remove(kb, doc_ids or None)
    except KnowledgeError as exc:
        raise fail(str(exc)) from exc
    missing = sorted(set(doc_ids or []) - set(removed))
    out.print(f"已删除 removed {len(removed)} 篇文档 from {kb}" + ("" if doc_ids else "（整个知识库 whole KB）"))
    if missing:
        raise fail(f"not found in {kb}: {', '.join(missing)}")


@kb_app.command("verify")
def kb_verify(
    kb: Annotated[str, typer.Option("--kb", help="knowledge base")],
    repair: Annotated[bool, typer.Option(help="fix what is found")] = False,
) -> None:
    """核对清单与向量库一致 / check the manifest and vector store agree."""
    knowledge = open_knowledge_base()
    try:
        report = knowledge.verify(kb, repair=repair)
    except KnowledgeError as exc:
        raise fail(str(exc)) from exc
    out.print(
        f"{kb}: missing vectors {report.missing_vectors}, orphan vectors {report.orphan_vectors}"
        + (" — repaired" if report.repaired else "")
    )
    if not report.ok:
        raise typer.Exit(1)
