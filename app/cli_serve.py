"""`shuzhi serve`, `shuzhi keys …` and `shuzhi audit …`: run the service, manage API keys, check the audit log."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.audit import AuditLog
from app.console import err, fail, out
from app.keys import KeyRequestError, KeyStore
from app.settings import get_settings

keys_app = typer.Typer(help="API 密钥 / API keys", no_args_is_help=True)
audit_app = typer.Typer(help="审计日志 / audit log", no_args_is_help=True)
WORKER_HEALTHCHECK_S = 120


def _keys() -> KeyStore:
    return KeyStore(get_settings().home / "keys.sqlite")


def _audit() -> AuditLog:
    return AuditLog(get_settings().home / "audit.sqlite")


def serve(
    host: Annotated[str, typer.Option(help="listen address; 0.0.0.0 exposes the service on the network")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="worker processes")] = 1,
) -> None:
    """启动 API 与网页服务 / start the API and web pages (uvicorn)."""
    import uvicorn

    settings = get_settings()
    _share_cores(workers)
    err.print(f"shuzhi 服务 http://{host}:{port}/  (home {settings.home}, workers {workers})", highlight=False)
    if workers == 1:
        from app.server import create_app

        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    # Several processes need an import string; each worker reads the same SHUZHI_* environment.
    # A spawned worker re-imports the CLI before it can answer uvicorn's health ping; on a busy machine that
    # takes longer than uvicorn's 5 s default, and the supervisor then kills and respawns workers forever.
    uvicorn.run(
        "app.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
    )


def _share_cores(workers: int) -> None:
    """Give each worker's embedding engine (OpenMP) its share of the cores, unless the operator chose.

    Each worker would otherwise start one OpenMP thread per core, so N workers run N teams on the same cores and
    OpenMP's spin-waiting burns the CPU the answers need (measured: an embedding took 1.9 s instead of 0.24 s on a
    busy 2-core machine). Set before any worker loads the engine; workers inherit the environment.
    """
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@keys_app.command("create")
def keys_create(
    audience: Annotated[str, typer.Option(help="citizen | staff | admin | evaluator")],
    department: Annotated[str, typer.Option(help="the caller's department")] = "",
    name: Annotated[str, typer.Option(help="a name for audit logs, e.g. 滨江区窗口-张三")] = "",
    clearance: Annotated[str | None, typer.Option(help="public | internal | confidential (citizen: public)")] = None,
) -> None:
    """创建 API 密钥（只显示一次，输出最后一行即密钥）/ create a key; the key alone is the last line."""
    try:
        key, record = _keys().create(audience, department, name, clearance)
    except KeyRequestError as exc:
        raise fail(str(exc), 2) from exc
    err.print("密钥只显示这一次，请妥善保存 / the key is shown once; store it safely", highlight=False)
    out.print(
        f"已创建 created: {record.name} (id {record.key_id}, {record.audience}, "
        f"部门 {record.department or '-'}, 密级 {record.clearance})",
        highlight=False,
    )
    sys.stdout.write(key + "\n")


@keys_app.command("list")
def keys_list(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """列出密钥（不含密钥本身）/ list keys (never the keys themselves)."""
    records = _keys().list_keys()
    if as_json:
        rows = [r.__dict__ for r in records]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("id", "名称 name", "对象 audience", "部门 department", "密级 clearance", "创建 created", "状态 state")
    for r in records:
        state = f"已吊销 revoked {r.revoked_at}" if r.revoked_at else "有效 active"
        table.add_row(r.key_id, r.name, r.audience, r.department or "-", r.clearance, r.created_at, state)
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(key: Annotated[str, typer.Argument(help="key id or name (see `shuzhi keys list`)")]) -> None:
    """吊销密钥 / revoke a key by id or name."""
    revoked = _keys().revoke(key)
    if not revoked:
        raise fail(f"no active key with id or name {key!r}; see `shuzhi keys list`")
    for r in revoked:
        out.print(f"已吊销 revoked: {r.name} (id {r.key_id})", highlight=False)


@audit_app.command("verify")
def audit_verify() -> None:
    """校验审计日志哈希链 / check the hash chain; exit 1 when a row was edited or removed."""
    result = _audit().verify()
    if not result.ok:
        raise fail(f"audit chain broken at row {result.first_bad_id} (of {result.rows}): {result.problem}")
    out.print(f"审计日志完整 audit chain intact: {result.rows} rows", highlight=False)


@audit_app.command("export")
def audit_export(
    since: Annotated[str, typer.Option(help="first day to export, YYYY-MM-DD")],
    output: Annotated[Path | None, typer.Option("--out", help="JSONL file; default stdout")] = None,
) -> None:
    """导出审计日志为 JSONL / export rows since a date as JSONL."""
    try:
        date.fromisoformat(since)
    except ValueError as exc:
        raise fail(f"--since {since!r} is not a date like 2026-01-31", 2) from exc
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in _audit().rows(since)]
    if output is None:
        sys.stdout.writelines(lines)
        return
    output.write_text("".join(lines), encoding="utf-8")
    err.print(f"{len(lines)} rows → {output}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")
    app.add_typer(audit_app, name="audit")
