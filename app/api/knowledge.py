"""Knowledge-base endpoints: list, documents, search (scoped by the key's clearance); upload and delete (admin)."""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path as FsPath
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from agents.context import Caller
from app.api.auth import KeyDep, require
from app.api.errors import ApiError
from app.api.runtime import Runtime, RuntimeDep
from app.api.schemas import errors
from app.api.storage import storage_error
from app.api.uploads import safe_filename
from app.keys import ApiKey
from knowledge import AccessLevel, IngestOptions, KnowledgeBase, KnowledgeError, SearchFilters
from knowledge.errors import UnknownKnowledgeBaseError

router = APIRouter(prefix="/v1/kb", tags=["knowledge"])
KbName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[\w\-]+$", description="knowledge base name")]
AdminKey = Annotated[ApiKey, Depends(require("admin"))]


class KbInfo(BaseModel):
    name: str
    documents: int
    chunks: int
    by_access: dict[str, int]
    repealed: int


class DocumentInfo(BaseModel):
    doc_id: str
    title: str
    source: str
    issuer: str
    doc_number: str
    date: str
    validity: str
    access: str
    department: str
    chars: int
    chunk_count: int
    ingested_at: str


class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=2000)
    kbs: list[Annotated[str, Field(min_length=1, max_length=64)]] = Field(min_length=1, max_length=10)
    k: int = Field(5, ge=1, le=50)
    per_doc: int = Field(1, ge=1, le=20)
    mode: Literal["hybrid", "dense", "lexical"] = "hybrid"
    departments: list[str] = Field(default_factory=list, max_length=20)
    include_repealed: bool = False


class SearchHit(BaseModel):
    doc_id: str
    title: str
    heading: str
    text: str
    score: float
    source: str
    access: str
    start: int
    end: int
    kb: str
    validity: str
    doc_number: str
    issuer: str
    department: str
    citation: str


class SearchResponse(BaseModel):
    hits: list[SearchHit]


class UploadFailure(BaseModel):
    file: str
    reason: str


class UploadReport(BaseModel):
    kb: str
    ingested: list[str]
    skipped: list[str]
    failed: list[UploadFailure]
    chunks: int
    seconds: float


class RemoveReport(BaseModel):
    kb: str
    removed: list[str]


def _knowledge(runtime: Runtime) -> KnowledgeBase:
    return runtime.service.knowledge


def _require_kb(knowledge: KnowledgeBase, kb: str) -> None:
    try:
        knowledge.require(kb)
    except UnknownKnowledgeBaseError as exc:
        raise ApiError(404, "unknown_kb", f"知识库 {kb} 不存在", str(exc)) from exc


def _visible(caller: Caller) -> SearchFilters:
    return caller.filters(include_repealed=True)


@router.get("", response_model=list[KbInfo], responses=errors(401, 429))
def list_kbs(key: KeyDep, runtime: RuntimeDep) -> list[KbInfo]:
    """列出知识库（只统计本密钥可见的文档）/ knowledge bases, counting only documents this key may see."""
    knowledge, scope = _knowledge(runtime), _visible(key.caller)
    out = []
    for name in knowledge.names():
        documents = [d for d in knowledge.documents(name) if scope.admits(d)]
        by_access: dict[str, int] = {}
        for d in documents:
            by_access[d.access] = by_access.get(d.access, 0) + 1
        chunks = sum(d.chunk_count for d in documents)
        repealed = sum(d.validity == "已废止" for d in documents)
        out.append(KbInfo(name=name, documents=len(documents), chunks=chunks, by_access=by_access, repealed=repealed))
    return out


@router.get("/{kb}/documents", response_model=list[DocumentInfo], responses=errors(401, 404, 422, 429))
def list_documents(kb: KbName, key: KeyDep, runtime: RuntimeDep) -> list[DocumentInfo]:
    """知识库中本密钥可见的文档 / the documents of a KB this key may see."""
    knowledge = _knowledge(runtime)
    _require_kb(knowledge, kb)
    scope = _visible(key.caller)
    return [
        DocumentInfo(**{f: getattr(d, f) for f in DocumentInfo.model_fields})
        for d in knowledge.documents(kb)
        if scope.admits(d)
    ]


@router.post("/search", response_model=SearchResponse, responses=errors(401, 404, 413, 422, 429))
def search(body: SearchRequest, key: KeyDep, runtime: RuntimeDep) -> SearchResponse:
    """检索（按密钥的密级过滤）/ search within the key's clearance; citizens see public documents only."""
    knowledge = _knowledge(runtime)
    for name in body.kbs:
        _require_kb(knowledge, name)
    filters = dataclasses.replace(key.caller.filters(body.include_repealed), departments=tuple(body.departments))
    try:
        hits = knowledge.search(body.query, body.kbs, k=body.k, filters=filters, mode=body.mode, per_doc=body.per_doc)
    except KnowledgeError as exc:
        raise ApiError(503, "search_failed", "检索暂不可用", str(exc)) from exc
    return SearchResponse(hits=[SearchHit(**dataclasses.asdict(h), citation=h.citation()) for h in hits])


def _save(
    files: list[UploadFile], folder: FsPath, max_mb: int
) -> tuple[list[FsPath], list[UploadFailure]]:
    """Write the uploaded files into ``folder``; files over ``max_mb`` are reported, not kept."""
    folder.mkdir(parents=True, exist_ok=True)
    paths, failed, seen = [], [], set()
    for upload_file in files:
        name = safe_filename(upload_file.filename)
        while name in seen:  # two files of one name in one upload must not overwrite each other
            name = f"_{name}"
        seen.add(name)
        target = folder / name
        with target.open("wb") as handle:
            shutil.copyfileobj(upload_file.file, handle, 1024 * 1024)
        if target.stat().st_size > max_mb * 1024 * 1024:
            target.unlink()
            failed.append(UploadFailure(file=name, reason=f"文件超过 {max_mb} MB 上限 / too large"))
            continue
        paths.append(target)
    return paths, failed


@router.post("/{kb}/documents", response_model=UploadReport, responses=errors(401, 403, 411, 413, 422, 429, 503, 507))
def upload(
    kb: KbName,
    key: AdminKey,
    runtime: RuntimeDep,
    files: Annotated[list[UploadFile], File(description="documents: .md .txt .docx .pdf .html .jsonl …")],
    access: Annotated[AccessLevel, Form(description="public | internal | confidential")] = "public",
    department: Annotated[str, Form(max_length=100, description="owning department")] = "",
) -> UploadReport:
    """上传文档并导入知识库（管理员）/ upload files into a KB (created if new); admin keys only.

    503 with Retry-After when another ingest holds the KB's write lock; 507 when the data directory is full
    or read-only. Each document is ingested whole or not at all.
    """
    settings = runtime.settings
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    folder = settings.home / "uploads" / kb / f"{stamp}-{uuid.uuid4().hex[:8]}"
    try:
        paths, failed = _save(files, folder, settings.max_upload_mb)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)  # no partial file for a later ingest to pick up
        raise storage_error(exc, kb) from exc
    if not paths:
        return UploadReport(kb=kb, ingested=[], skipped=[], failed=failed, chunks=0, seconds=0.0)
    limit = settings.max_upload_mb * 1024 * 1024
    options = IngestOptions(access=access, department=department or None, max_bytes=limit, source_base=folder)
    try:
        report = _knowledge(runtime).ingest(paths, kb, options)
    except (KnowledgeError, OSError) as exc:
        raise storage_error(exc, kb) from exc
    failed += [UploadFailure(file=str(path).removeprefix(str(folder) + "/"), reason=r) for path, r in report.failed]
    return UploadReport(
        kb=kb,
        ingested=report.ingested,
        skipped=report.skipped,
        failed=failed,
        chunks=report.chunks,
        seconds=round(report.seconds, 2),
    )


@router.delete("/{kb}/documents/{doc_id}", response_model=RemoveReport, responses=errors(401, 403, 404, 422, 429))
def delete_document(
    kb: KbName,
    doc_id: Annotated[str, Path(min_length=1, max_length=300)],
    key: AdminKey,
    runtime: RuntimeDep,
) -> RemoveReport:
    """删除一篇文档（管理员）/ remove one document; admin keys only."""
    knowledge = _knowledge(runtime)
    _require_kb(knowledge, kb)
    removed = knowledge.remove(kb, [doc_id])
    if not removed:
        raise ApiError(404, "unknown_document", f"知识库 {kb} 中没有文档 {doc_id}", f"no document {doc_id!r} in {kb}")
    return RemoveReport(kb=kb, removed=removed)


@router.delete("/{kb}", response_model=RemoveReport, responses=errors(401, 403, 404, 422, 429))
def delete_kb(kb: KbName, key: AdminKey, runtime: RuntimeDep) -> RemoveReport:
    """删除整个知识库（管理员）/ remove a whole knowledge base; admin keys only."""
    knowledge = _knowledge(runtime)
    _require_kb(knowledge, kb)
    return RemoveReport(kb=kb, removed=knowledge.remove(kb))
