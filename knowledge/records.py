"""Structured records (事项库 exports as JSONL or CSV) rendered to text through a Jinja2 template.

A records file gives one ``SourceDocument`` per record. A bad record fails the whole file, naming the
line, so a file never half-ingests.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, field_validator

from knowledge.documents import SourceDocument
from knowledge.errors import LoadError
from knowledge.textdecode import normalize_text

RECORD_SUFFIXES = (".jsonl", ".csv")
TITLE_FIELDS = ("TASK_NAME", "name", "title", "标题", "事项名称")
EMPTY_VALUES = frozenset({"", "无"})

# Shipped templates know their source's field names; an explicit RecordOptions value always wins.
TEMPLATE_PRESETS: dict[str, dict[str, str]] = {
    "service_item": {"id_field": "TASK_CODE", "title_field": "TASK_NAME", "department_field": "DEPT_NAME"},
}

Value = str | list[str]


class RecordOptions(BaseModel):
    """How to turn records into documents.

    ``template`` is a shipped template name (``default``, ``service_item``) or a path to a ``.j2`` file
    (anything ending in ``.j2`` or containing a path separator). Fields left ``None`` take the
    template's preset (``service_item``: id ``TASK_CODE``, title ``TASK_NAME``, department
    ``DEPT_NAME``); without a preset the id is ``<relative stem>#<line>`` and the title the first of
    ``TITLE_FIELDS`` present. ``department_field`` fills ``meta_hints["department"]``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id_field: str | None = None
    title_field: str | None = None
    template: str = "default"
    department_field: str | None = None

    @field_validator("template")
    @classmethod
    def _template_exists(cls, value: str) -> str:
        _template_source(value)
        return value

    def resolved(self, name: Literal["id_field", "title_field", "department_field"]) -> str | None:
        """The field to use for ``name``: the explicit value, else the template's preset, else None."""
        explicit: str | None = getattr(self, name)
        return explicit or TEMPLATE_PRESETS.get(self.template, {}).get(name)


def available_templates() -> list[str]:
    """Names of the record templates shipped in ``prompts/templates/records``."""
    folder = files("prompts").joinpath("templates", "records")
    return sorted(entry.name.removesuffix(".j2") for entry in folder.iterdir() if entry.name.endswith(".j2"))


def load_records(
    path: Path, text: str, *, stem: str, options: RecordOptions, hints: Mapping[str, str] | None = None
) -> list[SourceDocument]:
    """Parse a decoded JSONL or CSV file and render one document per record.

    Args:
        path: the records file, named in errors and in each document's ``source``.
        text: its decoded (not normalised) content.
        stem: the file's path relative to the ingest root without suffix, for generated ids.
        options: id/title fields and template.
        hints: metadata from a sidecar, applied to every record (it wins over record fields).

    Raises:
        LoadError: a line is malformed, an id is missing or repeated, or the template fails.
    """
    where = str(path)
    rows = _jsonl_rows(text, where) if path.suffix.lower() == ".jsonl" else _csv_rows(text, where)
    template = _compile(options.template, where)
    id_field, title_field = options.resolved("id_field"), options.resolved("title_field")
    department_field = options.resolved("department_field")
    documents: list[SourceDocument] = []
    first_line: dict[str, int] = {}
    for line_no, record in rows:
        fields = {name: value for name, raw in record.items() if (value := _clean(raw))}
        doc_id = _record_id(fields, id_field, stem, line_no, where)
        if doc_id in first_line:
            raise LoadError(
                where,
                f"line {line_no}: duplicate id {doc_id!r} (first on line {first_line[doc_id]}) / 编号重复",
            )
        first_line[doc_id] = line_no
        title_key = next((k for k in (title_field, *TITLE_FIELDS) if k and isinstance(fields.get(k), str)), None)
        title = str(fields[title_key]) if title_key else doc_id
        context = {"r": record, "fields": list(fields.items()), "title": title, "doc_id": doc_id}
        body = _render(template, context, fields, where, line_no, options.template)
        meta: dict[str, str] = {}
        if department_field and (department := fields.get(department_field)):
            meta["department"] = _joined(department)
        meta.update(hints or {})
        documents.append(SourceDocument(doc_id, title, body, f"{path}#L{line_no}", meta))
    if not documents:
        raise LoadError(where, "no records found / 文件中没有记录")
    return documents


def _clean(raw: Any) -> Value:
    """A record value as text: "" for None/empty/"无", list items cleaned with empties dropped."""
    if isinstance(raw, list):
        items = [item for item in (_scalar(x) for x in raw) if item]
        return items
    return _scalar(raw)


def _scalar(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        text = "是" if raw else "否"
    elif isinstance(raw, dict | list):
        text = json.dumps(raw, ensure_ascii=False)
    else:
        text = str(raw).strip()
    return "" if text in EMPTY_VALUES else text


def _record_id(fields: Mapping[str, Value], id_field: str | None, stem: str, line_no: int, where: str) -> str:
    if id_field is None:
        return f"{stem}#{line_no}"
    value = fields.get(id_field)
    if not value or not isinstance(value, str):
        raise LoadError(where, f"line {line_no}: id field {id_field!r} is missing or empty / 缺少编号字段")
    return value


def _jsonl_rows(text: str, where: str) -> Iterator[tuple[int, dict[str, Any]]]:
    # split("\n"), not splitlines(): JSON strings may legally hold U+2028 and other line separators.
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LoadError(
                where,
                f"line {line_no}: invalid JSON: {exc.msg} (column {exc.colno}) / JSON 格式错误",
            ) from exc
        if not isinstance(record, dict):
            kind = type(record).__name__
            raise LoadError(where, f"line {line_no}: expected a JSON object, got {kind} / 每行应为一个 JSON 对象")
        yield line_no, record


def _csv_rows(text: str, where: str) -> Iterator[tuple[int, dict[str, Any]]]:
    first = text.split("\n", 1)[0]
    # Excel's "Unicode text" export uses tabs; everything else in practice uses commas.
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        if not any(header):
            raise LoadError(where, "line 1: no header row / 缺少表头")
        duplicates = sorted({name for name in header if header.count(name) > 1})
        if duplicates:
            raise LoadError(where, f"line 1: duplicate columns {', '.join(duplicates)} / 表头列名重复")
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) > len(header):
                    raise LoadError(
                        where,
                        f"line {start}: {len(row)} fields but the header has {len(header)} / 列数多于表头",
                    )
                yield start, dict(zip(header, row, strict=False))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise LoadError(where, f"line {reader.line_num}: invalid CSV: {exc} / CSV 格式错误") from exc


# --- templates -------------------------------------------------------------------------------------


def _template_source(template: str) -> str:
    """The template's source text; ValueError naming the available templates if it does not exist."""
    if template.endswith(".j2") or "/" in template or "\\" in template:
        file = Path(template)
        if not file.is_file():
            raise ValueError(f"record template file not found: {template}")
        return file.read_text(encoding="utf-8")
    names = available_templates()
    if template not in names:
        raise ValueError(
            f"unknown record template {template!r}; available: {', '.join(names)}, or a path to a .j2 file"
        )
    return files("prompts").joinpath("templates", "records", f"{template}.j2").read_text(encoding="utf-8")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text for the index, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(joined=_joined, numbered=_numbered, duration=_duration, strip_label=_strip_label)
    return env


def _compile(template: str, where: str) -> jinja2.Template:
    try:
        return _environment().from_string(_template_source(template))
    except (ValueError, OSError) as exc:
        raise LoadError(where, f"record template: {exc} / 记录模板不可用") from exc
    except jinja2.TemplateSyntaxError as exc:
        raise LoadError(
            where, f"record template {template!r} line {exc.lineno}: {exc.message} / 记录模板语法错误"
        ) from exc


def _render(
    template: jinja2.Template,
    context: dict[str, Any],
    fields: Mapping[str, Value],
    where: str,
    line_no: int,
    name: str,
) -> str:
    """Render one record; templates read fields through ``field(name)``, which is "" when absent."""

    def field(key: str) -> Value:
        return fields.get(key, "")

    try:
        text = template.render(context, field=field)
    except Exception as exc:  # a template is user-supplied code; any failure is this file's load error
        raise LoadError(where, f"line {line_no}: template {name!r} failed: {exc} / 记录模板渲染失败") from exc
    text = normalize_text(text)
    if not text:
        raise LoadError(where, f"line {line_no}: record renders to empty text / 记录内容为空")
    return text


def _joined(value: Value, separator: str = "、") -> str:
    """Lists as ``a、b、c``; text unchanged."""
    return separator.join(value) if isinstance(value, list) else value


def _numbered(value: Value) -> str:
    """Lists as ``1. a`` lines; text unchanged."""
    if isinstance(value, list):
        return "\n".join(f"{i}. {item}" for i, item in enumerate(value, start=1))
    return value


_DURATION = re.compile(r"^\s*(\d+)\s*[(（]\s*(工作日|自然日|天|日|个月|月|年)\s*[)）]\s*$")


def _duration(value: Value) -> str:
    """``30(工作日)`` → ``30个工作日``; anything else unchanged."""
    text = _joined(value)
    match = _DURATION.match(text)
    if not match:
        return text
    number, unit = match.groups()
    return f"{number}{unit}" if unit in ("天", "日", "个月", "年") else f"{number}个{unit}"


def _strip_label(value: Value, label: str) -> str:
    """Drop a label the value repeats, e.g. ``办理地点：X`` under the label 办理地点 → ``X``.

    What remains is cleaned again, so ``办理地点：无`` becomes empty.
    """
    return _scalar(re.sub(rf"^\s*{re.escape(label)}\s*[：:]\s*", "", _joined(value)))
