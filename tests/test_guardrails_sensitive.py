"""Sensitive-word lexicon: evasions are folded away, hits land on the original span, input is refused politely."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from agents.guardrails import LexiconError, SensitiveLexicon


@pytest.fixture(scope="module")
def default() -> SensitiveLexicon:
    return SensitiveLexicon.default()


def test_input_with_a_listed_word_is_refused_politely_in_chinese(default: SensitiveLexicon) -> None:
    verdict = default.check_input("请问哪里可以办假证？")
    assert not verdict.allowed
    assert verdict.message is not None and "12345" in verdict.message and "无法处理" in verdict.message
    assert [(m.word, m.category) for m in verdict.matches] == [("办假证", "违法犯罪")]


def test_ordinary_government_questions_are_allowed(default: SensitiveLexicon) -> None:
    for question in (
        "个人如何申请代开发票？",
        "反洗钱有哪些规定？",
        "我要举报赌博网站",
        "接到冒充公检法的电话怎么办？",
    ):
        verdict = default.check_input(question)
        assert verdict.allowed, (question, verdict.matches)
        assert verdict.message is None


def test_spaces_between_characters_are_caught_and_masked_on_the_original_span(default: SensitiveLexicon) -> None:
    text = "推荐一个赌 博 网 站给你"
    [match] = default.find(text)
    assert (match.word, text[match.start : match.end]) == ("赌博网站", "赌 博 网 站")
    assert default.mask(text) == "推荐一个*******给你"


def test_zero_width_characters_inside_a_word_are_caught_and_masked(default: SensitiveLexicon) -> None:
    text = "可以办\u200b假\u200d证，价格面议"
    [match] = default.find(text)
    assert (match.start, match.end) == (2, 7)
    assert default.mask(text) == "可以*****，价格面议"


def test_punctuation_and_symbols_slipped_between_characters_are_caught(default: SensitiveLexicon) -> None:
    assert default.mask("专业虚-开·发/票服务") == "专业*******服务"
    assert default.mask("有人出售毒😀品吗") == "有人*****吗"


def test_full_width_letters_digits_and_case_are_folded() -> None:
    lexicon = SensitiveLexicon.from_words([("AK-47", "暴力")])
    for text, span in (("出售ＡＫ－４７", "ＡＫ－４７"), ("出售ak47", "ak47"), ("出售 a k 4 7", "a k 4 7")):
        [match] = lexicon.find(text)
        assert (match.category, text[match.start : match.end]) == ("暴力", span)


def test_traditional_forms_and_look_alike_letters_are_caught(default: SensitiveLexicon) -> None:
    assert [m.word for m in default.find("賭博網站大全")] == ["赌博网站"]
    latin = SensitiveLexicon.from_words(["dubo"])
    assert [m.word for m in latin.find("去 dubо 吧")] == ["dubo"]  # the о is Cyrillic


def test_a_word_split_across_two_sentences_is_not_a_hit(default: SensitiveLexicon) -> None:
    assert default.find("他说要去赌。博网站的事我不清楚") == []


def test_allow_listed_phrase_suppresses_the_hit_inside_it_only(default: SensitiveLexicon) -> None:
    assert default.find("银行反洗钱义务") == []
    assert [m.word for m in default.find("反洗钱宣传里说的帮人洗钱")] == ["洗钱"]


def test_ascii_entries_must_stand_alone() -> None:
    lexicon = SensitiveLexicon.from_words(["gun"])
    assert lexicon.find("it has begun") == []
    assert lexicon.find("gunpowder") == []
    assert lexicon.mask("buy a gun now") == "buy a *** now"
    assert lexicon.mask("买gun") == "买***"


def test_longest_entry_wins_where_entries_overlap() -> None:
    lexicon = SensitiveLexicon.from_words([("赌博", "甲"), ("赌博网站", "乙"), ("网站大全", "丙")])
    assert [(m.word, m.start, m.end) for m in lexicon.find("赌博网站大全")] == [("赌博网站", 0, 4)]


def test_mask_uses_the_given_character_and_leaves_clean_text_alone() -> None:
    lexicon = SensitiveLexicon.from_words(["洗钱"])
    assert lexicon.mask("帮人洗钱", char="×") == "帮人××"
    assert lexicon.mask("办理社保卡") == "办理社保卡"


def test_empty_lexicon_finds_nothing() -> None:
    assert SensitiveLexicon.from_words([]).find("任何文字") == []


def test_word_list_file_reads_comments_categories_and_allow_lines(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("# 注释\n\n甲乙丙\t类别一\n丁戊  # 行尾注释\n!反丁戊\n", encoding="utf-8")
    lexicon = SensitiveLexicon.from_file(path)
    found = lexicon.find("甲乙丙和丁戊，还有反丁戊")
    assert [(m.word, m.category) for m in found] == [("甲乙丙", "类别一"), ("丁戊", "敏感词")]


def test_word_list_entry_without_letters_is_an_error_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "words.txt"
    path.write_text("甲乙\n# 注释\n* * *\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"words\.txt:3: entry '\* \* \*'"):
        SensitiveLexicon.from_file(path)


def test_default_list_loads_with_categories(default: SensitiveLexicon) -> None:
    categories = {entry.category for entry in default.entries if entry.category}
    assert {"违法犯罪", "赌博", "诈骗", "暴力"} <= categories
    assert len(default.entries) >= 30


def test_five_thousand_entry_lexicon_finds_every_planted_word_in_ten_thousand_characters() -> None:
    rng = random.Random(20240601)
    words: set[str] = set()
    while len(words) < 5000:  # entries from U+5000..U+7FFF; filler below comes from a disjoint block
        words.add("".join(chr(rng.randrange(0x5000, 0x8000)) for _ in range(rng.randint(2, 5))))
    entries = sorted(words)
    lexicon = SensitiveLexicon.from_words((word, f"类{i % 7}") for i, word in enumerate(entries))

    filler = [chr(c) for c in range(0x4E00, 0x4E40)]
    pieces: list[str] = []
    expected: list[tuple[str, int, int]] = []
    length = 0
    for i, word in enumerate(rng.sample(entries, 300)):
        gap = "".join(rng.choice(filler) for _ in range(rng.randint(20, 40)))
        # Every third planted word is evaded with spaces; the span must still cover it exactly.
        planted = " ".join(word) if i % 3 == 0 else word
        pieces += [gap, planted]
        expected.append((word, length + len(gap), length + len(gap) + len(planted)))
        length += len(gap) + len(planted)
    text = "".join(pieces)
    assert len(text) >= 10_000

    found = lexicon.find(text)
    assert [(m.word, m.start, m.end) for m in found] == expected
    masked = lexicon.mask(text)
    assert len(masked) == len(text)
    assert all(set(masked[start:end]) == {"*"} for _, start, end in expected)
