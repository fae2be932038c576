"""The scenario catalog and the case generators: 400 unique cards, reproducible cases, sector-specific content."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.cases import Case, CaseError, load_cases, write_cases
from eval.catalog import CatalogError, build_cards, load_catalog, load_taxonomy, select
from eval.generators import GENERATORS, generate_cases
from eval.scorers import SCORERS

RUNNABLE_TODAY = {"QA", "GD", "PR", "PM", "CD"}
EXTRACTIVE = {"IE", "MN", "WS", "FF", "SM", "TK"}  # the gold is in the source text by the nature of the task


def test_catalog_has_exactly_400_unique_scenarios() -> None:
    cards = load_catalog()
    assert len(cards) == 400
    assert len({c.id for c in cards}) == 400
    assert len({(c.sector_id, c.capability) for c in cards}) == 400


def test_committed_cards_match_the_taxonomy() -> None:
    built = sorted((c.model_dump() for c in build_cards(load_taxonomy())), key=lambda d: d["id"])
    assert built == sorted((c.model_dump() for c in load_catalog()), key=lambda d: d["id"])


def test_card_fields_follow_the_rules() -> None:
    cards = {c.id: c for c in load_catalog()}
    assert cards["FW4-PM"].title == "惠企政策兑现·条件匹配"
    assert cards["FW4-PM"].agent == "policy-match"
    assert cards["ZL1-CD"].agent == "ticket-triage"
    assert cards["BG1-PF"].tools == ["check_document"]
    assert all(c.human_review == (c.capability in {"DR", "WS", "RV", "PL"}) for c in cards.values())
    assert cards["YJ5-KR"].data_class == "敏感"
    assert cards["MS1-QA"].data_class == "公开"


def test_select_by_pattern_domain_and_capability() -> None:
    cards = load_catalog()
    assert [c.id for c in select(cards, ["FW4-PM"])] == ["FW4-PM"]
    assert len(select(cards, ["ZL1-*"])) == 10
    assert len(select(cards, domain="zl", capability="CD")) == 5
    with pytest.raises(CatalogError, match="no scenario matches XX9"):
        select(cards, ["XX9-*"])


def test_every_scenario_is_served_by_an_existing_agent_that_has_the_cards_tools() -> None:
    from agents.spec import BUILTIN_DIR, load_agents
    from agents.tools import TOOL_REGISTRY

    known = load_agents([BUILTIN_DIR], set(TOOL_REGISTRY))
    cards = list(load_catalog())
    assert {c.agent for c in cards} <= set(known)
    assert all(card.tools for card in cards), "every card names the tools that serve it"
    missing = sorted({(c.agent, t) for c in cards for t in c.tools if t not in known[c.agent].tools})
    assert missing == []


def test_every_scenario_gets_three_cases_reproducibly() -> None:
    cards = list(load_catalog())
    cases = generate_cases(cards)
    per = {c.id: 0 for c in cards}
    for case in cases:
        per[case.scenario] += 1
    assert min(per.values()) >= 3, [k for k, v in per.items() if v < 3][:10]
    assert len({c.id for c in cases}) == len(cases)
    sample = select(cards, ["FW2-*", "ZL1-*"])
    assert [c.model_dump() for c in generate_cases(sample)] == [
        c.model_dump() for c in cases if c.scenario in {x.id for x in sample}
    ]
    assert set(GENERATORS) >= RUNNABLE_TODAY
    # Conformance for every registered generator: known scorers, and no gold value handed to the agent in the
    # question, except where the task is to extract or transcribe from the question itself.
    assert {s.name for c in cases for s in c.scorers} <= set(SCORERS)
    leaks = [(c.id, g) for c in cases if c.scenario[-2:] not in EXTRACTIVE for g in c.gold_strings() if g in c.question]
    assert not leaks, leaks[:5]


def test_sector_changes_the_content_not_just_the_id() -> None:
    cards = {c.id: c for c in load_catalog()}
    for pair in (("FW1-GD", "FW2-GD"), ("ZL3-CD", "ZL4-CD"), ("MS1-QA", "MS4-QA")):
        first, second = (generate_cases([cards[i]]) for i in pair)
        assert {c.question for c in first}.isdisjoint({c.question for c in second}), pair


def test_cases_round_trip_through_yaml_and_jsonl(tmp_path: Path) -> None:
    cases = generate_cases(select(load_catalog(), ["FW2-GD", "ZL1-CD"]))
    write_cases(cases, tmp_path / "a.jsonl")
    write_cases(cases[:1], tmp_path / "sub" / "b.yaml")
    with pytest.raises(CaseError, match="duplicate case ids"):
        load_cases(tmp_path)
    (tmp_path / "sub" / "b.yaml").unlink()
    assert load_cases(tmp_path) == cases


def test_case_schema_rejects_unknown_fields_and_missing_question(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "cases:\n- {id: x, scenario: FW1-QA, input: {q: hi}, scorers: [{name: refusal}], provenance: {source: me}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match=r"input\.question"):
        load_cases(tmp_path)
    with pytest.raises(ValueError, match="extra"):
        Case.model_validate(
            {
                "id": "x",
                "scenario": "FW1-QA",
                "input": {"question": "hi"},
                "scorers": [{"name": "r"}],
                "provenance": {"source": "me"},
                "gold": 1,
            }
        )
