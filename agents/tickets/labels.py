"""Label groups for the classifier: names, cue words and example vectors, cached per taxonomy and embedder.

Embedding a taxonomy's ~270 example sentences costs seconds on a CPU, so the vectors are kept in memory
(a few taxonomies per process) and, when the caller passes a ``cache_dir``, in an ``.npz`` file named by
the taxonomy's content hash and the embedder's name, so a new CLI process does not embed them again.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agents.tickets.taxonomy import Taxonomy
from knowledge import Embedder

_MEMORY_SIZE = 8


@dataclass(frozen=True)
class Labels:
    """One label group (诉求类型 or topics): per label its cue words; per example row its owner and vector."""

    names: list[str]
    strong: list[list[str]]  # cue words that name the label outright, double weight
    keywords: list[list[str]]
    texts: list[list[str]]  # description and examples per label
    vectors: np.ndarray
    owner: np.ndarray
    spread: float  # std of cosines between examples of different labels: this embedder's similarity scale


_MEMORY: OrderedDict[tuple[str, str, str], tuple[Labels, Labels]] = OrderedDict()


def label_groups(taxonomy: Taxonomy, embedder: Embedder, cache_dir: Path | None = None) -> tuple[Labels, Labels]:
    """The 诉求类型 and topic label groups of ``taxonomy``, with example vectors from ``embedder``.

    Args:
        taxonomy: the taxonomy.
        embedder: the embedder whose vectors the ticket will be compared with.
        cache_dir: where to keep vectors between processes; None keeps them in memory only.
    """
    embedder_name = getattr(embedder, "name", "")
    key = (taxonomy.fingerprint, type(embedder).__qualname__, embedder_name)
    if key in _MEMORY:
        _MEMORY.move_to_end(key)
        return _MEMORY[key]
    types = (
        [t.name for t in taxonomy.types],
        [t.strong_keywords for t in taxonomy.types],
        [t.keywords for t in taxonomy.types],
        [[t.description, *t.examples] for t in taxonomy.types],
    )
    leaves = taxonomy.leaves()
    no_strong: list[list[str]] = [[] for _ in leaves]
    topics = (
        [f"{c.name}>{t.name}" for c, t in leaves],
        no_strong,
        # An urgency phrase (窨井盖没了, 上吐下泻) is topic evidence too.
        [[*t.keywords, *(t.urgent.keywords if t.urgent else [])] for _, t in leaves],
        [[t.description, *t.examples] for _, t in leaves],
    )
    texts = [text for group in (types[3], topics[3]) for label in group for text in label]
    file = _cache_file(cache_dir, key) if cache_dir is not None else None
    vectors = _load(file, len(texts)) if file is not None else None
    if vectors is None:
        # Examples are short utterances like the ticket itself, so both sides use the query form (symmetric).
        vectors = np.stack([np.asarray(embedder.embed_query(text), dtype=np.float32) for text in texts])
        if file is not None:
            file.parent.mkdir(parents=True, exist_ok=True)
            partial = file.with_name(f"{file.stem}.{os.getpid()}.tmp.npy")  # another process may read meanwhile
            np.save(partial, vectors)
            partial.replace(file)
    split = sum(len(label) for label in types[3])
    groups = (_labels(*types, vectors[:split]), _labels(*topics, vectors[split:]))
    _MEMORY[key] = groups
    if len(_MEMORY) > _MEMORY_SIZE:
        _MEMORY.popitem(last=False)
    return groups


def _labels(
    names: list[str], strong: list[list[str]], keywords: list[list[str]], texts: list[list[str]], vectors: np.ndarray
) -> Labels:
    owner = np.array([index for index, group in enumerate(texts) for _ in group], dtype=np.int64)
    between = (vectors @ vectors.T)[owner[:, None] != owner[None, :]]
    spread = float(between.std()) if between.size else 1.0
    return Labels(names, strong, keywords, texts, vectors, owner, max(spread, 1e-6))


def _cache_file(cache_dir: Path, key: tuple[str, str, str]) -> Path:
    embedder = hashlib.sha256(f"{key[1]}:{key[2]}".encode()).hexdigest()[:12]
    return cache_dir / f"ticket-examples-{key[0]}-{embedder}.npy"


def _load(file: Path, rows: int) -> np.ndarray | None:
    """Vectors from the cache file, or None when it is absent or does not fit (then they are re-embedded)."""
    try:
        vectors = np.load(file, allow_pickle=False)
    except (OSError, ValueError):
        return None
    return vectors.astype(np.float32) if vectors.ndim == 2 and len(vectors) == rows else None
