"""Bytes to clean text: encoding detection (UTF-8 first, then GB18030/GBK/Big5/UTF-16) and normalisation."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from knowledge.errors import LoadError

# GBK and GB2312 are subsets of GB18030; decoding with the superset keeps rare characters (人名用字)
# that a GBK-labelled file written by a GB18030-aware editor may contain.
_SUPERSET = {"gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030"}

# Short Chinese byte strings are ambiguous: "社保卡" in GBK is also valid Big5 or Shift-JIS. Among
# candidates that read about equally well, prefer the mainland national standard.
_PREFERRED = "gb18030"
_CHAOS_MARGIN = 0.1

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAX_CONTROL_RATIO = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = re.compile(r"[\x00\u200b\u200c\u200d\u2060\ufeff]")
_PAGE_BREAKS = re.compile(r"[\x0b\x0c]")
_TRAILING_SPACE = re.compile(r"[ \t\u3000\xa0]+$", re.MULTILINE)
_MANY_BLANK_LINES = re.compile(r"\n{4,}")

BINARY = "binary content, not text / 文件为二进制内容，不是文本"
EMPTY = "empty file / 文件为空"


def decode_text(data: bytes, path: str, *, declared: str | None = None) -> str:
    """Decode file bytes to text, trying UTF-8 first, then a declared charset, then detection.

    Args:
        data: the raw file content.
        path: the file, named in errors.
        declared: a charset the file itself declares (an HTML ``<meta charset>``), tried before detection.

    Returns:
        The decoded text, not yet normalised.

    Raises:
        LoadError: the content is binary, undecodable, or empty.
    """
    if not data.strip():
        raise LoadError(path, EMPTY)
    text = _decode(data, path, declared)
    if sum(1 for _ in _CONTROL.finditer(text)) > _MAX_CONTROL_RATIO * len(text):
        raise LoadError(path, BINARY)
    if not text.strip():
        raise LoadError(path, EMPTY)
    return text


def _decode(data: bytes, path: str, declared: str | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, path)
    # Text has NUL bytes only by accident (a stray one is removed by normalize_text); many mean binary.
    # UTF-16 text, which is full of them, arrives with a BOM from the Windows tools that write it.
    if data.count(b"\x00") > _MAX_CONTROL_RATIO * len(data):
        raise LoadError(path, BINARY)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        encoding = _SUPERSET.get(declared.lower(), declared)
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong or unknown declaration is common; fall through to detection
    return _detect(data, path)


def _detect(data: bytes, path: str) -> str:
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise LoadError(path, BINARY)
    encoding = best.encoding
    for match in matches:
        if match.encoding == _PREFERRED and match.chaos <= best.chaos + _CHAOS_MARGIN:
            encoding = _PREFERRED
    return _strict(data, _SUPERSET.get(encoding, encoding), path)


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise LoadError(path, f"cannot decode as {encoding}: {exc.__class__.__name__} / 无法识别文本编码") from exc


def normalize_text(text: str) -> str:
    """Normalise loaded text; chunk character spans refer to the result.

    ``\\r\\n`` and ``\\r`` become ``\\n``, page breaks become newlines, NUL, zero-width characters and
    other control characters are removed, trailing spaces are stripped, three or more blank lines
    collapse to two, and blank lines at either end are dropped. Leading indentation (the full-width
    spaces that open a Chinese paragraph) is kept.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PAGE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("", text)
    text = _MANY_BLANK_LINES.sub("\n\n\n", text)
    return text.strip("\n")
