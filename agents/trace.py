"""The record of one agent run: every step, tool call, piece of evidence, and what produced the answer."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ToolCallRecord:
    name: str
    args: dict[str, Any]
    result: str  # as the model saw it, truncated for the trace
    error: str = ""
    seconds: float = 0.0


@dataclass
class Step:
    kind: str  # "model" | "tool" | "guardrail"
    detail: str
    seconds: float = 0.0
    tool_calls: list[ToolCallRecord] = field(default_factory=list)


@dataclass
class Trace:
    agent: str
    model: str
    prompt_version: str
    trace_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started: float = field(default_factory=time.time)
    steps: list[Step] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)  # doc_id, title, heading, score, kb
    flags: list[str] = field(default_factory=list)  # e.g. "injection-in-question", "pii-masked"
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
