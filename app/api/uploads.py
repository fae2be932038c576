"""Upload safety: the size limit is enforced from Content-Length before the body is read; filenames are tamed.

FastAPI parses a multipart body before any dependency runs, so the limit has to sit in front of the app
as ASGI middleware. Requests without a Content-Length (chunked) are refused with 411 rather than read
to find out; browsers, curl and httpx always send one for multipart forms.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.errors import error_body

UPLOAD_PATH = re.compile(r"^/v1/kb/[^/]+/documents/?$")
_MULTIPART_OVERHEAD = 64 * 1024  # boundaries and form fields around the files
JSON_MAX_BYTES = 1024 * 1024  # chat, search, 公文 bodies; a 公文 of 50,000 characters is ~150 KB


class UploadLimit:
    """413 for an upload whose declared size exceeds ``max_mb`` (411 when it declares none) or for another
    body over ``JSON_MAX_BYTES``."""

    def __init__(self, app: ASGIApp, max_mb: int) -> None:
        self.app = app
        self.max_mb = max_mb
        self.max_bytes = max_mb * 1024 * 1024 + _MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if not UPLOAD_PATH.match(scope["path"]):
            # JSON bodies are read whole into memory, so they get a small cap of their own.
            if declared is not None and declared.isdigit() and int(declared) > JSON_MAX_BYTES:
                body = error_body(
                    "payload_too_large",
                    f"请求体超过 {JSON_MAX_BYTES // 1024} KB 上限",
                    f"request body exceeds {JSON_MAX_BYTES // 1024} KB",
                )
                await JSONResponse(body, 413, headers={"Connection": "close"})(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        response: JSONResponse | None = None
        if declared is None or not declared.isdigit():
            response = JSONResponse(
                error_body(
                    "length_required",
                    "上传请求须带 Content-Length 请求头",
                    "uploads must declare Content-Length (chunked uploads are not accepted)",
                ),
                411,
            )
        elif int(declared) > self.max_bytes:
            size_mb = int(declared) / 1024 / 1024
            response = JSONResponse(
                error_body(
                    "payload_too_large",
                    f"上传内容 {size_mb:.1f} MB，超过 {self.max_mb} MB 的上限；请拆分后分批上传",
                    f"upload of {size_mb:.1f} MB exceeds the limit of {self.max_mb} MB (SHUZHI_MAX_UPLOAD_MB)",
                ),
                413,
                headers={"Connection": "close"},  # the unread body must not be taken for the next request
            )
        if response is None:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def safe_filename(name: str | None) -> str:
    """A plain file name from a client-supplied one: no directories, no control characters, no leading dots."""
    text = unicodedata.normalize("NFC", name or "")
    text = PurePosixPath(text.replace("\\", "/")).name  # drops ../ and absolute paths, POSIX or Windows
    text = _UNSAFE.sub("_", text).strip().lstrip(".").strip()
    if len(text) > 120:
        stem, dot, suffix = text.rpartition(".")
        text = (stem[: 110] + dot + suffix[:9]) if dot and len(suffix) < 10 else text[:120]
    return text or "upload"
