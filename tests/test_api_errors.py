"""Error bodies: every failure is JSON with a code and Chinese/English messages, never a stack trace."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from app.server import create_app
from app.settings import Settings


def _client(tmp_path: Path) -> TestClient:
    app = create_app(Settings(home=tmp_path, embedder="hashing"))

    @app.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail /etc/shuzhi")

    return TestClient(app, raise_server_exceptions=False)


def test_unexpected_error_is_a_plain_500_without_a_stack_trace(tmp_path: Path) -> None:
    response = _client(tmp_path).get("/v1/boom")
    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "internal_error", "message": "服务内部错误，请联系管理员", "message_en": "internal server error"}
    }
    assert "Traceback" not in response.text and "secret" not in response.text


def test_framework_errors_use_the_same_shape(tmp_path: Path) -> None:
    client = _client(tmp_path)
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong_method = client.put("/v1/models")
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["message"] == "不支持该请求方法"
    not_json = client.post("/v1/chat/completions", content=b"{not json", headers={"content-type": "application/json"})
    assert not_json.status_code in (401, 422) and set(not_json.json()["error"]) >= {"code", "message", "message_en"}


def test_failed_requests_are_audited_too(tmp_path: Path) -> None:
    client = _client(tmp_path)
    client.get("/v1/boom")
    client.get("/v1/nothing-here")
    rows = list(client.app.state.runtime.audit.rows())  # type: ignore[attr-defined]
    assert [(r["status"], r["outcome"]) for r in rows] == [(500, "internal_error"), (404, "not_found")]



def test_an_unwritable_audit_log_withholds_responses_with_a_clear_503(tmp_path: Path) -> None:
    client = _client(tmp_path)
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    key, _ = runtime.keys.create("citizen", name="t")

    def broken(entry: object) -> str:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    runtime.audit.append = broken
    response = client.get("/v1/models", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 503 and response.headers["retry-after"] == "30"
    assert response.json()["error"]["code"] == "audit_unavailable"
    assert client.get("/healthz").status_code == 200  # outside /v1 nothing is audited
