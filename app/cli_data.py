"""`shuzhi data build-cityops`: write the 江临市 city-operations sample database (示例) the data agents query."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agents.cityops import DEFAULT_SEED, build_cityops, default_database
from app.console import out
from app.settings import get_settings

data_app = typer.Typer(help="示例数据 / sample data", no_args_is_help=True)


@data_app.command("build-cityops")
def build_cityops_command(
    out_path: Annotated[Path | None, typer.Option("--out", help="SQLite 文件；默认 SHUZHI_CITYOPS_DB")] = None,
    seed: Annotated[int, typer.Option(help="随机种子；同一种子生成完全相同的数据")] = DEFAULT_SEED,
) -> None:
    """生成江临市城市运行示例数据库（12345工单、城市管理事件、清雪作业、企业名录、应急机构与资源）。"""
    configured = getattr(get_settings(), "cityops_db", None)  # SHUZHI_CITYOPS_DB, where the tools will read it
    summary = build_cityops(out_path or configured or default_database(), seed)
    out.print(f"已生成 {summary.path}（种子 {summary.seed}）")
    for table, count in summary.rows.items():
        out.print(f"  {table}: {count} 行")
