"""API keys: each maps to a Caller (audience, department, clearance); only a SHA-256 of the key is stored.

Keys are 256-bit random tokens, so a fast unsalted hash is enough: there is nothing to brute-force, and a
lookup by hash stays one indexed query per request.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

from agents.context import Audience, Caller
from app.sqlite_wal import connect_wal
from knowledge import ACCESS_LEVELS, AccessLevel

KEY_PREFIX = "sz-"
AUDIENCES: tuple[str, ...] = get_args(Audience)
DEFAULT_CLEARANCE: dict[str, AccessLevel] = {
    "citizen": "public",
    "staff": "internal",
    "admin": "internal",
    "evaluator": "internal",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    audience TEXT NOT NULL,
    department TEXT NOT NULL,
    clearance TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""



class KeyRequestError(ValueError):
    """A key request that cannot be honoured; the message names the value and the valid options."""


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    name: str
    audience: Audience
    department: str
    clearance: AccessLevel
    created_at: str
    revoked_at: str | None = None

    @property
    def caller(self) -> Caller:
        return Caller(self.audience, self.department, self.clearance)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class KeyStore:
    """SQLite table of hashed keys under ``$SHUZHI_HOME/keys.sqlite``; safe to share across threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = connect_wal(self.path, _SCHEMA)
        return self._conn

    def create(
        self, audience: str, department: str = "", name: str = "", clearance: str | None = None
    ) -> tuple[str, ApiKey]:
        """Create a key; returns (the plaintext key — shown once, never stored — and its record)."""
        if audience not in AUDIENCES:
            raise KeyRequestError(f"audience {audience!r} is not one of {', '.join(AUDIENCES)}")
        level = clearance or DEFAULT_CLEARANCE[audience]
        if level not in ACCESS_LEVELS:
            raise KeyRequestError(f"clearance {level!r} is not one of {', '.join(ACCESS_LEVELS)}")
        if audience == "citizen" and level != "public":
            raise KeyRequestError("a citizen key is always public; drop --clearance or use --audience staff")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        key_id = secrets.token_hex(4)
        record = ApiKey(
            key_id=key_id,
            name=name or f"{audience}-{key_id}",
            audience=audience,  # type: ignore[arg-type]
            department=department,
            clearance=level,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self._lock:
            self._db().execute(
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                (key_id, hash_key(key), record.name, audience, department, level, record.created_at),
            )
        return key, record

    def lookup(self, key: str) -> ApiKey | None:
        """The live (not revoked) record of a plaintext key, or None."""
        with self._lock:
            row = self._db().execute(
                "SELECT * FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", (hash_key(key),)
            ).fetchone()
        return _record(row) if row else None

    def list_keys(self) -> list[ApiKey]:
        with self._lock:
            rows = self._db().execute("SELECT * FROM api_keys ORDER BY created_at, key_id").fetchall()
        return [_record(row) for row in rows]

    def revoke(self, key_id_or_name: str) -> list[ApiKey]:
        """Revoke by key id or by name; returns the keys revoked (empty when none matched)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            db = self._db()
            rows = db.execute(
                "SELECT * FROM api_keys WHERE (key_id = ? OR name = ?) AND revoked_at IS NULL",
                (key_id_or_name, key_id_or_name),
            ).fetchall()
            for row in rows:
                db.execute("UPDATE api_keys SET revoked_at = ? WHERE key_id = ?", (now, row[0]))
        return [_record((*row[:7], now)) for row in rows]

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _record(row: tuple[str, ...] | sqlite3.Row) -> ApiKey:
    key_id, _hash, name, audience, department, clearance, created_at, revoked_at = row
    return ApiKey(key_id, name, audience, department, clearance, created_at, revoked_at)  # type: ignore[arg-type]
