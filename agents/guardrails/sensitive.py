"""Sensitive-word lexicon: refuse inputs that hit it, mask hits in outputs.

The list is a UTF-8 text file, one entry per line: ``词语`` or ``词语<TAB>类别``; ``#`` starts a comment and
a line starting with ``!`` is an allow-listed phrase (``!反洗钱``) inside which no entry counts as a hit.
Entries and text are folded alike (see ``agents.guardrails.normalize``) and matched with one Aho-Corasick
automaton, so the cost of a scan does not grow with the size of the list. Hits are reported and masked on
the original text. Entries made only of ASCII letters and digits (English words, pinyin such as ``dubo``)
must stand alone: a Latin letter or digit right before or after the hit in the original text cancels it.
Entries written in pinyin (``ban jia zheng``, ``ban假证``, initials ``skgz``) are found too; see
``agents.guardrails.pinyin`` for the rules that keep ordinary pinyin such as place names from firing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import ahocorasick

from agents.guardrails.normalize import VARIANTS, fold, fold_key
from agents.guardrails.pinyin import PinyinMatcher

DEFAULT_CATEGORY = "敏感词"
DEFAULT_REFUSAL = "您的问题包含不适宜的内容，无法处理。如需帮助请拨打12345。"
_ALLOW = ""  # category of allow-listed phrases inside the automaton


class LexiconError(ValueError):
    """A word-list file has an entry that cannot be used; names the file, the line and the fix."""


@dataclass(frozen=True)
class Entry:
    """One lexicon line: the word as written and its category (empty for an allow-listed phrase)."""

    word: str
    category: str = DEFAULT_CATEGORY


@dataclass(frozen=True)
class Match:
    """A lexicon hit: the entry, its category and its half-open span in the original text."""

    word: str
    category: str
    start: int
    end: int


@dataclass(frozen=True)
class InputVerdict:
    """Whether an input may go on to the agent; when not, ``message`` is the refusal shown to the user."""

    allowed: bool
    message: str | None
    matches: tuple[Match, ...]


class SensitiveLexicon:
    """An Aho-Corasick matcher over a folded word list; the automaton is built on first use."""

    def __init__(
        self,
        entries: Iterable[Entry],
        variants: Mapping[str, str] = VARIANTS,
        refusal: str = DEFAULT_REFUSAL,
        pinyin: bool = True,
    ) -> None:
        """Keep the entries; nothing is built until the first scan.

        Args:
            entries: the words to find; an entry with an empty category is an allow-listed phrase.
            variants: single-character homoglyph/variant replacements, applied to entries and text alike.
            refusal: the message ``check_input`` returns when an input is refused.
            pinyin: also find entries written in pinyin (``agents.guardrails.pinyin``).
        """
        self.entries = tuple(entries)
        self.variants = variants
        self.refusal = refusal
        self.pinyin = pinyin
        self._automaton: ahocorasick.Automaton | None = None
        self._pinyin: PinyinMatcher | None = None

    @classmethod
    def from_words(cls, words: Iterable[str | tuple[str, str]], category: str = DEFAULT_CATEGORY) -> SensitiveLexicon:
        """Build from words, or ``(word, category)`` pairs; bare words get ``category``."""
        entries = [Entry(*item) if isinstance(item, tuple) else Entry(item, category) for item in words]
        return cls(entries)

    @classmethod
    def from_file(cls, path: str | Path, variants: Mapping[str, str] = VARIANTS) -> SensitiveLexicon:
        """Read a word-list file (format in the module docstring).

        Raises:
            LexiconError: an entry folds to nothing (only punctuation or spaces), with its line number.
        """
        path = Path(path)
        entries: list[Entry] = []
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            word, _, category = (part.strip() for part in text.partition("\t"))
            category = category or DEFAULT_CATEGORY
            if word.startswith("!"):
                word, category = word[1:].strip(), _ALLOW
            if not fold_key(word, variants):
                raise LexiconError(
                    f"{path}:{number}: entry {line.strip()!r} has no letters left after removing spaces and "
                    "punctuation; write the word itself, optionally followed by a TAB and a category"
                )
            entries.append(Entry(word, category))
        return cls(entries, variants)

    @classmethod
    def default(cls) -> SensitiveLexicon:
        """The small illustrative list shipped with shuzhi; deployments load their own file instead."""
        source = resources.files("agents.guardrails") / "data" / "sensitive_words.txt"
        with resources.as_file(source) as path:
            return cls.from_file(path)

    def _build(self) -> ahocorasick.Automaton:
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for entry in self.entries:
            key = fold_key(entry.word, self.variants)
            # The first entry for a folded key wins, so a list can be appended to without reordering.
            if key and not automaton.exists(key):
                automaton.add_word(key, (len(key), entry, key.isascii() and key.isalnum()))
        if len(automaton):
            automaton.make_automaton()
        return automaton

    def _build_pinyin(self) -> PinyinMatcher:
        matcher = PinyinMatcher()
        if self.pinyin:
            for entry in self.entries:
                matcher.add(fold_key(entry.word, self.variants), entry)
        return matcher.freeze()

    def find(self, text: str) -> list[Match]:
        """Find lexicon hits, leftmost-longest and non-overlapping, as spans of the original text.

        Args:
            text: the original text; evasions (赌 博, ｄｕｂｏ, a zero-width space inside a word) are folded away.
        Returns:
            Hits in text order; a hit inside an allow-listed phrase is not reported.
        """
        if self._automaton is None:
            self._automaton = self._build()
            self._pinyin = self._build_pinyin()
        if not len(self._automaton):
            return []
        folded = fold(text, self.variants)
        found: list[tuple[int, int, Entry]] = []
        for last, (length, entry, standalone) in self._automaton.iter(folded.text):
            start, end = folded.span(last - length + 1, last + 1)
            if not standalone or _stands_alone(text, start, end):
                found.append((start, end, entry))
        if self._pinyin is not None:
            found += [
                (start, end, entry)
                for start, end, entry in self._pinyin.find(text, folded)
                if isinstance(entry, Entry) and _stands_alone(text, start, end)
            ]
        hits: list[Match] = []
        allowed: list[tuple[int, int]] = []
        for start, end, entry in found:
            if entry.category == _ALLOW:
                allowed.append((start, end))
            else:
                hits.append(Match(entry.word, entry.category, start, end))
        hits = [h for h in hits if not any(a <= h.start and h.end <= b for a, b in allowed)]
        hits.sort(key=lambda h: (h.start, -h.end))
        chosen: list[Match] = []
        for hit in hits:
            if not chosen or hit.start >= chosen[-1].end:
                chosen.append(hit)
        return chosen

    def mask(self, text: str, char: str = "*") -> str:
        """Replace every character of every hit's original span (separators included) with ``char``."""
        pieces: list[str] = []
        position = 0
        for hit in self.find(text):
            pieces += [text[position : hit.start], char * (hit.end - hit.start)]
            position = hit.end
        pieces.append(text[position:])
        return "".join(pieces)

    def check_input(self, text: str) -> InputVerdict:
        """Decide whether a user's input may reach the agent; any hit refuses it politely."""
        matches = tuple(self.find(text))
        return InputVerdict(not matches, self.refusal if matches else None, matches)


def _stands_alone(text: str, start: int, end: int) -> bool:
    """True when no Latin letter or digit touches the span, so ``gun`` does not fire inside ``begun``."""
    return not (_is_word_char(text[start - 1 : start]) or _is_word_char(text[end : end + 1]))


def _is_word_char(char: str) -> bool:
    folded = fold_key(char) if char else ""
    return bool(folded) and folded.isascii() and folded.isalnum()
