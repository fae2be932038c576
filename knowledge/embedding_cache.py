"""An LRU cache around any Embedder: repeated texts (intent examples, evidence sentences) embed once.

The offline model embeds each sentence in 30–50 ms on a small CPU, and an evaluation run sees the same
passages and intent examples hundreds of times. Wrapping changes no vector: a cached text returns exactly
what the inner embedder returned for it. ``save``/``load`` keep the cache between runs (an evaluation's
equivalent of an ingested index: a one-time cost per corpus and embedder).
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from knowledge.embedding import Embedder


class CachedEmbedder:
    """``Embedder`` with an in-memory LRU per kind (query/passage), keyed by the exact text."""

    def __init__(self, inner: Embedder, maxsize: int = 50_000) -> None:
        self.inner = inner
        self.name = inner.name  # same vectors, same name: stored indexes stay valid
        self.maxsize = maxsize
        self.hits = 0
        self.misses = 0
        self.loaded = 0  # vectors read by load()
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _get(self, key: tuple[str, str]) -> np.ndarray | None:
        with self._lock:
            vector = self._cache.get(key)
            if vector is not None:
                self._cache.move_to_end(key)
                self.hits += 1
            return vector

    def _put(self, key: tuple[str, str], vector: np.ndarray) -> None:
        with self._lock:
            self.misses += 1
            self._cache[key] = vector
            self._cache.move_to_end(key)
            while len(self._cache) > self.maxsize:
                self._cache.popitem(last=False)

    def embed_query(self, text: str) -> np.ndarray:
        key = ("q", text)
        cached = self._get(key)
        if cached is not None:
            return cached
        vector = self.inner.embed_query(text)
        self._put(key, vector)
        return vector

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        found = {i: self._get(("p", t)) for i, t in enumerate(texts)}
        todo = [i for i, v in found.items() if v is None]
        if todo:
            fresh = self.inner.embed_passages([texts[i] for i in todo])
            for row, i in enumerate(todo):
                found[i] = fresh[row]
                self._put(("p", texts[i]), fresh[row])
        if not texts:
            return self.inner.embed_passages([])
        return np.stack([found[i] for i in range(len(texts))])  # type: ignore[misc]

    @property
    def size(self) -> int:
        return len(self._cache)

    def save(self, path: Path) -> int:
        """Write the cache to ``path`` (``.npz``, atomically); returns the number of vectors written."""
        with self._lock:
            items = list(self._cache.items())
        if not items:
            return 0
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array([json.dumps(key, ensure_ascii=False) for key, _ in items])
        vectors = np.stack([vector for _, vector in items])
        partial = path.with_suffix(".partial.npz")
        np.savez(partial, name=np.array(self.name), keys=keys, vectors=vectors)
        os.replace(partial, path)
        return len(items)

    def load(self, path: Path) -> int:
        """Add vectors saved by :meth:`save` for the same embedder; a missing, foreign or damaged file adds none."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["name"]) != self.name:
                    return 0
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError):
            return 0
        with self._lock:
            for key, vector in zip(keys, vectors, strict=True):
                kind, text = json.loads(str(key))
                self._cache[(kind, text)] = vector
            self.loaded += len(keys)
        return len(keys)


def with_cache(embedder: Embedder, maxsize: int = 50_000) -> Embedder:
    """``embedder`` wrapped in a CachedEmbedder (unchanged if it already is one)."""
    return embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder, maxsize)
