"""A real `shuzhi serve` killed with SIGKILL in the middle of an API batch upload: after a restart every
document answers, `shuzhi kb verify` finds the stores consistent, and the same upload again completes it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import pytest

from app.keys import KeyStore
from knowledge import HashingEmbedder, KnowledgeBase
from tests.test_crash_safety import _article_query, _ingest_count, _write_corpus

REPO = Path(__file__).resolve().parent.parent
DOCS = 12

# `shuzhi serve` itself, with the embedder slowed per call so that the kill lands between committed documents.
SLOW_SERVE = textwrap.dedent(
    """
    import sys, time
    from knowledge import HashingEmbedder
    _embed = HashingEmbedder.embed_passages
    def _slow(self, texts):
        time.sleep(1.0)  # a wide window between committed documents, even on a loaded machine
        return _embed(self, texts)
    HashingEmbedder.embed_passages = _slow
    from app.cli import main
    sys.argv = ["shuzhi", "serve", "--port", sys.argv[1]]
    main()
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SHUZHI_HOME": str(home),
        "SHUZHI_EMBEDDER": "hashing",
        "SHUZHI_TOKEN_COUNTER": "chars",
        "SHUZHI_LLM_PROVIDER": "offline",
        "SHUZHI_RATE_LIMIT_PER_MINUTE": "0",
    }


def _serve(home: Path, slow: bool) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    script = SLOW_SERVE if slow else "import sys; from app.cli import main; sys.argv[0] = 'shuzhi'; main()"
    args = [str(port)] if slow else ["serve", "--port", str(port)]
    server = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=home.parent,  # no stray .env from the repository
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        assert server.poll() is None, f"the server exited with {server.returncode}"
        assert time.monotonic() < deadline, "the server did not become ready"
        try:
            if httpx.get(f"{url}/readyz", timeout=10).status_code == 200:
                return server, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)


def _upload(url: str, key: str, corpus: Path) -> httpx.Response:
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(corpus.iterdir())]
    return httpx.post(f"{url}/v1/kb/demo/documents", files=files, headers={"Authorization": f"Bearer {key}"}, timeout=600)


def _top_text(url: str, key: str, query: str) -> tuple[str, str]:
    body = {"query": query, "kbs": ["demo"], "k": 1}
    response = httpx.post(f"{url}/v1/kb/search", json=body, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    assert response.status_code == 200, response.text
    hit = response.json()["hits"][0]
    return hit["doc_id"], hit["text"]


@pytest.mark.slow
def test_sigkill_mid_api_upload_keeps_every_document_and_the_same_upload_completes(tmp_path: Path) -> None:
    home, corpus = tmp_path / "home", tmp_path / "corpus"
    _write_corpus(corpus, "v1", DOCS)
    first = KnowledgeBase(home, HashingEmbedder())
    assert first.ingest([corpus], "demo").ok
    first.close()
    key = KeyStore(home / "keys.sqlite").create("admin", name="crash-test")[0]
    before = _ingest_count(home)

    _write_corpus(corpus, "v2", DOCS)
    server, url = _serve(home, slow=True)
    outcome: list[object] = []
    uploader = threading.Thread(target=lambda: outcome.append(_safe_upload(url, key, corpus)))
    uploader.start()
    deadline = time.monotonic() + 180
    try:
        while _ingest_count(home) < before + 2:
            assert server.poll() is None and uploader.is_alive(), f"the upload ended before the kill: {outcome}"
            assert time.monotonic() < deadline, "the upload made no progress"
            time.sleep(0.05)
    finally:
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
    uploader.join(timeout=60)
    assert outcome and isinstance(outcome[0], httpx.TransportError), f"the client saw {outcome}"
    assert before + 2 <= _ingest_count(home) < before + DOCS

    server, url = _serve(home, slow=False)
    try:
        documents = httpx.get(f"{url}/v1/kb/demo/documents", headers={"Authorization": f"Bearer {key}"}).json()
        assert len(documents) == DOCS
        versions = set()
        for document in documents:
            doc_id, text = _top_text(url, key, _article_query(document["title"]))
            assert doc_id == document["doc_id"]
            versions.add("v2" if "v2版" in text else "v1")
        assert versions == {"v1", "v2"}, "some documents switched, the rest still answer from v1"

        _assert_cli_verify_consistent(home)

        again = _upload(url, key, corpus)
        assert again.status_code == 200, again.text
        assert again.json()["failed"] == [] and len(again.json()["ingested"]) + len(again.json()["skipped"]) == DOCS
        for document in documents:
            doc_id, text = _top_text(url, key, _article_query(document["title"]))
            assert doc_id == document["doc_id"] and "v2版" in text
    finally:
        server.terminate()
        server.wait(timeout=60)
    _assert_cli_verify_consistent(home)


def _assert_cli_verify_consistent(home: Path) -> None:
    # In a process of its own: this test process still holds the Chroma system it opened for the first
    # ingest, and embedded Chroma does not see another process's later writes.
    verify = subprocess.run(
        [sys.executable, "-m", "app.cli", "kb", "verify", "--kb", "demo"],
        cwd=home.parent,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "missing vectors 0, orphan vectors 0" in verify.stdout


def _safe_upload(url: str, key: str, corpus: Path) -> object:
    try:
        return _upload(url, key, corpus)
    except httpx.TransportError as exc:
        return exc
