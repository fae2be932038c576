"""The offline default model: deterministic, extractive, honest by construction.

No PyPI wheel ships a small chat model that answers Chinese usefully, so the default "model" is a
LangChain chat model that runs the same tool-calling loop a real LLM would:

1. plan — embed the user's turn with the offline embedder, pick the nearest of the agent's intents
   (each intent lists example utterances and the tool that serves it, and may require a text shape such
   as a pasted 公文, which similarity alone cannot see), fill the tool's arguments from slots (the
   question, a list of materials, a date, a number), and emit the tool call;
2. answer — once the tool results arrive, render the intent's Jinja2 answer template with them. For
   retrieved passages it selects the sentences most similar to the question and cites each one.

Everything it says comes from a tool result; below the evidence threshold it refuses. It never holds
answers keyed to known questions. Its limits: no reasoning across documents, no arithmetic beyond what a
tool computes, no dialogue beyond one tool plan per turn — plug in a real LLM for those (README).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import numpy as np
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, PrivateAttr

from agents.shapes import has_shape
from agents.slots import extract_slots
from agents.spec import Intent
from prompts import render

_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")


# Slots that exist only when the request states them (the question itself always fills the others).
STATED_SLOTS = frozenset({"materials", "date", "number"})
STATED_SLOT_BONUS = 0.02  # per stated slot an intent uses: a tie-breaker between near intents, not an override


class OfflineChatModel(BaseChatModel):
    """Intent → tool call → templated, cited answer; see the module docstring."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    intents: list[Intent]
    embedder: Any  # knowledge.Embedder; Any keeps pydantic from validating a Protocol
    refusal: str = "未找到依据，建议咨询12345政务服务便民热线。"
    # e5 cosine of the best evidence sentence to the question. Calibrated on the sample knowledge base:
    # 20 real questions scored 0.89–0.94, 12 off-topic ones (weather, recipes, films) 0.835–0.876.
    evidence_threshold: float = 0.88
    max_sentences: int = 3

    _example_vectors: dict[str, np.ndarray] = PrivateAttr(default_factory=dict)

    @property
    def _llm_type(self) -> str:
        return "shuzhi-offline"

    @property
    def model_name(self) -> str:
        return f"offline-extractive ({getattr(self.embedder, 'name', 'embedder')})"

    def bind_tools(self, tools: Any, *, tool_choice: str | None = None, **kwargs: Any) -> Any:
        return self.bind(tools=[convert_to_openai_tool(tool) for tool in tools], **kwargs)

    # -- LangChain entry point ---------------------------------------------------------------------
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        allowed = {tool["function"]["name"] for tool in kwargs.get("tools") or []}
        question, results = _current_turn(messages)
        message = self._answer(question, results) if results else self._plan(question, allowed)
        return ChatResult(generations=[ChatGeneration(message=message)])

    # -- planning ----------------------------------------------------------------------------------
    def choose_intent(self, question: str, allowed: set[str]) -> tuple[Intent | None, float]:
        """The intent whose examples are nearest to the question, among intents whose tool is allowed.

        An intent that needs a value the request does not state (a list of materials, a date, a number of
        days) is passed over for the next nearest, rather than calling its tool with an empty argument; an
        intent that uses such a value the request does state gets a small bonus, because the request then
        carries exactly what that intent works on. An intent that declares a text shape (agents/shapes.py:
        a pasted 公文, a drafting request) is passed over the same way when the text lacks that shape,
        because structure tells apart texts that similarity cannot (a request naming the organs and subject
        a pasted document names too). With no intent satisfiable, the nearest one is kept and its tool
        reports the missing argument.
        """
        candidates = [intent for intent in self.intents if intent.tool in allowed]
        if not candidates or not question.strip():
            return None, 0.0
        query = self.embedder.embed_query(question)
        slots = extract_slots(question)
        scored = []
        for intent in candidates:
            similarity = float(np.max(self._examples(intent) @ query))
            stated = {slot[1:] for slot in intent.args.values()} & STATED_SLOTS
            filled = all(slots.get(name) for name in stated)
            shaped = intent.shape is None or has_shape(intent.shape, question)
            bonus = STATED_SLOT_BONUS * len(stated) * filled
            scored.append((filled and shaped, similarity + bonus, similarity, intent))
        usable = [entry for entry in scored if entry[0]] or scored
        _, _, similarity, best = max(usable, key=lambda entry: entry[1])
        return best, similarity

    def _examples(self, intent: Intent) -> np.ndarray:
        if intent.name not in self._example_vectors:
            self._example_vectors[intent.name] = np.stack([self.embedder.embed_query(e) for e in intent.examples])
        return self._example_vectors[intent.name]

    def _plan(self, question: str, allowed: set[str]) -> AIMessage:
        intent, _ = self.choose_intent(question, allowed)
        if intent is None:
            return AIMessage(content=self.refusal, additional_kwargs={"refused": True})
        slots = extract_slots(question)
        args = {argument: slots.get(slot[1:], "") for argument, slot in intent.args.items()}
        call = {"name": intent.tool, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}
        return AIMessage(content="", tool_calls=[call], additional_kwargs={"intent": intent.name})

    # -- answering ---------------------------------------------------------------------------------
    def _answer(self, question: str, results: list[tuple[str, str]]) -> AIMessage:
        tool, content = results[-1]
        intent = next((i for i in self.intents if i.tool == tool), None)
        try:
            data = json.loads(content)
        except ValueError:
            data = None
        if intent is None or not isinstance(data, dict) or data.get("error"):
            return AIMessage(content=self.refusal, additional_kwargs={"refused": True, "citations": []})
        evidence = self.select_evidence(question, data.get("hits", []))
        if "hits" in data and not evidence:
            return AIMessage(content=self.refusal, additional_kwargs={"refused": True, "citations": []})
        if data.get("found") is False:
            return AIMessage(content=self.refusal, additional_kwargs={"refused": True, "citations": []})
        answer = render(intent.answer, question=question, data=data, evidence=evidence)
        citations = [e["citation"] for e in evidence] or list(data.get("citations", []))
        return AIMessage(content=answer, additional_kwargs={"refused": False, "citations": citations})

    def select_evidence(self, question: str, hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Sentences of the retrieved passages most similar to the question, each with its citation."""
        sentences: list[tuple[str, dict[str, Any]]] = []
        for hit in hits:
            for match in _SENTENCE.finditer(hit.get("quote", "")):
                text = re.sub(r"\s*\n\s*", "", match.group()).strip(" \t#*-　")
                if len(text) >= 6 and text != hit.get("title"):  # a bare title says nothing
                    sentences.append((text, hit))
        if not sentences:
            return []
        query = self.embedder.embed_query(question)
        scores = self.embedder.embed_passages([s for s, _ in sentences]) @ query
        order = np.argsort(-scores)
        if float(scores[order[0]]) < self.evidence_threshold:
            return []
        chosen = []
        for index in order[: self.max_sentences]:
            if scores[index] < self.evidence_threshold:
                break
            text, hit = sentences[int(index)]
            citation = {key: hit.get(key, "") for key in ("doc_id", "title", "heading")} | {"quote": text}
            chosen.append({"text": text, "citation": citation, "score": round(float(scores[index]), 4)})
        return chosen


def _current_turn(messages: list[BaseMessage]) -> tuple[str, list[tuple[str, str]]]:
    """The latest user question and the tool results (name, content) that followed it."""
    question = ""
    results: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    for message in messages:
        if isinstance(message, HumanMessage):
            question, results, names = str(message.content), [], {}
        elif isinstance(message, AIMessage):
            names.update({str(call["id"]): call["name"] for call in message.tool_calls if call.get("id")})
        elif isinstance(message, ToolMessage):
            results.append((names.get(message.tool_call_id, message.name or ""), str(message.content)))
    return question, results
