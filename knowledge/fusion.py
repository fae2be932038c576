"""Fusing the dense and lexical rankings into one.

Two methods, chosen by ``bench/retrieval.py`` figures (see README):
- ``rrf``: weighted reciprocal rank fusion, ``Σ w / (k + rank)``; robust to score scales.
- ``score``: weighted sum of per-query normalised scores (cosine as is, BM25 divided by its top score),
  which keeps how *confident* each retriever is — an exact name match gives BM25 a large margin that
  rank-only fusion throws away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Ranking = list[tuple[str, float]]  # (id, raw score), best first


@dataclass(frozen=True)
class FusionOptions:
    method: Literal["rrf", "score"] = "rrf"
    dense_weight: float = 1.0
    lexical_weight: float = 1.0
    rrf_k: int = 60


def reciprocal_rank_fusion(rankings: list[tuple[Ranking, float]], k: int = 60) -> Ranking:
    """Weighted RRF over several rankings given as (ranking, weight)."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: -pair[1])


def score_fusion(dense: Ranking, lexical: Ranking, dense_weight: float, lexical_weight: float) -> Ranking:
    """Weighted sum of cosine similarity and BM25 relative to the query's best BM25 score.

    An item one retriever did not return gets that retriever's lowest returned score: both lists are
    truncated top-n lists, so the item scored at most that.
    """
    top = lexical[0][1] if lexical and lexical[0][1] > 0 else 1.0
    dense_scores = dict(dense)
    lexical_scores = {item: score / top for item, score in lexical}
    dense_floor = dense[-1][1] if dense else 0.0
    lexical_floor = lexical[-1][1] / top if lexical else 0.0
    fused = {
        item: dense_weight * dense_scores.get(item, dense_floor)
        + lexical_weight * lexical_scores.get(item, lexical_floor)
        for item in dense_scores.keys() | lexical_scores.keys()
    }
    return sorted(fused.items(), key=lambda pair: -pair[1])


def fuse(dense: Ranking, lexical: Ranking, options: FusionOptions) -> Ranking:
    if options.method == "score":
        return score_fusion(dense, lexical, options.dense_weight, options.lexical_weight)
    return reciprocal_rank_fusion([(dense, options.dense_weight), (lexical, options.lexical_weight)], options.rrf_k)
