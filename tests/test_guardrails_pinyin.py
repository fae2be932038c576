"""Sensitive words written in pinyin are found; ordinary pinyin (place names, personal names, sentences) is not."""

from __future__ import annotations

import pytest

from agents.guardrails import SensitiveLexicon

LEXICON = SensitiveLexicon.default()


@pytest.mark.parametrize(
    ("text", "word", "span"),
    [
        ("哪里可以ban jia zheng", "办假证", "ban jia zheng"),
        ("BanJiaZheng，加微信", "办假证", "BanJiaZheng"),
        ("bàn jiǎ zhèng 多少钱", "办假证", "bàn jiǎ zhèng"),  # tone marks
        ("ＢＡＮ假证", "办假证", "ＢＡＮ假证"),  # full-width letters mixed with characters
        ("虚开fa piao找谁", "虚开发票", "虚开fa piao"),
        ("哪里能 si-ke-gong-zhang", "私刻公章", "si-ke-gong-zhang"),
        ("chu shou yin hang ka", "出售银行卡", "chu shou yin hang ka"),  # 行 read hang, not its default xing
        ("chu shou 银xing卡", "出售银行卡", "chu shou 银xing卡"),  # …or read with the default
        ("skgz 哪家快", "私刻公章", "skgz"),  # initials of a four-character entry
        ("收 MMSFZ", "买卖身份证", "MMSFZ"),
        ("xi钱的办法", "洗钱", "xi钱"),  # a two-syllable entry counts once a character pins it down
    ],
)
def test_an_entry_written_in_pinyin_is_found_on_its_original_span(text: str, word: str, span: str) -> None:
    matches = LEXICON.find(text)
    assert [(m.word, text[m.start : m.end]) for m in matches] == [(word, span)]
    assert not LEXICON.check_input(text).allowed


ORDINARY = [
    # place names
    "Beijing Haidian District",
    "Jiangxi Qianshan County",
    "Xi'an, Shaanxi",
    "Guangzhou Tianhe",
    "No. 8 Xiqian Road",  # 西前路 sounds like 洗钱, but two syllables in Latin letters are not reported
    "Banjia Village, Zhengzhou",
    "Chongqing Yubei Airport",
    "Shenzhen Futian Kouan",
    "Dubo Town",
    "Sikou Gongzhuang Road",
    # personal names and ordinary pinyin sentences
    "Zhang Wei, Li Na, Wang Fang",
    "Qing wen shebao ka zai nali bu ban?",
    "wo xiang ban ju zhu zheng",
    "zhongguo renmin yinhang",
    "fan xi qian xuan chuan",  # the allow-listed 反洗钱
    "反xi钱宣传月",
    # English that contains the letters of an entry's spelling
    "I have begun banjiazhengs",
    "skgzx-2024 is a part number",
    # homophones in characters are the character matcher's business, and they do not match it
    "西迁的历史",
    "办家政服务公司需要什么材料",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_pinyin_and_homophones_are_not_flagged(text: str) -> None:
    assert LEXICON.find(text) == []


def test_pinyin_matching_can_be_turned_off() -> None:
    plain = SensitiveLexicon(LEXICON.entries, pinyin=False)
    assert plain.find("ban jia zheng") == [] and plain.find("办假证")


def test_mask_covers_the_pinyin_span() -> None:
    assert LEXICON.mask("他说 ban jia zheng 很快") == "他说 ************* 很快"
