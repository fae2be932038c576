"""政策研究员: article comparison, the repeal chain, and research within the caller's clearance."""

from __future__ import annotations

import pytest

from agents.context import Caller, RunContext
from agents.research import DocumentRef, compare_documents, find_document, research_policies, split_articles
from agents.research.tools import compare_by_name
from agents.slots import extract_slots
from knowledge import KnowledgeBase

OLD = """# 示例暂行办法
第一条　为了规范提取行为，制定本暂行办法。
第二条　职工租房的，每次提取间隔不少于6个月。
第三条　本暂行办法由市公积金中心负责解释。
"""
NEW = """# 示例办法
## 第一章　总则
第一条　为了规范提取行为，制定本办法。
第二条　职工租房的，每次提取间隔不少于3个月。
第三条　公积金中心应当推行网上办理。
## 第二章　附则
第四条　本办法由市公积金中心负责解释。
"""


def _ref(title: str, validity: str = "现行有效") -> DocumentRef:
    return DocumentRef("kb", title, title, "", "", validity, "public")


def test_articles_split_at_each_article_and_stop_at_chapter_headings() -> None:
    articles = split_articles(NEW)
    assert [a.label for a in articles] == ["第一条", "第二条", "第三条", "第四条"]
    assert articles[2].text == "公积金中心应当推行网上办理。"  # the 第二章 heading is not part of 第三条
    assert NEW[articles[1].start : articles[1].end].startswith("第二条")


def test_revision_is_aligned_by_content_not_by_number() -> None:
    comparison = compare_documents(_ref("暂行办法", "已废止"), OLD, _ref("办法"), NEW)
    kinds = {(c.old.label if c.old else "", c.new.label if c.new else ""): c.kind for c in comparison.changes}
    assert kinds[("第二条", "第二条")] == "修改"
    assert kinds[("第三条", "第四条")] == "修改"  # renumbered, text nearly the same
    assert kinds[("", "第三条")] == "新增"
    assert comparison.counts() == {"修改": 3, "新增": 1, "删除": 0, "未变": 0}
    period = next(c for c in comparison.changes if c.new and c.new.label == "第二条")
    assert period.edits[0] == ("6", "3")  # the changed figure comes first


def test_an_article_absent_from_the_new_text_is_deleted() -> None:
    comparison = compare_documents(_ref("新"), NEW, _ref("旧"), OLD)
    deleted = [c for c in comparison.changes if c.kind == "删除"]
    assert [c.old.label for c in deleted if c.old] == ["第三条"]


def test_title_slots_come_from_book_title_marks() -> None:
    slots = extract_slots("比较《甲办法》和《乙办法》有什么不同")
    assert (slots["title"], slots["title2"]) == ("甲办法", "乙办法")
    assert extract_slots("公积金提取办法有什么变化")["title"] == "公积金提取办法"


@pytest.mark.slow
def test_research_lists_a_repealed_document_with_the_sentence_that_repealed_it(sample_kb: KnowledgeBase) -> None:
    ctx = RunContext(Caller("staff", clearance="internal"), sample_kb, ["demo"])
    result = research_policies(ctx, "租房提取公积金的间隔和额度")
    titles = [d["title"] for d in result["documents"]]
    repealed = next(d for d in result["documents"] if d["title"] == "江临市住房公积金提取管理暂行办法")
    assert repealed["validity"] == "已废止"
    assert repealed["replaced_by"]["title"] == "江临市住房公积金提取管理办法"
    assert "同时废止" in repealed["replaced_note"]
    assert titles.index("江临市住房公积金提取管理办法") < titles.index("江临市住房公积金提取管理暂行办法")


@pytest.mark.slow
def test_staff_research_reaches_internal_documents_and_citizens_never_do(sample_kb: KnowledgeBase) -> None:
    query = "12345热线工单派发规程"
    staff = research_policies(RunContext(Caller("staff", clearance="internal"), sample_kb, ["demo"]), query)
    assert any(d["access"] == "internal" for d in staff["documents"])
    citizen = RunContext(Caller("citizen", clearance="internal"), sample_kb, ["demo"])  # claimed clearance ignored
    assert all(d["access"] == "public" for d in research_policies(citizen, query)["documents"])
    assert all(hit.access == "public" for hit in citizen.evidence)


@pytest.mark.slow
def test_one_name_is_compared_with_the_document_it_replaced(sample_kb: KnowledgeBase) -> None:
    ctx = RunContext(Caller("staff", clearance="internal"), sample_kb, ["demo"])
    assert find_document(ctx, "《江临市住房公积金提取管理办法》").title == "江临市住房公积金提取管理办法"  # type: ignore[union-attr]
    result = compare_by_name(ctx, "江临市住房公积金提取管理办法")
    assert result["found"]
    assert (result["old"]["validity"], result["new"]["validity"]) == ("已废止", "现行有效")
    assert "同时废止" in result["relation"]
    rent = next(c for c in result["changes"] if "租房提取" in c["new_text"] and c["kind"] == "修改")
    assert {"old": "6", "new": "3"} in rent["edits"]  # 间隔 6个月 → 3个月
    assert result["counts"]["修改"] >= 5


@pytest.mark.slow
def test_unknown_second_document_is_reported_not_guessed(sample_kb: KnowledgeBase) -> None:
    ctx = RunContext(Caller("staff", clearance="internal"), sample_kb, ["demo"])
    other = RunContext(Caller("staff"), None, [])
    assert compare_by_name(other, "任何文件")["found"] is False
    same = compare_by_name(ctx, "江临市住房公积金提取管理办法", "江临市住房公积金提取管理办法")
    assert same["found"] is False and "同一份文件" in same["message"]
