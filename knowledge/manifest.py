"""The SQLite manifest: which documents each knowledge base holds, their versions and their chunks.

The manifest is the source of truth. Vector and BM25 indexes are derived from it, so a document's
switch to a new version is one SQLite transaction: a process killed before the commit leaves the old
version answering; one killed after it leaves at worst orphan vectors that searches ignore and the next
ingest (or ``shuzhi kb verify``) removes.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from knowledge.documents import AccessLevel

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kbs (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS documents (
    kb TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',
    doc_number TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    validity TEXT NOT NULL,
    access TEXT NOT NULL,
    department TEXT NOT NULL DEFAULT '',
    chars INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (kb, doc_id)
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    kb TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    ord INTEGER NOT NULL,
    heading TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    embed_key TEXT NOT NULL,
    tokens TEXT NOT NULL,
    vector BLOB
);
CREATE INDEX IF NOT EXISTS chunks_by_doc ON chunks (kb, doc_id);
CREATE TABLE IF NOT EXISTS history (
    kb TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    version TEXT NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


# A document's title-only vector is stored as a chunk row with this ord and id suffix; it has no BM25
# tokens and no text span of its own (search shows the document's first chunk for it).
TITLE_ORD = -1
TITLE_SUFFIX = "-title"

# Every chunk column but the vector blob, which searches never need.
_CHUNK_FIELDS = "chunk_id, kb, doc_id, ord, heading, text, start, end, embed_key, tokens"


@dataclass
class DocumentRecord:
    """One row of the manifest: the current version of a document in a knowledge base."""

    kb: str
    doc_id: str
    version: str
    title: str
    source: str
    issuer: str
    doc_number: str
    date: str
    validity: str
    access: AccessLevel
    department: str
    chars: int
    chunk_count: int
    ingested_at: str


def vector_metadata(document: DocumentRecord) -> dict[str, str]:
    """The fields the vector store keeps beside each of a document's vectors, for filtered queries."""
    return {
        "doc_id": document.doc_id,
        "access": document.access,
        "validity": document.validity,
        "department": document.department,
    }


@dataclass
class ChunkRecord:
    chunk_id: str
    kb: str
    doc_id: str
    ord: int
    heading: str
    text: str
    start: int
    end: int
    embed_key: str
    tokens: str  # space-joined BM25 tokens, so the lexical index rebuilds without re-tokenising
    vector: bytes | None = None  # float32; kept here so the vector store can be rebuilt without re-embedding


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Manifest:
    """Thread-safe access to ``manifest.sqlite`` (WAL mode, so readers never block the writer)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=60, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=60000")
            conn.executescript(_SCHEMA)
            conn.row_factory = sqlite3.Row
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An IMMEDIATE transaction: one writer at a time, across processes."""
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- knowledge bases ---------------------------------------------------------------------------
    def kb_names(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self.conn.execute("SELECT name FROM kbs ORDER BY name")]

    def ensure_kb(self, name: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO kbs (name, created_at) VALUES (?, ?)", (name, utc_now()))

    def generation(self, kb: str) -> int:
        with self._lock:
            row = self.conn.execute("SELECT generation FROM kbs WHERE name = ?", (kb,)).fetchone()
        return int(row[0]) if row else -1

    def drop_kb(self, kb: str) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM chunks WHERE kb = ?", (kb,))
            conn.execute("DELETE FROM documents WHERE kb = ?", (kb,))
            conn.execute("DELETE FROM kbs WHERE name = ?", (kb,))

    # -- documents ---------------------------------------------------------------------------------
    def document(self, kb: str, doc_id: str) -> DocumentRecord | None:
        with self._lock:
            row = self.conn.execute("SELECT * FROM documents WHERE kb = ? AND doc_id = ?", (kb, doc_id)).fetchone()
        return DocumentRecord(**dict(row)) if row else None

    def documents(self, kb: str) -> list[DocumentRecord]:
        with self._lock:
            rows = self.conn.execute("SELECT * FROM documents WHERE kb = ? ORDER BY doc_id", (kb,)).fetchall()
        return [DocumentRecord(**dict(row)) for row in rows]

    def versions(self, kb: str) -> dict[str, str]:
        with self._lock:
            rows = self.conn.execute("SELECT doc_id, version FROM documents WHERE kb = ?", (kb,))
            return {doc_id: version for doc_id, version in rows}

    def replace_document(self, record: DocumentRecord, chunks: list[ChunkRecord]) -> None:
        """Switch a document to a new version with its chunks, atomically."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM chunks WHERE kb = ? AND doc_id = ?", (record.kb, record.doc_id))
            conn.execute(
                "INSERT OR REPLACE INTO documents VALUES "
                "(:kb, :doc_id, :version, :title, :source, :issuer, :doc_number, :date, :validity, "
                ":access, :department, :chars, :chunk_count, :ingested_at)",
                record.__dict__,
            )
            conn.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (:chunk_id, :kb, :doc_id, :ord, :heading, :text, "
                ":start, :end, :embed_key, :tokens, :vector)",
                [chunk.__dict__ for chunk in chunks],
            )
            conn.execute(
                "INSERT INTO history VALUES (?, ?, ?, 'ingest', ?)",
                (record.kb, record.doc_id, record.version, record.ingested_at),
            )
            conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = ?", (record.kb,))

    def remove_documents(self, kb: str, doc_ids: list[str]) -> list[str]:
        """Delete documents and their chunks; returns the ids that existed."""
        removed: list[str] = []
        with self.transaction() as conn:
            for doc_id in doc_ids:
                row = conn.execute("SELECT version FROM documents WHERE kb = ? AND doc_id = ?", (kb, doc_id)).fetchone()
                if row is None:
                    continue
                conn.execute("DELETE FROM chunks WHERE kb = ? AND doc_id = ?", (kb, doc_id))
                conn.execute("DELETE FROM documents WHERE kb = ? AND doc_id = ?", (kb, doc_id))
                conn.execute("INSERT INTO history VALUES (?, ?, ?, 'remove', ?)", (kb, doc_id, row[0], utc_now()))
                removed.append(doc_id)
            if removed:
                conn.execute("UPDATE kbs SET generation = generation + 1 WHERE name = ?", (kb,))
        return removed

    # -- chunks ------------------------------------------------------------------------------------
    def chunks_of(self, kb: str, doc_id: str) -> list[ChunkRecord]:
        with self._lock:
            rows = self.conn.execute(
                f"SELECT {_CHUNK_FIELDS} FROM chunks WHERE kb = ? AND doc_id = ? ORDER BY ord", (kb, doc_id)
            ).fetchall()
        return [ChunkRecord(**dict(row)) for row in rows]

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, ChunkRecord]:
        if not chunk_ids:
            return {}
        found: dict[str, ChunkRecord] = {}
        with self._lock:
            for begin in range(0, len(chunk_ids), 500):
                batch = chunk_ids[begin : begin + 500]
                marks = ",".join("?" * len(batch))
                for row in self.conn.execute(f"SELECT {_CHUNK_FIELDS} FROM chunks WHERE chunk_id IN ({marks})", batch):
                    found[row["chunk_id"]] = ChunkRecord(**dict(row))
        return found

    def lexical_rows(self, kb: str) -> list[tuple[str, str]]:
        """(chunk_id, tokens) of every current chunk, in a stable order."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT chunk_id, tokens FROM chunks WHERE kb = ? AND ord >= 0 ORDER BY rowid", (kb,)
            )
            return [(chunk_id, tokens) for chunk_id, tokens in rows]

    def vectors_by_key(self, kb: str, doc_id: str) -> dict[str, bytes]:
        """embed_key → stored vector for a document's current chunks (reused when text is unchanged)."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT embed_key, vector FROM chunks WHERE kb = ? AND doc_id = ? AND vector IS NOT NULL",
                (kb, doc_id),
            )
            return dict(rows.fetchall())

    def iter_vectors(self, kb: str, batch: int = 2000) -> Iterator[list[tuple[str, str, bytes]]]:
        """Batches of (chunk_id, doc_id, vector) for every current chunk, to rebuild a vector store."""
        with self._lock:
            rows = self.conn.execute(
                "SELECT chunk_id, doc_id, vector FROM chunks WHERE kb = ? ORDER BY rowid", (kb,)
            ).fetchall()
        for begin in range(0, len(rows), batch):
            yield [(r[0], r[1], r[2]) for r in rows[begin : begin + batch]]

    def chunk_owners(self, kb: str) -> dict[str, str]:
        """chunk_id → doc_id for every current chunk."""
        with self._lock:
            return dict(self.conn.execute("SELECT chunk_id, doc_id FROM chunks WHERE kb = ?", (kb,)))

    def chunk_ids(self, kb: str) -> set[str]:
        with self._lock:
            return {row[0] for row in self.conn.execute("SELECT chunk_id FROM chunks WHERE kb = ?", (kb,))}
