"""Patterns that read enterprise facts from Chinese free text; each reader returns (value, matched words).

Amounts accept 万元/亿元/千万/百万/元 and Chinese numerals (三千二百万); people counts accept 人/名;
「不到50人」 reads as 49. Qualifications preceded in their clause by a negation (「还不是」「没有」) count as
lacking, by an intention (「正在申报」「准备申请」) as unknown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from agents.policies.vocabulary import CITY, DISTRICTS, INDUSTRY_KEYWORDS, QUALIFICATION_ALIASES

Found = tuple[Any, str]  # (value, the words it was read from)

_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_NOT_NUM = r"[^\d零〇一二两三四五六七八九十百千，。；,;%％]"
_CN_DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_WAN_PER = {"亿": 10000.0, "千万": 1000.0, "百万": 100.0, "万": 1.0}
_FEWER = ("不到", "不足", "少于", "未满", "不满")
_NEGATION = re.compile(r"不是|没有|还没|尚未|没|未|不属于|并非|非")
_INTENTION = re.compile(r"申请|申报|准备|计划|打算|正在|争取|想")
_CLAUSE_BREAK = re.compile(r"[，。；,;！!？?\n]")

_NO_REVENUE = re.compile(r"(?:没有|尚无|暂无|还没有|还没)(?:营业)?(?:收入|营收)|零收入")
_REVENUE = re.compile(
    rf"(?:营业收入|主营业务收入|营收|营业额|销售收入|销售额|年收入)({_NOT_NUM}{{0,8}}?){_NUM}\s*(亿|千万|百万|万)?\s*(元)?"
)
_EMPLOYEES = re.compile(
    rf"(?:员工|职工|从业人员|从业人数|雇员|员工人数|团队)({_NOT_NUM}{{0,6}}?){_NUM}\s*(?:多|余)?\s*(?:人|名|个)"
)
_EMPLOYEES_AFTER = re.compile(rf"(不到|不足|少于)?{_NUM}\s*(?:多|余)?\s*(?:名|个|位)?\s*(?:员工|职工|雇员)")
# 「8个人」 standing alone as a clause is the team size; inside a sentence (「招了2个人」) it is not.
_EMPLOYEES_CLAUSE = re.compile(
    rf"(?:^|[，,。；;\s])(?:共|一共|总共|现有|有)?{_NUM}\s*(?:多|余)?\s*个?人(?=[，,。；;！!？?]|$)"
)
_FOUNDED = r"(?:注册成立|成立|注册|创立|设立|创办|开业)"
_ESTABLISHED_DATE = re.compile(
    rf"(\d{{4}})\s*年\s*(?:(\d{{1,2}})\s*月)?(?:(\d{{1,2}})\s*[日号])?[^，。；,;\d]{{0,8}}?{_FOUNDED}"
    rf"|{_FOUNDED}(?:于|在|时间|日期)?(?:为|是|：|:)?\s*(\d{{4}})\s*年(?:\s*(\d{{1,2}})\s*月)?(?:\s*(\d{{1,2}})\s*[日号])?"
)
_ESTABLISHED_WORD = re.compile(rf"(大前年|前年|去年|今年)[^，。；,;]{{0,6}}?{_FOUNDED}")
_ESTABLISHED_AGO = re.compile(rf"{_NUM}\s*年前{_FOUNDED}")
_ESTABLISHED_SPAN = re.compile(
    rf"(?:{_FOUNDED}|开了|经营了|办了|干了)(?:了|已|已经|有|还|才)?\s*(不到|不满|未满|不足|快|近|将近|约)?\s*{_NUM}\s*(?:多|余)?\s*个?年"
)
_YEARS_BACK = {"今年": 0, "去年": 1, "前年": 2, "大前年": 3}
_SME = re.compile(
    r"(不是|不属于|并非|非)?(?<!科技型)(?<!专精特新)(中小微企业|中小企业|小微企业|小型企业|微型企业|中型企业)"
)
_LARGE = re.compile(r"大型企业|大企业")
_RD_SHARE = re.compile(r"研发(?:费用|投入|经费|支出)?[^\d，。；,;%％]{0,12}?(\d+(?:\.\d+)?)\s*[%％]")
_RD_AMOUNT = re.compile(rf"研发(?:费用|投入|经费|支出)({_NOT_NUM}{{0,6}}?){_NUM}\s*(亿|千万|百万|万)\s*元?")
_PATENTS = re.compile(
    rf"{_NUM}\s*(?:件|项|个)\s*(?:国内)?发明专利|发明专利(?:授权)?[^\d，。；,;]{{0,4}}?{_NUM}\s*(?:件|项|个)"
)
_NO_PATENTS = re.compile(r"(?:没有|无|暂无|还没有)[^，。；,;]{0,4}发明专利")
_INCUBATOR = re.compile(r"孵化器|众创空间|孵化基地|在孵")
_REGISTERED_AT = re.compile(
    r"(?:注册地|注册|位于|落户)(?:在|于|为|是|：|:)?\s*([\u4e00-\u9fa5]{2,8}?[省市县]|[\u4e00-\u9fa5]{2,4}?(?=[，,。；;的]|$))"
)
_NAME = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9（）()]{2,30}?(?:股份有限公司|有限责任公司|有限公司)")
_NAME_PREFIX = re.compile(r"^(?:我们公司|我们|我司|本公司|公司名称|企业名称|名称|是|叫|为|[:：])+")
_QUALIFICATION_PATTERNS: dict[str, re.Pattern[str]] = {
    "专精特新“小巨人”企业": re.compile(r"专精特新[\"“”]?小巨人[\"“”]?(?:企业)?|小巨人"),
    "专精特新中小企业": re.compile(r"专精特新(?![\"“”]?小巨人)(?:中小企业|企业)?"),
    "高新技术企业": re.compile(r"(?:国家)?高新技术企业|国家高新|(?<![提升抬])高企"),
    "科技型中小企业": re.compile(r"科技型中小企业|科小"),
}
assert set(_QUALIFICATION_PATTERNS) == set(QUALIFICATION_ALIASES), "every qualification needs a pattern"


def cn_number(token: str) -> float | None:
    """85 / 3200.5 / 八十五 / 三千二百 as a number (up to 9999 for Chinese numerals), else None."""
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return float(token)
    total, digit, unit = 0, 0, 1
    for char in token:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            unit = _CN_UNITS[char]
            total, digit = total + (digit or 1) * unit, 0
        else:
            return None
    # Spoken shorthand: 三千二 is 3200 and 两百五 is 250 — a last digit right after 百/千 counts in the next unit.
    if digit and len(token) > 1 and token[-2] in "百千":
        digit *= unit // 10
    return float(total + digit) if token else None


def money_wan(number: str, unit: str | None, yuan: str | None) -> float | None:
    """An amount in 万元 from its number and unit; a bare number without 万/亿/元 is not trusted."""
    value = cn_number(number)
    if value is None or (not unit and not yuan):
        return None
    return round(value * _WAN_PER[unit] if unit else value / 10000, 4)


def read_revenue(text: str) -> Found | None:
    """上年度营业收入 in 万元 from 「营收3200万元」「营业额1.2亿」; 「还没有收入」 reads as 0."""
    for match in _REVENUE.finditer(text):
        value = money_wan(match.group(2), match.group(3), match.group(4))
        if value is not None:
            return value, match.group()
    none = _NO_REVENUE.search(text)
    return (0.0, none.group()) if none else None


def read_employees(text: str) -> Found | None:
    """从业人数 from 「员工85人」「120名员工」「团队12人」; 「不到50人」 reads as 49."""
    match = _EMPLOYEES.search(text)
    if match:
        fewer, number = match.group(1), match.group(2)
    elif match := _EMPLOYEES_AFTER.search(text):
        fewer, number = match.group(1) or "", match.group(2)
    elif match := _EMPLOYEES_CLAUSE.search(text):
        fewer, number = "", match.group(1)
    else:
        return None
    value = cn_number(number)
    if value is None:
        return None
    return int(value) - (1 if any(word in fewer for word in _FEWER) else 0), match.group().strip("，,。；; ")


def read_established(text: str, year: int) -> tuple[int | dt.date, float, str, str] | None:
    """(成立年份或日期, 成立年限, 推定说明, matched words) counted from ``year``, or None."""
    match = _ESTABLISHED_DATE.search(text)
    if match:
        parts = match.groups()
        founded_year, month, day = (parts[0], parts[1], parts[2]) if parts[0] else (parts[3], parts[4], parts[5])
        established: int | dt.date = int(founded_year)
        if month:
            with contextlib.suppress(ValueError):  # 2019年13月: keep the year, which is still right
                established = dt.date(int(founded_year), int(month), int(day or 1))
        founded = int(founded_year)
        return established, float(max(year - founded, 0)), f"按成立年份{founded}年、当前年份{year}年计算", match.group()
    match = _ESTABLISHED_WORD.search(text)
    if match:
        founded = year - _YEARS_BACK[match.group(1)]
        return founded, float(year - founded), f"“{match.group(1)}”按当前年份{year}年计为{founded}年", match.group()
    match = _ESTABLISHED_AGO.search(text)
    number = cn_number(match.group(1)) if match else None
    if match and number is not None:
        return year - int(number), float(int(number)), f"按当前年份{year}年推算", match.group()
    match = _ESTABLISHED_SPAN.search(text)
    number = cn_number(match.group(2)) if match else None
    if match and number is not None:
        qualifier, years = match.group(1) or "", int(number)
        if qualifier in _FEWER:
            years = max(years - 1, 0)
            return year - years, float(years), f"“{match.group()}”按{years}年计", match.group()
        return year - years, float(years), f"按当前年份{year}年推算", match.group()
    return None


def read_district(text: str) -> Found | None:
    """注册地: a district named with 注册/位于, else a registration outside the city, else any district."""
    mentions = sorted(
        (match.start(), district, match.group())
        for district, names in DISTRICTS.items()
        for name in names
        for match in re.finditer(re.escape(name), text)
    )
    for start, district, words in mentions:
        if re.search(r"注册|位于|落户|地处", _clause_before(text, start)):
            return district, words
    # A place outside the city named as the registration beats a district merely mentioned (a branch office).
    registered = _REGISTERED_AT.search(text)
    in_city = registered is not None and registered.group(1).startswith(("江临", "本市"))
    if registered and not in_city:
        return registered.group(1), registered.group()
    if mentions:
        return mentions[0][1], mentions[0][2]
    # Only a registration in the city counts; 「想问问江临有什么政策」 says nothing about where the firm is.
    return (CITY, registered.group()) if registered and in_city else None


def read_industry(text: str) -> Found | None:
    """The industry of the earliest keyword in the text (a longer keyword wins a tie)."""
    hits = [
        (position, -len(keyword), industry, keyword)
        for industry, keywords in INDUSTRY_KEYWORDS.items()
        for keyword in keywords
        if (position := text.find(keyword)) >= 0
    ]
    if not hits:
        return None
    _, _, industry, keyword = min(hits)
    return industry, keyword


def read_sme(text: str) -> Found | None:
    """中小企业身份 when stated (「小微企业」 → True, 「不是中小企业」「大型企业」 → False)."""
    match = _SME.search(text)
    if match:
        return match.group(1) is None, match.group()
    large = _LARGE.search(text)
    return (False, large.group()) if large else None


def read_rd(text: str) -> tuple[str, float, str] | None:
    """("pct", share, words) for 「研发投入占营收5%」 or ("wan", amount, words) for 「研发费用200万元」."""
    share = _RD_SHARE.search(text)
    if share:
        return "pct", float(share.group(1)), share.group()
    amount = _RD_AMOUNT.search(text)
    if amount:
        value = money_wan(amount.group(2), amount.group(3), None)
        if value is not None:
            return "wan", value, amount.group()
    return None


def read_patents(text: str) -> Found | None:
    """发明专利授权数 from 「2件发明专利」「发明专利3项」; 「没有发明专利」 reads as 0."""
    match = _PATENTS.search(text)
    if match:
        number = cn_number(match.group(1) or match.group(2))
        if number is not None:
            return int(number), match.group()
    none = _NO_PATENTS.search(text)
    return (0, none.group()) if none else None


def read_incubator(text: str) -> Found | None:
    """Whether the enterprise sits in a 孵化器/众创空间 (False when its clause negates it)."""
    match = _INCUBATOR.search(text)
    if not match:
        return None
    return not _NEGATION.search(_clause_before(text, match.start())), match.group()


def read_name(text: str) -> Found | None:
    """The company name ending in 有限公司 / 股份有限公司, without 「我们是」-type lead words."""
    match = _NAME.search(text)
    if not match:
        return None
    name = _NAME_PREFIX.sub("", match.group())
    return (name, match.group()) if len(name) > 4 else None


def read_qualifications(text: str) -> tuple[list[str], list[str], list[str]]:
    """(held, lacking, matched words): each qualification named in the text, read with its clause."""
    held: list[str] = []
    lacking: list[str] = []
    words: list[str] = []
    for name, pattern in _QUALIFICATION_PATTERNS.items():
        for match in pattern.finditer(text):
            clause = _clause_before(text, match.start())
            words.append(match.group())
            if _NEGATION.search(clause):
                lacking.append(name)
            elif not _INTENTION.search(clause):
                held.append(name)
    held = list(dict.fromkeys(held))
    return held, [q for q in dict.fromkeys(lacking) if q not in held], words


def _clause_before(text: str, start: int) -> str:
    """The words of the clause before ``start`` (back to the last comma or stop), at most 8 characters."""
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)]
    return text[max(breaks[-1] if breaks else 0, start - 8) : start]


READERS: dict[str, Callable[[str], Found | None]] = {
    "name": read_name,
    "registered_district": read_district,
    "industry": read_industry,
    "annual_revenue_wan": read_revenue,
    "employees": read_employees,
    "is_sme": read_sme,
    "invention_patents": read_patents,
    "in_incubator": read_incubator,
}
