"""AgentService: the one object the CLI and the API use to run digital employees."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from langchain_core.messages import BaseMessage

from agents.context import Caller, RunContext
from agents.guardrails import SensitiveLexicon
from agents.loop import AgentResult, AgentRunner
from agents.spec import AgentSpec
from agents.tools.langchain_tools import build_tools
from app.settings import Settings
from app.wiring import (
    build_chat_model,
    build_embedder,
    build_knowledge_base,
    build_lexicon,
    build_tool_config,
    load_agent_specs,
)
from knowledge import KnowledgeBase
from knowledge.embedding_cache import CachedEmbedder, with_cache

MODEL_EMBEDDING_CACHE = 20_000  # sentences; 384 floats each, about 30 MB when full


class UnknownAgentError(LookupError):
    def __init__(self, agent_id: str, known: list[str]) -> None:
        super().__init__(f"unknown agent {agent_id!r}; known: {', '.join(known)}")


class AgentAccessError(PermissionError):
    """A caller asked for an agent that does not serve its audience."""


@dataclass
class AgentService:
    settings: Settings
    knowledge: KnowledgeBase
    specs: dict[str, AgentSpec]
    lexicon: SensitiveLexicon
    _runners: dict[str, AgentRunner] = field(default_factory=dict)
    _model_embedder: CachedEmbedder | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> AgentService:
        # Queries repeat (the same few dozen questions make most of a service desk's traffic) and embedding one
        # is most of a request's CPU, so the service's embedder caches; the offline model shares the cache.
        embedder = with_cache(build_embedder(settings), MODEL_EMBEDDING_CACHE)
        knowledge = build_knowledge_base(settings, embedder)
        return cls(settings, knowledge, load_agent_specs(settings), build_lexicon(settings))

    def spec(self, agent_id: str) -> AgentSpec:
        if agent_id not in self.specs:
            raise UnknownAgentError(agent_id, sorted(self.specs))
        return self.specs[agent_id]

    def visible_to(self, caller: Caller) -> list[AgentSpec]:
        return [s for s in self.specs.values() if caller.audience != "citizen" or s.audience == "citizen"]

    @property
    def model_embedder(self) -> CachedEmbedder:
        """The offline model's embedder, shared by all agents: intent examples and evidence sentences recur
        across questions (the same passages come back), and each costs 30–50 ms to embed on a small CPU."""
        if self._model_embedder is None:
            embedder = self.knowledge.embedder
            if isinstance(embedder, CachedEmbedder):  # the eval harness caches the KB's embedder already
                self._model_embedder = embedder
            else:
                self._model_embedder = CachedEmbedder(embedder, maxsize=MODEL_EMBEDDING_CACHE)
        return self._model_embedder

    def runner(self, agent_id: str) -> AgentRunner:
        if agent_id not in self._runners:
            spec = self.spec(agent_id)
            model = build_chat_model(self.settings, spec, self.model_embedder)
            tools = partial(build_tools, config=build_tool_config(self.settings))
            self._runners[agent_id] = AgentRunner(spec, model, tools, self.lexicon)
        return self._runners[agent_id]

    def ask(
        self, agent_id: str, question: str, caller: Caller, history: list[BaseMessage] | None = None
    ) -> AgentResult:
        """Run one question through an agent on behalf of ``caller`` and log its trace."""
        spec = self.spec(agent_id)
        if spec.audience == "staff" and caller.audience == "citizen":
            raise AgentAccessError(
                f"agent {agent_id!r} ({spec.name}) serves staff only; citizens may use: "
                + ", ".join(s.id for s in self.visible_to(caller))
            )
        ctx = RunContext(caller=caller, knowledge=self.knowledge, kbs=list(spec.knowledge_bases))
        result = self.runner(agent_id).run(question, ctx, history)
        self._log_trace(result, caller)
        return result

    def _log_trace(self, result: AgentResult, caller: Caller) -> None:
        folder = Path(self.settings.home) / "traces"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            line = json.dumps({"caller": caller.__dict__, **result.trace.to_dict()}, ensure_ascii=False)
            day = datetime.now(UTC).strftime("%Y-%m-%d")
            with (folder / f"{day}.jsonl").open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError:
            pass  # a read-only data directory must not stop answers; the audit slice makes this durable
