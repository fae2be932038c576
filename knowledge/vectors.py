"""Dense vector storage in Chroma: embedded on disk by default, a Chroma server when configured.

Chroma holds vectors plus the few metadata fields retrieval filters on; chunk text and citations live
in the manifest. Collections are always created without Chroma's default embedding function (it
downloads an ONNX model) and with telemetry off.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from knowledge.errors import KnowledgeError

Where = dict[str, Any]
# Chroma keeps one shared "system" per path in a process-wide cache that it fills without a lock: two
# threads opening the same path at once (the first concurrent requests of a fresh API worker) get a
# half-built system ('RustBindingsAPI' object has no attribute 'bindings', or a KeyError on the path).
_OPEN_LOCK = threading.Lock()


class VectorStore(Protocol):
    """What retrieval needs from a vector database."""

    def upsert(self, kb: str, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, str]]) -> None: ...

    def query(self, kb: str, vector: np.ndarray, n: int, where: Where | None = None) -> list[tuple[str, float]]: ...

    def ids(self, kb: str) -> set[str]: ...

    def delete(self, kb: str, ids: list[str]) -> None: ...

    def drop(self, kb: str) -> None: ...


def collection_name(kb: str) -> str:
    """Chroma accepts only [a-zA-Z0-9._-] names, so Chinese KB names map to a stable hash."""
    return "kb-" + hashlib.sha1(kb.encode("utf-8")).hexdigest()[:20]


class ChromaVectorStore:
    """Cosine-space collections, one per knowledge base."""

    def __init__(self, path: Path | None = None, host: str | None = None, port: int = 8000) -> None:
        self.path = path
        self.host = host
        self.port = port
        self._client: Any = None
        self._collections: dict[str, Any] = {}

    @property
    def client(self) -> Any:
        if self._client is not None:
            return self._client
        with _OPEN_LOCK:
            if self._client is None:
                self._client = self._open()
        return self._client

    def _open(self) -> Any:
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        try:
            if self.host:
                return chromadb.HttpClient(host=self.host, port=self.port, settings=settings)
            assert self.path is not None
            self.path.mkdir(parents=True, exist_ok=True)
            return chromadb.PersistentClient(path=str(self.path), settings=settings)
        except Exception as exc:
            where = f"http://{self.host}:{self.port}" if self.host else str(self.path)
            raise KnowledgeError(
                f"cannot open the Chroma vector store at {where}: {exc}; "
                "check SHUZHI_CHROMA_HOST / SHUZHI_CHROMA_PORT or SHUZHI_HOME"
            ) from exc

    def _collection(self, kb: str) -> Any:
        if kb not in self._collections:
            self._collections[kb] = self.client.get_or_create_collection(
                collection_name(kb),
                embedding_function=None,
                metadata={"hnsw:space": "cosine", "kb": kb},
            )
        return self._collections[kb]

    def upsert(self, kb: str, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, str]]) -> None:
        if not ids:
            return
        collection = self._collection(kb)
        step = 1000  # below Chroma's max batch size on every backend
        for begin in range(0, len(ids), step):
            collection.upsert(
                ids=ids[begin : begin + step],
                embeddings=vectors[begin : begin + step],
                metadatas=metadatas[begin : begin + step],
            )

    def query(self, kb: str, vector: np.ndarray, n: int, where: Where | None = None) -> list[tuple[str, float]]:
        collection = self._collection(kb)
        result = collection.query(query_embeddings=[vector], n_results=n, where=where or None, include=["distances"])
        ids = result["ids"][0]
        distances = result["distances"][0] if result["distances"] else [1.0] * len(ids)
        return [(chunk_id, 1.0 - float(distance)) for chunk_id, distance in zip(ids, distances, strict=True)]

    def ids(self, kb: str) -> set[str]:
        collection = self._collection(kb)
        found: set[str] = set()
        offset, step = 0, 5000
        while True:
            batch = collection.get(include=[], limit=step, offset=offset)["ids"]
            found.update(batch)
            if len(batch) < step:
                return found
            offset += step

    def delete(self, kb: str, ids: list[str]) -> None:
        collection = self._collection(kb)
        for begin in range(0, len(ids), 1000):
            collection.delete(ids=ids[begin : begin + 1000])

    def drop(self, kb: str) -> None:
        self._collections.pop(kb, None)
        with contextlib.suppress(Exception):
            self.client.delete_collection(collection_name(kb))
