"""A real ingest process killed with SIGKILL leaves the knowledge base answering from its previous state,
and running the same ingest again completes the job."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from knowledge import HashingEmbedder, KnowledgeBase

REPO = Path(__file__).resolve().parent.parent

# The child ingests with an embedder slowed down per batch, so that the kill lands mid-batch.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from knowledge import HashingEmbedder, KnowledgeBase

    class SlowEmbedder(HashingEmbedder):
        def embed_passages(self, texts):
            time.sleep(1.0)  # a wide window between committed batches, even on a loaded machine
            return super().embed_passages(texts)

    kb = KnowledgeBase(Path(sys.argv[1]), SlowEmbedder())
    kb.ingest([Path(sys.argv[2])], "demo")
    """
)


def _write_corpus(folder: Path, version: str, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        body = "\n\n".join(
            f"第{n}条 事项{i}的第{n}项规定（{version}版）：申请人应当提交材料{n}，办理时限为{n + i}个工作日。"
            for n in range(1, 30)
        )
        (folder / f"事项{i:02d}.txt").write_text(f"事项{i}办理规定\n\n{body}\n", encoding="utf-8")


def _article_query(title: str) -> str:
    return f"{title.removesuffix('办理规定')}的第3项规定 申请人应当提交材料3"


def _ingest_count(home: Path) -> int:
    with sqlite3.connect(home / "manifest.sqlite", timeout=30) as conn:
        return conn.execute("SELECT COUNT(*) FROM history WHERE version != '' AND action = 'ingest'").fetchone()[0]


def test_sigkill_mid_ingest_keeps_previous_state_and_rerun_completes(tmp_path: Path) -> None:
    home, corpus = tmp_path / "home", tmp_path / "corpus"
    _write_corpus(corpus, "v1", 12)
    first = KnowledgeBase(home, HashingEmbedder())
    assert first.ingest([corpus], "demo").ok
    first.close()
    before = _ingest_count(home)

    _write_corpus(corpus, "v2", 12)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(home), str(corpus)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    deadline = time.monotonic() + 120
    while _ingest_count(home) < before + 2:
        assert child.poll() is None, "the ingest finished before it could be killed"
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    kb = KnowledgeBase(home, HashingEmbedder())
    documents = kb.documents("demo")
    assert len(documents) == 12
    versions = {"v1" if "v1版" in kb.search(_article_query(d.title), "demo", k=1)[0].text else "v2" for d in documents}
    assert versions == {"v1", "v2"}, "some documents switched, the rest still answer from v1"
    for document in documents:
        hit = kb.search(_article_query(document.title), "demo", k=1)[0]
        assert hit.doc_id == document.doc_id

    report = kb.ingest([corpus], "demo")
    assert report.ok and 0 < len(report.ingested) < 12
    assert kb.verify("demo").ok
    for document in kb.documents("demo"):
        assert "v2版" in kb.search(_article_query(document.title), "demo", k=1)[0].text
