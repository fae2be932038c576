"""What the data tools read from a run: the database file, "today", and the tables the caller may read."""

from __future__ import annotations

import datetime as dt
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import Any

from agents.cityops.catalog import load_catalog
from agents.cityops.database import ensure_database
from knowledge import AccessLevel


def database_path(config: object) -> Path:
    """``ToolConfig.cityops_db`` when set, else the sample database (built on first use)."""
    configured = getattr(config, "cityops_db", None)
    return ensure_database(Path(configured) if configured else None)


def tool_today(config: object) -> dt.date:
    """``ToolConfig.today`` when set (tests, replays), else the system date."""
    today = getattr(config, "today", None)
    return today if isinstance(today, dt.date) else dt.date.today()


def readable_tables(clearance: AccessLevel) -> list[str]:
    return load_catalog().readable(clearance)


def column_values(path: Path, table: str, column: str) -> list[str]:
    """The distinct values of a categorical column, for recognising filters in a question."""
    return list(_column_values(str(path), path.stat().st_mtime_ns, table, column))


@lru_cache(maxsize=64)
def _column_values(path: str, mtime: int, table: str, column: str) -> tuple[str, ...]:
    if table not in load_catalog().tables or column not in load_catalog().tables[table].columns:
        raise ValueError(f"{table}.{column} is not in the table catalog")
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        rows = conn.execute(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()
    finally:
        conn.close()
    return tuple(sorted(str(r[0]) for r in rows))


def denial(tables: list[str], sql: str) -> dict[str, Any]:
    """The refusal a caller gets for tables beyond its clearance: which tables, and who may read them."""
    catalog = load_catalog()
    named = "、".join(f"「{catalog.tables[t].label}」（{catalog.tables[t].access}）" for t in tables)
    answer = f"您的权限不足，无法提供{named}的数据，本次未执行查询。如确需使用，请按数据共享规定申请相应权限。"
    return {"denied": True, "tables": tables, "sql": sql, "answer": answer}
