"""Two writers on one knowledge base: the CLI ingests while the API ingests, each in its own process.

Both children wait at a start line after their imports, and their embedder sleeps per document, so the two
batches interleave; afterwards every document of both sets answers and ``verify`` finds nothing to repair.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge import HashingEmbedder, KnowledgeBase
from knowledge.ingest import Ingestor
from knowledge.locking import WriteFailedError, WriteLock, WriteLockTimeout
from knowledge.manifest import DocumentRecord, Manifest

REPO = Path(__file__).resolve().parent.parent
DOCS_PER_WRITER = 6

_SLOW_EMBEDDER = """
import sys, time
from pathlib import Path
from knowledge import HashingEmbedder
_embed = HashingEmbedder.embed_passages
def _slow(self, texts):
    time.sleep(0.15)  # a window per document, so the other writer commits in between
    return _embed(self, texts)
HashingEmbedder.embed_passages = _slow
from knowledge.manifest import Manifest
_replace = Manifest.replace_document
def _slow_commit(self, record, chunks):
    time.sleep(0.1)  # widens the gap between a document's vector upsert and its manifest commit
    return _replace(self, record, chunks)
Manifest.replace_document = _slow_commit
home, corpus, start_line = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
def wait_for_start():
    (start_line.parent / (start_line.name + "." + sys.argv[4])).touch()  # "ready"
    while not start_line.exists():
        time.sleep(0.01)
"""

API_WRITER = _SLOW_EMBEDDER + textwrap.dedent(
    """
    from fastapi.testclient import TestClient
    from app.server import create_app
    from app.settings import Settings

    settings = Settings(home=home, embedder="hashing", token_counter="chars", rate_limit_per_minute=0)
    app = create_app(settings)
    app.state.runtime.service  # build the agents before the start line, not inside the race
    key = app.state.runtime.keys.create("admin", name="writer-api")[0]
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(corpus.iterdir())]
    with TestClient(app) as client:
        wait_for_start()
        response = client.post("/v1/kb/demo/documents", files=files, headers={"Authorization": f"Bearer {key}"})
    body = response.json()
    print(response.status_code, body)
    sys.exit(0 if response.status_code == 200 and not body["failed"] else 1)
    """
)

CLI_WRITER = _SLOW_EMBEDDER + textwrap.dedent(
    """
    from app.cli import main

    wait_for_start()
    sys.argv = ["shuzhi", "kb", "ingest", str(corpus), "--kb", "demo"]
    main()
    """
)


def _write_set(folder: Path, writer: str) -> dict[str, str]:
    """Documents with one distinctive phrase each; returns doc_id → a query only that document answers."""
    folder.mkdir(parents=True)
    queries = {}
    for i in range(DOCS_PER_WRITER):
        doc_id = f"{writer}事项{i:02d}办理须知"
        phrase = f"{writer}窗口第{i}号专属材料清单编码{writer}{i:02d}"
        body = f"{doc_id}（示例）\n\n办理{doc_id}须到滨江区政务服务中心，提交{phrase}，办结时限{i + 3}个工作日。\n"
        (folder / f"{doc_id}.txt").write_text(body, encoding="utf-8")
        queries[doc_id] = phrase
    return queries


def _commit_order(home: Path) -> list[str]:
    with sqlite3.connect(home / "manifest.sqlite", timeout=30) as conn:
        rows = conn.execute("SELECT doc_id FROM history WHERE action = 'ingest' ORDER BY rowid").fetchall()
    return [row[0] for row in rows]


@pytest.mark.slow
def test_cli_and_api_ingesting_at_once_lose_no_document(tmp_path: Path) -> None:
    home, start_line = tmp_path / "home", tmp_path / "start"
    queries = _write_set(tmp_path / "cli-docs", "甲") | _write_set(tmp_path / "api-docs", "乙")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SHUZHI_HOME": str(home),
        "SHUZHI_EMBEDDER": "hashing",
        "SHUZHI_TOKEN_COUNTER": "chars",
    }
    writers = {
        "cli": [CLI_WRITER, tmp_path / "cli-docs"],
        "api": [API_WRITER, tmp_path / "api-docs"],
    }
    children = {
        name: subprocess.Popen(
            [sys.executable, "-c", script, str(home), str(corpus), str(start_line), name],
            cwd=tmp_path,  # no stray .env from the repository
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for name, (script, corpus) in writers.items()
    }
    deadline = time.monotonic() + 180
    while not all((tmp_path / f"start.{name}").exists() for name in children):
        for name, child in children.items():
            assert child.poll() is None, f"{name} writer died before the start line: {child.communicate()[0]!r}"
        assert time.monotonic() < deadline, "the writers did not get ready"
        time.sleep(0.05)
    start_line.touch()
    for name, child in children.items():
        output = child.communicate(timeout=300)[0].decode(errors="replace")
        assert child.returncode == 0, f"{name} writer failed:\n{output}"

    order = _commit_order(home)
    switches = sum(a[0] != b[0] for a, b in itertools.pairwise(order))
    assert switches >= 2, f"the two writers did not overlap, so this run proves nothing: {order}"

    kb = KnowledgeBase(home, HashingEmbedder())
    try:
        assert {d.doc_id for d in kb.documents("demo")} == set(queries)
        for doc_id, phrase in queries.items():
            assert kb.search(phrase, "demo", k=1)[0].doc_id == doc_id
            assert kb.search(phrase, "demo", k=1, mode="dense")[0].doc_id == doc_id
        report = kb.verify("demo")
        assert (report.missing_vectors, report.orphan_vectors, report.query_error) == (0, 0, "")
    finally:
        kb.close()


def _docs(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        text = f"{name}（示例）\n\n{name}在临川区政务服务中心办理，编码{name}专属。\n" + "须提交身份证明材料。" * 40
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _clean(kb: KnowledgeBase, name: str = "demo") -> bool:
    report = kb.verify(name)
    return (report.missing_vectors, report.orphan_vectors, report.query_error) == (0, 0, "")


def test_write_lock_times_out_with_a_clear_error(tmp_path: Path) -> None:
    holder = WriteLock(tmp_path / "write.lock")
    with (
        holder.held(),
        holder.held(),  # re-entrant for its owner
        pytest.raises(WriteLockTimeout, match="另一个进程") as caught,
        WriteLock(holder.path, 0.1).held(),
    ):
        pass
    assert str(holder.path) in str(caught.value)
    with WriteLock(holder.path, 0.1).held():  # released once the owner's outermost block ends
        pass


def test_orphan_sweep_never_deletes_another_writers_uncommitted_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writer B has upserted its vectors and is about to commit when writer A sweeps for orphans."""
    home = tmp_path / "home"
    writer_a, writer_b = KnowledgeBase(home, HashingEmbedder()), KnowledgeBase(home, HashingEmbedder())
    writer_a.ingest([_docs(tmp_path / "seed", ["种子事项"])], "demo")
    b_between_stores, a_swept = threading.Event(), threading.Event()
    replace, sweep = Manifest.replace_document, Ingestor.remove_orphan_vectors

    def paused_commit(self: Manifest, record: DocumentRecord, chunks: list) -> None:  # type: ignore[type-arg]
        if record.doc_id == "乙事项":
            b_between_stores.set()
            a_swept.wait(timeout=2)  # without the lock A sweeps right now; with it A waits for this commit
        replace(self, record, chunks)

    def signalling_sweep(self: Ingestor, kb: str) -> int:
        removed = sweep(self, kb)
        a_swept.set()
        return removed

    monkeypatch.setattr(Manifest, "replace_document", paused_commit)
    monkeypatch.setattr(Ingestor, "remove_orphan_vectors", signalling_sweep)
    thread_b = threading.Thread(target=writer_b.ingest, args=([_docs(tmp_path / "b", ["乙事项"])], "demo"))
    thread_b.start()
    assert b_between_stores.wait(timeout=60)
    assert writer_a.ingest([_docs(tmp_path / "a", ["甲事项"])], "demo").ok
    thread_b.join(timeout=60)
    assert {d.doc_id for d in writer_a.documents("demo")} == {"种子事项", "甲事项", "乙事项"}
    assert _clean(writer_a)
    assert writer_a.search("编码乙事项专属", "demo", k=1, mode="dense")[0].doc_id == "乙事项"
    writer_a.close()
    writer_b.close()


def test_disk_full_mid_batch_is_a_clear_error_and_leaves_no_half_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _docs(tmp_path / "corpus", ["事项一", "事项三", "事项二"])
    kb = KnowledgeBase(tmp_path / "home", HashingEmbedder())
    replace = Manifest.replace_document

    def full_disk(self: Manifest, record: DocumentRecord, chunks: list) -> None:  # type: ignore[type-arg]
        if record.doc_id == "事项三":
            raise sqlite3.OperationalError("database or disk is full")
        replace(self, record, chunks)

    monkeypatch.setattr(Manifest, "replace_document", full_disk)
    with pytest.raises(WriteFailedError, match="磁盘已满") as caught:
        kb.ingest([corpus], "demo")
    assert "事项三" in str(caught.value) and "SHUZHI_HOME" in str(caught.value)
    assert {d.doc_id for d in kb.documents("demo")} == {"事项一"}  # committed before the failure, kept
    assert kb.vectors.ids("demo") == kb.manifest.chunk_ids("demo")  # the failed document's vectors undone
    assert _clean(kb)

    monkeypatch.setattr(Manifest, "replace_document", replace)  # space freed: the same command completes
    report = kb.ingest([corpus], "demo")
    assert report.skipped == ["事项一"] and sorted(report.ingested) == ["事项三", "事项二"]
    assert _clean(kb)
    kb.close()


@pytest.fixture()
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (needs root and mount rights; skipped where containers forbid mounting)."""
    mountpoint = tmp_path / "tmpfs"
    mountpoint.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mountpoint)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode(errors='replace').strip()})")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


# Each step runs in its own process: an embedded Chroma that hit a full disk can hang its process later,
# and files a process keeps open would stop the mount from turning read-only.
STEP = """
import sys
from pathlib import Path
from knowledge import HashingEmbedder, KnowledgeBase, KnowledgeError
home, corpus, kb_name = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
kb = KnowledgeBase(home, HashingEmbedder())
if sys.argv[4] == "repair":
    assert kb.verify(kb_name, repair=True).ok
try:
    report = kb.ingest([corpus], kb_name)
except KnowledgeError as exc:
    sys.exit(f"KnowledgeError: {exc}")
assert report.ok, report.failed
report = kb.verify(kb_name)
assert (report.missing_vectors, report.orphan_vectors, report.query_error) == (0, 0, ""), report
print("documents", len(kb.documents(kb_name)))
"""


def _step(home: Path, corpus: Path, kb: str, mode: str = "ingest") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", STEP, str(home), str(corpus), kb, mode]
    return subprocess.run(command, env=env, cwd=home.parent, capture_output=True, text=True, timeout=240)


@pytest.mark.slow
def test_read_only_then_full_data_directory_on_a_real_tmpfs(tmp_path: Path, tiny_tmpfs: Path) -> None:
    home = tiny_tmpfs / "home"
    assert _step(home, _docs(tmp_path / "first", ["初始事项"]), "demo").returncode == 0

    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    readonly = _step(home, _docs(tmp_path / "second", ["只读时事项"]), "demo")
    assert readonly.returncode == 1 and "KnowledgeError" in readonly.stderr and "SHUZHI_HOME" in readonly.stderr

    subprocess.run(["mount", "-o", "remount,rw", str(tiny_tmpfs)], check=True)
    many = _docs(tmp_path / "many", [f"批量事项{i:03d}" for i in range(60)])
    full = _step(home, many, "demo")
    assert full.returncode == 1 and "KnowledgeError" in full.stderr and "SHUZHI_HOME" in full.stderr, full.stderr

    subprocess.run(["mount", "-o", "remount,size=64m", str(tiny_tmpfs)], check=True)
    resumed = _step(home, many, "demo", "repair")  # verify --repair, then the same ingest again
    assert resumed.returncode == 0, resumed.stderr
    assert "documents 61" in resumed.stdout
