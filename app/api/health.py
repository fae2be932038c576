"""Liveness and readiness probes (no key needed, not audited)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.runtime import RuntimeDep
from app.api.schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """进程存活 / the process answers."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, responses={503: {"model": Readiness}})
def readyz(runtime: RuntimeDep) -> JSONResponse:
    """可以服务 / agents load, the knowledge base opens, keys and audit stores are writable."""
    problems: list[str] = []
    agents, kbs = 0, []
    try:
        service = runtime.service
        agents = len(service.specs)
        kbs = service.knowledge.names()
        if not kbs:
            problems.append("no knowledge base yet: `shuzhi kb ingest PATH --kb demo`")
    except Exception as exc:  # any failure here is exactly what readiness must report, not raise
        problems.append(f"agent service: {exc}")
    for name, store in (("keys", runtime.keys), ("audit", runtime.audit)):
        try:
            store._db()
        except Exception as exc:
            problems.append(f"{name} store {store.path}: {exc}")
    body = Readiness(status="not_ready" if problems else "ready", agents=agents, knowledge_bases=kbs, problems=problems)
    return JSONResponse(body.model_dump(), 503 if problems else 200)
