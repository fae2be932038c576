"""Ticket fields by pattern: 地址, 时间, 联系电话 and 诉求对象, each with its source span.

Patterns, not a model: every value is a substring of the ticket (``text[start:end]``), so a 派单员 can
check it at a glance. Relative times (今天, 昨晚10点) are kept verbatim and normalised against a
reference day where the arithmetic is unambiguous.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from agents.guardrails.pii import PiiKind, find_pii
from agents.tickets.timeparse import find_times

DEFAULT_CITY = "江临市"
DEFAULT_DISTRICTS = ("滨江区", "临川区", "高新区")

# Characters that end a name: function words and pronouns rarely occur inside a road, estate or shop name,
# so a name run stops at them (「我家住在锦绣花园小区」 → 锦绣花园小区). 区 ends a name too, so a road
# never swallows the district before it (「滨江区望江路」 is 区 + 路, not one road).
_STOP = "在的是我你他她它住家了有们这那说到从对给把被向往及或去来跟就都也还很太让请帮要条过么吗呢吧啊着得地区"
_NAME = rf"[^\W_{_STOP}]"
_CN_DIGITS = "一二三四五六七八九十"
_ADDRESS_PART = re.compile(
    "|".join(
        [
            rf"(?P<area>{_NAME}{{2,6}}(?:街道|镇|社区|新村))",
            rf"(?P<road>{_NAME}{{2,8}}(?:大道|大街|路|街(?!道)|巷|弄|胡同)(?:[东西南北中]段)?"
            r"(?:(?:与|和)[^\W_]{2,8}?(?:大道|路|街)(?:交叉口|交汇处|路口))?(?:交叉口|路口)?)",
            r"(?P<number>\d+号(?:院)?(?!楼))",
            rf"(?P<place>{_NAME}{{2,10}}(?:小区|花园|家园|公寓|苑|广场|大厦|商场|菜市场|农贸市场|公园|产业园|工业园))",
            rf"(?P<building>(?:\d+|[{_CN_DIGITS}]+)(?:号楼|栋|幢|座))",
            rf"(?P<unit>(?:\d+|[{_CN_DIGITS}]+)单元)",
            r"(?P<room>\d{3,4}(?:室|房)?)",
            r"(?P<side>东门|西门|南门|北门|门口)",
        ]
    )
)
_ROOM_AFTER = ("building", "unit")
_ANCHORS = {"district", "area", "road", "place"}  # a run of parts is an address only with one of these
_TARGET_SUFFIXES = (
    "有限公司|公司|物业|集团|饭店|酒店|餐馆|餐厅|饭馆|小吃店|烧烤店|火锅店|面馆|超市|便利店|商场|药店|药房|医院|诊所|"
    "卫生院|小学|中学|幼儿园|培训机构|培训学校|补习班|辅导班|健身房|美容院|美容店|理发店|网吧|KTV|酒吧|4S店|中介|"
    "开发商|化工厂|工厂|作坊|工地|施工队|驾校|银行|营业厅|加油站|搅拌站|店|厂|"
    "房东|邻居|住户|老板|包工头|司机|保安|工作人员"
)
# Verbs and determiners that precede a place or an object without being part of its name; they are blanked
# out before matching, so 「投诉恒通物业」 gives 恒通物业, 「这家饭店」 饭店 and 「举报望江路66号」 望江路66号.
_LEADS = re.compile("投诉|举报|反映|检举|表扬|感谢|谢谢|关于|针对|对于|一家|一个|这家|那家|有家|有个|附近|旁边|对面")
_TARGET = re.compile(rf"{_NAME}{{0,12}}(?:{_TARGET_SUFFIXES})")
_SUFFIX_ONLY = re.compile(rf"(?:{_TARGET_SUFFIXES})")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")


@dataclass(frozen=True)
class FieldSpan:
    """One extracted value: the text as written, where it is, and a normalised form when there is one."""

    text: str
    start: int
    end: int
    normalized: str | None = None
    kind: str = ""


@dataclass(frozen=True)
class TicketFields:
    """Everything ``extract_ticket_fields`` found, in text order per field."""

    addresses: list[FieldSpan] = field(default_factory=list)
    district: str | None = None
    times: list[FieldSpan] = field(default_factory=list)
    phones: list[FieldSpan] = field(default_factory=list)
    targets: list[FieldSpan] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (the tools' output)."""
        return asdict(self)


def extract_ticket_fields(
    text: str,
    districts: tuple[str, ...] | list[str] = DEFAULT_DISTRICTS,
    today: dt.date | None = None,
    city: str = DEFAULT_CITY,
) -> TicketFields:
    """Extract 地址, 时间, 联系电话 and 诉求对象 from a ticket.

    Args:
        text: the ticket as recorded (诉求内容).
        districts: the city's district names, e.g. the taxonomy's ``districts``.
        today: reference day for 今天/昨天 (default: the system date).
        city: the city's name, prefixed to addresses that name a district but not the city.

    Returns:
        The fields, each value with its span in ``text``.
    """
    addresses = find_addresses(text, districts, city)
    return TicketFields(
        addresses=addresses,
        district=find_district(text, districts),
        times=[FieldSpan(*t) for t in find_times(text, today or dt.date.today())],
        phones=find_phones(text),
        targets=find_targets(text, addresses),
    )


def find_district(text: str, districts: tuple[str, ...] | list[str] = DEFAULT_DISTRICTS) -> str | None:
    """The first district named in ``text`` (where the 诉求 happened, for 属地 routing), or None."""
    found = [(text.find(name), name) for name in districts if name in text]
    return min(found)[1] if found else None


def find_addresses(
    text: str, districts: tuple[str, ...] | list[str] = DEFAULT_DISTRICTS, city: str = DEFAULT_CITY
) -> list[FieldSpan]:
    """Address spans: runs of adjacent parts (区, 街道, 路, 号, 小区, 栋, 单元, 室) holding a place anchor.

    The normalised form prefixes the city when the address names a district but not the city
    (「临川区文昌路1号」 → 「江临市临川区文昌路1号」); without a district it is None, since the city
    cannot be assumed for a bare road name.
    """
    names = "|".join(map(re.escape, districts))
    district_re = re.compile(rf"(?:{re.escape(city)})?(?:{names})") if districts else None
    spans: list[FieldSpan] = []
    run: list[tuple[int, int, str]] = []
    for part in [*_address_parts(_blank_leads(text), district_re), (len(text) + 1, len(text) + 1, "end")]:
        if run and part[0] != run[-1][1]:
            if {kind for _, _, kind in run} & _ANCHORS:
                start, end = run[0][0], run[-1][1]
                value = text[start:end]
                normalized = None
                if find_district(value, districts):
                    normalized = value if value.startswith(city) else city + value
                spans.append(FieldSpan(value, start, end, normalized, "地址"))
            run = []
        run.append(part)
    return spans


def _address_parts(text: str, district_re: re.Pattern[str] | None) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every address part, scanning left to right without overlaps."""
    parts: list[tuple[int, int, str]] = []
    position = 0
    while position < len(text):
        district = district_re.match(text, position) if district_re else None
        if district:
            parts.append((district.start(), district.end(), "district"))
            position = district.end()
            continue
        part = _ADDRESS_PART.match(text, position)
        # A bare 3–4 digit number is a room only right after a 栋/单元 (else it is a year or a price).
        after_building = bool(parts) and parts[-1][1] == position and parts[-1][2] in _ROOM_AFTER
        if part and part.lastgroup and (part.lastgroup != "room" or after_building):
            parts.append((part.start(), part.end(), part.lastgroup))
            position = part.end()
        else:
            position += 1
    return parts


def find_phones(text: str) -> list[FieldSpan]:
    """Mobile numbers (validated by the PII guardrail) and landlines written with an area code."""
    spans = [FieldSpan(m.text, m.start, m.end, m.value, "手机号") for m in find_pii(text) if m.kind is PiiKind.PHONE]
    spans += [FieldSpan(m.group(), m.start(), m.end(), m.group(), "固定电话") for m in _LANDLINE.finditer(text)]
    return sorted(spans, key=lambda s: s.start)


def find_targets(text: str, addresses: list[FieldSpan] | None = None) -> list[FieldSpan]:
    """诉求对象: the organisations, shops and people a ticket is about (「恒通物业」「张记饭店」「房东」).

    Args:
        text: the ticket.
        addresses: address spans; an object starts after any address it overlaps
            (「健康路56号旁边工地」 → 工地), since the place is already the 地址 field.
    """
    found: list[tuple[int, int]] = []
    for match in _TARGET.finditer(_blank_leads(text)):
        start = match.start()
        for address in addresses or []:
            if address.start <= start < address.end < match.end():
                start = address.end
        found.append((start, match.end()))
    values = [text[start:end] for start, end in found]
    spans = []
    for (start, end), value in zip(found, values, strict=True):
        # A bare 「饭店」 that only repeats a named 「张记饭店」 adds nothing.
        repeated = _SUFFIX_ONLY.fullmatch(value) and any(o != value and o.endswith(value) for o in values)
        if value and not repeated and value not in ("店", "厂"):
            spans.append(FieldSpan(value, start, end, None, "对象"))
    return spans


def _blank_leads(text: str) -> str:
    """``text`` with lead words replaced by commas of the same length, so spans still index ``text``."""
    return _LEADS.sub(lambda lead: "，" * len(lead.group()), text)
