"""专业文书员: citations checked in the knowledge base, fields verbatim, 时限 computed, templates, the agent."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import agents.casework.tools  # noqa: F401  (registers write_casework)
from agents.casework import (
    DOC_TYPES,
    CaseworkError,
    check_citations,
    chinese_number,
    choose_doc_type,
    compose,
    find_citations,
    kb_article_finder,
)
from agents.context import Caller, RunContext
from agents.errors import ToolInputError
from agents.extraction import parse_record
from agents.guardrails import SensitiveLexicon
from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools
from app.agent_service import AgentService
from app.settings import Settings
from app.wiring import load_agent_specs
from knowledge import HashingEmbedder, KnowledgeBase
from prompts import render, template_names

REPO = Path(__file__).resolve().parent.parent
POLICIES = REPO / "data" / "kb" / "policies"
REGULATIONS = [POLICIES / "江临市市容和环境卫生管理条例.md", POLICIES / "江临市行政许可受理工作规定.md"]
PENALTY = (REPO / "data" / "samples" / "WS" / "penalty_notice.txt").read_text(encoding="utf-8")
CORRECTION = json.loads((REPO / "data" / "samples" / "WS" / "correction_notice.json").read_text(encoding="utf-8"))
TODAY = dt.date(2025, 6, 11)


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """The two regulations the casework samples cite (a model-free embedder: lookups go by title and 条 number)."""
    knowledge = KnowledgeBase(tmp_path_factory.mktemp("casework-kb"), HashingEmbedder())
    assert knowledge.ingest(REGULATIONS, "demo").ok
    yield knowledge
    knowledge.close()


def staff_ctx(kb: KnowledgeBase) -> RunContext:
    return RunContext(Caller("staff"), knowledge=kb, kbs=["demo"])


@pytest.mark.parametrize(
    ("number", "text"),
    [(1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (40, "四十"), (105, "一百零五"), (120, "一百二十")],
)
def test_article_numbers_are_written_the_chinese_way(number: int, text: str) -> None:
    assert chinese_number(number) == text


def test_citations_are_found_with_arabic_or_chinese_numbers() -> None:
    assert find_citations("违反《条例》第20条第一款和《办法》第四十条") == [
        ("《条例》第20条第一款", "条例", "第二十条"),
        ("《办法》第四十条", "办法", "第四十条"),
    ]


def test_citations_are_confirmed_from_the_knowledge_base_and_unknown_ones_are_not_invented(kb: KnowledgeBase) -> None:
    finder = kb_article_finder(staff_ctx(kb))
    found, missing_article, missing_doc = check_citations(
        "《江临市市容和环境卫生管理条例》第二十条、《江临市市容和环境卫生管理条例》第九十九条、《江临市道路挖掘管理办法》第十条",
        finder,
    )
    assert found.found and found.quote.startswith("第二十条　沿街商店、餐饮等经营者不得超出门窗和外墙进行店外经营")
    assert not missing_article.found and missing_article.quote == ""
    assert not missing_doc.found and missing_doc.doc_id == ""


def test_a_penalty_notice_copies_the_record_and_computes_the_hearing_dates(kb: KnowledgeBase) -> None:
    record = parse_record(PENALTY)
    doc = compose(record, choose_doc_type(PENALTY, record), kb_article_finder(staff_ctx(kb)), TODAY)
    assert doc.doc_type == "行政处罚告知书" and doc.flags == []
    for name in (*DOC_TYPES["行政处罚告知书"].required, "文书编号", "证件号码", "证据", "联系人", "联系电话"):
        assert record[name] in doc.text, name  # every field exactly as the record has it
    # 3 days from Wed 11 June 2025 end on Saturday 14 June: the 期间 rolls to Monday 16 June.
    assert doc.deadlines["陈述申辩期限"]["date"] == "2025-06-16" and "请于2025年6月16日前向本机关提出" in doc.text
    assert [c.article for c in doc.citations] == ["第二十条", "第四十条"] and all(c.found for c in doc.citations)


def test_a_correction_notice_flags_citations_the_knowledge_base_lacks_and_lists_each_material(
    kb: KnowledgeBase,
) -> None:
    doc = compose(CORRECTION, choose_doc_type("", CORRECTION), kb_article_finder(staff_ctx(kb)), TODAY)
    assert doc.doc_type == "补正告知书" and doc.flags == [] and all(c.found for c in doc.citations)
    wrong = CORRECTION | {"依据": "《江临市行政许可受理工作规定》第十条、《江临市道路挖掘管理办法》第十一条"}
    flagged = compose(wrong, choose_doc_type("", wrong), kb_article_finder(staff_ctx(kb)), TODAY)
    assert "《江临市道路挖掘管理办法》第十一条〔未在知识库中核实〕" in flagged.text
    assert flagged.flags == ["引用的《江临市道路挖掘管理办法》第十一条未在知识库中找到，请核实后再签发"]
    assert "1. 施工期间交通疏解方案" in doc.text and "2. 占用路段平面图（加盖公章）" in doc.text
    # 10 working days from Sun 28 Sep 2025 (a 调休 working day) skip the National Day holiday to 17 Oct.
    assert doc.deadlines["补正期限"]["date"] == "2025-10-17"


def test_missing_required_fields_are_marked_and_flagged_never_filled() -> None:
    record = {
        "文书类型": "责令改正通知书",
        "当事人": "江临市鑫源商行",
        "违法事实": "店外经营",
        "改正期限": "5日内",
        "文书日期": "2025年6月11日",
    }
    doc = compose(record, choose_doc_type("", record), lambda title, article: None, TODAY)
    assert "【待补：违法地点】" in doc.text and "缺少必填字段：违法地点" in doc.flags
    assert doc.deadlines["改正期限"]["date"] == "2025-06-16"
    with pytest.raises(CaseworkError, match="known: 行政处罚告知书"):
        choose_doc_type("", {"文书类型": "判决书"})


def test_every_casework_template_renders() -> None:
    names = template_names("casework")
    assert {DOC_TYPES[n].template for n in DOC_TYPES} == set(names)
    for doc in DOC_TYPES.values():
        fields = dict.fromkeys((*doc.required, *doc.optional), "X")
        deadlines = {limit.name: {"date_cn": "2025年6月16日", "phrase": "3日内"} for limit in doc.limits}
        assert doc.name in render(doc.template, f=fields, d=deadlines)


def test_the_tool_returns_the_document_and_rejects_a_record_without_fields(kb: KnowledgeBase) -> None:
    tool = build_tools(staff_ctx(kb), ["write_casework"], ToolConfig(today=TODAY))[0]
    data = json.loads(tool.invoke({"text": PENALTY}))
    assert data["ready"] and data["document"].startswith("江临市滨江区综合行政执法局\n行政处罚告知书")
    answer = render("answers/casework.j2", data=data, question="", evidence=[])
    assert "已在知识库中核对" in answer and "陈述申辩期限：2025年6月16日" in answer
    with pytest.raises(ToolInputError, match="no fields"):
        tool.invoke({"text": "帮我写个文书"})


def test_the_casework_writer_answers_through_the_agent_service(kb: KnowledgeBase, tmp_path: Path) -> None:
    spec = load_spec(BUILTIN_DIR / "casework_writer.yaml", set(TOOL_REGISTRY))
    service = AgentService(Settings(home=tmp_path), kb, {spec.id: spec}, SensitiveLexicon.default())
    result = service.ask("casework-writer", PENALTY, Caller("staff"))
    assert [c["name"] for c in result.tool_calls] == ["write_casework"] and not result.refused
    assert "行政处罚告知书" in result.answer and "罚款人民币1000元" in result.answer
    assert "《江临市市容和环境卫生管理条例》第四十条：已在知识库中核对" in result.answer
    assert [(c["title"], c["heading"]) for c in result.citations] == [
        ("江临市市容和环境卫生管理条例", "第二十条"),
        ("江临市市容和环境卫生管理条例", "第四十条"),
    ]


@pytest.mark.parametrize("capability", ["FF", "RV", "WS", "MN", "SM", "QC"])
def test_generated_eval_cases_score_full_marks_through_the_agents(
    capability: str, kb: KnowledgeBase, tmp_path: Path
) -> None:
    import eval.generators as generators
    from eval.catalog import load_catalog
    from eval.runner import caller_for, run_output
    from eval.scorers import score_case

    settings = Settings(home=tmp_path)
    service = AgentService(settings, kb, load_agent_specs(settings), SensitiveLexicon.default())
    cards = [c for c in load_catalog() if c.capability == capability]
    first, last = cards[0], cards[-1]
    cases = [generators.GENERATORS[capability](card, generators.GeneratorContext()) for card in (first, last)]
    assert all(len(c) >= 3 for c in cases) and {c.question for c in cases[0]} != {c.question for c in cases[1]}
    for case in cases[0]:
        caller = caller_for(case, service.spec(first.agent).audience)
        scored = score_case(case, run_output(service.ask(first.agent, case.question, caller), caller.audience))
        assert scored.score == 1.0, (case.id, scored.scorers)
