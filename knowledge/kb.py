"""KnowledgeBase: the one object the CLI, the API and agent tools use to ingest, search and manage.

It owns a data directory (``SHUZHI_HOME``) holding the SQLite manifest, the Chroma store and the saved
BM25 indexes, and is built from injected parts (embedder, vector store, options), never from settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from knowledge.documents import Hit
from knowledge.embedding import Embedder
from knowledge.errors import UnknownKnowledgeBaseError
from knowledge.fusion import FusionOptions
from knowledge.ingest import ChunkingOptions, IngestOptions, Ingestor, IngestProgress, IngestReport
from knowledge.locking import LOCK_FILE, WriteLock
from knowledge.manifest import DocumentRecord, Manifest
from knowledge.repair import VerifyReport, verify
from knowledge.retrieval import Mode, Reranker, Retriever, SearchFilters
from knowledge.tokens import TokenCounter, get_token_counter
from knowledge.vectors import ChromaVectorStore, VectorStore


@dataclass
class KbSummary:
    name: str
    documents: int
    chunks: int
    by_access: dict[str, int]
    repealed: int


class KnowledgeBase:
    """Documents in, cited passages out."""

    def __init__(
        self,
        home: Path,
        embedder: Embedder,
        vectors: VectorStore | None = None,
        counter: TokenCounter | None = None,
        chunking: ChunkingOptions | None = None,
        fusion: FusionOptions | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self.home = Path(home)
        self.embedder = embedder
        self.manifest = Manifest(self.home / "manifest.sqlite")
        self.vectors: VectorStore = vectors or ChromaVectorStore(path=self.home / "chroma")
        self.counter = counter or get_token_counter()
        self.chunking = chunking or ChunkingOptions()
        # One write lock per home, shared by this process's ingests and the retriever's repairs.
        self.write_lock = WriteLock(self.home / LOCK_FILE)
        self.retriever = Retriever(
            self.manifest,
            self.vectors,
            embedder,
            self.home / "lexical",
            fusion or FusionOptions(),
            reranker,
            self.write_lock,
        )

    def close(self) -> None:
        self.manifest.close()

    # -- ingest ------------------------------------------------------------------------------------
    def ingest(
        self,
        paths: list[Path],
        kb: str,
        options: IngestOptions | None = None,
        on_progress: Callable[[IngestProgress], None] | None = None,
    ) -> IngestReport:
        """Ingest files and folders into ``kb`` (created if new); see :class:`IngestReport`."""
        ingestor = Ingestor(self.manifest, self.vectors, self.embedder, self.counter, self.chunking, self.write_lock)
        report = ingestor.run(kb, paths, options or IngestOptions(), on_progress)
        self.retriever.refresh(kb)
        return report

    # -- search ------------------------------------------------------------------------------------
    def search(
        self,
        query: str,
        kb: str | list[str],
        k: int = 5,
        filters: SearchFilters | None = None,
        mode: Mode = "hybrid",
        per_doc: int = 1,
    ) -> list[Hit]:
        """Top-``k`` passages from one or several knowledge bases, each with its citation fields."""
        names = [kb] if isinstance(kb, str) else list(kb)
        for name in names:
            self.require(name)
        return self.retriever.search(query, names, k=k, filters=filters, mode=mode, per_doc=per_doc)

    # -- manage ------------------------------------------------------------------------------------
    def names(self) -> list[str]:
        return self.manifest.kb_names()

    def require(self, kb: str) -> None:
        if kb not in self.manifest.kb_names():
            raise UnknownKnowledgeBaseError(kb, self.manifest.kb_names())

    def documents(self, kb: str) -> list[DocumentRecord]:
        self.require(kb)
        return self.manifest.documents(kb)

    def summaries(self) -> list[KbSummary]:
        out = []
        for name in self.names():
            documents = self.manifest.documents(name)
            by_access: dict[str, int] = {}
            for document in documents:
                by_access[document.access] = by_access.get(document.access, 0) + 1
            out.append(
                KbSummary(
                    name=name,
                    documents=len(documents),
                    chunks=sum(d.chunk_count for d in documents),
                    by_access=by_access,
                    repealed=sum(d.validity == "已废止" for d in documents),
                )
            )
        return out

    def remove(self, kb: str, doc_ids: list[str] | None = None) -> list[str]:
        """Remove documents (or, with no ids, the whole knowledge base); returns the removed doc ids."""
        self.require(kb)
        if not doc_ids:
            removed = [d.doc_id for d in self.manifest.documents(kb)]
            self.manifest.drop_kb(kb)
            self.vectors.drop(kb)
            return removed
        owned = [c.chunk_id for doc_id in doc_ids for c in self.manifest.chunks_of(kb, doc_id)]
        removed = self.manifest.remove_documents(kb, doc_ids)
        self.vectors.delete(kb, owned)
        self.retriever.refresh(kb)
        return removed

    def verify(self, kb: str, repair: bool = False) -> VerifyReport:
        """Check that the vector store agrees with the manifest and answers; ``repair`` makes it so.

        Orphan vectors are deleted; missing vectors or a damaged store are rebuilt from the vectors the
        manifest keeps, without re-embedding.
        """
        self.require(kb)
        report = verify(self.manifest, self.vectors, kb, repair)
        self.retriever.refresh(kb)
        return report
