"""Audit log: one row per API request in SQLite (WAL), hash-chained so that editing or deleting a row shows.

Each row's ``hash`` is SHA-256 over the previous row's hash and the row's own fields (canonical JSON), so
``verify`` can recompute the chain. Question text is stored only after PII redaction, with a SHA-256 of the
original so that a complaint about a specific question can still be matched.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agents.guardrails import redact
from app.sqlite_wal import connect_wal

GENESIS = "0" * 64
_FIELDS = (
    "ts",
    "key_name",
    "audience",
    "method",
    "path",
    "status",
    "outcome",
    "agent",
    "question_hash",
    "question_masked",
    "evidence",
    "tools",
    "model",
    "latency_ms",
)
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    {", ".join(f"{name} TEXT NOT NULL" for name in _FIELDS)},
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_ts ON audit(ts);
"""



@dataclass
class AuditEntry:
    """What one request did. Endpoints fill the agent fields; the middleware fills the rest."""

    key_name: str = "-"
    audience: str = "-"
    method: str = ""
    path: str = ""
    status: int = 0
    outcome: str = ""  # answered | refused | error code | ok
    agent: str = ""
    question_hash: str = ""
    question_masked: str = ""
    evidence: list[str] = field(default_factory=list)  # doc ids
    tools: list[str] = field(default_factory=list)
    model: str = ""
    latency_ms: int = 0
    ts: str = ""

    def set_question(self, question: str) -> None:
        self.question_hash = hashlib.sha256(question.encode("utf-8")).hexdigest()
        self.question_masked = redact(question)[:500]


@dataclass
class VerifyResult:
    rows: int
    ok: bool
    first_bad_id: int | None = None
    problem: str = ""


def _row_hash(prev_hash: str, values: dict[str, str]) -> str:
    canonical = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def _stored(entry: AuditEntry) -> dict[str, str]:
    values = asdict(entry)
    values["ts"] = values["ts"] or datetime.now(UTC).isoformat(timespec="milliseconds")
    out: dict[str, str] = {}
    for name in _FIELDS:
        value = values[name]
        out[name] = json.dumps(value, ensure_ascii=False) if isinstance(value, list) else str(value)
    return out


class AuditLog:
    """Append-only, hash-chained audit table in ``$SHUZHI_HOME/audit.sqlite``; safe across threads and workers."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect_wal(self.path, _SCHEMA)
        return self._conn

    def append(self, entry: AuditEntry) -> str:
        """Write one row and return its hash. BEGIN IMMEDIATE keeps the chain linear across worker processes."""
        values = _stored(entry)
        with self._lock:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                last = db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
                prev = last[0] if last else GENESIS
                digest = _row_hash(prev, values)
                names = ", ".join(_FIELDS)
                marks = ", ".join("?" for _ in range(len(_FIELDS) + 2))
                db.execute(
                    f"INSERT INTO audit ({names}, prev_hash, hash) VALUES ({marks})",
                    (*[values[n] for n in _FIELDS], prev, digest),
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return digest

    def rows(self, since: str = "") -> Iterator[dict[str, Any]]:
        """Rows in order (``since``: an ISO date or timestamp prefix), with list fields decoded."""
        with self._lock:
            cursor = self._db().execute(
                f"SELECT id, {', '.join(_FIELDS)}, prev_hash, hash FROM audit WHERE ts >= ? ORDER BY id", (since,)
            )
            names = [d[0] for d in cursor.description]
            fetched = cursor.fetchall()
        for raw in fetched:
            row = dict(zip(names, raw, strict=True))
            for name in ("evidence", "tools"):
                row[name] = json.loads(row[name])
            row["status"] = int(row["status"])
            row["latency_ms"] = int(row["latency_ms"])
            yield row

    def verify(self) -> VerifyResult:
        """Recompute the chain; the first row whose link or content does not match is reported."""
        with self._lock:
            cursor = self._db().execute(f"SELECT id, {', '.join(_FIELDS)}, prev_hash, hash FROM audit ORDER BY id")
            fetched = cursor.fetchall()
        prev = GENESIS
        for count, raw in enumerate(fetched, start=1):
            row_id, *values, prev_hash, digest = raw
            if prev_hash != prev:
                return VerifyResult(count, False, row_id, "prev_hash does not match the previous row (row removed?)")
            if _row_hash(prev, dict(zip(_FIELDS, values, strict=True))) != digest:
                return VerifyResult(count, False, row_id, "row content does not match its hash (row edited?)")
            prev = digest
        return VerifyResult(len(fetched), True)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
