"""A fresh API worker's first requests open the embedded Chroma store from several threads at once."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from chromadb.api.shared_system_client import SharedSystemClient

from knowledge.vectors import ChromaVectorStore


def test_threads_opening_one_store_at_once_all_see_its_vectors(tmp_path: Path) -> None:
    ChromaVectorStore(path=tmp_path).upsert("demo", ["a"], np.ones((1, 8), dtype=np.float32), [{"kb": "demo"}])
    for _ in range(3):  # the race lost in 9 of 10 rounds before opening was serialised
        SharedSystemClient.clear_system_cache()  # as in a new process: Chroma's per-path system not built yet
        store, barrier = ChromaVectorStore(path=tmp_path), threading.Barrier(8)
        seen: list[object] = []

        def first_request(
            store: ChromaVectorStore = store, barrier: threading.Barrier = barrier, seen: list[object] = seen
        ) -> None:
            barrier.wait()
            try:
                seen.append(store.ids("demo"))
            except Exception as exc:
                seen.append(exc)

        threads = [threading.Thread(target=first_request) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert seen == [{"a"}] * 8
