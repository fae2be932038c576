"""A 文书 from a case record and a template: fields verbatim from the record, 法条 checked, 时限 computed.

What the writer adds is only the template's fixed wording, dates it computes (each with its rule) and
marks: 【待补：字段】 for a required field the record lacks, 〔未在知识库中核实〕 after a citation the
knowledge base does not hold. Both are listed in ``flags`` so nobody signs a 文书 with either in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.casework.citations import ArticleFinder, Citation, check_citations, find_citations
from agents.casework.doctypes import ALIASES, DOC_TYPES, DocType
from agents.extraction import find_dates
from agents.tracking.deadlines import LIMIT_PATTERN, deadline_from
from prompts import render

UNVERIFIED = "〔未在知识库中核实〕"


class CaseworkError(ValueError):
    """The 文书 type is unknown or the record is empty; the message lists the known types."""


@dataclass
class CaseDocument:
    doc_type: str
    text: str
    fields: dict[str, str]
    citations: list[Citation] = field(default_factory=list)
    deadlines: dict[str, dict[str, Any]] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_type": self.doc_type,
            "document": self.text,
            "fields": self.fields,
            "checked_citations": [c.to_dict() for c in self.citations],
            # The shape agent answers cite in (doc_id, title, heading, quote): only what the knowledge base confirmed.
            "citations": [
                {"doc_id": c.doc_id, "title": c.title, "heading": c.article, "quote": c.quote}
                for c in self.citations
                if c.found
            ],
            "deadlines": self.deadlines,
            "flags": self.flags,
            "ready": not self.flags,
        }


def choose_doc_type(text: str, record: dict[str, Any], name: str = "") -> DocType:
    """The type named by ``name`` or the record's 文书类型, else the one whose keywords occur in ``text``."""
    wanted = name or str(record.get("文书类型", "")).strip()
    if wanted:
        found = next((d for n, d in DOC_TYPES.items() if wanted in (n, n[:-1]) or n in wanted), None)
        if found is None:
            raise CaseworkError(f"unknown 文书类型 {wanted!r}; known: {', '.join(DOC_TYPES)}")
        return found
    scored = [(sum(k in text for k in d.keywords), -i, d) for i, d in enumerate(DOC_TYPES.values())]
    best = max(scored, key=lambda item: item[:2])
    if best[0] == 0:
        raise CaseworkError(f"say which 文书 to produce (文书类型：…); known: {', '.join(DOC_TYPES)}")
    return best[2]


def resolve_fields(record: dict[str, Any], doc: DocType) -> tuple[dict[str, str], list[str]]:
    """The record's values under the template's field names (aliases resolved), and the required ones missing."""
    values = {
        str(k).strip(): "、".join(map(str, v)) if isinstance(v, list) else str(v).strip() for k, v in record.items()
    }
    fields: dict[str, str] = {}
    for name in (*doc.required, *doc.optional):
        value = values.get(name) or next((values[a] for a in ALIASES.get(name, ()) if values.get(a)), "")
        fields[name] = value
    missing = [name for name in doc.required if not fields[name]]
    return fields, missing


def _date_cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _deadlines(
    doc: DocType, fields: dict[str, str], today: dt.date, holidays: Path | None
) -> dict[str, dict[str, Any]]:
    results: dict[str, dict[str, Any]] = {}
    for limit in doc.limits:
        phrase = fields.get(limit.phrase_field, "") if limit.phrase_field else ""
        phrase = phrase or limit.fixed_phrase
        dated = [d for d in find_dates(fields.get(limit.base_field, "")) if d.valid]
        base = dt.date.fromisoformat(dated[0].normalized) if dated else today
        match = LIMIT_PATTERN.search(phrase)
        if match is None:
            results[limit.name] = {"phrase": phrase, "date": None, "date_cn": phrase, "rule": "期限无法识别，照录原文"}
            continue
        deadline = deadline_from(match, base, holidays)
        day = deadline.date
        results[limit.name] = {
            "phrase": phrase,
            "date": day.isoformat() if day else None,
            "date_cn": _date_cn(day) if day else phrase,
            "rule": f"自{limit.base_field}（{_date_cn(base)}）起算：{deadline.rule}",
        }
    return results


def compose(
    record: dict[str, Any],
    doc: DocType,
    finder: ArticleFinder,
    today: dt.date | None = None,
    holidays_file: Path | None = None,
) -> CaseDocument:
    """Render ``doc`` from ``record``.

    Args:
        record: the case record (field → value), as written by the 办案人员.
        doc: the 文书 type.
        finder: looks up (《名称》, 第X条) in the knowledge base; see ``kb_article_finder``.
        today: the base date when the record has no 文书日期.
        holidays_file: working-day calendar override.
    """
    fields, missing = resolve_fields(record, doc)
    shown = {name: value or (f"【待补：{name}】" if name in missing else "") for name, value in fields.items()}
    citations: list[Citation] = []
    for name in doc.cited_fields:
        checked = check_citations(fields[name], finder)
        citations += checked
        for citation in checked:
            if not citation.found:
                shown[name] = shown[name].replace(citation.cited, citation.cited + UNVERIFIED, 1)
    deadlines = _deadlines(doc, fields, today or dt.date.today(), holidays_file)
    text = render(doc.template, f=shown, d=deadlines)
    result = CaseDocument(doc.name, text, fields, citations, deadlines)
    result.flags += [f"缺少必填字段：{name}" for name in missing]
    result.flags += [f"引用的{c.cited}未在知识库中找到，请核实后再签发" for c in citations if not c.found]
    for name in doc.cited_fields:
        if fields[name] and not find_citations(fields[name]):
            result.flags.append(f"{name}「{fields[name]}」未写明《法规名称》第X条，无法核对")
    return result
