"""An upload whose knowledge-base write fails is a clear JSON error (503 busy + Retry-After, 507 no space or
read-only), never a generic 500, and leaves no half-written document; the same upload later completes."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from knowledge import KnowledgeBase, KnowledgeError
from knowledge.locking import WriteLock
from knowledge.manifest import DocumentRecord, Manifest
from tests.test_api_fixtures import ApiHarness, api, api_service  # noqa: F401

KB = "write-failures"


def _files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", (f"{name}.md", f"# {name}（示例）\n\n{name}须到滨江区政务服务中心办理，编码{name}专属。\n".encode(), "text/markdown"))
        for name in names
    ]


@pytest.fixture()
def knowledge(api: ApiHarness) -> Iterator[KnowledgeBase]:  # noqa: F811
    kb: KnowledgeBase = api.app.state.runtime.service.knowledge
    yield kb
    if KB in kb.names():  # the knowledge base is shared by the session's API tests
        kb.remove(KB)


def _assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["message_en"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])  # Chinese for the person at the desk
    assert "Traceback" not in response.text
    return dict(error)


def _whole_documents_only(kb: KnowledgeBase) -> set[str]:
    """The documents of KB, after checking that every vector belongs to a committed document."""
    if KB not in kb.names():
        return set()
    assert kb.vectors.ids(KB) == kb.manifest.chunk_ids(KB)
    return {d.doc_id for d in kb.documents(KB)}


@pytest.mark.parametrize(
    ("failure", "code"),
    [
        (sqlite3.OperationalError("database or disk is full"), "storage_full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "storage_read_only"),
        (OSError(errno.EIO, "Input/output error"), "storage_write_failed"),
    ],
)
def test_a_failed_commit_is_507_and_keeps_only_whole_documents(
    api: ApiHarness,  # noqa: F811
    knowledge: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    code: str,
) -> None:
    replace = Manifest.replace_document

    def failing(self: Manifest, record: DocumentRecord, chunks: list) -> None:  # type: ignore[type-arg]
        if record.doc_id == "乙事项":
            raise failure
        replace(self, record, chunks)

    monkeypatch.setattr(Manifest, "replace_document", failing)
    files = _files("甲事项", "乙事项", "丙事项")
    response = api.client.post(f"/v1/kb/{KB}/documents", files=files, headers=api.headers("admin"))
    _assert_error(response, 507, code)
    assert _whole_documents_only(knowledge) == {"甲事项"}  # committed before the failure, kept whole

    monkeypatch.setattr(Manifest, "replace_document", replace)  # space freed: the same upload completes
    again = api.client.post(f"/v1/kb/{KB}/documents", files=files, headers=api.headers("admin"))
    assert again.status_code == 200 and again.json()["failed"] == []
    assert _whole_documents_only(knowledge) == {"甲事项", "乙事项", "丙事项"}


@pytest.mark.parametrize(
    ("number", "code"), [(errno.ENOSPC, "storage_full"), (errno.EROFS, "storage_read_only")]
)
def test_saving_the_upload_fails_507_and_leaves_no_partial_file(
    api: ApiHarness,  # noqa: F811
    knowledge: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    number: int,
    code: str,
) -> None:
    copy = shutil.copyfileobj
    calls = []

    def failing_copy(source: Any, target: Any, length: int = 0) -> None:
        calls.append(1)
        if len(calls) == 2:  # the second file: the first is already on disk
            target.write(b"partial")
            raise OSError(number, "simulated")
        copy(source, target, length)

    monkeypatch.setattr(shutil, "copyfileobj", failing_copy)
    response = api.client.post(f"/v1/kb/{KB}/documents", files=_files("甲事项", "乙事项"), headers=api.headers("admin"))
    _assert_error(response, 507, code)
    assert not list((api.home / "uploads").rglob("*.md"))
    assert _whole_documents_only(knowledge) == set()


def test_a_busy_write_lock_is_503_with_retry_after_then_the_upload_completes(
    api: ApiHarness,  # noqa: F811
    knowledge: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(knowledge.write_lock, "timeout_s", 0.2)
    other_writer = WriteLock(knowledge.write_lock.path)  # another process's ingest, as far as flock can tell
    files = _files("甲事项", "乙事项")
    with other_writer.held():
        response = api.client.post(f"/v1/kb/{KB}/documents", files=files, headers=api.headers("admin"))
    error = _assert_error(response, 503, "kb_busy")
    assert response.headers["Retry-After"].isdigit() and KB in error["message"]
    assert _whole_documents_only(knowledge) == set()

    again = api.client.post(f"/v1/kb/{KB}/documents", files=files, headers=api.headers("admin"))
    assert again.status_code == 200 and sorted(again.json()["ingested"]) == ["乙事项", "甲事项"]


def test_an_unavailable_vector_store_is_503_not_500(
    api: ApiHarness,  # noqa: F811
    knowledge: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unreachable(*args: object, **kwargs: object) -> None:
        raise KnowledgeError("cannot open the Chroma vector store at http://127.0.0.1:1: connection refused")

    monkeypatch.setattr(knowledge.vectors, "upsert", unreachable)
    response = api.client.post(f"/v1/kb/{KB}/documents", files=_files("甲事项"), headers=api.headers("admin"))
    _assert_error(response, 503, "kb_unavailable")
    assert "Retry-After" in response.headers
    assert _whole_documents_only(knowledge) == set()
