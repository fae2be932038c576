"""Per-key token buckets: ``per_minute`` sustained, ``burst`` at once; refusals say how long to wait.

With a ``path`` the buckets live in a small SQLite file in the data directory, so every worker process of
``shuzhi serve --workers N`` draws from the same bucket and a key gets the configured rate, not N times it.
Without one (or when the file cannot be opened, e.g. a read-only data directory) they live in the process.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from app.sqlite_wal import connect_wal

log = logging.getLogger(__name__)

_SCHEMA = "CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tokens REAL NOT NULL, updated REAL NOT NULL);"


class RateLimiter:
    """``check(key)`` returns 0 when the request may go ahead, else the seconds to wait (for Retry-After)."""

    def __init__(
        self, per_minute: int, burst: int, clock: Callable[[], float] = time.time, path: Path | None = None
    ) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.clock = clock  # wall time: the same clock in every worker process
        self._memory: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        if path is not None and self.enabled:
            try:
                self._conn = connect_wal(path, _SCHEMA)
                self._conn.execute("PRAGMA synchronous=OFF")  # buckets are throwaway state; never wait on fsync
            except (sqlite3.Error, OSError) as exc:
                log.warning("rate limits kept per process: cannot open %s (%s)", path, exc)

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    @property
    def shared(self) -> bool:
        """True when the buckets are shared by all worker processes."""
        return self._conn is not None

    def check(self, key: str) -> int:
        if not self.enabled:
            return 0
        with self._lock:
            if self._conn is None:
                return self._take(self._memory, key)
            try:
                return self._check_shared(self._conn, key)
            except sqlite3.Error as exc:  # a locked or broken file must not refuse service
                log.warning("rate-limit store unavailable (%s); using per-process buckets", exc)
                return self._take(self._memory, key)

    def _check_shared(self, conn: sqlite3.Connection, key: str) -> int:
        conn.execute("BEGIN IMMEDIATE")  # one worker at a time reads and writes a bucket
        try:
            row = conn.execute("SELECT tokens, updated FROM buckets WHERE key = ?", (key,)).fetchone()
            buckets = {key: (float(row[0]), float(row[1]))} if row else {}
            wait = self._take(buckets, key)
            tokens, updated = buckets[key]
            conn.execute(
                "INSERT INTO buckets (key, tokens, updated) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET tokens = excluded.tokens, updated = excluded.updated",
                (key, tokens, updated),
            )
            conn.execute("COMMIT")
            return wait
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _take(self, buckets: dict[str, tuple[float, float]], key: str) -> int:
        """Refill ``key``'s bucket for the time passed and take one token if there is one (updates ``buckets``)."""
        now = self.clock()
        tokens, updated = buckets.get(key, (float(self.burst), now))
        tokens = min(self.burst, tokens + max(0.0, now - updated) * self.rate)
        if tokens >= 1:
            buckets[key] = (tokens - 1, now)
            return 0
        buckets[key] = (tokens, now)
        return max(1, math.ceil((1 - tokens) / self.rate))
