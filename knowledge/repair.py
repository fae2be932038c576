"""Keeping the derived vector index true to the manifest: verify, remove orphans, rebuild.

The embedded Chroma store is not crash-safe: after a SIGKILL during writes its HNSW segment can disagree
with its metadata segment, and filtered queries then fail ("Error finding id"). Because the manifest
keeps every chunk's vector, the collection can always be rebuilt from it without re-embedding.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from knowledge.manifest import Manifest, vector_metadata
from knowledge.vectors import VectorStore

log = logging.getLogger(__name__)


@dataclass
class VerifyReport:
    """What ``verify`` found and whether it was repaired."""

    kb: str
    missing_vectors: int  # chunks the manifest lists that the vector store lacks
    orphan_vectors: int  # vectors no current chunk owns (left by an interrupted ingest)
    query_error: str  # a probe query's failure, e.g. a store damaged by a killed process
    repaired: bool

    @property
    def ok(self) -> bool:
        return self.repaired or not (self.missing_vectors or self.orphan_vectors or self.query_error)


def rebuild_vector_store(manifest: Manifest, vectors: VectorStore, kb: str) -> int:
    """Drop the knowledge base's collection and re-add every current chunk's stored vector."""
    documents = {d.doc_id: d for d in manifest.documents(kb)}
    vectors.drop(kb)
    count = 0
    for batch in manifest.iter_vectors(kb):
        rows = [(chunk_id, doc_id, blob) for chunk_id, doc_id, blob in batch if blob is not None]
        if not rows:
            continue
        metadatas = [vector_metadata(documents[doc_id]) for _, doc_id, _ in rows]
        matrix = np.stack([np.frombuffer(blob, dtype=np.float32) for _, _, blob in rows])
        vectors.upsert(kb, [chunk_id for chunk_id, _, _ in rows], matrix, metadatas)
        count += len(rows)
    log.warning("rebuilt the vector index of knowledge base %r from the manifest (%d chunks)", kb, count)
    return count


def probe_query(manifest: Manifest, vectors: VectorStore, kb: str) -> str:
    """Run one filtered query with a stored vector; return the error text, or '' if the store answers."""
    for batch in manifest.iter_vectors(kb, batch=1):
        blob = batch[0][2]
        if blob is None:
            return ""
        try:
            vectors.query(kb, np.frombuffer(blob, dtype=np.float32), 1, {"access": {"$in": ["public"]}})
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        return ""
    return ""


def verify(manifest: Manifest, vectors: VectorStore, kb: str, repair: bool) -> VerifyReport:
    listed = manifest.chunk_owners(kb)
    try:
        stored = vectors.ids(kb)
    except Exception as exc:
        stored, error = set(), f"{type(exc).__name__}: {exc}"
    else:
        error = probe_query(manifest, vectors, kb)
    missing = sum(chunk_id not in stored for chunk_id in listed)
    orphans = stored - listed.keys()
    broken = bool(missing or orphans or error)
    if repair and broken:
        if missing or error:
            rebuild_vector_store(manifest, vectors, kb)
        else:
            vectors.delete(kb, sorted(orphans))
    return VerifyReport(kb, missing, len(orphans), error, repaired=repair and broken)
