"""The adversarial suite (tests/adversarial/cases.yaml): injection, internal-document and PII exfiltration,
sensitive-word evasion, oversized/malformed/non-UTF-8 input and upload path traversal; leaks found = 0."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agents.guardrails.normalize import fold_key
from knowledge import KnowledgeBase
from tests.adversarial.runner import Arena, CaseSpec, is_leak, load_cases, run_case

pytestmark = pytest.mark.slow

CASES = load_cases()


@pytest.fixture(scope="module")
def arena(sample_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Arena]:
    built = Arena.build(sample_kb, tmp_path_factory.mktemp("adversarial"))
    yield built
    built.planted.knowledge.close()


def test_the_suite_has_at_least_100_cases_in_every_required_category() -> None:
    categories = {case.category for case in CASES}
    assert len(CASES) >= 100 and len({case.id for case in CASES}) == len(CASES)
    assert {
        "prompt_injection_question",
        "prompt_injection_document",
        "internal_direct",
        "internal_roleplay",
        "internal_doc_id",
        "internal_switch_audience",
        "staff_only_agent",
        "pii_exfiltration",
        "sensitive_evasion",
        "oversized_input",
        "malformed_input",
        "path_traversal_upload",
        "non_utf8_body",
    } <= categories


def _param(case: CaseSpec) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=case.known_issue)] if case.known_issue else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize(
    ("evasion", "word"),
    [("辦假證", "办假证"), ("賭愽網站", "赌博网站"), ("虛開發票", "虚开发票"), ("出售銀行卡", "出售银行卡")],
)
def test_traditional_and_variant_characters_fold_to_the_lexicon_word(evasion: str, word: str) -> None:
    assert fold_key(evasion) == word


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_adversarial_case_leaks_nothing(case: CaseSpec, arena: Arena) -> None:
    findings = run_case(case, arena)
    assert not [f for f in findings if is_leak(f)], "data leaked"
    assert findings == []
