"""公文 endpoints for staff: 文种 list, draft from a brief (optionally with an edited title/正文), check, .docx."""

from __future__ import annotations

import io
import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from agents.gongwen import (
    DOC_TYPE_INFO,
    BodyParagraph,
    ClassifiedDocumentError,
    DocumentBrief,
    GongwenDraft,
    check_document,
    draft_document,
    write_docx,
)
from app.api.auth import require
from app.api.errors import ApiError
from app.api.schemas import errors
from app.keys import ApiKey

router = APIRouter(prefix="/v1/doc", tags=["公文"])
StaffKey = Annotated[ApiKey, Depends(require("staff", "admin"))]
_LEVELS = [
    (re.compile(r"^[一二三四五六七八九十]+、"), 1),
    (re.compile(r"^（[一二三四五六七八九十]+）"), 2),
    (re.compile(r"^\d+[.．]"), 3),
    (re.compile(r"^（\d+）"), 4),
]


class DocTypeCard(BaseModel):
    name: str
    direction: str
    needs_recipients: bool
    purpose: str


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    brief: DocumentBrief
    title: str | None = Field(None, max_length=200, description="an edited title replacing the drafted one")
    body: str | None = Field(None, max_length=50_000, description="an edited 正文, one paragraph a line")


class DraftResponse(BaseModel):
    title: str
    body: str = Field(description="正文, one paragraph a line (what the editor shows)")
    text: str = Field(description="the whole document as text, all 要素 in reading order")
    placeholders: list[str]
    check: dict[str, Any] = Field(description="the format check of ``text`` (CheckReport.to_json)")


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=100_000)
    doc_type: str | None = Field(None, max_length=20)


def _draft(body: DraftRequest) -> GongwenDraft:
    try:
        draft = draft_document(body.brief)
    except ClassifiedDocumentError as exc:
        raise ApiError(422, "classified", "涉密公文不得在本系统起草或检查", str(exc)) from exc
    if body.title and body.title.strip():
        draft.title = body.title.strip()
    if body.body is not None:
        lines = [line.strip() for line in body.body.splitlines() if line.strip()]
        draft.body = [BodyParagraph(line, _level(line)) for line in lines]
    return draft


def _level(text: str) -> int:
    return next((level for pattern, level in _LEVELS if pattern.match(text)), 0)


@router.get("/types", response_model=list[DocTypeCard], responses=errors(401, 403, 429))
def doc_types(key: StaffKey) -> list[DocTypeCard]:
    """十五种法定文种 / the 15 statutory 文种."""
    return [
        DocTypeCard(name=t.name, direction=t.direction, needs_recipients=t.needs_recipients, purpose=t.purpose)
        for t in DOC_TYPE_INFO.values()
    ]


@router.post("/draft", response_model=DraftResponse, responses=errors(401, 403, 422, 429))
def draft(body: DraftRequest, key: StaffKey) -> DraftResponse:
    """按要素起草公文并检查格式 / draft from a brief (plus edits) and check its format."""
    result = _draft(body)
    text = result.to_text()
    return DraftResponse(
        title=result.title,
        body="\n".join(p.text for p in result.body),
        text=text,
        placeholders=result.placeholders(),
        check=check_document(text, doc_type=result.doc_type).to_json(),
    )


@router.post("/check", response_model=dict[str, Any], responses=errors(401, 403, 422, 429))
def check(body: CheckRequest, key: StaffKey) -> dict[str, Any]:
    """公文格式检查 / check a document given as text."""
    try:
        return check_document(body.text, doc_type=body.doc_type).to_json()
    except ValueError as exc:
        raise ApiError(422, "invalid_request", f"无法检查：{exc}", str(exc)) from exc


@router.post(
    "/docx",
    response_class=Response,
    responses={
        **errors(401, 403, 422, 429),
        200: {"content": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}},
    },
)
def docx(body: DraftRequest, key: StaffKey) -> Response:
    """下载 GB/T 9704 格式的 .docx / the draft as a .docx file."""
    result = _draft(body)
    buffer = io.BytesIO()
    write_docx(result, buffer)
    filename = quote(f"{result.title[:60]}.docx")
    return Response(
        buffer.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f"attachment; filename=\"draft.docx\"; filename*=UTF-8''{filename}"},
    )
