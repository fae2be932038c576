"""Fusing the dense and lexical rankings into one.

Two methods, chosen by ``bench/retrieval.py`` figures (see README):
- ``rrf``: weighted reciprocal rank fusion, ``Σ w / (k + rank)``; robust to score scales.
- ``score`` (default): weighted sum of per-query normalised scores (dense min-max over its candidates,
  BM25 divided by its top score), which keeps how far ahead each retriever's best candidates are — an
  exact name match gives BM25 a margin that rank-only fusion throws away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Ranking = list[tuple[str, float]]  # (id, raw score), best first


@dataclass(frozen=True)
class FusionOptions:
    method: Literal["rrf", "score"] = "score"
    dense_weight: float = 1.0
    lexical_weight: float = 0.2
    rrf_k: int = 60


def reciprocal_rank_fusion(rankings: list[tuple[Ranking, float]], k: int = 60) -> Ranking:
    """Weighted RRF over several rankings given as (ranking, weight)."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: -pair[1])


def score_fusion(dense: Ranking, lexical: Ranking, dense_weight: float, lexical_weight: float) -> Ranking:
    """Weighted sum of min-max normalised cosine and BM25 relative to the query's best BM25 score.

    e5 cosines crowd into a narrow band (0.75–0.90), so raw cosine added to a 0–1 BM25 share lets BM25
    dominate; stretching the dense candidates to 0–1 (best = 1, last candidate = 0) keeps both on one
    scale. An item one retriever did not return gets 0 from it.
    """
    dense_scores: dict[str, float] = {}
    if dense:
        high, low = dense[0][1], dense[-1][1]
        spread = high - low if high > low else 1.0
        dense_scores = {item: (score - low) / spread for item, score in dense}
    top = lexical[0][1] if lexical and lexical[0][1] > 0 else 1.0
    lexical_scores = {item: score / top for item, score in lexical}
    fused = {
        item: dense_weight * dense_scores.get(item, 0.0) + lexical_weight * lexical_scores.get(item, 0.0)
        for item in dense_scores.keys() | lexical_scores.keys()
    }
    return sorted(fused.items(), key=lambda pair: -pair[1])


def fuse(dense: Ranking, lexical: Ranking, options: FusionOptions) -> Ranking:
    if options.method == "score":
        return score_fusion(dense, lexical, options.dense_weight, options.lexical_weight)
    return reciprocal_rank_fusion([(dense, options.dense_weight), (lexical, options.lexical_weight)], options.rrf_k)
