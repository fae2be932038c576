"""The objects one app instance serves with, created by ``create_app`` and reached through ``Depends``."""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request

from app.agent_service import AgentService
from app.audit import AuditEntry, AuditLog
from app.keys import KeyStore
from app.ratelimit import RateLimiter
from app.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    keys: KeyStore
    audit: AuditLog
    limiter: RateLimiter
    _service: AgentService | None = None
    # The evaluation CLI started per run (`--out DIR [--scenarios S]` are appended); tests swap in a stub.
    eval_command: list[str] = field(default_factory=lambda: [sys.executable, "-m", "app.cli", "eval", "run"])
    _building: threading.Lock = field(default_factory=threading.Lock)

    @property
    def service(self) -> AgentService:
        # Built on first use so that `serve` starts instantly and /healthz answers while models load; the lock
        # keeps concurrent first requests from building two services.
        if self._service is None:
            with self._building:
                if self._service is None:
                    self._service = AgentService.from_settings(self.settings)
        return self._service


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def audit_entry(request: Request) -> AuditEntry:
    """The audit row of this request (a throwaway one outside /v1, which is not audited)."""
    entry = getattr(request.state, "audit", None)
    if entry is None:
        entry = AuditEntry()
        request.state.audit = entry
    return entry


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
