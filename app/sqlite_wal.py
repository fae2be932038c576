"""One way to open the service's small SQLite stores (keys, audit): WAL, autocommit, shared across threads."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def connect_wal(path: Path, schema: str) -> sqlite3.Connection:
    """Open (creating if needed) a SQLite file in WAL mode and apply ``schema`` (idempotent DDL)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(schema)
    return conn
