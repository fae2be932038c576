"""The agent loop: model ↔ tools with a step limit, per-tool timeouts, retries on tool errors, a trace.

Guardrails wrap it: the question is checked for sensitive words and injection attempts, PII is masked
before the model sees it (tools get the real values back), retrieved text is fenced as data, and the
answer's sensitive words are masked.
"""

from __future__ import annotations

import concurrent.futures
import json
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import BaseTool
from pydantic import ValidationError

from agents.context import RunContext
from agents.errors import ToolInputError
from agents.guardrails import PiiVault, SensitiveLexicon, check_user_input, neutralize
from agents.spec import AgentSpec
from agents.trace import Step, ToolCallRecord, Trace
from knowledge.tokens import get_token_counter
from prompts import render


class AgentRunError(RuntimeError):
    """A run could not finish: model unreachable, step limit, timeout. The message says what to do."""


@dataclass
class AgentResult:
    """What the CLI/API returns: the answer, its citations, the tools used, whether it refused, the trace."""

    answer: str
    citations: list[dict[str, str]]
    tool_calls: list[dict[str, Any]]
    refused: bool
    trace: Trace
    history: list[BaseMessage] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "citations": self.citations,
            "tool_calls": self.tool_calls,
            "refused": self.refused,
            "trace_id": self.trace.trace_id,
        }


class AgentRunner:
    """Runs one agent spec with one chat model; stateless across calls except for the history passed in."""

    def __init__(
        self,
        spec: AgentSpec,
        model: BaseChatModel,
        tools_factory: Any,
        lexicon: SensitiveLexicon | None = None,
    ) -> None:
        self.spec = spec
        self.model = model
        self.tools_factory = tools_factory  # (RunContext, names) -> list[BaseTool]
        self.lexicon = lexicon
        self._bound: Any = None

    def _bound_model(self, tools: list[BaseTool]) -> Any:
        """The model with the tools' schemas bound. A run's tools differ from the last run's only in the
        context they close over, never in schema, so the binding (schema → JSON per tool) is made once."""
        if self._bound is None:
            self._bound = self.model.bind_tools(tools)
        return self._bound

    def run(self, question: str, ctx: RunContext, history: list[BaseMessage] | None = None) -> AgentResult:
        model_name = str(getattr(self.model, "model_name", None) or type(self.model).__name__)
        trace = Trace(agent=self.spec.id, model=model_name, prompt_version=self.spec.prompt_version)
        began = time.perf_counter()
        try:
            return self._run(question, ctx, list(history or []), trace)
        finally:
            trace.seconds = round(time.perf_counter() - began, 4)
            trace.evidence = [
                {"doc_id": h.doc_id, "title": h.title, "heading": h.heading, "score": h.score, "kb": h.kb}
                for h in ctx.evidence
            ]

    def _run(self, question: str, ctx: RunContext, history: list[BaseMessage], trace: Trace) -> AgentResult:
        if self.lexicon is not None:
            verdict = self.lexicon.check_input(question)
            if not verdict.allowed:
                trace.steps.append(Step("guardrail", f"sensitive words: {[m.word for m in verdict.matches]}"))
                return AgentResult(verdict.message or self.spec.refusal, [], [], True, trace, history)
        checked = check_user_input(question)
        if checked.flagged:
            trace.flags.append("injection-in-question")  # answered normally; the role never changes
        question = checked.text  # control tokens and unpaired surrogates removed
        vault = PiiVault()
        masked = vault.mask(question).text
        if masked != question:
            trace.flags.append("pii-masked")
        tools = {tool.name: tool for tool in self.tools_factory(ctx, self.spec.tools)}
        bound = self._bound_model(list(tools.values()))
        system = SystemMessage(render(self.spec.system_prompt, spec=self.spec, caller=ctx.caller))
        messages: list[BaseMessage] = [system, *self._bounded(history), HumanMessage(masked)]
        calls: list[dict[str, Any]] = []
        for _ in range(self.spec.limits.max_steps):
            started = time.perf_counter()
            try:
                reply = bound.invoke(messages)
            except Exception as exc:  # provider errors: connection refused, auth, rate limit
                raise AgentRunError(_provider_error(exc)) from exc
            assert isinstance(reply, AIMessage)
            messages.append(reply)
            trace.steps.append(Step("model", _summary(reply), round(time.perf_counter() - started, 4)))
            if not reply.tool_calls:
                return self._finish(reply, ctx, calls, trace, [*history, HumanMessage(masked), reply], vault)
            step = Step("tool", ", ".join(c["name"] for c in reply.tool_calls))
            for call in reply.tool_calls:
                args = vault.unmask_args(call["args"])
                calls.append({"name": call["name"], "args": call["args"]})
                record = self._call_tool(tools, call["name"], args)
                record.args = call["args"]  # the trace keeps the masked arguments, never the real PII
                # Tool results can carry PII too (a ticket's phone number): mask it for the model and the trace.
                record.result = vault.mask(record.result).text
                step.tool_calls.append(record)
                content = record.result if not record.error else record.error
                messages.append(ToolMessage(content, tool_call_id=call["id"], name=call["name"]))
            trace.steps.append(step)
        raise AgentRunError(
            f"agent {self.spec.id!r} used its {self.spec.limits.max_steps} steps without answering; "
            "raise limits.max_steps in its spec or simplify the question"
        )

    def _call_tool(self, tools: dict[str, BaseTool], name: str, args: dict[str, Any]) -> ToolCallRecord:
        started = time.perf_counter()
        tool = tools.get(name)
        if tool is None:
            error = f"工具 {name!r} 不存在；可用工具：{', '.join(tools)}。请只调用可用工具。"
            return ToolCallRecord(name, args, "", error, 0.0)
        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        try:
            future = pool.submit(tool.invoke, args)
            result = str(future.result(timeout=self.spec.limits.tool_timeout_s))
            return ToolCallRecord(name, args, _neutralized(result), "", _elapsed(started))
        except concurrent.futures.TimeoutError:
            error = f"工具 {name} 超时（{self.spec.limits.tool_timeout_s:g} 秒）。请换一种方式或稍后再试。"
        except (ToolInputError, ValidationError, ValueError, TypeError) as exc:
            error = f"工具 {name} 参数有误：{exc}。请修正参数后重试。"
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return ToolCallRecord(name, args, "", json.dumps({"error": error}, ensure_ascii=False), _elapsed(started))

    def _finish(
        self,
        reply: AIMessage,
        ctx: RunContext,
        calls: list[dict[str, Any]],
        trace: Trace,
        history: list[BaseMessage],
        vault: PiiVault,
    ) -> AgentResult:
        answer = vault.unmask(str(reply.content))
        if self.lexicon is not None:
            answer = self.lexicon.mask(answer)
        refused = bool(reply.additional_kwargs.get("refused", False))
        citations = reply.additional_kwargs.get("citations")
        if citations is None:  # a real LLM: cite the retrieved passages its answer names
            citations = _cited_evidence(answer, ctx)
        citations = list({(c["doc_id"], c["heading"], c["quote"]): c for c in citations}.values())
        if self.spec.require_evidence and not refused and ctx.searches and not ctx.evidence:
            answer, refused = self.spec.refusal, True
        return AgentResult(answer, citations, calls, refused, trace, history)

    def _bounded(self, history: list[BaseMessage]) -> list[BaseMessage]:
        """The most recent whole turns of history that fit the token budget."""
        counter = get_token_counter()
        kept: list[BaseMessage] = []
        budget = self.spec.limits.max_history_tokens
        for message in reversed([m for m in history if isinstance(m, HumanMessage | AIMessage)]):
            if isinstance(message, AIMessage) and message.tool_calls:
                continue
            budget -= counter.count(str(message.content))
            if budget < 0:
                break
            kept.append(message)
        kept.reverse()
        while kept and not isinstance(kept[0], HumanMessage):
            kept.pop(0)
        return kept


@lru_cache(maxsize=4096)
def _neutralize_cached(text: str) -> str:
    # The same passages come back for many questions; neutralising one is a pure function of its text.
    return neutralize(text)


def _neutralized(result: str) -> str:
    """Defang instruction-like text inside a tool result, keeping JSON results valid JSON."""
    try:
        data = json.loads(result)
    except ValueError:
        return _neutralize_cached(result)
    return json.dumps(_neutralize_values(data), ensure_ascii=False)


def _neutralize_values(value: Any) -> Any:
    if isinstance(value, str):
        return _neutralize_cached(value)
    if isinstance(value, list):
        return [_neutralize_values(v) for v in value]
    if isinstance(value, dict):
        return {k: _neutralize_values(v) for k, v in value.items()}
    return value


def _cited_evidence(answer: str, ctx: RunContext) -> list[dict[str, str]]:
    cited = [hit for hit in ctx.evidence if f"《{hit.title}》" in answer] or ctx.evidence[:3]
    return [{"doc_id": h.doc_id, "title": h.title, "heading": h.heading, "quote": h.text[:200]} for h in cited]


def _summary(reply: AIMessage) -> str:
    if reply.tool_calls:
        return "tool calls: " + ", ".join(
            f"{c['name']}({json.dumps(c['args'], ensure_ascii=False)})" for c in reply.tool_calls
        )
    return str(reply.content)[:200]


def _elapsed(started: float) -> float:
    return round(time.perf_counter() - started, 4)


def _provider_error(exc: Exception) -> str:
    text = str(exc)
    if "Connection" in type(exc).__name__ or "connect" in text.lower():
        return (
            f"cannot reach the chat model endpoint ({text}); check SHUZHI_LLM_BASE_URL and that the server is running"
        )
    return f"chat model call failed: {type(exc).__name__}: {text}"
