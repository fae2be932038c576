"""Shared body of the atheris harnesses: write the input to a file of the parser's suffix, load it through
``knowledge.loaders.load_file`` and chunk what comes out.

A run may raise ``LoadError`` (the documented refusal of a bad file); any other exception, a hang or a
crash is a finding, and libFuzzer saves the input as ``crash-…``/``timeout-…`` in the working directory.

    .venv/bin/python fuzz/fuzz_docx.py -max_total_time=60 .shuzhi/fuzz/docx    # or: make fuzz FUZZ_SECONDS=60

Seeds (a few valid files of each kind) are written into the corpus folder when it is empty, so random
bytes start from real .docx/.pdf structure instead of having to discover a zip or PDF header.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# The parsers the loaders call are instrumented too, so coverage guides mutations into zip, XML and PDF code.
with atheris.instrument_imports(include=["knowledge", "docx", "pypdf", "bs4", "charset_normalizer", "csv"]):
    from knowledge.chunking import chunk_text
    from knowledge.errors import LoadError
    from knowledge.loaders import load_file
    from knowledge.records import RecordOptions
    from knowledge.tokens import get_token_counter

COUNTER = get_token_counter("chars")
MAX_BYTES = 256 * 1024  # libFuzzer's inputs stay far below; the loaders' size refusal is tested elsewhere


def check(data: bytes, suffix: str, folder: Path) -> None:
    """One input: parse or refuse with LoadError; every parsed document chunks with exact spans."""
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        documents = load_file(path, folder, records=RecordOptions(), max_bytes=MAX_BYTES)
    except LoadError:
        return
    for document in documents:
        for chunk in chunk_text(document.text, counter=COUNTER, max_tokens=120, overlap_tokens=20):
            if document.text[chunk.start : chunk.end] != chunk.text:
                raise AssertionError(f"chunk span {chunk.start}:{chunk.end} does not hold its text")


def main(suffix_of: Callable[[bytes], str], seeds: list[bytes]) -> None:
    """Run libFuzzer over ``check`` with the suffix ``suffix_of(data)``; argv is libFuzzer's."""
    corpus = [Path(a) for a in sys.argv[1:] if not a.startswith("-")]
    for directory in corpus[:1]:
        directory.mkdir(parents=True, exist_ok=True)
        if not any(directory.iterdir()):
            for number, seed in enumerate(seeds):
                (directory / f"seed-{number}").write_bytes(seed)
    folder = Path(tempfile.mkdtemp(prefix="shuzhi-fuzz-"))
    atheris.Setup(sys.argv, lambda data: check(data, suffix_of(data), folder))
    atheris.Fuzz()
