"""One JSON error shape for every failure: ``{"error": {"code", "message", "message_en"}}``, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("shuzhi.api")

# Default Chinese wording per status, for errors raised by the framework itself (unknown route, wrong method).
_STATUS_TEXT: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求格式不正确", "bad request"),
    401: ("unauthorized", "缺少或无效的 API 密钥", "missing or invalid API key"),
    403: ("forbidden", "当前密钥无权访问该资源", "this key may not use this resource"),
    404: ("not_found", "资源不存在", "not found"),
    405: ("method_not_allowed", "不支持该请求方法", "method not allowed"),
    409: ("conflict", "与当前状态冲突", "conflict"),
    411: ("length_required", "上传请求须带 Content-Length", "Content-Length required"),
    413: ("payload_too_large", "上传内容超过大小限制", "payload too large"),
    415: ("unsupported_media_type", "不支持的内容类型", "unsupported media type"),
    422: ("invalid_request", "请求参数不合法", "invalid request"),
    429: ("rate_limited", "请求过于频繁，请稍后再试", "too many requests"),
    500: ("internal_error", "服务内部错误，请联系管理员", "internal server error"),
    503: ("unavailable", "服务暂不可用，请稍后再试", "service unavailable"),
    507: ("insufficient_storage", "服务器存储空间不足或只读", "insufficient storage"),
}


class ApiError(Exception):
    """An error meant for the API caller: a status, a stable code and a message in Chinese and English."""

    def __init__(
        self, status: int, code: str, message: str, message_en: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message_en)
        self.status = status
        self.code = code
        self.message = message
        self.message_en = message_en
        self.headers = headers


def error_body(code: str, message: str, message_en: str, **extra: Any) -> dict[str, Any]:
    """The documented error body; ``extra`` adds fields such as ``field`` for validation errors."""
    return {"error": {"code": code, "message": message, "message_en": message_en, **extra}}


def _note(request: Request, code: str) -> None:
    """Record the error code as the request's audit outcome (the audit middleware writes the row)."""
    entry = getattr(request.state, "audit", None)
    if entry is not None:
        entry.outcome = code


def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    _note(request, exc.code)
    return JSONResponse(error_body(exc.code, exc.message, exc.message_en), exc.status, headers=exc.headers)


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message, message_en = _STATUS_TEXT.get(exc.status_code, ("error", "请求失败", "request failed"))
    _note(request, code)
    if isinstance(exc.detail, str) and exc.detail and exc.status_code not in (404, 405):
        message_en = exc.detail
    return JSONResponse(error_body(code, message, message_en), exc.status_code, headers=exc.headers)


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    _note(request, "invalid_request")
    errors = list(exc.errors())
    first = errors[0] if errors else {"loc": (), "msg": "invalid"}
    # loc starts with "body"/"query"/…; the caller needs the field path inside it.
    field = ".".join(str(part) for part in first.get("loc", ())[1:]) or str(first.get("loc", ("body",))[0])
    details = [
        {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "problem": str(e.get("msg", ""))} for e in errors
    ]
    body = error_body(
        "invalid_request",
        f"请求参数不合法：字段 {field}（{first.get('msg', '')}）",
        f"invalid request: field {field!r}: {first.get('msg', '')}",
        field=field,
        details=details[:20],
    )
    return JSONResponse(body, 422)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    _note(request, "internal_error")
    code, message, message_en = _STATUS_TEXT[500]
    return JSONResponse(error_body(code, message, message_en), 500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)

