"""Ingestion: files → documents → chunks → vectors + BM25 tokens → manifest, atomic per document.

Order of writes for one document: new vectors are upserted under version-specific chunk ids, then one
manifest transaction switches the document to the new version, then the old version's vectors are
deleted. A kill at any point leaves the previous version answering (search trusts only chunk ids the
manifest lists) and the same command, run again, completes the job.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from knowledge.chunking import chunk_text
from knowledge.documents import ACCESS_LEVELS, VALIDITIES, AccessLevel, DocumentMeta, SourceDocument
from knowledge.embedding import Embedder
from knowledge.errors import LoadError
from knowledge.lexical import tokenize
from knowledge.loaders import iter_input_files, load_file
from knowledge.locking import LOCK_FILE, WriteLock, write_guard
from knowledge.manifest import (
    TITLE_ORD,
    TITLE_SUFFIX,
    ChunkRecord,
    DocumentRecord,
    Manifest,
    utc_now,
    vector_metadata,
)
from knowledge.metadata import extract_meta
from knowledge.records import RecordOptions
from knowledge.tokens import TokenCounter
from knowledge.vectors import VectorStore

EMBED_BATCH_CHUNKS = 64  # chunks gathered across small documents before one encoder call


@dataclass(frozen=True)
class ChunkingOptions:
    max_tokens: int = 350
    overlap_tokens: int = 50


@dataclass
class IngestOptions:
    """Batch-wide choices from the CLI/API; a sidecar ``.meta.yaml`` still wins for its own file."""

    access: AccessLevel | None = None
    department: str | None = None
    records: RecordOptions | None = None
    max_bytes: int = 50 * 1024 * 1024
    # Record each document's source relative to this folder. Uploads are stored under a fresh folder per
    # request; the file name the uploader sent is the source, so re-sending an unchanged file is skipped and
    # no server path reaches search results.
    source_base: Path | None = None


@dataclass
class IngestReport:
    ingested: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path or doc id, reason)
    chunks: int = 0
    chars: int = 0
    embedded_chars: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class IngestProgress:
    files_total: int
    files_done: int = 0
    documents_done: int = 0  # ingested or unchanged so far
    current: str = ""


@dataclass
class _Prepared:
    record: DocumentRecord
    chunks: list[ChunkRecord]
    embed_texts: list[str]
    old_chunk_ids: list[str]
    reusable: dict[str, bytes]  # embed_key → vector of the current version's chunks
    vectors: np.ndarray | None = None


def embedding_text(title: str, heading: str, text: str) -> str:
    """What is embedded and BM25-indexed: the passage with its title and heading path in front.

    A short chunk ("1. 身份证原件") then still matches a question about its document.
    """
    parts = []
    if title and not text.lstrip("# ").startswith(title) and not heading.lstrip("# ").startswith(title):
        parts.append(title)
    if heading and not text.startswith(heading.split(" > ")[-1]):
        parts.append(heading)
    parts.append(text)
    return "\n".join(parts)


def resolve_meta(document: SourceDocument, options: IngestOptions) -> DocumentMeta:
    """Text-extracted values, overridden by batch flags, overridden by the file's own sidecar/fields."""
    values: dict[str, str] = dict(extract_meta(document.title, document.text))
    if options.access:
        values["access"] = options.access
    if options.department:
        values["department"] = options.department
    values.update({k: v for k, v in document.meta_hints.items() if v})
    access = values.get("access", "public")
    validity = values.get("validity", "现行有效")
    if access not in ACCESS_LEVELS:
        raise LoadError(document.source, f"access {access!r} is not one of {', '.join(ACCESS_LEVELS)}")
    if validity not in VALIDITIES:
        raise LoadError(document.source, f"validity {validity!r} is not one of {', '.join(VALIDITIES)}")
    return DocumentMeta(
        issuer=values.get("issuer", ""),
        doc_number=values.get("doc_number", ""),
        date=values.get("date", ""),
        validity=validity,
        access=access,
        department=values.get("department", ""),
    )


class Ingestor:
    """Runs one ingest batch into one knowledge base."""

    def __init__(
        self,
        manifest: Manifest,
        vectors: VectorStore,
        embedder: Embedder,
        counter: TokenCounter,
        chunking: ChunkingOptions,
        lock: WriteLock | None = None,
    ) -> None:
        self.manifest = manifest
        self.vectors = vectors
        self.embedder = embedder
        self.counter = counter
        self.chunking = chunking
        # One lock per KB home, shared by every process writing there (CLI ingests, API workers).
        self.home = Path(manifest.path).parent
        self.lock = lock or WriteLock(self.home / LOCK_FILE)

    def version_of(self, kb: str, document: SourceDocument, meta: DocumentMeta) -> str:
        """Content hash over everything that shapes the stored chunks; equal hash → nothing to do."""
        payload = json.dumps(
            [
                kb,
                document.doc_id,
                document.title,
                document.text,
                document.source,
                meta.__dict__,
                self.chunking.__dict__,
                self.counter.name,
                self.embedder.name,
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def run(
        self,
        kb: str,
        paths: list[Path],
        options: IngestOptions,
        on_progress: Callable[[IngestProgress], None] | None = None,
    ) -> IngestReport:
        """Ingest every file under ``paths``; failures are reported, the rest still ingests.

        Args:
            on_progress: called after each file and each committed batch, for progress bars.
        """
        started = time.perf_counter()
        report = IngestReport()
        with write_guard(self.home, f"知识库 {kb}"):
            self.manifest.ensure_kb(kb)
        inputs = list(iter_input_files(paths))
        progress = IngestProgress(files_total=len(inputs))
        pending: list[_Prepared] = []
        seen: dict[str, str] = {}

        def flush() -> None:
            self._flush(kb, pending, report)
            pending.clear()
            progress.documents_done = len(report.ingested) + len(report.skipped)
            if on_progress:
                on_progress(progress)

        for item in inputs:
            progress.current = str(item.path)
            try:
                if item.error:
                    raise LoadError(str(item.path), item.error)
                for document in load_file(item.path, item.root, records=options.records, max_bytes=options.max_bytes):
                    if options.source_base is not None:
                        document.source = _relative_source(document.source, options.source_base)
                    if document.doc_id in seen:
                        raise LoadError(
                            document.source, f"doc_id {document.doc_id!r} repeats {seen[document.doc_id]} in this batch"
                        )
                    seen[document.doc_id] = document.source
                    prepared = self._prepare(kb, document, options)
                    if prepared is None:
                        report.skipped.append(document.doc_id)
                        continue
                    pending.append(prepared)
                    if sum(len(p.chunks) for p in pending) >= EMBED_BATCH_CHUNKS:
                        flush()
            except LoadError as exc:
                report.failed.append((exc.path, exc.reason))
            progress.files_done += 1
            flush()
        self.remove_orphan_vectors(kb)
        report.seconds = time.perf_counter() - started
        return report

    def _prepare(self, kb: str, document: SourceDocument, options: IngestOptions) -> _Prepared | None:
        meta = resolve_meta(document, options)
        version = self.version_of(kb, document, meta)
        current = self.manifest.document(kb, document.doc_id)
        if current is not None and current.version == version:
            return None
        pieces = chunk_text(
            document.text,
            counter=self.counter,
            max_tokens=self.chunking.max_tokens,
            overlap_tokens=self.chunking.overlap_tokens,
        )
        if not pieces:
            raise LoadError(document.source, "no text to index after parsing / 解析后没有可索引的文字")
        doc_key = hashlib.sha1(f"{kb}\x00{document.doc_id}".encode()).hexdigest()[:16]
        texts = [embedding_text(document.title, piece.heading, piece.text) for piece in pieces]
        chunks = [
            ChunkRecord(
                chunk_id=f"{doc_key}-{version[:12]}-{ordinal}",
                kb=kb,
                doc_id=document.doc_id,
                ord=ordinal,
                heading=piece.heading,
                text=piece.text,
                start=piece.start,
                end=piece.end,
                embed_key=hashlib.sha1(f"{self.embedder.name}\x00{text}".encode()).hexdigest(),
                tokens=" ".join(tokenize(text)),
            )
            for ordinal, (piece, text) in enumerate(zip(pieces, texts, strict=True))
        ]
        # The title alone gets a vector too: colloquial questions name the matter far more often than
        # they echo the body, and a title-only vector raised paraphrase recall@1 from 0.41 to 0.54 on the
        # real 办事指南 benchmark (bench/retrieval.py). Search maps it back to the document's first chunk.
        chunks.append(
            ChunkRecord(
                chunk_id=f"{doc_key}-{version[:12]}{TITLE_SUFFIX}",
                kb=kb,
                doc_id=document.doc_id,
                ord=TITLE_ORD,
                heading="",
                text=document.title,
                start=0,
                end=0,
                embed_key=hashlib.sha1(f"{self.embedder.name}\x00title\x00{document.title}".encode()).hexdigest(),
                tokens="",
            )
        )
        texts.append(document.title)
        record = DocumentRecord(
            kb=kb,
            doc_id=document.doc_id,
            version=version,
            title=document.title,
            source=document.source,
            issuer=meta.issuer,
            doc_number=meta.doc_number,
            date=meta.date,
            validity=meta.validity,
            access=meta.access,
            department=meta.department,
            chars=len(document.text),
            chunk_count=len(pieces),
            ingested_at=utc_now(),
        )
        old = [c.chunk_id for c in self.manifest.chunks_of(kb, document.doc_id)] if current else []
        reusable = self.manifest.vectors_by_key(kb, document.doc_id) if current else {}
        return _Prepared(record, chunks, texts, old, reusable)

    def _flush(self, kb: str, batch: list[_Prepared], report: IngestReport) -> None:
        if not batch:
            return
        self._embed(kb, batch, report)  # outside the lock: embedding is the slow part, writes are quick
        with self.lock.held():
            self._commit(kb, batch, report)

    def _commit(self, kb: str, batch: list[_Prepared], report: IngestReport) -> None:
        for prepared in batch:
            assert prepared.vectors is not None
            metadatas = [vector_metadata(prepared.record)] * len(prepared.chunks)
            fresh = [c.chunk_id for c in prepared.chunks]
            undo = functools.partial(self.vectors.delete, kb, fresh)
            with write_guard(self.home, f"文档 {prepared.record.doc_id}", undo):
                self.vectors.upsert(kb, fresh, prepared.vectors, metadatas)
                self.manifest.replace_document(prepared.record, prepared.chunks)
            stale = [chunk_id for chunk_id in prepared.old_chunk_ids if chunk_id not in set(fresh)]
            self.vectors.delete(kb, stale)
            report.ingested.append(prepared.record.doc_id)
            report.chunks += prepared.record.chunk_count
            report.chars += prepared.record.chars

    def _embed(self, kb: str, batch: list[_Prepared], report: IngestReport) -> None:
        """Embed all chunks of the batch in one call, reusing vectors of unchanged chunks."""
        reusable = {key: np.frombuffer(blob, dtype=np.float32) for p in batch for key, blob in p.reusable.items()}
        todo = [(p, i) for p in batch for i, chunk in enumerate(p.chunks) if chunk.embed_key not in reusable]
        texts = [p.embed_texts[i] for p, i in todo]
        began = time.perf_counter()
        fresh = self.embedder.embed_passages(texts) if texts else None
        report.embed_seconds += time.perf_counter() - began
        report.embedded_chars += sum(len(t) for t in texts)
        if fresh is not None:
            reusable.update({p.chunks[i].embed_key: fresh[row] for row, (p, i) in enumerate(todo)})
        for p in batch:
            p.vectors = np.stack([reusable[c.embed_key] for c in p.chunks])
            for chunk, vector in zip(p.chunks, p.vectors, strict=True):
                chunk.vector = np.asarray(vector, dtype=np.float32).tobytes()

    def remove_orphan_vectors(self, kb: str) -> int:
        """Delete vectors the manifest does not list (left by a killed ingest); returns how many."""
        with self.lock.held():  # another writer's upserted-but-uncommitted vectors are not orphans
            orphans = sorted(self.vectors.ids(kb) - self.manifest.chunk_ids(kb))
            self.vectors.delete(kb, orphans)
        return len(orphans)


def _relative_source(source: str, base: Path) -> str:
    try:
        return Path(source).relative_to(base).as_posix()
    except ValueError:
        return source
