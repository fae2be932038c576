"""The production path: an OpenAI-compatible chat endpoint with tool calls, served here by a loopback fake."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from agents.context import Caller
from agents.guardrails import SensitiveLexicon
from agents.loop import AgentRunError
from app.agent_service import AgentService
from app.settings import Settings
from app.wiring import load_agent_specs
from knowledge import HashingEmbedder, KnowledgeBase

GUIDE = "# 居住证办理办事指南\n\n## 申请材料\n1. 居民身份证原件\n2. 居住证明（租赁合同）\n\n## 办理时限\n承诺5个工作日。\n"
requests: list[dict[str, Any]] = []


def _completion(message: dict[str, Any], finish: str) -> bytes:
    body = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": "fake-qwen",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
    }
    return json.dumps(body, ensure_ascii=False).encode()


class FakeOpenAI(BaseHTTPRequestHandler):
    """First turn: call the first offered tool with the user's question; after a tool result: answer from it."""

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        requests.append(request)
        messages = request["messages"]
        if messages[-1]["role"] == "tool":
            hits = json.loads(messages[-1]["content"]).get("hits", [])
            answer = f"根据《{hits[0]['title']}》：{hits[0]['quote'][:40]}" if hits else "未找到依据"
            payload = _completion({"role": "assistant", "content": answer}, "stop")
        else:
            question = messages[-1]["content"]
            tool = request["tools"][0]["function"]["name"]
            call = {"id": "call_1", "type": "function", "function": {"name": tool, "arguments": json.dumps({"query": question})}}
            payload = _completion({"role": "assistant", "content": None, "tool_calls": [call]}, "tool_calls")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def endpoint() -> Iterator[str]:
    requests.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def _service(tmp_path: Path, base_url: str) -> AgentService:
    settings = Settings(home=tmp_path / "home", llm_provider="openai", llm_base_url=base_url, llm_model="fake-qwen")
    kb = KnowledgeBase(settings.home, HashingEmbedder())
    guide = tmp_path / "居住证办理.md"
    guide.write_text(GUIDE, encoding="utf-8")
    assert kb.ingest([guide], "demo").ok
    return AgentService(settings, kb, load_agent_specs(settings), SensitiveLexicon.default())


def test_openai_compatible_model_calls_tools_and_answers_with_citations(tmp_path: Path, endpoint: str) -> None:
    service = _service(tmp_path, endpoint)
    result = service.ask("citizen-qa", "居住证要带什么材料", Caller("citizen"))

    assert result.tool_calls == [{"name": "kb_search", "args": {"query": "居住证要带什么材料"}}]
    assert result.answer.startswith("根据《居住证办理办事指南》") and not result.refused
    assert result.citations and result.citations[0]["doc_id"] == "居住证办理"
    first = requests[0]
    assert first["model"] == "fake-qwen" and first["messages"][0]["role"] == "system"
    assert [t["function"]["name"] for t in first["tools"]] == ["kb_search"]
    assert "query" in first["tools"][0]["function"]["parameters"]["properties"]


def test_unreachable_endpoint_is_a_clear_error_naming_the_setting(tmp_path: Path) -> None:
    service = _service(tmp_path, "http://127.0.0.1:9/v1")
    with pytest.raises(AgentRunError, match="SHUZHI_LLM_BASE_URL"):
        service.ask("citizen-qa", "居住证要带什么材料", Caller("citizen"))
