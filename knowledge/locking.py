"""Safe writes into a knowledge-base home: an inter-process write lock, so the CLI and API workers can ingest at once.

SQLite serialises each manifest transaction, but a document's commit spans two stores (vectors first,
then the manifest) and the orphan sweep at the end of an ingest deletes every vector the manifest does
not list yet; without a lock one writer's sweep deletes the vectors of another writer's uncommitted
document. The lock is an ``fcntl.flock`` on ``write.lock`` in the home, held per committed batch, so two
long ingests interleave instead of waiting for each other. The kernel releases it when a process dies,
so a SIGKILLed writer never leaves a stale lock behind.

``write_guard`` turns a failed write (disk full, read-only data directory) into one clear error.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from knowledge.errors import KnowledgeError

LOCK_FILE = "write.lock"
DEFAULT_TIMEOUT_S = 120.0


class WriteLockTimeout(KnowledgeError):
    """Another process kept the knowledge base locked for longer than the timeout."""

    def __init__(self, path: Path, timeout_s: float) -> None:
        super().__init__(
            f"知识库正被另一个进程写入，{timeout_s:.0f} 秒内未能获得写锁，请稍后重试 / "
            f"could not take the write lock {path} within {timeout_s:.0f}s: another ingest holds it; "
            "retry when it finishes (a crashed holder releases the lock automatically)"
        )
        self.path = path
        self.timeout_s = timeout_s


class WriteLock:
    """Re-entrant within a process (threads queue on an RLock), exclusive across processes (flock)."""

    def __init__(self, path: Path, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.timeout_s = timeout_s
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the ``with`` block; raises :class:`WriteLockTimeout` after ``timeout_s``."""
        if not self._threads.acquire(timeout=self.timeout_s):
            raise WriteLockTimeout(self.path, self.timeout_s)
        try:
            if self._depth == 0:
                self._fd = self._acquire_file()
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None
        finally:
            self._threads.release()

    def _acquire_file(self) -> int:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise WriteLockTimeout(self.path, self.timeout_s) from None
                time.sleep(0.02)


class WriteFailedError(KnowledgeError):
    """A write to the data directory failed (disk full, read-only mount); committed documents are intact."""


@contextmanager
def write_guard(home: Path, what: str, undo: Callable[[], None] | None = None) -> Iterator[None]:
    """Turn a storage failure while writing ``what`` into a clear error, after running ``undo``.

    Ingest upserts a document's vectors before its manifest row; when the manifest write then fails,
    ``undo`` deletes those vectors again (best effort: if even that fails, the next ingest's orphan sweep
    or ``kb verify --repair`` removes them), so search never sees a half-written document.
    """
    try:
        yield
    except KnowledgeError:
        raise
    except Exception as exc:
        if undo is not None:
            with suppress(Exception):
                undo()
        raise WriteFailedError(
            f"{what} 写入失败（磁盘已满或数据目录只读？）；已导入的文档不受影响 / writing {what} under {home} "
            f"failed: {type(exc).__name__}: {exc}; free disk space or make SHUZHI_HOME writable, then rerun "
            "the same ingest (it resumes where it stopped); `shuzhi kb verify --repair` rebuilds the vectors"
        ) from exc
