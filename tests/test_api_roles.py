"""Every endpoint × every role (and no key): who gets through, who gets 401/403; rate limits answer 429."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute

from app.agent_service import AgentService
from tests.test_api_fixtures import AUDIENCES, ApiHarness, api, api_service, make_harness  # noqa: F401

EVERYONE = set(AUDIENCES)
STAFF = {"staff", "admin"}
EVALUATORS = {"evaluator", "admin"}
BRIEF = {"doc_type": "通知", "issuer": "江临市示例局", "subject": "开展安全检查", "recipients": ["各科室"]}
NOTE = "# 办事须知（示例）\n\n江临市滨江区示例窗口周六上午也可以办理社保卡补办。\n".encode()

# (method, path template, request kwargs, audiences allowed); public probes need no key at all.
MATRIX: list[tuple[str, str, dict[str, Any], set[str]]] = [
    ("GET", "/v1/models", {}, EVERYONE),
    (
        "POST",
        "/v1/chat/completions",
        {"json": {"model": "citizen-qa", "messages": [{"role": "user", "content": "社保卡补办要带什么"}]}},
        EVERYONE,
    ),
    (
        "POST",
        "/v1/chat/completions#staff-agent",
        {"json": {"model": "staff-qa", "messages": [{"role": "user", "content": "滨江区湖滨路路灯不亮"}]}},
        EVERYONE - {"citizen"},
    ),
    ("GET", "/v1/kb", {}, EVERYONE),
    ("GET", "/v1/kb/demo/documents", {}, EVERYONE),
    ("POST", "/v1/kb/search", {"json": {"query": "社保卡补办", "kbs": ["demo"]}}, EVERYONE),
    ("POST", "/v1/kb/roles-{aud}/documents", {"files": {"files": ("note.md", NOTE, "text/markdown")}}, {"admin"}),
    ("DELETE", "/v1/kb/roles-{aud}/documents/note", {}, {"admin"}),
    ("DELETE", "/v1/kb/roles-{aud}", {}, {"admin"}),
    ("GET", "/v1/doc/types", {}, STAFF),
    ("POST", "/v1/doc/draft", {"json": {"brief": BRIEF}}, STAFF),
    ("POST", "/v1/doc/check", {"json": {"text": "江临市示例局关于开展安全检查的通知\n各科室：\n请做好检查。"}}, STAFF),
    ("POST", "/v1/doc/docx", {"json": {"brief": BRIEF}}, STAFF),
    ("POST", "/v1/eval/runs", {"json": {"scenarios": "FW4-PM"}}, EVALUATORS),
    ("GET", "/v1/eval/runs", {}, EVALUATORS),
    ("GET", "/v1/eval/runs/20260101T000000-abcdef", {}, set()),  # unknown run: 404 for evaluators, 403 for others
    ("GET", "/v1/eval/runs/20260101T000000-abcdef/results", {}, set()),
    ("GET", "/v1/eval/runs/20260101T000000-abcdef/report", {}, set()),
]
PUBLIC = {"/healthz", "/readyz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}


def _call(api: ApiHarness, method: str, path: str, kwargs: dict[str, Any], audience: str | None) -> Any:  # noqa: F811
    headers = api.headers(audience) if audience else {}
    url = path.split("#")[0].format(aud=audience or "anon")
    return api.client.request(method, url, headers=headers, **kwargs)


def test_every_api_route_is_in_the_role_matrix(api: ApiHarness) -> None:  # noqa: F811
    covered = {(m, p.split("#")[0]) for m, p, _, _ in MATRIX}
    for route in api.app.routes:
        if not isinstance(route, APIRoute) or route.path in PUBLIC or not route.path.startswith("/v1/"):
            continue
        for method in route.methods:
            templated = {
                (m, p.replace("roles-{aud}", "{kb}").replace("demo", "{kb}").replace("note", "{doc_id}"))
                for m, p in covered
            } | {(m, p.replace("20260101T000000-abcdef", "{run_id}")) for m, p in covered}
            assert (method, route.path) in templated, f"{method} {route.path} has no row in MATRIX"


@pytest.mark.parametrize("audience", [*AUDIENCES, None])
def test_role_matrix(api: ApiHarness, audience: str | None) -> None:  # noqa: F811
    for method, path, kwargs, allowed in MATRIX:
        response = _call(api, method, path, kwargs, audience)
        is_json = response.headers["content-type"].startswith("application/json")
        body = response.json() if is_json else {}
        if audience is None:
            assert response.status_code == 401, (path, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
        elif audience in allowed:
            assert response.status_code in (200, 202), (audience, method, path, response.text)
        elif path.startswith("/v1/eval/runs/2026") and audience in EVALUATORS:
            assert response.status_code == 404 and body["error"]["code"] == "unknown_run", (audience, path)
        else:
            assert response.status_code == 403, (audience, method, path, response.text)
            assert body["error"]["code"] == "forbidden" and body["error"]["message"]


def test_citizen_key_never_sees_internal_documents(api: ApiHarness) -> None:  # noqa: F811
    listing = {aud: api.client.get("/v1/kb/demo/documents", headers=api.headers(aud)).json() for aud in AUDIENCES}
    assert {d["access"] for d in listing["citizen"]} == {"public"}
    assert "internal" in {d["access"] for d in listing["staff"]}
    body = {"query": "窗口人员考核细则", "kbs": ["demo"], "k": 10}
    hits = api.client.post("/v1/kb/search", json=body, headers=api.headers("citizen")).json()["hits"]
    assert hits and all(h["access"] == "public" for h in hits)
    staff = api.client.post("/v1/kb/search", json=body, headers=api.headers("staff")).json()["hits"]
    assert any(h["access"] == "internal" for h in staff)
    summary = {kb["name"]: kb for kb in api.client.get("/v1/kb", headers=api.headers("citizen")).json()}
    assert summary["demo"]["by_access"] == {"public": 3}


def test_health_probes_need_no_key(api: ApiHarness) -> None:  # noqa: F811
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200 and "demo" in ready.json()["knowledge_bases"]


def test_revoked_or_wrong_key_is_401(api: ApiHarness) -> None:  # noqa: F811
    api.app.state.runtime.keys.revoke("test-staff")
    assert api.client.get("/v1/models", headers=api.headers("staff")).status_code == 401
    wrong = api.client.get("/v1/models", headers={"Authorization": "Bearer sz-not-a-key"})
    assert wrong.status_code == 401 and wrong.json()["error"]["message"] == "API 密钥无效或已吊销"


def test_rate_limit_answers_429_with_retry_after(api_service: AgentService, tmp_path: Path) -> None:  # noqa: F811
    limited = make_harness(api_service, tmp_path / "limited", rate_limit_per_minute=6, rate_limit_burst=2)
    statuses = [limited.client.get("/v1/models", headers=limited.headers("citizen")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    refused = limited.client.get("/v1/models", headers=limited.headers("citizen"))
    assert int(refused.headers["retry-after"]) >= 1 and refused.json()["error"]["code"] == "rate_limited"
    # Buckets are per key: another key is not slowed down by the first one.
    assert limited.client.get("/v1/models", headers=limited.headers("staff")).status_code == 200


def test_every_request_is_audited_with_agent_tools_and_evidence(api: ApiHarness) -> None:  # noqa: F811
    question = {"role": "user", "content": "社保卡丢了要补办，需要带什么材料？我的手机13812345678"}
    api.client.post(
        "/v1/chat/completions", json={"model": "service-guide", "messages": [question]}, headers=api.headers("citizen")
    )
    api.client.get("/v1/models")
    audit = api.app.state.runtime.audit
    rows = list(audit.rows())
    chat, anonymous = rows[-2], rows[-1]
    assert chat["key_name"] == "test-citizen" and chat["agent"] == "service-guide" and chat["status"] == 200
    assert chat["tools"] and "社会保障卡补办" in chat["evidence"] and chat["outcome"] == "answered"
    assert "13812345678" not in chat["question_masked"] and chat["model"]
    assert anonymous["status"] == 401 and anonymous["outcome"] == "unauthorized"
    assert audit.verify().ok
