"""The lexical retriever: jieba tokens scored with BM25 (bm25s).

It finds exact terms that embeddings blur (文号, 条款 numbers, item names) and is the no-model fallback.
The index is derived from token strings stored in the manifest, saved beside it per generation.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

_STOP = frozenset(
    (
        "的 了 和 与 及 或 是 在 对 为 由 把 被 等 之 其 中 上 下 要 我 你 他 她 它 们 吗 呢 吧 啊 呀 么 "
        "什么 怎么 怎样 如何 哪里 哪些 需要 可以 能 会 想 请问 一下 这个 那个 有 没有 办 办理 去"
    ).split()
)
_KEEP = re.compile(r"[\w〔〕]")


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens, lower-cased, without punctuation and function words."""
    tokens = _jieba().lcut_for_search(text.lower())
    return [t for t in tokens if t.strip() and _KEEP.search(t) and t not in _STOP]


class LexicalIndex:
    """BM25 over one knowledge base's chunks."""

    def __init__(self, chunk_ids: list[str], token_lists: list[list[str]]) -> None:
        import bm25s

        self.chunk_ids = chunk_ids
        self._position = {chunk_id: i for i, chunk_id in enumerate(chunk_ids)}
        self._bm25 = bm25s.BM25()
        if chunk_ids:
            # bm25s cannot index a document without tokens; a placeholder keeps positions aligned.
            self._bm25.index([tokens or ["\x00"] for tokens in token_lists], show_progress=False)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        if not self.chunk_ids or not query_tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        vocab = self._bm25.vocab_dict
        known = [t for t in query_tokens if t in vocab]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def search(self, query_tokens: list[str], n: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Top ``n`` (chunk_id, score) with a positive score, restricted to ``allowed`` positions if given."""
        scores = self.scores(query_tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        n = min(n, int(np.count_nonzero(scores > 0)))
        if n <= 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunk_ids[i], float(scores[i])) for i in top]

    def positions(self, chunk_ids: set[str]) -> np.ndarray:
        mask = np.zeros(len(self.chunk_ids), dtype=bool)
        for chunk_id in chunk_ids:
            position = self._position.get(chunk_id)
            if position is not None:
                mask[position] = True
        return mask

    # -- persistence -------------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write atomically: build in a temp dir, then rename into place."""
        partial = directory.with_name(directory.name + f".{os.getpid()}.part")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        if self.chunk_ids:
            self._bm25.save(str(partial))
        (partial / "chunk_ids.json").write_text(json.dumps(self.chunk_ids), encoding="utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        os.replace(partial, directory)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        index = cls([], [])
        index.chunk_ids = json.loads((directory / "chunk_ids.json").read_text(encoding="utf-8"))
        index._position = {chunk_id: i for i, chunk_id in enumerate(index.chunk_ids)}
        if index.chunk_ids:
            index._bm25 = bm25s.BM25.load(str(directory))
        return index
