"""Loaders: files in, ``SourceDocument``s out, one clear ``LoadError`` for each file that cannot be read.

Batch use::

    for item in iter_input_files(paths):
        if item.error:
            report(item.path, item.error)  # e.g. a path that does not exist; carry on
            continue
        try:
            documents = load_file(item.path, item.root)
        except LoadError as exc:
            report(exc.path, exc.reason)
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
import pypdf
import yaml
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag
from docx.table import Table
from docx.text.paragraph import Paragraph

from knowledge.documents import ACCESS_LEVELS, VALIDITIES, SourceDocument
from knowledge.errors import LoadError
from knowledge.records import RECORD_SUFFIXES, RecordOptions, load_records
from knowledge.textdecode import decode_text, normalize_text

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf", *RECORD_SUFFIXES)
SIDECAR_SUFFIX = ".meta.yaml"
SIDECAR_KEYS = ("doc_id", "title", "issuer", "doc_number", "date", "validity", "access", "department")

# Formats people hand us that we do not read, with the conversion that makes them readable.
_CONVERT_HINTS = {
    ".doc": "save it as .docx / 请另存为 .docx",
    ".wps": "save it as .docx / 请另存为 .docx",
    ".xls": "export it as .csv / 请导出为 .csv",
    ".xlsx": "export it as .csv / 请导出为 .csv",
    ".ofd": "export it as PDF / 请导出为 PDF",
}
# Office lock files and OS droppings that sit beside real documents in shared folders.
_JUNK = re.compile(r"^(~\$.*|Thumbs\.db|desktop\.ini)$", re.IGNORECASE)


@dataclass(frozen=True)
class InputFile:
    """One file to load, or a path that cannot be walked (``error`` says why; report it and continue).

    ``root`` is the folder ``doc_id``s are made relative to: the folder given, or a file's parent.
    """

    path: Path
    root: Path
    error: str | None = None


def iter_input_files(paths: list[Path]) -> Iterator[InputFile]:
    """Expand files and folders into the files to load, in a stable order.

    Folders recurse in sorted order, skipping hidden files and folders, ``*.meta.yaml`` sidecars and
    Office lock files. Unsupported file types are still yielded so that ``load_file`` reports them.
    A missing or unreadable path yields an ``InputFile`` with ``error`` set instead of raising.
    """
    for path in paths:
        if path.is_dir():
            yield from _walk(path, path, set())
        elif path.is_file():
            yield InputFile(path, path.parent)
        else:
            yield InputFile(path, path.parent, "path does not exist / 路径不存在")


def _walk(folder: Path, root: Path, seen: set[Path]) -> Iterator[InputFile]:
    try:
        real = folder.resolve()
        if real in seen:
            return  # a symlink back into the tree would otherwise recurse forever
        seen.add(real)
        entries = sorted(folder.iterdir())
    except OSError as exc:
        yield InputFile(folder, root, f"cannot list folder: {exc.strerror} / 无法读取文件夹")
        return
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name.endswith(SIDECAR_SUFFIX) or _JUNK.match(name):
            continue
        if entry.is_dir():
            yield from _walk(entry, root, seen)
        elif entry.is_file():
            yield InputFile(entry, root)


def load_file(
    path: Path, root: Path, *, records: RecordOptions | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[SourceDocument]:
    """Load one file into documents (one per record for ``.jsonl``/``.csv``, else exactly one).

    Args:
        path: the file; its string form becomes ``source``.
        root: ``doc_id`` is ``path`` relative to ``root`` without suffix, e.g. ``guides/社保卡补办``.
        records: how to render records files; defaults to ``RecordOptions()``.
        max_bytes: larger files are refused.

    Raises:
        LoadError: for every reason the file cannot be read, naming the file and the reason.
    """
    where = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        hint = _CONVERT_HINTS.get(suffix, "")
        raise LoadError(
            where,
            f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}"
            f"{'; ' + hint if hint else ' / 不支持的文件类型'}",
        )
    data = _read(path, max_bytes)
    sidecar = read_sidecar(path)
    stem = _relative_stem(path, root)
    if suffix in RECORD_SUFFIXES:
        if sidecar.doc_id or sidecar.title:
            raise LoadError(
                where,
                f"sidecar {sidecar.name}: doc_id and title cannot be set for a records file, "
                "each record has its own / 记录文件不能在元数据文件中设置 doc_id 或 title",
            )
        text = decode_text(data, where)
        return load_records(path, text, stem=stem, options=records or RecordOptions(), hints=sidecar.hints)
    text, title = _EXTRACTORS[suffix](data, where)
    text = normalize_text(text)
    if not text.strip():
        raise LoadError(where, "no text found / 未找到文字内容")
    title = sidecar.title or title or guess_title(text) or path.stem
    return [SourceDocument(sidecar.doc_id or stem, title, text, where, sidecar.hints)]


def _read(path: Path, max_bytes: int) -> bytes:
    where = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise LoadError(
                where,
                f"file is {_size(size)}, over the {_size(max_bytes)} limit (SHUZHI_MAX_UPLOAD_MB) / 文件过大",
            )
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise LoadError(where, "path does not exist / 路径不存在") from exc
    except IsADirectoryError as exc:
        raise LoadError(where, "is a folder, not a file / 这是文件夹") from exc
    except OSError as exc:
        raise LoadError(where, f"cannot read file: {exc.strerror} / 无法读取文件") from exc


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def _relative_stem(path: Path, root: Path) -> str:
    try:
        relative = path.relative_to(root)
    except ValueError:
        relative = Path(path.name)  # a caller passed an unrelated root; the file's own name is stable
    return relative.with_suffix("").as_posix()


# --- formats: each returns (text, title or "") --------------------------------------------------------


def _plain(data: bytes, where: str) -> tuple[str, str]:
    return decode_text(data, where), ""


_MD_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$|^(\S.*)\n=+[ \t]*$", re.MULTILINE)


def _markdown(data: bytes, where: str) -> tuple[str, str]:
    text = decode_text(data, where)
    match = _MD_H1.search(text.replace("\r\n", "\n"))
    return text, (match.group(1) or match.group(2)).strip() if match else ""


# Not content: page chrome and code. The title is read separately.
_HTML_DROP = {"head", "title", "script", "style", "nav", "noscript", "template", "iframe", "svg", "select"}
_HTML_BLOCKS = {
    "address", "article", "aside", "blockquote", "caption", "center", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "ul",
}  # fmt: skip
_HTML_SKIP_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n\s*(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")


def _squash(text: str) -> str:
    # A source line break between two Chinese characters is not a space (browsers drop it too).
    return _SPACES.sub(" ", _CJK_BREAK.sub("", text))


def _html(data: bytes, where: str) -> tuple[str, str]:
    declared = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", data[:4096], re.IGNORECASE)
    text = decode_text(data, where, declared=declared.group(1).decode("ascii") if declared else None)
    try:
        soup = BeautifulSoup(text, "html.parser")
        title = _squash(soup.title.get_text()).strip() if soup.title else ""
        if not title and (h1 := soup.find("h1")):
            title = _squash(h1.get_text()).strip()
        pieces: list[str] = []
        _html_text(soup, pieces)
    except Exception as exc:  # html.parser is lenient; this guards deep nesting (RecursionError) and the like
        raise LoadError(where, f"cannot parse HTML: {exc.__class__.__name__} / HTML 无法解析") from exc
    lines = (line.strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line), title


def _html_text(node: Tag, out: list[str]) -> None:
    """Collect text with a line break around every block element; a table row becomes ``a | b | c``."""
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, _HTML_SKIP_STRINGS):
                out.append(_squash(str(child)))
        elif isinstance(child, Tag) and child.name not in _HTML_DROP:
            if child.name == "br":
                out.append("\n")
            elif child.name == "tr":
                cells = [_squash(c.get_text(" ")).strip() for c in child.find_all(["td", "th"], recursive=False)]
                out.append("\n" + " | ".join(cells) + "\n" if any(cells) else "\n")
            elif child.name == "pre":
                out.append("\n" + child.get_text() + "\n")
            else:
                block = child.name in _HTML_BLOCKS
                out.append("\n" if block else "")
                _html_text(child, out)
                out.append("\n" if block else "")


def _docx(data: bytes, where: str) -> tuple[str, str]:
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                lines.extend(_docx_rows(block))
        # Only the title: author and company are whoever owned the PC, not the issuing authority.
        title = (document.core_properties.title or "").strip()
    except Exception as exc:  # python-docx surfaces zip, XML and key errors from a damaged package as-is
        raise LoadError(
            where,
            f"not a readable .docx (damaged, or an old .doc renamed): {exc.__class__.__name__} / 文件损坏",
        ) from exc
    return "\n".join(lines), title


def _docx_rows(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is not previous:  # a merged cell repeats once per grid column it spans
                cells.append(_SPACES.sub(" ", cell.text).strip())
            previous = cell._tc
        if any(cells):
            yield " | ".join(cells)


def _pdf(data: bytes, where: str) -> tuple[str, str]:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        # Many government PDFs are "encrypted" with an empty user password only to restrict printing.
        if reader.is_encrypted and not _unlock(reader):
            raise LoadError(where, "encrypted PDF; remove the password first / PDF 已加密，请先解除密码")
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except Exception as exc:  # pypdf raises its own errors plus struct/zlib/key errors on damaged files
        raise LoadError(where, f"not a readable PDF (damaged?): {exc.__class__.__name__} / PDF 文件损坏") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise LoadError(where, "no text layer (scanned image?); run OCR first / PDF 无文字层，请先进行 OCR 识别")
    return text, ""


def _unlock(reader: pypdf.PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # AES needs the optional cryptography package; treat as locked either way
        return False


_EXTRACTORS: dict[str, Callable[[bytes, str], tuple[str, str]]] = {
    ".txt": _plain,
    ".md": _markdown,
    ".markdown": _markdown,
    ".html": _html,
    ".htm": _html,
    ".docx": _docx,
    ".pdf": _pdf,
}


# --- titles -------------------------------------------------------------------------------------------

_STRUCTURAL = re.compile(
    r"^(第[一二三四五六七八九十百千零〇\d]+[编章节条款]|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、．])"
)
_NOT_A_TITLE = re.compile(r"〔\d{4}〕|\[\d{4}\]\s*\d+\s*号|^\d{4}\s*年.*日$|^[\d\s./-]+$")
_DOC_TYPES = re.compile(
    r"(办法|规定|条例|细则|通知|意见|决定|方案|指南|公告|通告|批复|规划|规则|须知|纲要|制度|标准|函|报告)"
    r"\s*([(（][^)）]{1,10}[)）])?$"
)
_SENTENCE_END = tuple("。；;，,：:！!？?")
_TITLE_MAX = 60
_TITLE_WINDOW = 5  # a document's title sits among its first few lines (issuer, doc number, title)


def guess_title(text: str) -> str:
    """A title from the opening lines: a line naming a document type (…办法, …通知), else the first line.

    Returns "" when nothing looks like a title (too long, a sentence, a 第X条, a 发文字号 or a date).
    """
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines() if line.strip()]
    candidates: list[str] = []
    for line in lines[:_TITLE_WINDOW]:
        if _STRUCTURAL.match(line):
            break  # the body has started
        if 2 <= len(line) <= _TITLE_MAX and not line.endswith(_SENTENCE_END) and not _NOT_A_TITLE.search(line):
            candidates.append(line)
    typed = [line for line in candidates if _DOC_TYPES.search(line)]
    if typed:
        return typed[0]
    return candidates[0] if candidates and lines and candidates[0] == lines[0] else ""


# --- sidecars -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sidecar:
    """What a ``NAME.meta.yaml`` beside ``NAME.ext`` says about the document."""

    name: str = ""
    doc_id: str = ""
    title: str = ""
    hints: dict[str, str] = field(default_factory=dict)


def sidecar_path(path: Path) -> Path:
    """``办法.md`` → ``办法.meta.yaml`` in the same folder (``办法.pdf`` beside it shares the sidecar)."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> Sidecar:
    """Read and validate the sidecar of ``path``; an empty ``Sidecar`` if there is none.

    Raises:
        LoadError: on ``path``, naming the sidecar, the bad key or value and the valid options.
    """
    file = sidecar_path(path)
    if not file.is_file():
        return Sidecar()

    def fail(reason: str) -> LoadError:
        return LoadError(str(path), f"sidecar {file.name}: {reason}")

    try:
        data = file.read_bytes()
        raw = yaml.safe_load(decode_text(data, str(file))) if data.strip() else None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror} / 元数据文件无法读取") from exc
    except LoadError as exc:
        raise fail(exc.reason) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        raise fail(f"not valid YAML{at} / 元数据文件格式错误") from exc
    if raw is None:
        return Sidecar(file.name)
    if not isinstance(raw, dict):
        raise fail(f"expected key: value pairs, got {type(raw).__name__} / 元数据文件应为键值对")
    values: dict[str, str] = {}
    for key, value in raw.items():
        if key not in SIDECAR_KEYS:
            raise fail(f"unknown key {key!r}; valid keys: {', '.join(SIDECAR_KEYS)} / 未知字段")
        if value is not None and value != "":
            values[key] = _sidecar_value(key, value, fail)
    doc_id, title = values.pop("doc_id", ""), values.pop("title", "")
    return Sidecar(file.name, doc_id, title, values)


def _sidecar_value(key: str, value: Any, fail: Callable[[str], LoadError]) -> str:
    if key == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise fail(f"date {value!r} must be yyyy-mm-dd, e.g. 2025-03-01 / 日期格式应为 yyyy-mm-dd")
        return text
    if isinstance(value, dict | list):
        raise fail(f"{key} must be text, got {type(value).__name__} / 字段值应为文本")
    text = str(value).strip()
    options = {"validity": VALIDITIES, "access": ACCESS_LEVELS}.get(key)
    if options is not None and text not in options:
        raise fail(f"{key} {text!r} is not one of {', '.join(options)} / 取值无效")
    return text
