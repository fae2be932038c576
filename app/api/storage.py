"""API errors for a knowledge-base write that could not happen: a busy write lock (503 + Retry-After), no
space left or a read-only data directory (507), instead of a generic 500.

Ingest keeps each document all-or-nothing (``knowledge.locking.write_guard`` undoes a failed document's
vectors), so these errors only report; documents committed before the failure keep answering.
"""

from __future__ import annotations

import errno
import logging

from app.api.errors import ApiError
from knowledge.locking import WriteFailedError, WriteLockTimeout

log = logging.getLogger("shuzhi.api")
RETRY_AFTER_S = 30
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_KEPT = "已导入的文档不受影响，失败的文档未留下任何部分"
_KEPT_EN = "documents ingested before it are intact and nothing of the failed one was kept"


def _cause(exc: BaseException) -> str:
    """``no_space``, ``read_only`` or ``""``, from errno or the storage engine's message along the cause chain."""
    # WriteFailedError's own text names both possibilities, so only its causes are looked at.
    current: BaseException | None = exc.__cause__ if isinstance(exc, WriteFailedError) else exc
    while current is not None:
        number = current.errno if isinstance(current, OSError) else None
        text = str(current).lower()
        if number in _NO_SPACE or "disk is full" in text or "no space" in text:
            return "no_space"
        if number in _READ_ONLY or "readonly" in text or "read-only" in text:
            return "read_only"
        current = current.__cause__ or current.__context__
    return ""


def storage_error(exc: Exception, kb: str) -> ApiError:
    """The API error for ``exc`` raised while saving an upload or ingesting it into ``kb``."""
    log.warning("upload into %r failed: %s: %s", kb, type(exc).__name__, exc)
    retry = {"Retry-After": str(RETRY_AFTER_S)}
    if isinstance(exc, WriteLockTimeout):
        return ApiError(
            503,
            "kb_busy",
            f"知识库 {kb} 正在被其他导入任务写入，请约 {RETRY_AFTER_S} 秒后重新上传",
            f"knowledge base {kb!r} is being written by another ingest (write lock busy); "
            f"retry the upload in about {RETRY_AFTER_S}s",
            retry,
        )
    cause = _cause(exc)
    if cause == "no_space":
        return ApiError(
            507,
            "storage_full",
            f"服务器磁盘空间不足，文档未能导入；{_KEPT}。请联系管理员清理空间后重新上传",
            f"no space left in the data directory (SHUZHI_HOME); {_KEPT_EN}; free disk space, then upload again",
        )
    if cause == "read_only":
        return ApiError(
            507,
            "storage_read_only",
            f"服务器数据目录只读，文档未能导入；{_KEPT}。请联系管理员",
            f"the data directory (SHUZHI_HOME) is read-only; {_KEPT_EN}; make it writable, then upload again",
        )
    if isinstance(exc, WriteFailedError | OSError):
        return ApiError(
            507,
            "storage_write_failed",
            f"知识库写入失败，文档未能导入；{_KEPT}。请联系管理员",
            f"writing to the data directory failed ({type(exc).__name__}); {_KEPT_EN}; see the server log",
        )
    return ApiError(
        503,
        "kb_unavailable",
        f"知识库 {kb} 暂不可用，请稍后重试",
        f"knowledge base {kb!r} is unavailable ({type(exc).__name__}); retry later, see the server log",
        retry,
    )
