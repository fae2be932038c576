"""Text folding for matching, with a map back to original offsets so hits land on the original span.

Folding defeats the cheap evasions: full-width forms and compatibility characters (NFKC), case, spaces,
zero-width and other format characters, punctuation, symbols and combining marks inserted between
characters (all dropped), and a small table of homoglyphs and variant characters. Sentence terminators
and line breaks are kept, so a word split across two sentences is not joined into a false hit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# Kept as hard boundaries (after NFKC): dropping them would glue the end of one sentence to the next.
BOUNDARIES = frozenset("。!?\n\r")

# Look-alikes and variants that NFKC leaves alone. Small on purpose: a deployment extends it through
# ``SensitiveLexicon(variants=...)``; a full traditional→simplified table is out of scope.
VARIANTS: Mapping[str, str] = {
    # Cyrillic and Greek letters that look Latin
    "а": "a",
    "в": "b",
    "е": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ј": "j",
    "ѕ": "s",
    "α": "a",
    "β": "b",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    # CJK radical forms (no NFKC mapping) used in place of the full character
    "⻔": "门",
    "⻢": "马",
    "⻓": "长",
    "⻅": "见",
    "⻋": "车",
    "⻉": "贝",
    "⻘": "青",
    "⻆": "角",
    "⻙": "韦",
    "⻜": "飞",
    "⻚": "页",
    "⻛": "风",
    "⻨": "麦",
    "⻩": "黄",
    "⻬": "齐",
    "⻮": "齿",
    # Traditional forms of characters common in the default lexicon and in injection phrases
    "賭": "赌",
    "騙": "骗",
    "詐": "诈",
    "槍": "枪",
    "彈": "弹",
    "藥": "药",
    "錢": "钱",
    "證": "证",
    "發": "发",
    "開": "开",
    "網": "网",
    "販": "贩",
    "賣": "卖",
    "買": "买",
    "貸": "贷",
    "殺": "杀",
    "黃": "黄",
    "場": "场",
    "碼": "码",
    "號": "号",
    "帳": "账",
    "賬": "账",
    "戶": "户",
    "無": "无",
    "視": "视",
    "為": "为",
    "現": "现",
    "請": "请",
    "輸": "输",
    "顯": "显",
    "詞": "词",
    "統": "统",
    "係": "系",
    "設": "设",
    "規": "规",
    "則": "则",
    "們": "们",
    "這": "这",
    "記": "记",
    "憶": "忆",
    "內": "内",
    "員": "员",
    "權": "权",
    "換": "换",
    "啟": "启",
    "觸": "触",
    "護": "护",
    "屬": "属",
    "個": "个",
    "偽": "伪",
    "僞": "伪",
    # Found by the adversarial suite (tests/adversarial): 辦假證, 賭愽網站, 虛開, 銀行卡, 駕照, 學歷, 資訊
    "辦": "办",
    "愽": "博",
    "虛": "虚",
    "銀": "银",
    "駕": "驾",
    "學": "学",
    "歷": "历",
    "資": "资",
    "訊": "讯",
    "價": "价",
}


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, the index of the original character it came from."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the folded text back to the half-open span it covers in the original.

        Args:
            start: first folded index of the span.
            end: one past the last folded index; must be greater than ``start``.
        Returns:
            ``(original_start, original_end)``, including any separators dropped from inside the span.
        """
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=8192)
def _base_fold(char: str) -> str:
    """NFKC and case-fold one character (the result may be longer, e.g. ㍿ → 株式会社)."""
    return unicodedata.normalize("NFKC", char).casefold()


def _dropped(char: str) -> bool:
    """True for characters an evader slips between letters: spaces, format, punctuation, symbols, marks."""
    if char in BOUNDARIES:
        return False
    category = unicodedata.category(char)
    return category[0] in "ZPSM" or category in ("Cc", "Cf")


def fold(text: str, variants: Mapping[str, str] = VARIANTS) -> Folded:
    """Fold ``text`` for matching and keep the origin of every folded character.

    Args:
        text: the original text.
        variants: single-character replacements applied after NFKC and case folding.
    Returns:
        The folded text with its offset map.
    """
    memo: dict[str, str] = {}  # a text repeats a few thousand characters at most; fold each once
    chars: list[str] = []
    origin: list[int] = []
    for index, raw in enumerate(text):
        folded = memo.get(raw)
        if folded is None:
            # Variants before dropping: radical forms such as ⻢ are symbols (So) and would be dropped.
            folded = "".join(c for c in (variants.get(c, c) for c in _base_fold(raw)) if not _dropped(c))
            memo[raw] = folded
        if len(folded) == 1:
            chars.append(folded)
            origin.append(index)
        elif folded:
            chars += folded
            origin += [index] * len(folded)
    return Folded("".join(chars), tuple(origin))


def fold_key(word: str, variants: Mapping[str, str] = VARIANTS) -> str:
    """Fold a lexicon entry the same way as the text, so ``AK-47`` in a list matches ``ａｋ 47``."""
    return fold(word, variants).text
