"""OpenAI-compatible chat: ``POST /v1/chat/completions`` (``model`` = agent id) and ``GET /v1/models``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from agents.loop import AgentResult, AgentRunError
from app.agent_service import AgentAccessError, UnknownAgentError
from app.api.auth import KeyDep
from app.api.errors import ApiError
from app.api.runtime import Runtime, RuntimeDep, audit_entry
from app.api.schemas import (
    AssistantMessage,
    ChatCompletion,
    ChatMessage,
    ChatRequest,
    Choice,
    Citation,
    ModelCard,
    ModelList,
    Usage,
    errors,
)
from app.keys import ApiKey
from knowledge import get_token_counter

router = APIRouter(prefix="/v1", tags=["chat"])
MAX_QUESTION_CHARS = 4000  # a citizen's question, not a document: long inputs go through the KB upload
_PIECE = 16  # characters per streamed chunk: the offline model answers at once, this paces the display


@router.get("/models", response_model=ModelList, responses=errors(401, 429))
def list_models(key: KeyDep, runtime: RuntimeDep) -> ModelList:
    """列出当前密钥可用的数智员工 / agents this key may use."""
    cards = [
        ModelCard(id=s.id, name=s.name, audience=s.audience, description=s.role.strip(), demo=s.demo)
        for s in runtime.service.visible_to(key.caller)
    ]
    return ModelList(data=cards)


def _split(messages: list[ChatMessage]) -> tuple[str, list[BaseMessage]]:
    """(the question = last user message, the earlier turns as history); system prompts come from the agent spec."""
    if messages[-1].role != "user" or not messages[-1].text().strip():
        raise ApiError(
            422,
            "invalid_request",
            "最后一条消息须是用户提问（role=user，内容非空）",
            "the last message must be a non-empty user message",
        )
    question = messages[-1].text()
    if len(question) > MAX_QUESTION_CHARS:
        raise ApiError(
            422,
            "invalid_request",
            f"问题过长（{len(question)} 字），请精简到 {MAX_QUESTION_CHARS} 字以内",
            f"the question has {len(question)} characters; the limit is {MAX_QUESTION_CHARS}",
        )
    history: list[BaseMessage] = []
    for message in messages[:-1]:
        if message.role == "user":
            history.append(HumanMessage(message.text()))
        elif message.role == "assistant":
            history.append(AIMessage(message.text()))
    return question, history


def _run(runtime: Runtime, body: ChatRequest, key: ApiKey, request: Request) -> AgentResult:
    question, history = _split(body.messages)
    entry = audit_entry(request)
    entry.agent = body.model
    entry.set_question(question)
    service = runtime.service
    try:
        result = service.ask(body.model, question, key.caller, history)
    except UnknownAgentError as exc:
        visible = ", ".join(s.id for s in service.visible_to(key.caller))
        raise ApiError(404, "unknown_agent", f"没有名为 {body.model} 的数智员工；可用：{visible}", str(exc)) from exc
    except AgentAccessError as exc:
        raise ApiError(403, "forbidden", f"数智员工 {body.model} 仅面向工作人员，当前密钥无权使用", str(exc)) from exc
    except AgentRunError as exc:
        raise ApiError(503, "agent_run_failed", "数智员工暂时无法作答，请稍后再试", str(exc)) from exc
    entry.outcome = "refused" if result.refused else "answered"
    entry.evidence = sorted({str(e.get("doc_id", "")) for e in result.trace.evidence})
    entry.tools = [str(c["name"]) for c in result.tool_calls]
    entry.model = result.trace.model
    return result


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        **errors(401, 403, 404, 413, 422, 429, 503),
        200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}, "description": "JSON, or SSE"},
    },
)
def chat_completions(
    body: ChatRequest,
    request: Request,
    key: KeyDep,
    runtime: RuntimeDep,
) -> Any:
    """与数智员工对话（OpenAI 兼容）/ chat with an agent; citations in ``message.citations``."""
    result = _run(runtime, body, key, request)
    completion_id = f"chatcmpl-{result.trace.trace_id}"
    created = int(time.time())
    if body.stream:
        return StreamingResponse(
            _sse(completion_id, created, body.model, result),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    counter = get_token_counter(runtime.settings.token_counter)
    prompt = sum(counter.count(m.text()) for m in body.messages)
    completion = counter.count(result.answer)
    message = AssistantMessage(
        content=result.answer,
        citations=[Citation(**c) for c in result.citations],
        refused=result.refused,
        trace_id=result.trace.trace_id,
    )
    return ChatCompletion(
        id=completion_id,
        created=created,
        model=body.model,
        choices=[Choice(message=message)],
        usage=Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=prompt + completion),
    )


def _sse(completion_id: str, created: int, model: str, result: AgentResult) -> Iterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for start in range(0, len(result.answer), _PIECE):
        yield chunk({"content": result.answer[start : start + _PIECE]})
    extra = {"citations": result.citations, "refused": result.refused, "trace_id": result.trace.trace_id}
    yield chunk(extra, "stop")
    yield "data: [DONE]\n\n"
