"""One conformance test for the VectorStore seam, run against embedded Chroma and a Chroma server.

The server comes from ``SHUZHI_TEST_CHROMA_PORT`` (CI starts it in ``.ci/run``); otherwise this module
starts ``chroma run`` on a free loopback port itself and stops it at the end of the session.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from knowledge import HashingEmbedder, KnowledgeBase
from knowledge.retrieval import SearchFilters
from knowledge.vectors import ChromaVectorStore, VectorStore

HOST = "127.0.0.1"
DIM = 8

StoreFactory = Callable[[Path], ChromaVectorStore]


def _heartbeat(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/api/v2/heartbeat", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _chroma_cli() -> str | None:
    beside_python = Path(sys.executable).parent / "chroma"
    return str(beside_python) if beside_python.exists() else shutil.which("chroma")


@pytest.fixture(scope="session")
def chroma_server_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Port of a running Chroma server on loopback: CI's, or one started for this session."""
    given = os.environ.get("SHUZHI_TEST_CHROMA_PORT")
    if given:
        port = int(given)
        assert _heartbeat(port), f"SHUZHI_TEST_CHROMA_PORT={port} is set but no Chroma server answers on {HOST}:{port}"
        yield port
        return
    cli = _chroma_cli()
    if cli is None:
        pytest.skip("the `chroma` CLI is not installed (pip install chromadb); server-mode conformance not run")
    folder = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen(
        [cli, "run", "--path", str(folder / "data"), "--host", HOST, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while not _heartbeat(port):
            if server.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "server.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"`chroma run` did not answer a heartbeat on {HOST}:{port}; its log:\n{tail}")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(params=["embedded", "server"])
def make_store(request: pytest.FixtureRequest) -> StoreFactory:
    """A factory of stores of one mode; each test also uses fresh KB names, so a shared server is safe."""
    if request.param == "embedded":
        return lambda home: ChromaVectorStore(path=home / "chroma")
    port = request.getfixturevalue("chroma_server_port")
    return lambda home: ChromaVectorStore(host=HOST, port=port)


def _kb_name(prefix: str = "kb") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def _unit(*hot: int) -> np.ndarray:
    vector = np.full(DIM, 0.01, dtype=np.float32)
    for index in hot:
        vector[index] = 1.0
    return vector / np.linalg.norm(vector)


def _meta(doc_id: str, access: str = "public") -> dict[str, str]:
    return {"doc_id": doc_id, "access": access, "validity": "现行有效", "department": "示例局"}


def _seed(store: VectorStore, kb: str) -> None:
    store.upsert(
        kb,
        ["a-0", "b-0", "c-0"],
        np.stack([_unit(0), _unit(1), _unit(2)]),
        [_meta("a"), _meta("b", "internal"), _meta("c")],
    )


def test_upsert_then_ids_lists_every_id(make_store: StoreFactory, tmp_path: Path) -> None:
    store, kb = make_store(tmp_path), _kb_name()
    assert store.ids(kb) == set()
    _seed(store, kb)
    assert store.ids(kb) == {"a-0", "b-0", "c-0"}


def test_query_ranks_the_nearest_vector_first_with_cosine_similarity(make_store: StoreFactory, tmp_path: Path) -> None:
    store, kb = make_store(tmp_path), _kb_name()
    _seed(store, kb)
    ranking = store.query(kb, _unit(1), n=3)
    assert ranking[0][0] == "b-0"
    assert ranking[0][1] == pytest.approx(1.0, abs=1e-4)
    assert ranking[0][1] > ranking[1][1] >= ranking[2][1]


def test_query_with_where_returns_only_matching_metadata(make_store: StoreFactory, tmp_path: Path) -> None:
    store, kb = make_store(tmp_path), _kb_name()
    _seed(store, kb)
    public = store.query(kb, _unit(1), n=3, where=SearchFilters(clearance="public").where())
    assert {chunk_id for chunk_id, _ in public} == {"a-0", "c-0"}
    combined = {"$and": [{"access": {"$in": ["public", "internal"]}}, {"doc_id": {"$ne": "a"}}]}
    assert {chunk_id for chunk_id, _ in store.query(kb, _unit(0), n=3, where=combined)} == {"b-0", "c-0"}


def test_upsert_of_an_existing_id_replaces_vector_and_metadata(make_store: StoreFactory, tmp_path: Path) -> None:
    store, kb = make_store(tmp_path), _kb_name()
    _seed(store, kb)
    store.upsert(kb, ["a-0"], np.stack([_unit(3)]), [_meta("a", "internal")])
    assert store.ids(kb) == {"a-0", "b-0", "c-0"}
    assert store.query(kb, _unit(3), n=1)[0][0] == "a-0"
    public = store.query(kb, _unit(3), n=3, where={"access": "public"})
    assert {chunk_id for chunk_id, _ in public} == {"c-0"}


def test_delete_removes_only_the_given_ids(make_store: StoreFactory, tmp_path: Path) -> None:
    store, kb = make_store(tmp_path), _kb_name()
    _seed(store, kb)
    store.delete(kb, ["a-0", "missing-id"])
    assert store.ids(kb) == {"b-0", "c-0"}
    assert "a-0" not in {chunk_id for chunk_id, _ in store.query(kb, _unit(0), n=2)}


def test_drop_empties_one_knowledge_base_and_leaves_others(make_store: StoreFactory, tmp_path: Path) -> None:
    store, kb, other = make_store(tmp_path), _kb_name("政策库"), _kb_name("指南库")
    _seed(store, kb)
    _seed(store, other)
    store.drop(kb)
    assert store.ids(kb) == set()
    assert store.ids(other) == {"a-0", "b-0", "c-0"}
    store.upsert(kb, ["z-0"], np.stack([_unit(4)]), [_meta("z")])  # a dropped KB can be filled again
    assert store.ids(kb) == {"z-0"}


def test_a_second_client_sees_what_the_first_wrote(make_store: StoreFactory, tmp_path: Path) -> None:
    """Several API workers share one store: data written through one client is visible to another."""
    kb = _kb_name()
    _seed(make_store(tmp_path), kb)
    assert make_store(tmp_path).ids(kb) == {"a-0", "b-0", "c-0"}


def test_knowledge_base_ingest_search_verify_round_trip(make_store: StoreFactory, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "居住证办理指南.txt").write_text(
        "居住证办理指南（示例）\n\n申请居住证应当提交身份证原件和租赁合同，在滨江区政务服务中心办理。\n",
        encoding="utf-8",
    )
    (corpus / "养老补贴申领须知.txt").write_text(
        "养老补贴申领须知（示例）\n\n年满八十周岁的江临市户籍老人可以申领高龄津贴，由临川区民政局发放。\n",
        encoding="utf-8",
    )
    name = _kb_name("江临")
    kb = KnowledgeBase(tmp_path / "home", HashingEmbedder(), vectors=make_store(tmp_path))
    try:
        assert kb.ingest([corpus], name).ok
        hits = kb.search("居住证需要提交什么材料", name, k=2, mode="dense")
        assert hits[0].doc_id == "居住证办理指南"
        assert hits[0].text in (corpus / "居住证办理指南.txt").read_text(encoding="utf-8")
        assert kb.verify(name).ok
        kb.remove(name, ["居住证办理指南"])
        assert {hit.doc_id for hit in kb.search("居住证", name, k=5, mode="dense")} == {"养老补贴申领须知"}
        kb.remove(name)
        assert name not in kb.names()
    finally:
        kb.close()
