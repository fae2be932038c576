"""DocumentBrief: what a writer tells the drafter (YAML or the workbench form), validated at the boundary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agents.errors import validation_problems
from agents.gongwen.doctypes import DOC_TYPE_INFO, resolve_doc_type


class BriefError(ValueError):
    """A brief is invalid or unreadable: the message names the file, the field and the fix."""


class BriefPoint(BaseModel):
    """A numbered part of the 正文: 一、heading, an optional paragraph, and （一）（二）… items."""

    model_config = ConfigDict(extra="forbid")

    heading: str
    text: str = ""
    items: list[str] = Field(default_factory=list)


class ReplyTo(BaseModel):
    """The 来文 a 批复 or 复函 answers: its title and 发文字号 are cited in the opening."""

    model_config = ConfigDict(extra="forbid")

    title: str
    number: str | None = None


class Meeting(BaseModel):
    """The meeting a 纪要 or 决议 records."""

    model_config = ConfigDict(extra="forbid")

    name: str
    date: dt.date | None = None
    place: str | None = None
    host: str | None = None
    attendees: list[str] = Field(default_factory=list)


class Attachment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    text: str = Field("", description="正文 of the attachment; empty = listed in 附件说明 only")


class DocumentBrief(BaseModel):
    """Everything the drafter needs; values left out become explicit placeholders, never invented ones."""

    model_config = ConfigDict(extra="forbid")

    doc_type: str = Field(description="one of the 15 文种, e.g. 通知 (aliases: 命令/令 → 命令（令）)")
    issuer: str = Field(description="发文机关全称, e.g. 江临市人民政府办公室")
    issuer_mark: str | None = Field(None, description="发文机关标志; default: issuer + 文件")
    agency_code: str | None = Field(None, description="机关代字, e.g. 江政办发; used in the 文号 placeholder")
    doc_number: str | None = Field(None, description="发文字号 from the registry, e.g. 江政办发〔2026〕12号")
    signer: str | None = Field(None, description="签发人 (上行文)")
    urgency: Literal["特急", "加急"] | None = None
    recipients: list[str] = Field(default_factory=list, description="主送机关")
    subject: str = Field(description="事由, e.g. 做好2026年春节期间安全生产工作")
    title: str | None = Field(None, description="full title; default: issuer + 关于 + subject + 的 + 文种")
    opening: str | None = Field(None, description="开头: 目的、依据或背景")
    points: list[str | BriefPoint] = Field(default_factory=list, description="正文要点, in order")
    request: str | None = Field(None, description="请示事项 (one only: 一文一事)")
    reply_to: ReplyTo | None = None
    meeting: Meeting | None = None
    attachments: list[str | Attachment] = Field(default_factory=list)
    date: dt.date | None = Field(None, description="成文日期 (the signing date; never guessed)")
    note: str | None = Field(None, description="附注 without brackets, e.g. 此件公开发布")
    cc: list[str] = Field(default_factory=list, description="抄送机关")
    printer: str | None = Field(None, description="印发机关; default: issuer")
    print_date: dt.date | None = None
    sealed: bool = True

    @field_validator("doc_type")
    @classmethod
    def _statutory(cls, value: str) -> str:
        return resolve_doc_type(value)

    @model_validator(mode="after")
    def _one_request(self) -> DocumentBrief:
        if self.request and DOC_TYPE_INFO[self.doc_type].name != "请示":
            raise ValueError(f"request (请示事项) belongs in a 请示, not a {self.doc_type}; a 报告 carries none")
        return self

    @property
    def attachment_list(self) -> list[Attachment]:
        return [a if isinstance(a, Attachment) else Attachment(name=a) for a in self.attachments]

    @classmethod
    def from_yaml(cls, path: Path, *, doc_type: str | None = None) -> DocumentBrief:
        """Load a brief from a UTF-8 YAML file (``doc_type`` overrides the file's); errors name the file and field."""
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise BriefError(f"{path}: cannot read the brief: {exc}") from exc
        if not isinstance(data, dict):
            raise BriefError(f"{path}: a brief is a YAML mapping with doc_type, issuer, subject, …")
        if doc_type:
            data = data | {"doc_type": doc_type}
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = validation_problems(exc, "field ", "(root)")
            raise BriefError(f"{path}: {problems}") from exc
