"""Knowledge endpoints: upload → search finds it, failures reported, limits (413/411), safe filenames, delete."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from app.agent_service import AgentService
from app.api.uploads import UploadLimit, safe_filename
from tests.test_api_fixtures import ApiHarness, api, api_service, make_harness  # noqa: F401

GUIDE = "# 滨江区示例图书馆借书证办理指南（示例）\n\n本文件为示例。\n\n## 申请材料\n\n办理借书证须携带居民身份证，押金100元。\n"


def test_uploaded_file_is_found_by_search_then_deleted(api: ApiHarness) -> None:  # noqa: F811
    admin = api.headers("admin")
    files = [
        ("files", ("借书证办理.md", GUIDE.encode(), "text/markdown")),
        ("files", ("broken.pdf", b"%PDF-1.4 not really a pdf", "application/pdf")),
    ]
    response = api.client.post(
        "/v1/kb/upload-test/documents", files=files, data={"access": "internal", "department": "滨江区文化局"}, headers=admin
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["ingested"] == ["借书证办理"] and report["chunks"] >= 1
    assert [f["file"] for f in report["failed"]] == ["broken.pdf"] and report["failed"][0]["reason"]
    documents = api.client.get("/v1/kb/upload-test/documents", headers=api.headers("staff")).json()
    assert documents[0]["access"] == "internal" and documents[0]["department"] == "滨江区文化局"
    assert api.client.get("/v1/kb/upload-test/documents", headers=api.headers("citizen")).json() == []
    body = {"query": "借书证要带什么材料", "kbs": ["upload-test"]}
    hits = api.client.post("/v1/kb/search", json=body, headers=api.headers("staff")).json()["hits"]
    assert hits[0]["doc_id"] == "借书证办理" and "身份证" in hits[0]["text"] and hits[0]["citation"].startswith("《")
    removed = api.client.delete("/v1/kb/upload-test/documents/借书证办理", headers=admin)
    assert removed.json()["removed"] == ["借书证办理"]
    again = api.client.delete("/v1/kb/upload-test/documents/借书证办理", headers=admin)
    assert again.status_code == 404 and again.json()["error"]["code"] == "unknown_document"
    assert api.client.delete("/v1/kb/upload-test", headers=admin).status_code == 200
    assert api.client.get("/v1/kb/upload-test/documents", headers=admin).status_code == 404


def test_re_uploading_an_unchanged_file_is_skipped_and_no_server_path_shows(api: ApiHarness) -> None:  # noqa: F811
    admin = api.headers("admin")
    files = [("files", ("借书证办理.md", GUIDE.encode(), "text/markdown"))]
    first = api.client.post("/v1/kb/reupload/documents", files=files, headers=admin).json()
    second = api.client.post("/v1/kb/reupload/documents", files=files, headers=admin).json()
    assert first["ingested"] == ["借书证办理"] and second["skipped"] == ["借书证办理"] and not second["ingested"]
    body = {"query": "借书证要带什么材料", "kbs": ["reupload"]}
    hits = api.client.post("/v1/kb/search", json=body, headers=admin).json()["hits"]
    assert hits[0]["source"] == "借书证办理.md"  # the name the uploader sent, not the storage folder


def test_path_traversal_filenames_stay_inside_the_upload_folder(api: ApiHarness) -> None:  # noqa: F811
    files = [("files", ("../../../etc/evil.md", GUIDE.encode(), "text/markdown"))]
    response = api.client.post("/v1/kb/traversal/documents", files=files, headers=api.headers("admin"))
    assert response.status_code == 200 and response.json()["ingested"] == ["evil"]
    stored = list((api.home / "uploads").rglob("evil.md"))
    assert len(stored) == 1 and stored[0].is_relative_to(api.home / "uploads" / "traversal")
    assert not (api.home.parent / "etc").exists()
    api.client.delete("/v1/kb/traversal", headers=api.headers("admin"))


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system.ini", "system.ini"),
        ("/abs/path/办事指南.md", "办事指南.md"),
        (".hidden", "hidden"),
        ("a\x00b<c>.txt", "a_b_c_.txt"),
        ("..", "upload"),
        ("", "upload"),
        (None, "upload"),
    ],
)
def test_safe_filename(raw: str | None, safe: str) -> None:
    assert safe_filename(raw) == safe


def test_oversized_upload_is_413_with_a_clear_message(api_service: AgentService, tmp_path: Path) -> None:  # noqa: F811
    small = make_harness(api_service, tmp_path / "small", max_upload_mb=1)
    files = [("files", ("big.md", b"x" * (2 * 1024 * 1024), "text/markdown"))]
    response = small.client.post("/v1/kb/big/documents", files=files, headers=small.headers("admin"))
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large" and "1 MB" in error["message"] and "SHUZHI_MAX_UPLOAD_MB" in error["message_en"]
    assert not (tmp_path / "small" / "uploads").exists()


def test_limit_answers_before_reading_the_body() -> None:
    async def never_read() -> dict[str, Any]:
        raise AssertionError("the body was read")

    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("the app was called")

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    def scope(headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
        return {"type": "http", "method": "POST", "path": "/v1/kb/x/documents", "headers": headers}

    limit = UploadLimit(app, max_mb=1)
    asyncio.run(limit(scope([(b"content-length", str(10**10).encode())]), never_read, send))
    assert sent[0]["status"] == 413
    sent.clear()
    asyncio.run(limit(scope([(b"transfer-encoding", b"chunked")]), never_read, send))
    assert sent[0]["status"] == 411


def test_chunked_upload_without_length_is_411(api: ApiHarness) -> None:  # noqa: F811
    def body() -> Any:
        yield b"--x\r\n"

    headers = {**api.headers("admin"), "content-type": "multipart/form-data; boundary=x"}
    response = api.client.post("/v1/kb/x/documents", headers=headers, content=body())
    assert response.status_code == 411 and response.json()["error"]["code"] == "length_required"


def test_unknown_kb_and_bad_search_bodies(api: ApiHarness) -> None:  # noqa: F811
    staff = api.headers("staff")
    missing = api.client.post("/v1/kb/search", json={"query": "x", "kbs": ["nope"]}, headers=staff)
    assert missing.status_code == 404 and "nope" in missing.json()["error"]["message"]
    bad = api.client.post("/v1/kb/search", json={"query": "x", "kbs": ["demo"], "k": 0}, headers=staff)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "k"
    extra = api.client.post("/v1/kb/search", json={"query": "x", "kbs": ["demo"], "top": 3}, headers=staff)
    assert extra.status_code == 422 and extra.json()["error"]["field"] == "top"
