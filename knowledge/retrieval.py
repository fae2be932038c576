"""Hybrid retrieval: BM25 ∪ dense candidates, fused, filtered by the caller's scope, grouped per document."""

from __future__ import annotations

import logging
import shutil
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from knowledge.documents import AccessLevel, Hit, levels_up_to
from knowledge.embedding import Embedder
from knowledge.fusion import FusionOptions, Ranking, fuse
from knowledge.lexical import LexicalIndex, tokenize
from knowledge.locking import WriteLock
from knowledge.manifest import TITLE_SUFFIX, ChunkRecord, DocumentRecord, Manifest
from knowledge.query_terms import default_term_map
from knowledge.repair import probe_query, rebuild_vector_store
from knowledge.vectors import VectorStore, Where, collection_name

log = logging.getLogger(__name__)

Mode = Literal["hybrid", "dense", "lexical"]
CANDIDATES = 100  # per retriever, before fusion (bench/retrieval.py: 100 beat 50 for paraphrases)
# Post-filtering the dense candidates (see Retriever._dense): used when at least this share of passages is
# admitted; asks for n / coverage * margin neighbours, capped, and falls back to Chroma's filtered query.
MIN_POSTFILTER_COVERAGE = 0.3
POSTFILTER_MARGIN = 1.5
MAX_POSTFILTER_POOL = 1000


@dataclass(frozen=True)
class SearchFilters:
    """Who may see what: the caller's clearance, optional departments, whether repealed docs count.

    ``home_department`` is the caller's own department when it must bound what they see: a confidential
    document that names a department is then visible only to callers of that department (None: no bound,
    e.g. an administrator or the CLI).
    """

    clearance: AccessLevel = "public"
    departments: tuple[str, ...] = ()
    include_repealed: bool = False
    home_department: str | None = None

    def admits(self, document: DocumentRecord) -> bool:
        if document.access not in levels_up_to(self.clearance):
            return False
        if self.departments and document.department not in self.departments:
            return False
        if self._foreign_confidential(document):
            return False
        return self.include_repealed or document.validity != "已废止"

    def _foreign_confidential(self, document: DocumentRecord) -> bool:
        """A confidential document bound to a department other than the caller's (when callers are bounded)."""
        bound = self._bounds_confidential and document.access == "confidential" and bool(document.department)
        return bound and document.department != self.home_department

    @property
    def _bounds_confidential(self) -> bool:
        return self.home_department is not None and self.clearance == "confidential"

    def where(self) -> Where:
        conditions: list[Where] = [{"access": {"$in": list(levels_up_to(self.clearance))}}]
        if self.departments:
            conditions.append({"department": {"$in": list(self.departments)}})
        if self._bounds_confidential:
            own = ["", str(self.home_department)]
            conditions.append({"$or": [{"access": {"$ne": "confidential"}}, {"department": {"$in": own}}]})
        if not self.include_repealed:
            conditions.append({"validity": {"$ne": "已废止"}})
        return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def passage_hit(chunk: ChunkRecord, document: DocumentRecord, score: float) -> Hit:
    """A Hit for one stored passage of a document, with every citation field."""
    return Hit(
        doc_id=chunk.doc_id,
        title=document.title,
        heading=chunk.heading,
        text=chunk.text,
        score=score,
        source=document.source,
        access=document.access,
        start=chunk.start,
        end=chunk.end,
        kb=chunk.kb,
        validity=document.validity,
        doc_number=document.doc_number,
        issuer=document.issuer,
        department=document.department,
    )


class Reranker(Protocol):
    """Reorders fused hits; a CrossEncoder from a local directory is the usual implementation."""

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]: ...


@dataclass
class _KbState:
    """Per-generation caches for one knowledge base."""

    generation: int
    documents: dict[str, DocumentRecord]
    lexical: LexicalIndex
    chunk_doc: list[str]  # doc_id of each lexical position
    owners: dict[str, str]  # chunk_id → doc_id for every chunk, title vectors included
    _masks: dict[SearchFilters, tuple[set[str], np.ndarray]] = field(default_factory=dict)

    def owner(self, chunk_id: str) -> str:
        return self.owners.get(chunk_id, chunk_id)

    def scope(self, filters: SearchFilters) -> tuple[set[str], np.ndarray]:
        """Admitted doc ids and the matching lexical-position mask, cached per filter set."""
        if filters not in self._masks:
            allowed = {doc_id for doc_id, doc in self.documents.items() if filters.admits(doc)}
            mask = np.fromiter((doc in allowed for doc in self.chunk_doc), dtype=bool, count=len(self.chunk_doc))
            self._masks[filters] = (allowed, mask)
        return self._masks[filters]

    def coverage(self, filters: SearchFilters) -> float:
        """Share of this KB's indexed passages that ``filters`` admit (1.0 for an empty KB)."""
        _, mask = self.scope(filters)
        return float(mask.mean()) if len(mask) else 1.0


class Retriever:
    """Searches one or more knowledge bases for a query."""

    # Colloquial words in a query are searched with their official terms (knowledge/query_terms.py).
    normalise_queries: bool = True

    def __init__(
        self,
        manifest: Manifest,
        vectors: VectorStore,
        embedder: Embedder,
        lexical_dir: Path,
        fusion: FusionOptions,
        reranker: Reranker | None = None,
        write_lock: WriteLock | None = None,
    ) -> None:
        self.manifest = manifest
        self.write_lock = write_lock  # held while repairing the store, so a concurrent ingest is not undone
        self.vectors = vectors
        self.embedder = embedder
        self.lexical_dir = lexical_dir
        self.fusion = fusion
        self.reranker = reranker
        self._states: dict[str, _KbState] = {}
        self._lock = threading.Lock()

    # -- per-KB state ------------------------------------------------------------------------------
    def state(self, kb: str) -> _KbState:
        generation = self.manifest.generation(kb)
        with self._lock:
            cached = self._states.get(kb)
            if cached is not None and cached.generation == generation:
                return cached
            documents = {d.doc_id: d for d in self.manifest.documents(kb)}
            self._check_vector_store(kb)
            lexical = self._lexical_index(kb, generation)
            owners = self.manifest.chunk_owners(kb)
            state = _KbState(generation, documents, lexical, [owners.get(c, "") for c in lexical.chunk_ids], owners)
            self._states[kb] = state
            return state

    def _check_vector_store(self, kb: str) -> None:
        """Probe the vector store once per generation and rebuild it from the manifest if it is broken.

        After a writer is killed, embedded Chroma can keep an HNSW index that lags behind its metadata: a
        filtered query then fails ("Error finding id"), but an unfiltered one silently misses the newest
        vectors. The post-filtered dense search (``_dense``) uses unfiltered queries, so the store is checked
        with one filtered probe before a generation is first searched in this process.
        """
        error = probe_query(self.manifest, self.vectors, kb)
        if error:
            log.warning("vector store of %r failed a probe query (%s); rebuilding it from the manifest", kb, error)
            self._rebuild(kb)

    def _lexical_index(self, kb: str, generation: int) -> LexicalIndex:
        """Load the saved BM25 index of this generation, or rebuild it from the manifest and save it."""
        directory = self.lexical_dir / collection_name(kb) / f"gen-{generation}"
        if (directory / "chunk_ids.json").exists():
            try:
                return LexicalIndex.load(directory)
            except Exception:
                pass
        rows = self.manifest.lexical_rows(kb)
        index = LexicalIndex([chunk_id for chunk_id, _ in rows], [tokens.split() for _, tokens in rows])
        try:
            index.save(directory)
            for old in directory.parent.glob("gen-*"):
                if old != directory and not old.name.endswith(".part"):
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass  # a read-only data directory still searches, just without the cache
        return index

    def refresh(self, kb: str) -> None:
        """Build and save the lexical index now (after an ingest) instead of on the first search."""
        self.state(kb)

    # -- search ------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        kbs: list[str],
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
        per_doc: int = 1,
    ) -> list[Hit]:
        """Top ``k`` passages for ``query`` that ``filters`` admit, at most ``per_doc`` per document."""
        filters = filters or SearchFilters()
        query = query.strip()
        if not query or k <= 0:
            return []
        # Official terms for colloquial words help both retrievers on the paraphrase benchmark's held-out half
        # (README): BM25 gets them appended, the embedder gets them in place. A reranker sees the original.
        terms = default_term_map() if self.normalise_queries else None
        dense_text, lexical_text = (terms.rewrite(query), terms.expand(query)) if terms else (query, query)
        query_vector = self.embedder.embed_query(dense_text) if mode != "lexical" else None
        query_tokens = tokenize(lexical_text) if mode != "dense" else []
        pool = max(CANDIDATES, k * per_doc * 4)
        fused: Ranking = []
        owners: dict[str, str] = {}
        for kb in kbs:
            state = self.state(kb)
            allowed, mask = state.scope(filters)
            if not allowed:
                continue
            dense: Ranking = []
            lexical: Ranking = []
            if query_vector is not None:
                dense = self._dense(kb, query_vector, pool, filters, state)
            if query_tokens:
                lexical = state.lexical.search(query_tokens, pool, mask)
            owner = state.owner
            ranking = fuse(dense, lexical, self.fusion, owner) if dense or lexical else []
            for chunk_id, _ in ranking:
                owners[chunk_id] = kb
            fused.extend(ranking)
        fused.sort(key=lambda pair: -pair[1])
        admitted = {kb: self.state(kb).scope(filters)[0] for kb in kbs}
        hits = self._to_hits(fused, owners, admitted, per_doc, limit=k if self.reranker is None else pool)
        if self.reranker is not None:
            hits = self.reranker.rerank(query, hits)[:k]
        return hits

    def _dense(self, kb: str, vector: np.ndarray, n: int, filters: SearchFilters, state: _KbState) -> Ranking:
        """The ``n`` nearest passages that ``filters`` admit.

        Chroma's metadata-filtered query scans the metadata table and is ~100x slower than a plain HNSW
        query at 100k passages. When most passages are admitted (the usual case: public, current
        documents), ask for enough unfiltered neighbours and drop the ones not admitted; fall back to
        the filtered query when the scope is narrow or too few admitted neighbours came back.
        """
        allowed, _ = state.scope(filters)
        coverage = state.coverage(filters)
        if coverage >= MIN_POSTFILTER_COVERAGE:
            wide = min(int(n / coverage * POSTFILTER_MARGIN) + 1, MAX_POSTFILTER_POOL)
            ranking = self._query_vectors(kb, vector, wide, None)
            admitted = [(chunk_id, score) for chunk_id, score in ranking if state.owner(chunk_id) in allowed]
            if len(admitted) >= n or len(ranking) < wide:  # enough, or the whole KB was returned
                return admitted[:n]
        return self._query_vectors(kb, vector, n, filters.where())

    def _query_vectors(self, kb: str, vector: np.ndarray, n: int, where: Where | None) -> Ranking:
        try:
            return self.vectors.query(kb, vector, n, where)
        except Exception as exc:
            # A store left inconsistent by a killed writer: rebuild it from the manifest once, then retry.
            log.warning("vector query on %r failed (%s); rebuilding the vector index", kb, exc)
            with self._lock:
                self._rebuild(kb)
            return self.vectors.query(kb, vector, n, where)

    def _rebuild(self, kb: str) -> None:
        with self.write_lock.held() if self.write_lock is not None else nullcontext():
            rebuild_vector_store(self.manifest, self.vectors, kb)

    def _to_hits(
        self, ranking: Ranking, owners: dict[str, str], admitted: dict[str, set[str]], per_doc: int, limit: int
    ) -> list[Hit]:
        ranking = ranking[: limit * per_doc * 4 + 50]
        # A title vector stands for its document: it shows the document's best-ranked passage, or the
        # first passage when no passage of that document is among the candidates.
        first_passages = [c.removesuffix(TITLE_SUFFIX) + "-0" for c, _ in ranking if c.endswith(TITLE_SUFFIX)]
        chunks = self.manifest.chunks_by_id(sorted({c for c, _ in ranking} | set(first_passages)))
        best_passage: dict[str, str] = {}
        for chunk_id, _ in ranking:
            if not chunk_id.endswith(TITLE_SUFFIX):
                best_passage.setdefault(chunk_id.rsplit("-", 1)[0], chunk_id)
        hits: list[Hit] = []
        seen: set[str] = set()
        per_document: dict[tuple[str, str], int] = {}
        for chunk_id, score in ranking:
            if chunk_id.endswith(TITLE_SUFFIX):
                prefix = chunk_id.removesuffix(TITLE_SUFFIX)
                passage = best_passage.get(prefix, prefix + "-0")
                chunk = chunks.get(passage if passage not in seen else prefix + "-0")
            else:
                chunk = chunks.get(chunk_id)
            if chunk is None or chunk.chunk_id in seen:
                continue  # an orphan vector from an interrupted ingest, or a passage already shown
            document = self._states[owners[chunk_id]].documents.get(chunk.doc_id)
            key = (chunk.kb, chunk.doc_id)
            in_scope = chunk.doc_id in admitted[owners[chunk_id]]  # holds even if a vector store ignored its filter
            if document is None or not in_scope or per_document.get(key, 0) >= per_doc:
                continue
            seen.add(chunk.chunk_id)
            per_document[key] = per_document.get(key, 0) + 1
            hits.append(passage_hit(chunk, document, round(score, 6)))
            if len(hits) >= limit:
                break
        return hits
