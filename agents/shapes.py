"""Text shapes: named structural tests an intent of the offline model may require of the user's turn.

Similarity to example utterances cannot tell a pasted document from a request that names the same organs
and subject; the text's structure can (a title line, a 主送 line, a date at the end). A shape is a plain
``str -> bool`` function that a domain package registers under a name; an agent spec's intent names the
shape it requires (``shape: gongwen_document``), and the offline model passes over an intent whose shape
the text lacks, as it does one whose stated slot is missing. The registry keeps the offline model generic:
it knows shape names, never 公文.
"""

from __future__ import annotations

from collections.abc import Callable

TextShape = Callable[[str], bool]
SHAPES: dict[str, TextShape] = {}


class UnknownShapeError(KeyError):
    """An intent names a shape no package registered; the message lists the known ones."""

    def __str__(self) -> str:
        return str(self.args[0])


def register_shape(name: str) -> Callable[[TextShape], TextShape]:
    """Add a text shape under ``name`` (the name specs use in ``intents[].shape``)."""

    def decorate(test: TextShape) -> TextShape:
        SHAPES[name] = test
        return test

    return decorate


def has_shape(name: str, text: str) -> bool:
    """Whether ``text`` has the registered shape ``name``.

    Raises:
        UnknownShapeError: no shape is registered under ``name``.
    """
    test = SHAPES.get(name)
    if test is None:
        known = ", ".join(sorted(SHAPES)) or "(none registered; import agents.tools first)"
        raise UnknownShapeError(f"unknown shape {name!r}; known: {known}")
    return test(text)
