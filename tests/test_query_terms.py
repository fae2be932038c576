"""Query normalisation: colloquial government-service words searched with their official terms."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from knowledge import HashingEmbedder, KnowledgeBase
from knowledge.errors import KnowledgeError
from knowledge.query_terms import TermMap, TermMapSpec, default_term_map, load_term_map

SHIPPED = Path(__file__).resolve().parents[1] / "knowledge" / "query_terms.yaml"


@pytest.mark.parametrize(
    ("query", "official"),
    [
        ("社保卡丢了怎么办", ["社会保障卡", "补发"]),
        ("公积金怎么取出来", ["住房公积金"]),
        ("身份证过期了去哪换", ["居民身份证"]),
        ("下个月去扯证要预约吗", ["结婚登记"]),
        ("我的驾照扣满分了", ["机动车驾驶证"]),
    ],
)
def test_colloquial_words_gain_their_official_terms(query: str, official: list[str]) -> None:
    expanded = default_term_map().expand(query)
    assert expanded.startswith(query)  # the question itself is kept
    assert all(term in expanded[len(query) :] for term in official)


@pytest.mark.parametrize("query", ["居民身份证补领需要什么材料", "住房公积金提取", "社会保障卡补办"])
def test_a_question_in_official_terms_is_unchanged(query: str) -> None:
    assert default_term_map().expand(query) == query


def test_rewrite_replaces_colloquial_words_in_place() -> None:
    terms = default_term_map()
    assert terms.rewrite("社保卡丢了怎么办") == "社会保障卡补发怎么办"
    assert terms.rewrite("下个月去扯证，要带身份证吗") == "下个月去结婚登记，要带居民身份证吗"
    assert terms.rewrite("住房公积金提取") == "住房公积金提取"


def test_the_longer_colloquial_form_wins_over_a_shorter_one_inside_it() -> None:
    # 社保卡 is the card (社会保障卡), not the insurance (社会保险) that 社保 alone means.
    assert default_term_map().official_terms("社保卡在哪补") == ["社会保障卡"]
    assert default_term_map().official_terms("社保断缴了怎么办") == ["社会保险"]


def test_each_official_term_is_added_once_in_the_order_first_met() -> None:
    terms = TermMap.from_spec(TermMapSpec(terms={"配偶": ["老公", "老婆"], "子女": ["孩子"]}))
    assert terms.official_terms("老婆和孩子，还有老公") == ["配偶", "子女"]


def test_the_shipped_map_is_small_unambiguous_and_maps_no_word_to_itself() -> None:
    spec = TermMapSpec.model_validate(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")))
    pairs = [
        (c, official) for section in (spec.terms, spec.actions) for official, forms in section.items() for c in forms
    ]
    assert 0 < len(pairs) < 300  # general vocabulary, not a list of item names
    colloquial = [c for c, _ in pairs]
    assert len(colloquial) == len(set(colloquial)), "a colloquial word maps to two official terms"
    assert all(c != official for c, official in pairs)


def test_sections_can_be_chosen() -> None:
    assert "补发" not in load_term_map(sections=("terms",)).expand("社保卡丢了")
    assert "补发" in load_term_map(sections=("terms", "actions")).expand("社保卡丢了")


def test_a_malformed_map_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text("terms:\n  社会保障卡: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"terms\.yaml"):
        load_term_map(path)
    path.write_text("synonyms:\n  a: [b]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="synonyms"):
        load_term_map(path)


class RecordingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_query(self, text: str) -> np.ndarray:
        self.queries.append(text)
        return super().embed_query(text)


GUIDE = """社会保障卡补领办事指南

一、受理条件
社会保障卡遗失或损坏的参保人，可申请补领。

二、申请材料
1. 居民身份证原件
"""


def test_retriever_searches_with_the_official_terms_and_can_be_switched_off(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.txt").write_text(GUIDE, encoding="utf-8")
    embedder = RecordingEmbedder()
    kb = KnowledgeBase(tmp_path / "home", embedder)
    try:
        assert kb.ingest([corpus], "demo").ok
        # BM25 alone: 社保卡 shares no token with 社会保障卡, so only the expanded question finds the guide.
        kb.retriever.normalise_queries = False
        assert kb.search("社保卡丢了", "demo", mode="lexical") == []
        kb.retriever.normalise_queries = True
        hits = kb.search("社保卡丢了", "demo", mode="lexical")
        assert [hit.doc_id for hit in hits] == ["guide"]
        kb.search("社保卡丢了", "demo", mode="dense")
        assert embedder.queries[-1] == "社会保障卡补发"  # rewritten in place: no more to encode
    finally:
        kb.close()
