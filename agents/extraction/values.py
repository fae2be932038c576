"""Typed value finders: every candidate of one type in a text, with its span and normalised form.

Identifiers are found by shape and validated separately (``valid``), so a form filler can report a
身份证号 with a wrong check digit instead of silently missing it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from agents.guardrails.checksums import is_resident_id, is_uscc
from agents.tickets.fields import DEFAULT_CITY, DEFAULT_DISTRICTS, find_addresses, find_phones


@dataclass(frozen=True)
class Candidate:
    """A value of some type found in a text: ``text[start:end]`` and its normalised form."""

    text: str
    start: int
    end: int
    normalized: str
    valid: bool | None = None  # for identifiers and dates: did the check pass


_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUM = "〇零○一二三四五六七八九十"
_DATE = re.compile(
    rf"(?P<y>\d{{4}}|[{_CN_NUM}]{{4}})\s*(?:年|-|/|\.)\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,3}})\s*(?:月|-|/|\.)"
    rf"\s*(?P<d>\d{{1,2}}|[{_CN_NUM}]{{1,3}})(?:日|号)?"
)
_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_USCC = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{18}(?![0-9A-Za-z])")
_AMOUNT = re.compile(r"(?P<n>\d+(?:,\d{3})*(?:\.\d+)?)\s*(?P<u>万元|万|元)")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_STOP = "在的是我你他她它了有们这那说到从对给把被向往及或去来跟就都也还很让请帮要条过么吗呢吧啊着得和与由经将并同为"
_ORG_SUFFIX = (
    "有限责任公司|股份有限公司|有限公司|分公司|公司|集团|委员会|管理委员会|管委会|人民政府|街道办事处|办事处|"
    "综合行政执法局|执法局|管理局|局|办公室|中心|街道|社区居委会|居委会|村委会|医院|学校|合作社|研究院|协会|商会|"
    "支队|大队|中队|派出所|事务所|工作室|超市|饭店|酒店|商行|经营部"
)
_ORG = re.compile(rf"[^\W\d_{_STOP}]{{2,24}}?(?:{_ORG_SUFFIX})(?![^\W\d_{_STOP}]*(?:{_ORG_SUFFIX}))")
# Where a place word or an address precedes a name, the name starts after it (「楼下张记饭店」 → 张记饭店).
_ORG_LEAD = re.compile(r"^(?:楼下|楼上|隔壁|对面|附近|旁边|门口|门前|号)+")
# A name ends at a function word or a verb that commonly follows it (「李四在店门口」「王小明想开店」).
_PERSON = re.compile(r"[^\W\d_在于的是和与及等说称想要因从到对向把被给男女先生士同志系现年今昨反]{2,4}")
_TITLED = re.compile(r"(?P<name>[\u4e00-\u9fa5]{1,3})(?:先生|女士|同志)")


def _cn_int(value: str) -> int:
    if value.isdigit():
        return int(value)
    if len(value) == 4:  # a year written digit by digit: 二〇二五
        return int("".join(str(_CN_DIGIT[c]) for c in value))
    tens, _, ones = value.partition("十")
    if "十" not in value:
        return _CN_DIGIT[value]
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def find_dates(text: str) -> list[Candidate]:
    """Calendar dates (2025年6月11日, 2025-06-11, 二〇二五年六月十一日); ``valid`` is False for 2月30日 and the like."""
    found = []
    for match in _DATE.finditer(text):
        try:
            year, month, day = (_cn_int(match.group(g)) for g in "ymd")
        except KeyError:
            continue
        try:
            found.append(
                Candidate(match.group(), match.start(), match.end(), dt.date(year, month, day).isoformat(), True)
            )
        except ValueError:
            found.append(Candidate(match.group(), match.start(), match.end(), match.group(), False))
    return found


def find_resident_ids(text: str) -> list[Candidate]:
    """18-character 身份证号 shapes; ``valid`` says whether region, birth date and check digit hold (GB 11643)."""
    return [
        Candidate(m.group(), m.start(), m.end(), m.group().upper(), is_resident_id(m.group()))
        for m in _ID.finditer(text)
    ]


def find_usccs(text: str) -> list[Candidate]:
    """18-character 统一社会信用代码 shapes that are not all digits; ``valid`` is the GB 32100 check."""
    return [
        Candidate(m.group(), m.start(), m.end(), m.group().upper(), is_uscc(m.group()))
        for m in _USCC.finditer(text)
        if not m.group()[:17].isdigit() or is_uscc(m.group())
    ]


def find_phone_numbers(text: str) -> list[Candidate]:
    """Mobile numbers and landlines with an area code (the 12345 field extractor's patterns)."""
    return [Candidate(s.text, s.start, s.end, s.normalized or s.text, True) for s in find_phones(text)]


def find_amounts(text: str) -> list[Candidate]:
    """Sums of money; normalised to 元 as a plain number (「5万元」 → 50000)."""
    found = []
    for match in _AMOUNT.finditer(text):
        number = float(match.group("n").replace(",", ""))
        value = number * 10000 if match.group("u").startswith("万") else number
        found.append(Candidate(match.group(), match.start(), match.end(), f"{value:g}"))
    return found


def find_numbers(text: str) -> list[Candidate]:
    """Plain Arabic numbers."""
    return [Candidate(m.group(), m.start(), m.end(), m.group()) for m in _NUMBER.finditer(text)]


def find_orgs(text: str) -> list[Candidate]:
    """Organisation names by suffix (公司, 局, 委员会, 街道办事处 …)."""
    found = []
    # Only addresses below district level: 「江临市滨江区综合行政执法局」 keeps its district in the name.
    addresses = [a for a in find_addresses(text) if re.search(r"[路街巷道号弄村苑园场厦]", a.text)]
    for match in _ORG.finditer(text):
        lead = _ORG_LEAD.match(match.group())
        start = match.start() + (lead.end() if lead else 0)
        for address in addresses:  # 「滨江区望江路张记饭店」: the place is the address, the name follows it
            if start <= address.end < match.end() and address.start < match.end():
                start = max(start, address.end)
        if match.end() - start >= 3:
            found.append(Candidate(text[start : match.end()], start, match.end(), text[start : match.end()]))
    return found


def find_places(text: str, districts: tuple[str, ...] = DEFAULT_DISTRICTS, city: str = DEFAULT_CITY) -> list[Candidate]:
    """Addresses (the 12345 field extractor's patterns); normalised with the city when a district is named."""
    return [Candidate(s.text, s.start, s.end, s.normalized or s.text) for s in find_addresses(text, districts, city)]


def find_people(text: str) -> list[Candidate]:
    """Names written with 先生/女士/同志; bare names are found only after a cue word (see ``extract``)."""
    return [Candidate(m.group("name"), m.start(), m.end("name"), m.group("name")) for m in _TITLED.finditer(text)]


def leading_person(value: str) -> str:
    """The name at the start of a cue's value: 「张三，男，1980年生」 → 张三."""
    match = _PERSON.match(value)
    if match is None or (len(match.group()) == 4 and len(value) > 4 and "\u4e00" <= value[4] <= "\u9fff"):
        return ""  # a run of five or more characters is a phrase, not a name
    return match.group()


FINDERS = {
    "date": find_dates,
    "id_number": find_resident_ids,
    "uscc": find_usccs,
    "phone": find_phone_numbers,
    "amount": find_amounts,
    "number": find_numbers,
    "org": find_orgs,
    "address": find_places,
    "person": find_people,
}
