"""``create_app(settings)``: the FastAPI application — API, audit middleware, error bodies and web pages."""

from __future__ import annotations

import logging
import sqlite3
import time

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from starlette.middleware.base import RequestResponseEndpoint

from app.agent_service import AgentService
from app.api import chat, documents, evaluation, health, knowledge
from app.api.errors import error_body, install_error_handlers
from app.api.runtime import Runtime, audit_entry
from app.api.uploads import UploadLimit
from app.audit import AuditEntry, AuditLog
from app.keys import KeyStore
from app.ratelimit import RateLimiter
from app.settings import Settings
from app.web import mount_web

log = logging.getLogger(__name__)

API_DESCRIPTION = """数智员工政务智能体服务 / shuzhi digital-employee service.

认证：`Authorization: Bearer <API 密钥>`（`shuzhi keys create --audience citizen|staff|admin|evaluator`）。
`POST /v1/chat/completions` 兼容 OpenAI；回答出处在 `choices[0].message.citations`
（流式时在最后一个 chunk 的 `choices[0].delta.citations`）。错误统一为
`{"error": {"code", "message", "message_en"}}`。"""


def create_app(settings: Settings, service: AgentService | None = None) -> FastAPI:
    """The service for ``settings``; pass ``service`` to reuse an already-built AgentService (tests, embedding)."""
    home = settings.home
    runtime = Runtime(
        settings=settings,
        keys=KeyStore(home / "keys.sqlite"),
        audit=AuditLog(home / "audit.sqlite"),
        limiter=RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst, path=home / "ratelimit.sqlite"),
        _service=service,
    )
    app = FastAPI(title="shuzhi 数智员工", version="0.1.0", description=API_DESCRIPTION)
    app.state.runtime = runtime
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(knowledge.router)
    app.include_router(documents.router)
    app.include_router(evaluation.router)
    mount_web(app)

    @app.middleware("http")
    async def audit_requests(request: Request, call_next: RequestResponseEndpoint) -> Response:
        if not request.url.path.startswith("/v1/"):
            return await call_next(request)
        entry = audit_entry(request)
        entry.method, entry.path = request.method, request.url.path
        began = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception:
            entry.status, entry.outcome = 500, entry.outcome or "internal_error"
            entry.latency_ms = round((time.perf_counter() - began) * 1000)
            await _audit_or_log(entry)
            raise
        entry.status = response.status_code
        entry.outcome = entry.outcome or ("ok" if response.status_code < 400 else f"http_{response.status_code}")
        entry.latency_ms = round((time.perf_counter() - began) * 1000)
        if not await _audit_or_log(entry):
            # Fail closed: no answer leaves the service without its audit row. (An upload that already
            # ingested stays ingested; re-sending it is skipped as unchanged.)
            body = error_body(
                "audit_unavailable",
                "审计日志无法写入，服务暂停应答，请联系管理员",
                "the audit log cannot be written; the service withholds responses until it can",
            )
            return JSONResponse(body, 503, headers={"Retry-After": "30"})
        return response

    async def _audit_or_log(entry: AuditEntry) -> bool:
        try:
            await run_in_threadpool(runtime.audit.append, entry)
        except (sqlite3.Error, OSError) as exc:
            log.error("audit row not written for %s %s: %s", entry.method, entry.path, exc)
            return False
        return True

    # Added last so it runs first: an oversized upload is refused before anything reads its body.
    app.add_middleware(UploadLimit, max_mb=settings.max_upload_mb)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (used by ``shuzhi serve --workers N``): settings from the environment."""
    return create_app(Settings())
