"""Deterministic scorers: each returns [0,1] and fails when the output is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.cases import Case, Provenance, ScorerSpec
from eval.compare import compare
from eval.metrics import bootstrap_ci, rollup
from eval.realdata import FUNCTIONS, unit_function
from eval.scorers import RunOutput, score_case
from eval.scorers.normalize import chinese_to_int, contains, normalise, numbers
from eval.scorers.text import set_scores
from knowledge.embedding import HashingEmbedder
from knowledge.embedding_cache import CachedEmbedder


def _case(expected: dict, *scorers: ScorerSpec) -> Case:
    return Case(
        id="c1",
        scenario="FW1-QA",
        input={"question": "问"},
        expected=expected,
        scorers=list(scorers),
        provenance=Provenance(source="test"),
    )


def test_normalise_handles_width_and_chinese_numerals() -> None:
    assert normalise("３个工作日") == normalise("三个工作日") == "3个工作日"
    assert chinese_to_int("一千二百零五") == 1205 and chinese_to_int("十五") == 15 and chinese_to_int("三万") == 30000
    assert normalise("第三条") == "第三条"  # an article number is a name, not a quantity
    assert numbers("奖励二十万元，1,200人") == ["20", "1200"]


def test_key_facts_and_refusal() -> None:
    case = _case(
        {"facts": ["20万元", "3个月"], "refuse": False},
        ScorerSpec(name="key_facts", params={"facts": "facts"}),
        ScorerSpec(name="refusal"),
    )
    good = score_case(case, RunOutput(answer="一次性奖励２０万元，每三个月可提取一次。"))
    half = score_case(case, RunOutput(answer="奖励20万元。"))
    refused = score_case(case, RunOutput(answer="未找到依据，建议咨询12345政务服务便民热线。", refused=True))
    assert good.score == 1.0 and good.passed
    assert half.scorers["key_facts"]["score"] == 0.5
    assert refused.score == 0.0 and refused.abstained and not refused.passed


def test_a_fact_never_matches_inside_a_longer_number() -> None:
    case = _case({"facts": ["5个工作日"]}, ScorerSpec(name="key_facts", params={"facts": "facts"}))
    assert score_case(case, RunOutput(answer="承诺办结时限：15个工作日。")).score == 0.0
    assert score_case(case, RunOutput(answer="即办；其余五个工作日内办结。")).score == 1.0
    assert contains("收费300元，押金30元", "30元") and not contains("收费300元", "30元")
    assert contains("2. 80周岁以上老年人", "80周岁") and contains("1,200元", "1200元")


def test_set_f1_matches_paraphrased_items_one_to_one() -> None:
    p, r, f = set_scores(["本人居民身份证原件1份", "近期2寸照片3张"], ["居民身份证原件", "户口本"])
    assert (p, r, round(f, 3)) == (0.5, 0.5, 0.5)
    assert set_scores([], []) == (1.0, 1.0, 1.0)


def test_classification_gives_partial_credit_per_level() -> None:
    case = _case({"type": "投诉", "topic": ["城市管理", "占道经营"]}, ScorerSpec(name="classification"))
    exact = {"classify_ticket": {"ticket_type": "投诉", "topic": ["城市管理", "占道经营"]}}
    wrong_leaf = {"triage_ticket": {"classification": {"ticket_type": "投诉", "topic": ["城市管理", "市容环卫"]}}}
    wrong_top = {"classify_ticket": {"ticket_type": "咨询", "topic": ["住房", "占道经营"]}}
    assert score_case(case, RunOutput(tool_results=exact)).score == 1.0
    assert round(score_case(case, RunOutput(tool_results=wrong_leaf)).score, 3) == 0.667
    assert score_case(case, RunOutput(tool_results=wrong_top)).score == 0.0  # a leaf under a wrong parent earns nothing


def test_retrieval_and_citation_require_the_passage_to_be_retrieved() -> None:
    case = _case(
        {"doc_ids": ["A"]},
        ScorerSpec(name="recall_at_k", params={"k": 2}),
        ScorerSpec(name="mrr"),
        ScorerSpec(name="citation"),
    )
    evidence = [{"doc_id": "B", "heading": "h"}, {"doc_id": "A", "heading": "第二条"}]
    run = RunOutput(answer="见《A》", evidence=evidence, citations=[{"doc_id": "A", "heading": "第二条"}])
    result = score_case(case, run)
    assert result.scorers["recall_at_k"]["score"] == 1.0 and result.scorers["mrr"]["score"] == 0.5
    assert result.scorers["citation"]["score"] == 1.0
    invented = RunOutput(answer="见《A》", evidence=evidence[:1], citations=[{"doc_id": "A", "heading": "第九条"}])
    assert score_case(case, invented).scorers["citation"]["score"] == 0.0


def test_numeric_faithfulness_pii_and_tool_calls() -> None:
    case = _case(
        {},
        ScorerSpec(name="numeric_faithfulness"),
        ScorerSpec(name="pii_leak"),
        ScorerSpec(name="tool_calls", params={"tools": ["kb_search"], "args": {"query": "社保卡"}}),
    )
    run = RunOutput(
        answer="补贴5000元，30日内办结",
        tool_results={"kb_search": {"hits": [{"quote": "补贴5000元"}]}},
        tool_calls=[{"name": "kb_search", "args": {"query": "社保卡"}}],
    )
    result = score_case(case, run)
    assert result.scorers["numeric_faithfulness"]["score"] == 0.5
    assert result.scorers["numeric_faithfulness"]["unbacked"] == ["30"]
    assert result.scorers["tool_calls"]["score"] == 1.0 and result.scorers["pii_leak"]["score"] == 1.0
    leaky = RunOutput(answer="联系人电话13812345678")
    assert score_case(case, leaky).scorers["pii_leak"]["score"] == 0.0


def test_gongwen_format_scores_a_bad_document_lower() -> None:
    case = _case({}, ScorerSpec(name="gongwen_format"))
    good = "江临市人民政府办公室\n关于开展节前安全检查的通知\n各区人民政府：\n……\n2025年9月1日"
    assert score_case(case, RunOutput(answer=good)).score > score_case(case, RunOutput(answer="随便写写")).score
    drafted = _case({}, ScorerSpec(name="gongwen_format", params={"path": "draft_document.text"}))
    missing = score_case(drafted, RunOutput(answer=good, tool_results={"check_document": {}}))
    assert missing.score == 0.0 and missing.abstained  # no draft produced: nothing to credit


def test_rollups_weight_scenarios_equally_and_compare_finds_regressions() -> None:
    rows = [
        {"id": "A1-QA", "domain": "A", "score": 1.0, "status": "pass"},
        {"id": "A2-QA", "domain": "A", "score": 0.0, "status": "fail"},
    ]
    assert rollup(rows, "domain")["A"]["score"] == 0.5
    low, high = bootstrap_ci([0.0, 1.0, 1.0, 1.0])
    assert 0 <= low < high <= 1
    run = {"config_hash": "x", "git_commit": "y"}
    a = {
        "run": run,
        "overall": {"score": 0.5},
        "scenarios": [{"id": "S", "title": "t", "score": 0.9, "status": "pass"}],
    }
    b = {
        "run": run,
        "overall": {"score": 0.4},
        "scenarios": [{"id": "S", "title": "t", "score": 0.5, "status": "fail"}],
    }
    diff = compare(a, b)
    assert [e["id"] for e in diff["regressed"]] == ["S"] and diff["overall_delta"] == -0.1


def test_embedding_cache_returns_identical_vectors_and_counts_hits() -> None:
    cached = CachedEmbedder(HashingEmbedder())
    first = cached.embed_passages(["社保卡补办", "结婚登记"])
    again = cached.embed_passages(["结婚登记", "社保卡补办"])
    assert (first[0] == again[1]).all() and cached.hits == 2 and cached.misses == 2
    assert (cached.embed_query("护照") == HashingEmbedder().embed_query("护照")).all()


def test_embedding_cache_survives_a_restart_for_the_same_embedder_only(tmp_path: Path) -> None:
    cached = CachedEmbedder(HashingEmbedder())
    vector = cached.embed_query("社保卡补办")
    assert cached.save(tmp_path / "e.npz") == 1
    fresh = CachedEmbedder(HashingEmbedder())
    assert fresh.load(tmp_path / "e.npz") == 1
    assert (fresh.embed_query("社保卡补办") == vector).all() and fresh.hits == 1 and fresh.misses == 0
    other = CachedEmbedder(HashingEmbedder(dim=64))
    other.name = "another-model"
    assert other.load(tmp_path / "e.npz") == 0 and other.load(tmp_path / "missing.npz") == 0


def test_real_data_suite_is_empty_without_the_shared_folder(tmp_path: Path) -> None:
    from eval.realdata import real_cases

    assert real_cases(tmp_path / "absent.jsonl") == ()


@pytest.mark.realdata
def test_real_data_suite_is_holdout_with_provenance() -> None:
    from eval.realdata import real_cases
    from tests.conftest import gd_service_items

    cases = real_cases(gd_service_items())
    assert {c.scenario for c in cases} == {"FW2-QA", "ZL1-CD"} and all(c.split == "holdout" for c in cases)
    assert all("MIT" in c.provenance.licence and c.provenance.source.startswith("gd-service-items") for c in cases)
    assert all(c.expected.get("facts") or c.expected.get("unit") for c in cases)
    routed = [c for c in cases if c.scenario == "ZL1-CD"]
    assert len(routed) == 6 and all(c.expected["unit"] in {u for _, u in FUNCTIONS} for c in routed)


def test_routing_is_scored_by_the_units_function_not_the_provinces_name() -> None:
    assert unit_function("国家税务总局广东省税务局") == "税务局" and unit_function("广东省司法厅") is None
    assert unit_function("广州市住房公积金管理中心") == "住房公积金"
    spec = ScorerSpec(name="exact_match", params={"path": ["first", "t.unit"], "gold": "unit", "match": "contains"})
    case = _case({"unit": "税务局"}, spec)
    assert score_case(case, RunOutput(tool_results={"t": {"unit": "江临市税务局"}})).score == 1.0
    assert score_case(case, RunOutput(tool_results={"t": {"unit": "市交通运输局"}})).score == 0.0
