"""KnowledgeBase behaviour: ingest, idempotence, updates, scope filters, removal, bad input.

Mechanics run on the instant HashingEmbedder; retrieval quality is tested in test_retrieval_quality.py
with the real offline model.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.context import Caller
from knowledge import (
    HashingEmbedder,
    IngestOptions,
    KnowledgeBase,
    SearchFilters,
    UnknownKnowledgeBaseError,
)

POLICY = """江临市社会保障卡管理办法

江临市人民政府
江临政发〔2024〕7号

第一章 总则

第一条 为了规范社会保障卡的发放和使用，根据有关规定，制定本办法。

第二条 本办法适用于本市行政区域内社会保障卡的申领、补换和注销。

第二章 补换

第十二条 社会保障卡遗失的，持卡人应当及时挂失，并携带居民身份证原件到任一社保经办网点申请补办。补办费用为每张二十元。
"""

GUIDE = """# 营业执照办理指南

## 一、申请材料
1. 经营者签署的个体工商户登记申请书
2. 经营者身份证明

## 二、办理时限
承诺办结时限为1个工作日。
"""

INTERNAL = """热线工单派发内部规程

第一条 涉及燃气泄漏的工单应当在10分钟内派发至市燃气集团。
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    _write(root / "policies", "社保卡办法.txt", POLICY)
    _write(root / "guides", "营业执照.md", GUIDE)
    return root


@pytest.fixture()
def kb(tmp_path: Path) -> KnowledgeBase:
    knowledge = KnowledgeBase(tmp_path / "home", HashingEmbedder())
    yield knowledge
    knowledge.close()


def test_ingested_passage_comes_back_with_exact_citation_fields(kb: KnowledgeBase, corpus: Path) -> None:
    report = kb.ingest([corpus], "demo")
    assert report.ok and sorted(report.ingested) == ["guides/营业执照", "policies/社保卡办法"]

    hits = kb.search("社保卡丢了怎么补办", "demo", k=3)

    top = hits[0]
    assert top.doc_id == "policies/社保卡办法"
    assert top.title == "江临市社会保障卡管理办法"
    assert "第十二条" in top.heading
    assert top.text == POLICY[top.start : top.end]
    assert top.doc_number == "江临政发〔2024〕7号"
    assert top.access == "public" and top.kb == "demo"
    assert top.citation().startswith("《江临市社会保障卡管理办法》")


def test_reingesting_unchanged_files_is_skipped(kb: KnowledgeBase, corpus: Path) -> None:
    kb.ingest([corpus], "demo")
    again = kb.ingest([corpus], "demo")
    assert again.ingested == [] and sorted(again.skipped) == ["guides/营业执照", "policies/社保卡办法"]
    assert again.embedded_chars == 0


def test_changed_file_replaces_its_old_chunks(kb: KnowledgeBase, corpus: Path) -> None:
    kb.ingest([corpus], "demo")
    guide = corpus / "guides" / "营业执照.md"
    guide.write_text(GUIDE.replace("1个工作日", "即时办结"), encoding="utf-8")

    report = kb.ingest([corpus], "demo")

    assert report.ingested == ["guides/营业执照"] and report.skipped == ["policies/社保卡办法"]
    texts = [h.text for h in kb.search("营业执照 办理时限", "demo", k=5, per_doc=5)]
    assert any("即时办结" in t for t in texts)
    assert not any("1个工作日" in t for t in texts)
    assert kb.verify("demo").ok


def test_unchanged_chunks_are_not_embedded_again(kb: KnowledgeBase, corpus: Path) -> None:
    kb.ingest([corpus], "demo")
    guide = corpus / "guides" / "营业执照.md"
    guide.write_text(GUIDE.replace("1个工作日", "即时办结"), encoding="utf-8")
    report = kb.ingest([corpus], "demo")
    assert 0 < report.embedded_chars < len(GUIDE) * 2


def test_public_caller_never_sees_internal_documents(kb: KnowledgeBase, corpus: Path, tmp_path: Path) -> None:
    kb.ingest([corpus], "demo")
    internal = _write(tmp_path / "internal", "规程.txt", INTERNAL)
    kb.ingest([internal], "demo", IngestOptions(access="internal"))

    exact = "涉及燃气泄漏的工单应当在10分钟内派发至市燃气集团"
    for mode in ("hybrid", "dense", "lexical"):
        public_hits = kb.search(exact, "demo", k=10, mode=mode, per_doc=10)  # type: ignore[arg-type]
        assert all(h.access == "public" for h in public_hits)
    staff_hits = kb.search(exact, "demo", k=3, filters=SearchFilters(clearance="internal"))
    assert staff_hits[0].doc_id == "规程" and staff_hits[0].access == "internal"


def test_dense_post_filtering_returns_what_the_filtered_vector_query_returns(kb: KnowledgeBase, tmp_path: Path) -> None:
    topics = ["社保卡补办", "公积金提取", "结婚登记", "护照申请", "居住证办理", "低保申请", "驾驶证换证", "医保备案"]
    for index, topic in enumerate(topics):
        _write(tmp_path / "public", f"{topic}.txt", f"{topic}办事指南\n\n{topic}需要携带身份证，办理时限{index + 1}个工作日。")
    kb.ingest([tmp_path / "public"], "demo")
    _write(tmp_path / "internal", "内部.txt", INTERNAL)
    kb.ingest([tmp_path / "internal"], "demo", IngestOptions(access="internal"))
    retriever, filters = kb.retriever, SearchFilters()
    state = retriever.state("demo")
    assert state.coverage(filters) >= 0.3  # the post-filter path, not the fallback
    for query in ("补办社保卡带什么", "燃气泄漏工单派发", "办理时限"):
        vector = kb.embedder.embed_query(query)
        expected = kb.vectors.query("demo", vector, 6, filters.where())
        got = retriever._dense("demo", vector, 6, filters, state)
        assert len(got) == len(expected) == 6
        positive = [pair for pair in expected if pair[1] > 0]  # the hashing embedder ties unrelated texts at 0
        assert positive and [pair for pair in got if pair[1] > 0] == positive


def test_scope_holds_even_if_the_vector_store_ignores_its_filter(
    kb: KnowledgeBase, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb.ingest([corpus], "demo")
    kb.ingest([_write(tmp_path / "internal", "规程.txt", INTERNAL)], "demo", IngestOptions(access="internal"))
    unfiltered = kb.vectors.query
    monkeypatch.setattr(kb.vectors, "query", lambda kb_name, vector, n, where=None: unfiltered(kb_name, vector, n))
    monkeypatch.setattr("knowledge.retrieval.MIN_POSTFILTER_COVERAGE", 1.1)  # force the filtered-query path
    hits = kb.search("涉及燃气泄漏的工单应当在10分钟内派发", "demo", k=10, mode="dense", per_doc=10)
    assert hits and all(h.access == "public" for h in hits)


def test_repealed_documents_are_excluded_unless_asked(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "repealed"
    _write(folder, "旧办法.txt", POLICY.replace("二十元", "十元"))
    (folder / "旧办法.meta.yaml").write_text("validity: 已废止\n", encoding="utf-8")
    kb.ingest([folder], "demo")

    assert kb.search("社保卡补办费用", "demo") == []
    hits = kb.search("社保卡补办费用", "demo", filters=SearchFilters(include_repealed=True))
    assert hits and hits[0].validity == "已废止"


def test_department_filter_keeps_only_that_department(kb: KnowledgeBase, corpus: Path) -> None:
    kb.ingest([corpus / "policies"], "demo", IngestOptions(department="市人社局"))
    kb.ingest([corpus / "guides"], "demo", IngestOptions(department="市市场监管局"))
    hits = kb.search("办理", "demo", k=5, filters=SearchFilters(departments=("市市场监管局",)))
    assert hits and {h.department for h in hits} == {"市市场监管局"}


@pytest.mark.parametrize("path", ["post-filter", "filtered-query"])
def test_confidential_documents_stay_in_their_department(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    text = "燃气泄漏应急处置内部联络表\n\n第一条 {who}值班电话为内部号码，燃气泄漏时联系。"
    for name, access, department in [
        ("人社机密", "confidential", "市人社局"),
        ("应急机密", "confidential", "市应急管理局"),
        ("全市机密", "confidential", ""),
        ("人社内部", "internal", "市人社局"),
    ]:
        folder = tmp_path / name
        _write(folder, f"{name}.txt", text.format(who=name))
        kb.ingest([folder], "demo", IngestOptions(access=access, department=department))  # type: ignore[arg-type]
    if path == "filtered-query":
        monkeypatch.setattr("knowledge.retrieval.MIN_POSTFILTER_COVERAGE", 1.1)

    def seen(filters: SearchFilters) -> set[str]:
        return {h.doc_id.split("/")[-1] for h in kb.search("燃气泄漏值班电话", "demo", k=10, filters=filters)}

    emergency = SearchFilters(clearance="confidential", home_department="市应急管理局")
    assert seen(emergency) == {"应急机密", "全市机密", "人社内部"}  # another department's internal doc is fine
    no_department = SearchFilters(clearance="confidential", home_department="")
    assert seen(no_department) == {"全市机密", "人社内部"}
    assert seen(SearchFilters(clearance="confidential")) == {"人社机密", "应急机密", "全市机密", "人社内部"}  # admin


def test_a_caller_is_bounded_by_their_department_unless_admin() -> None:
    assert Caller("staff", "市人社局", "confidential").filters().home_department == "市人社局"
    assert Caller("evaluator", "", "confidential").filters().home_department == ""
    assert Caller("admin", "市人社局", "confidential").filters().home_department is None


def test_removed_document_no_longer_answers(kb: KnowledgeBase, corpus: Path) -> None:
    kb.ingest([corpus], "demo")
    assert kb.remove("demo", ["policies/社保卡办法", "nope"]) == ["policies/社保卡办法"]
    assert all(h.doc_id != "policies/社保卡办法" for h in kb.search("社保卡补办", "demo", k=5))
    assert kb.verify("demo").ok
    kb.remove("demo")
    assert kb.names() == []


def test_unknown_knowledge_base_error_lists_known_ones(kb: KnowledgeBase, corpus: Path) -> None:
    kb.ingest([corpus], "demo")
    with pytest.raises(UnknownKnowledgeBaseError, match="unknown knowledge base 'nope'; known: demo"):
        kb.search("社保卡", "nope")


def test_bad_files_fail_alone_and_the_rest_of_the_batch_ingests(kb: KnowledgeBase, corpus: Path) -> None:
    bad = corpus / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (bad / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (bad / "big.txt").write_text("很长的文字。" * 400, encoding="utf-8")

    report = kb.ingest([corpus, corpus / "missing.txt"], "demo", IngestOptions(max_bytes=2000))

    failed = {Path(path).name: reason for path, reason in report.failed}
    assert set(failed) == {"empty.txt", "binary.txt", "broken.docx", "broken.pdf", "big.txt", "missing.txt"}
    assert all(reason for reason in failed.values())
    assert sorted(report.ingested) == ["guides/营业执照", "policies/社保卡办法"]
    assert kb.search("营业执照", "demo")[0].doc_id == "guides/营业执照"


def test_failed_reingest_keeps_the_previous_version(kb: KnowledgeBase, corpus: Path) -> None:
    kb.ingest([corpus], "demo")
    (corpus / "guides" / "营业执照.md").write_bytes(b"\x00\x01\x02" * 100)
    report = kb.ingest([corpus], "demo")
    assert report.failed
    assert kb.search("营业执照 申请材料", "demo")[0].doc_id == "guides/营业执照"


def test_verify_finds_a_lost_vector_index_and_repair_rebuilds_it_without_reembedding(
    kb: KnowledgeBase, corpus: Path
) -> None:
    kb.ingest([corpus], "demo")
    kb.vectors.drop("demo")  # as if the vector store were wiped or damaged

    found = kb.verify("demo")
    assert not found.ok and found.missing_vectors > 0

    assert kb.verify("demo", repair=True).repaired
    assert kb.verify("demo").ok
    assert kb.search("社会保障卡遗失的应当及时挂失", "demo", mode="dense")[0].doc_id == "policies/社保卡办法"
