"""Optional reranking of fused hits with a CrossEncoder from a local model directory (``st`` extra)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from knowledge.documents import Hit
from knowledge.embedding import EmbeddingError


class CrossEncoderReranker:
    """Scores (query, passage) pairs jointly; slower than the retrievers, so it sees only the candidates."""

    def __init__(self, model_path: str) -> None:
        self.model_path = model_path
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import CrossEncoder
            except ImportError as exc:
                raise EmbeddingError("SHUZHI_RERANKER_MODEL_PATH needs the extra: pip install 'shuzhi[st]'") from exc
            try:
                self._model = CrossEncoder(self.model_path, device="cpu", local_files_only=True)
            except Exception as exc:
                raise EmbeddingError(
                    f"cannot load CrossEncoder from {self.model_path!r}: {exc}; "
                    "set SHUZHI_RERANKER_MODEL_PATH to a local model directory or unset it"
                ) from exc
        return self._model

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]:
        if not hits:
            return hits
        scores = self._get().predict([(query, hit.text) for hit in hits])
        rescored = [replace(hit, score=round(float(score), 6)) for hit, score in zip(hits, scores, strict=True)]
        return sorted(rescored, key=lambda hit: -hit.score)
