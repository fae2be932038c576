"""Deterministic ticket classification: 诉求类型 and topic, 承办单位, 办理时限, confidence and review flag.

Each label (a 诉求类型, or a leaf topic) gets a score

    score = max cosine(ticket, label description and examples) · scale + weight · keyword evidence

where keyword evidence is 0.5 per distinct keyword found (longest match first, so 「施工噪音」 beats
「噪音」) and 1 per strong keyword (the caller naming the type: 「投诉」「举报」「感谢」), capped at 1.
Cosines are first rescaled to a reference spread (see ``REFERENCE_SPREAD``), then scores become
probabilities by a softmax with a small temperature (e5 cosines of related Chinese sentences sit in
a narrow 0.85–0.95 band, so differences of 0.01 matter). A label's confidence is its
probability; the ticket's confidence is the lower of the type's and the topic's, because a wrong type
gives a wrong 时限 and a wrong topic a wrong 承办单位. Below the taxonomy's ``review_threshold``
(default 0.8, from 规程 六（二）) or when two conflicting types (投诉 and 举报) both carry evidence, the
ticket is flagged for a 派单组长.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from agents.tickets.fields import find_district
from agents.tickets.labels import Labels, label_groups
from agents.tickets.taxonomy import (
    DISTRICT_PLACEHOLDER,
    UNKNOWN_DISTRICT,
    Taxonomy,
    TicketType,
    TimeLimitClass,
    Topic,
)
from knowledge import Embedder

# Cosines mean different things per embedder: between examples of different labels they spread with a
# standard deviation of 0.02 for multilingual-e5-small but 0.065 for the hashing embedder. Similarities are
# rescaled to the e5 spread, so one set of weights and one temperature serve any embedder.
REFERENCE_SPREAD = 0.02
KEYWORD_STEP = 0.5  # evidence per distinct keyword; two keywords saturate
STRONG_PROBABILITY = 0.3  # a conflicting type this likely counts as "strong" even without a keyword


@dataclass(frozen=True)
class Candidate:
    """One scored label: a 诉求类型 name or a topic path 「大类>小类」."""

    name: str
    probability: float
    similarity: float
    keywords: list[str]


@dataclass(frozen=True)
class TicketClassification:
    """The classification of one ticket, with the routing the taxonomy gives for it."""

    ticket_type: str
    topic: list[str]
    unit: str
    co_units: list[str]
    time_limit: TimeLimitClass | None
    due_days: int | None
    time_limit_rule: str
    confidence: float
    type_confidence: float
    topic_confidence: float
    needs_human_review: bool
    review_reasons: list[str]
    district: str | None
    fallback_unit: str
    type_alternatives: list[Candidate] = field(default_factory=list)
    alternatives: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the tools' output)."""
        return asdict(self)


def classify_ticket(
    text: str,
    taxonomy: Taxonomy,
    embedder: Embedder,
    review_threshold: float | None = None,
    cache_dir: Path | None = None,
) -> TicketClassification:
    """Classify a ticket's 诉求类型 and topic and route it by the taxonomy.

    Args:
        text: the ticket (诉求内容) as recorded.
        taxonomy: the city's taxonomy (``load_taxonomy()``).
        embedder: a ``knowledge.Embedder``; example vectors are cached per taxonomy and embedder.
        review_threshold: overrides the taxonomy's ``review_threshold``.
        cache_dir: a directory to keep example vectors between processes (None: memory only).

    Returns:
        Type, topic path, 承办单位, 时限 class and days, confidences, review flag and top-3 alternatives.
    """
    if not text.strip():
        raise ValueError("ticket text is empty; pass the 诉求内容")
    types, topics = label_groups(taxonomy, embedder, cache_dir)
    query = np.asarray(embedder.embed_query(text), dtype=np.float32)
    scoring = taxonomy.scoring
    type_ranked = _rank(text, query, types, scoring.type_keyword_weight, scoring.temperature)
    topic_ranked = _rank(text, query, topics, scoring.keyword_weight, scoring.temperature)
    ticket_type = taxonomy.type_named(type_ranked[0].name)
    category, topic = taxonomy.leaves()[topics.names.index(topic_ranked[0].name)]

    district = find_district(text, taxonomy.districts)
    time_limit, rule = _time_limit(text, ticket_type, topic)
    threshold = taxonomy.review_threshold if review_threshold is None else review_threshold
    type_confidence, topic_confidence = type_ranked[0].probability, topic_ranked[0].probability
    confidence = min(type_confidence, topic_confidence)
    reasons = []
    if confidence < threshold:
        weaker = "诉求类型" if type_confidence < topic_confidence else "主题"
        reasons.append(f"置信度{confidence:.2f}低于复核阈值{threshold:.2f}（{weaker}不确定）")
    reasons += _conflicts(taxonomy, type_ranked)
    if ticket_type.always_review:
        reasons.append(f"「{ticket_type.name}」类来电需人工确认是否构成诉求、是否派单")
    return TicketClassification(
        ticket_type=ticket_type.name,
        topic=[category.name, topic.name],
        unit=_localise(topic.unit, district),
        co_units=[_localise(unit, district) for unit in topic.co_units],
        time_limit=time_limit,
        due_days=taxonomy.time_limits[time_limit].days if time_limit else None,
        time_limit_rule=rule,
        confidence=round(confidence, 4),
        type_confidence=round(type_confidence, 4),
        topic_confidence=round(topic_confidence, 4),
        needs_human_review=bool(reasons),
        review_reasons=reasons,
        district=district,
        fallback_unit=_localise(taxonomy.fallback_unit, district),
        type_alternatives=type_ranked[:3],
        alternatives=topic_ranked[:3],
    )


def _rank(text: str, query: np.ndarray, labels: Labels, weight: float, temperature: float) -> list[Candidate]:
    similarity = labels.vectors @ query
    best = np.full(len(labels.names), -1.0, dtype=np.float32)
    np.maximum.at(best, labels.owner, similarity)
    cues = [[*strong, *words] for strong, words in zip(labels.strong, labels.keywords, strict=True)]
    found = keyword_hits(text, cues)
    evidence = np.array(
        [
            min(1.0, sum(2 * KEYWORD_STEP if word in strong else KEYWORD_STEP for word in hits))
            for hits, strong in zip(found, labels.strong, strict=True)
        ],
        dtype=np.float32,
    )
    scores = best * (REFERENCE_SPREAD / labels.spread) + weight * evidence
    shifted = np.exp((scores - scores.max()) / temperature)
    probabilities = shifted / shifted.sum()
    order = np.argsort(-probabilities, kind="stable")  # ties go to the label listed first in the file
    return [
        Candidate(labels.names[i], round(float(probabilities[i]), 4), round(float(best[i]), 4), found[i]) for i in order
    ]


def keyword_hits(text: str, keywords: list[list[str]]) -> list[list[str]]:
    """Distinct keywords found per label, scanning left to right and preferring the longest keyword at a place.

    Args:
        text: the ticket.
        keywords: one keyword list per label.

    Returns:
        One list of matched keywords per label, in the order of ``keywords``.
    """
    owners: dict[str, list[int]] = {}
    for index, words in enumerate(keywords):
        for word in words:
            owners.setdefault(word, []).append(index)
    by_length = sorted(owners, key=len, reverse=True)
    hits: list[list[str]] = [[] for _ in keywords]
    position = 0
    while position < len(text):
        longest = next((w for w in by_length if text.startswith(w, position)), None)
        if longest is None:
            position += 1
            continue
        for index in owners[longest]:
            if longest not in hits[index]:
                hits[index].append(longest)
        position += len(longest)
    return hits


def _time_limit(text: str, ticket_type: TicketType, topic: Topic) -> tuple[TimeLimitClass | None, str]:
    if ticket_type.time_limit is None:
        return None, f"{ticket_type.name}类诉求不设办理时限，转达承办单位"
    if topic.time_limit == "A":
        return "A", f"「{topic.name}」按规程为A类紧急诉求"
    if topic.urgent is not None:
        hit = next((word for word in topic.urgent.keywords if word in text), None)
        if hit:
            return "A", f"{topic.urgent.note}（命中「{hit}」）"
    return ticket_type.time_limit, f"{ticket_type.name}类诉求为{ticket_type.time_limit}类"


def _conflicts(taxonomy: Taxonomy, ranked: list[Candidate]) -> list[str]:
    """Conflicting type pairs where both types have keyword evidence or a strong probability."""
    by_name = {c.name: c for c in ranked}
    reasons = []
    for first, second in taxonomy.conflicts:
        a, b = by_name[first], by_name[second]
        if all(c.keywords or c.probability >= STRONG_PROBABILITY for c in (a, b)):
            reasons.append(f"诉求类型冲突：{first}与{second}的信号都较强，请人工确定")
    return reasons


def _localise(unit: str, district: str | None) -> str:
    return unit.replace(DISTRICT_PLACEHOLDER, district or UNKNOWN_DISTRICT)
