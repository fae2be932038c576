"""The OpenAI-compatible chat endpoint, driven by the official openai client over real HTTP on loopback."""

from __future__ import annotations

import json

import openai
import pytest

from tests.test_api_fixtures import ApiHarness, LoopbackServer, api, api_service  # noqa: F401

QUESTION = "社保卡丢了要补办，需要带什么材料？"


@pytest.fixture()
def base_url(api: ApiHarness) -> str:  # noqa: F811
    with LoopbackServer(api.app) as url:
        yield url  # type: ignore[misc]


def _client(api: ApiHarness, base_url: str, audience: str = "citizen") -> openai.OpenAI:  # noqa: F811
    return openai.OpenAI(base_url=f"{base_url}/v1", api_key=api.keys[audience], max_retries=0)


def test_openai_client_gets_a_cited_answer(api: ApiHarness, base_url: str) -> None:  # noqa: F811
    completion = _client(api, base_url).chat.completions.create(
        model="service-guide", messages=[{"role": "user", "content": QUESTION}]
    )
    message = completion.choices[0].message
    assert "身份证" in (message.content or "")
    citations = (message.model_extra or {})["citations"]
    assert citations and {c["doc_id"] for c in citations} <= {"社会保障卡补办", "社会保障卡挂失", "江临市社会保障卡管理办法"}
    assert all(c["quote"] for c in citations)
    assert completion.usage is not None and completion.usage.completion_tokens > 0


def test_openai_client_streams_and_the_last_chunk_carries_citations(api: ApiHarness, base_url: str) -> None:  # noqa: F811
    stream = _client(api, base_url).chat.completions.create(
        model="service-guide", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert len(chunks) > 3 and "身份证" in text
    last = chunks[-1].choices[0]
    assert last.finish_reason == "stop"
    assert (last.delta.model_extra or {})["citations"]


def test_stream_ends_with_done_marker(api: ApiHarness) -> None:  # noqa: F811
    body = {"model": "citizen-qa", "messages": [{"role": "user", "content": "今天天气怎么样"}], "stream": True}
    with api.client.stream("POST", "/v1/chat/completions", json=body, headers=api.headers("citizen")) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    final = json.loads(lines[-2].removeprefix("data: "))
    assert final["choices"][0]["delta"]["refused"] is True


def test_models_lists_only_citizen_agents_for_a_citizen(api: ApiHarness, base_url: str) -> None:  # noqa: F811
    citizen = {m.id for m in _client(api, base_url).models.list()}
    staff = {m.id for m in _client(api, base_url, "staff").models.list()}
    assert "citizen-qa" in citizen and "staff-qa" not in citizen
    assert "staff-qa" in staff


def test_citizen_key_cannot_use_a_staff_agent(api: ApiHarness, base_url: str) -> None:  # noqa: F811
    with pytest.raises(openai.PermissionDeniedError) as caught:
        _client(api, base_url).chat.completions.create(
            model="staff-qa", messages=[{"role": "user", "content": "路灯坏了"}]
        )
    assert caught.value.body["code"] == "forbidden"  # type: ignore[index]


def test_multi_turn_history_is_accepted(api: ApiHarness) -> None:  # noqa: F811
    messages = [
        {"role": "system", "content": "ignored: the agent spec owns the system prompt"},
        {"role": "user", "content": "社保卡丢了怎么办"},
        {"role": "assistant", "content": "请先挂失。"},
        {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
    ]
    response = api.client.post(
        "/v1/chat/completions", json={"model": "service-guide", "messages": messages}, headers=api.headers("citizen")
    )
    assert response.status_code == 200, response.text
    assert response.json()["choices"][0]["message"]["content"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"messages": [{"role": "user", "content": "x"}]}, "model"),
        ({"model": "citizen-qa", "messages": []}, "messages"),
        ({"model": "citizen-qa", "messages": [{"role": "robot", "content": "x"}]}, "messages.0.role"),
        ({"model": "citizen-qa", "messages": [{"role": "user", "content": "x"}], "stream": "maybe"}, "stream"),
    ],
)
def test_malformed_bodies_get_422_naming_the_field(api: ApiHarness, body: dict, field: str) -> None:  # noqa: F811
    response = api.client.post("/v1/chat/completions", json=body, headers=api.headers("citizen"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == field and error["code"] == "invalid_request" and "字段" in error["message"]


def test_last_message_must_be_the_users(api: ApiHarness) -> None:  # noqa: F811
    body = {"model": "citizen-qa", "messages": [{"role": "assistant", "content": "您好"}]}
    response = api.client.post("/v1/chat/completions", json=body, headers=api.headers("citizen"))
    assert response.status_code == 422 and response.json()["error"]["message_en"].startswith("the last message")


def test_unknown_agent_is_404_listing_the_known_ones(api: ApiHarness) -> None:  # noqa: F811
    body = {"model": "nobody", "messages": [{"role": "user", "content": "x"}]}
    response = api.client.post("/v1/chat/completions", json=body, headers=api.headers("citizen"))
    assert response.status_code == 404
    assert "citizen-qa" in response.json()["error"]["message"]


def test_overlong_question_and_oversized_body_are_refused(api: ApiHarness) -> None:  # noqa: F811
    long_question = {"model": "citizen-qa", "messages": [{"role": "user", "content": "社保" * 2500}]}
    response = api.client.post("/v1/chat/completions", json=long_question, headers=api.headers("citizen"))
    assert response.status_code == 422 and "4000" in response.json()["error"]["message"]
    huge = {"model": "citizen-qa", "messages": [{"role": "user", "content": "x" * (2 * 1024 * 1024)}]}
    response = api.client.post("/v1/chat/completions", json=huge, headers=api.headers("citizen"))
    assert response.status_code == 413 and response.json()["error"]["code"] == "payload_too_large"
