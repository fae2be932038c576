"""Pinyin evasion of lexicon entries: 办假证 written ``ban jia zheng``, ``BanJiaZheng``, ``bàn jiǎ zhèng``,
``ban假证`` or, for entries of four or more characters, by initials (``skgz`` for 私刻公章).

Entries and text are compared in pinyin: every Chinese character becomes its syllable, Latin letters stay.
A hit counts only where the writer used Latin letters (pure Chinese text is the character matcher's job,
and homophones such as 西迁/洗钱 must not fire), where it stands alone (no Latin letter or digit touching
it), and where it begins and ends on syllable boundaries of the Chinese characters it covers. Pinyin is
ambiguous, so two-syllable entries written wholly in Latin letters (``xiqian`` is also 西迁, a road name)
are not reported; a deployment that wants them lists the pinyin itself as an entry.

pypinyin's dictionary ships in its wheel; it is imported on first use.
"""

from __future__ import annotations

import itertools
import math
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from agents.guardrails.normalize import Folded

MIN_LATIN_SYLLABLES = 3  # written wholly in pinyin, shorter entries collide with ordinary words and names
MIN_INITIALS = 4  # initials of shorter entries (bjz, xq) are everyday abbreviations
MAX_SPELLINGS = 64  # per entry, over the readings of its polyphonic characters


def is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@lru_cache(maxsize=16384)
def _reading(char: str) -> str:
    """The most common syllable of one character, without tone (``行`` → ``xing``)."""
    from pypinyin import Style, lazy_pinyin

    return str(lazy_pinyin(char, style=Style.NORMAL)[0])


def _readings(word: str) -> list[list[str]]:
    """Per character, every syllable it may be read with: its phrase reading in ``word`` first, then the rest."""
    from pypinyin import Style, pinyin

    in_phrase = [r[0] for r in pinyin(word, style=Style.NORMAL)]
    out = []
    for char, first in zip(word, in_phrase, strict=True):
        alone = pinyin(char, style=Style.NORMAL, heteronym=True)[0] if is_han(char) else [char]
        out.append(list(dict.fromkeys([first, *alone])))
    return out


@dataclass(frozen=True)
class Spelling:
    """One pinyin key of an entry and what a hit on it has to satisfy."""

    key: str
    syllables: int
    initials: bool


def spellings(folded_word: str) -> list[Spelling]:
    """The pinyin keys of a folded lexicon entry; none for an entry without Chinese characters."""
    if not any(is_han(c) for c in folded_word):
        return []
    readings = _readings(folded_word)
    combos: Iterable[tuple[str, ...]] = itertools.product(*readings)
    if math.prod(map(len, readings)) > MAX_SPELLINGS:  # many polyphones: the phrase and default readings only
        combos = [tuple(r[0] for r in readings), tuple(_reading(c) if is_han(c) else c for c in folded_word)]
    syllables = sum(is_han(c) for c in folded_word)
    keys = {"".join(combo): Spelling("".join(combo), syllables, False) for combo in combos}
    if syllables >= MIN_INITIALS and syllables == len(folded_word):
        for combo in itertools.islice(itertools.product(*({s[0] for s in r} for r in readings)), MAX_SPELLINGS):
            keys.setdefault("".join(combo), Spelling("".join(combo), syllables, True))
    return list(keys.values())


@dataclass(frozen=True)
class _Text:
    """Folded text in pinyin: each character, the folded index it came from, and syllable boundaries."""

    text: str
    origin: tuple[int, ...]
    first: tuple[bool, ...]  # the character begins its source character's spelling
    last: tuple[bool, ...]


def _to_pinyin(folded: str) -> _Text:
    chars: list[str] = []
    origin: list[int] = []
    first: list[bool] = []
    last: list[bool] = []
    for index, char in enumerate(folded):
        if is_han(char):
            spelled = _reading(char)
        elif not char.isascii():  # bàn → ban, lü → lv
            base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
            spelled = "v" if char == "ü" else base
        else:
            spelled = char
        for position, letter in enumerate(spelled):
            chars.append(letter)
            origin.append(index)
            first.append(position == 0)
            last.append(position == len(spelled) - 1)
    return _Text("".join(chars), tuple(origin), tuple(first), tuple(last))


class PinyinMatcher:
    """An Aho-Corasick automaton over the pinyin spellings of lexicon entries, each with a caller's payload."""

    def __init__(self) -> None:
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)

    def add(self, folded_word: str, payload: object) -> None:
        for spelling in spellings(folded_word):
            if not self._automaton.exists(spelling.key):
                self._automaton.add_word(spelling.key, (spelling, payload))

    def freeze(self) -> PinyinMatcher:
        if len(self._automaton):
            self._automaton.make_automaton()
        return self

    def find(self, original: str, folded: Folded) -> Iterator[tuple[int, int, object]]:
        """Spans of the original text where an entry is written (partly) in pinyin, with the entry's payload.

        The caller still checks that a span stands alone (no Latin letter or digit right before or after it).
        """
        if not len(self._automaton) or not any(c.isascii() and c.isalpha() for c in folded.text):
            return
        spelled = _to_pinyin(folded.text)
        for last, (spelling, payload) in self._automaton.iter(spelled.text):
            begin = last - len(spelling.key) + 1
            if not (spelled.first[begin] and spelled.last[last]):
                continue  # starts or ends inside a Chinese character's syllable
            start, end = folded.span(spelled.origin[begin], spelled.origin[last] + 1)
            if _acceptable(original[start:end], spelling):
                yield start, end, payload


def _acceptable(span: str, spelling: Spelling) -> bool:
    latin = any(c.isascii() and c.isalpha() for c in unicodedata.normalize("NFKC", span))
    han = any(is_han(c) for c in span)
    if spelling.initials:
        return latin and not han
    return latin and (han or spelling.syllables >= MIN_LATIN_SYLLABLES)

