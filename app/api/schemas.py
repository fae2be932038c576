"""HTTP bodies of the API (pydantic), including the OpenAI-compatible chat shapes and the error body.

Extra fields beyond OpenAI's chat format, documented here and in the README:
``choices[0].message.citations`` (and ``choices[0].delta.citations`` on the last stream chunk) lists the
sources of an answer; ``refused`` says the agent declined (no evidence, out of scope, blocked input);
``trace_id`` finds the run in the trace log. Stock OpenAI clients ignore them.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ErrorDetail(BaseModel):
    code: str = Field(description="stable machine code, e.g. invalid_request, forbidden, rate_limited")
    message: str = Field(description="中文说明")
    message_en: str
    field: str | None = Field(None, description="the offending field of a 422")
    details: list[dict[str, str]] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses an endpoint can answer."""
    return {status: {"model": ErrorBody, "description": "error"} for status in statuses}


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")  # OpenAI clients send name, tool_calls … we do not use

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = ""

    @field_validator("content")
    @classmethod
    def _encodable(cls, value: str | list[dict[str, Any]] | None) -> str | list[dict[str, Any]] | None:
        # JSON may carry lone surrogates (\ud800) that no UTF-8 store, log or model accepts: refuse them here
        # with a 422 naming the field, rather than failing later in the audit log or the embedder.
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) if value else ""
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"content has an unpaired surrogate at {exc.start}; send valid Unicode") from exc
        return value

    def text(self) -> str:
        if isinstance(self.content, list):  # OpenAI content parts: keep the text parts
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")  # temperature, top_p … are accepted and ignored

    model: str = Field(min_length=1, max_length=100, description="agent id, see GET /v1/models")
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False


class Citation(BaseModel):
    model_config = ConfigDict(extra="allow")

    doc_id: str
    title: str
    heading: str = ""
    quote: str = Field("", description="verbatim source text backing the answer")


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str
    citations: list[Citation] = Field(default_factory=list, description="sources of the answer (shuzhi extra)")
    refused: bool = Field(False, description="the agent declined to answer (shuzhi extra)")
    trace_id: str = ""


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: Usage


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "shuzhi"
    name: str = Field(description="中文名称")
    audience: str
    description: str = ""
    demo: str = ""


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: Literal["ready", "not_ready"]
    agents: int
    knowledge_bases: list[str]
    problems: list[str] = Field(default_factory=list)
