"""Hypothesis fuzz of the ingestion parsers: any bytes or text either parse or raise the documented LoadError,
and every chunk's span is exact (``chunk.text == text[start:end]``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.chunking import chunk_text
from knowledge.errors import LoadError
from knowledge.loaders import SUPPORTED_SUFFIXES, guess_title, load_file
from knowledge.metadata import extract_meta
from knowledge.structure import split_sections
from knowledge.textdecode import decode_text, normalize_text
from knowledge.tokens import get_token_counter

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COUNTER = get_token_counter("chars")  # the cl100k counter is exercised elsewhere; chars keeps this file fast

# Government-document shaped text: headings, articles, numbering, dates, doc numbers, noise.
PIECES = st.sampled_from(
    [
        "第一章 总则\n",
        "第十二条 ",
        "一、",
        "（二）",
        "1. ",
        "# ",
        "## 办理流程\n",
        "江临市人民政府办公室\n",
        "江临政办发〔2025〕12号\n",
        "2025年3月1日\n",
        "二〇二五年一月十五日\n",
        "本办法自发布之日起施行。",
        "已废止",
        "申请人应当提交身份证原件。",
        "\n\n",
        "\r\n",
        "\t",
        "　",
        "\u200b",
        "\ufeff",
        "😀",
        "<p>",
        "</div>",
        "|a|b|\n|-|-|\n",
        "```\n",
    ]
)
DOC_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=40).map("".join)
BYTES = st.one_of(
    st.binary(max_size=2000),
    DOC_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    DOC_TEXT.map(lambda t: t.encode("gb18030", "replace")),
    DOC_TEXT.map(lambda t: t.encode("utf-16", "surrogatepass")),
)


def _assert_exact_spans(text: str, max_tokens: int, overlap: int) -> None:
    for chunk in chunk_text(text, counter=COUNTER, max_tokens=max_tokens, overlap_tokens=overlap):
        assert 0 <= chunk.start < chunk.end <= len(text)
        assert chunk.text == text[chunk.start : chunk.end]
        assert chunk.text.strip()


@FUZZ
@given(text=DOC_TEXT, max_tokens=st.integers(8, 200), overlap=st.integers(0, 20))
def test_chunk_spans_are_exact_for_any_text(text: str, max_tokens: int, overlap: int) -> None:
    _assert_exact_spans(text, max_tokens, min(overlap, max_tokens // 2))


@FUZZ
@given(text=DOC_TEXT)
def test_sections_are_ordered_spans_inside_the_text(text: str) -> None:
    previous_end = 0
    for section in split_sections(text):
        assert previous_end <= section.start <= section.end <= len(text)
        previous_end = section.start


@FUZZ
@given(data=BYTES)
def test_decode_text_returns_text_or_raises_load_error(data: bytes) -> None:
    try:
        text = decode_text(data, "fuzz.txt")
    except LoadError as exc:
        assert exc.path == "fuzz.txt" and exc.reason
        return
    assert isinstance(text, str) and text.strip()
    assert isinstance(normalize_text(text), str)


@FUZZ
@given(title=st.text(max_size=40), text=DOC_TEXT)
def test_metadata_extraction_never_crashes_and_returns_strings(title: str, text: str) -> None:
    meta = extract_meta(title, text)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items())
    if "date" in meta:
        assert len(meta["date"]) == 10 and meta["date"][4] == "-"
    assert isinstance(guess_title(text), str)


@FUZZ
@given(data=BYTES, suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_any_file_content_loads_or_fails_with_load_error(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"样本{suffix}"
        path.write_bytes(data)
        try:
            documents = load_file(path, Path(folder))
        except LoadError as exc:
            assert exc.reason
            return
        for document in documents:
            assert document.doc_id and isinstance(document.title, str)
            _assert_exact_spans(document.text, 120, 10)
