"""Fusing the dense and lexical rankings into one.

Two methods, chosen by ``bench/retrieval.py`` figures (see README):
- ``rrf``: weighted reciprocal rank fusion, ``Σ w / (k + rank)``; robust to score scales.
- ``score`` (default): per document, a weighted sum of normalised scores (dense min-max over the
  candidate documents, BM25 divided by its top score), which keeps how far ahead each retriever's best
  candidates are — an exact name match gives BM25 a margin that rank-only fusion throws away.
"""

from __future__ import annotations

from collections.abc import Callable
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


def document_score_fusion(
    dense: Ranking, lexical: Ranking, document_of: Callable[[str], str], dense_weight: float, lexical_weight: float
) -> Ranking:
    """Fuse per document, then order each document's passages; returns (chunk id, document score).

    A document's dense score is its best passage's (or title's) cosine, min-max normalised between the best
    document and the weakest candidate passage: e5 cosines crowd into a narrow band (0.75–0.90), so raw
    cosine plus a 0–1 BM25 share would let BM25 dominate. Its lexical score is its best BM25 score over the
    query's top score. Fusing documents rather than passages keeps a long document's many passages from
    crowding the candidates. A document one retriever did not return gets 0 from it.
    """
    if not dense and not lexical:
        return []
    dense_doc: dict[str, float] = {}
    for item, score in dense:
        dense_doc.setdefault(document_of(item), score)
    lexical_doc: dict[str, float] = {}
    for item, score in lexical:
        lexical_doc.setdefault(document_of(item), score)
    high = max(dense_doc.values(), default=0.0)
    # The floor is the weakest candidate passage, not the weakest document: in a small knowledge base every
    # document is a candidate, and flooring at the weakest document would zero a relevant one.
    low = min((score for _, score in dense), default=0.0)
    spread = high - low if high > low else 1.0
    top = max(lexical_doc.values(), default=0.0) or 1.0

    def combined(dense_score: float | None, lexical_score: float | None) -> float:
        d = (dense_score - low) / spread if dense_score is not None else 0.0
        return dense_weight * d + lexical_weight * ((lexical_score or 0.0) / top)

    documents = {doc: combined(dense_doc.get(doc), lexical_doc.get(doc)) for doc in dense_doc.keys() | lexical_doc}
    dense_items, lexical_items = dict(dense), dict(lexical)
    passages = {
        item: combined(dense_items.get(item), lexical_items.get(item)) for item in dense_items.keys() | lexical_items
    }
    ordered = sorted(passages, key=lambda item: (-documents[document_of(item)], -passages[item]))
    return [(item, documents[document_of(item)]) for item in ordered]


def fuse(dense: Ranking, lexical: Ranking, options: FusionOptions, document_of: Callable[[str], str]) -> Ranking:
    if options.method == "score":
        return document_score_fusion(dense, lexical, document_of, options.dense_weight, options.lexical_weight)
    return reciprocal_rank_fusion([(dense, options.dense_weight), (lexical, options.lexical_weight)], options.rrf_k)
