"""The optional LLM judge against a loopback OpenAI-compatible fake: its own column, model and prompt hash."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eval.cases import Case, Provenance, ScorerSpec
from eval.judge import PROMPT_HASH, JudgeConfigError, build_judge
from eval.scorers import RunOutput

prompts: list[str] = []


class FakeJudge(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        prompt = request["messages"][-1]["content"]
        prompts.append(prompt)
        verdict = '{"score": 0.8, "reason": "要点齐全"}' if "20万元" in prompt.split("答复：")[-1] else "无法评审"
        body = {
            "id": "x",
            "object": "chat.completion",
            "created": 0,
            "model": "fake-judge",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": verdict}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
        payload = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def judge_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeJudge)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_judge_scores_parses_and_survives_unparseable_replies(judge_url: str) -> None:
    judge = build_judge(judge_url, "fake-judge", timeout=10)
    case = Case(
        id="c",
        scenario="FW4-QA",
        input={"question": "高企奖励多少"},
        expected={"facts": ["20万元"]},
        scorers=[ScorerSpec(name="refusal")],
        provenance=Provenance(source="test"),
    )
    assert judge(case, RunOutput(answer="首次认定奖励20万元。")) == {"score": 0.8, "reason": "要点齐全"}
    failed = judge(case, RunOutput(answer="不知道"))
    assert failed["score"] is None and "error" in failed
    assert judge.info == {"model": "fake-judge", "base_url": judge_url, "prompt_hash": PROMPT_HASH}
    assert "参考要点" in prompts[0] and "20万元" in prompts[0]


def test_judge_needs_an_endpoint_and_a_model() -> None:
    with pytest.raises(JudgeConfigError, match="--judge-base-url"):
        build_judge("", "qwen")
