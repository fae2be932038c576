"""Fictional 江临市 people, places and identifiers (示例) for the text-processing capability generators.

Identifiers get their check characters from this module's own GB 11643 / GB 32100 arithmetic, so a case's
gold never comes from the validators under test.
"""

from __future__ import annotations

import datetime as dt
import random

import chinese_calendar

PEOPLE = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄敏",
    "周杰",
    "吴霞",
    "徐强",
    "孙丽",
    "马骏",
    "朱琳",
]
ROADS = ["望江路", "文昌路", "科创路", "湖滨路", "星河路", "健康路", "工业路", "江滨大道", "临川大道", "学府路"]
DISTRICTS = ["滨江区", "临川区", "高新区"]
SHOPS = ["鑫源商行", "福满楼饭店", "佳佳便利店", "老王面馆", "晨光文具店", "绿源果蔬店", "阳光五金店"]
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def resident_id(rng: random.Random, valid: bool = True) -> str:
    """An 18-character 身份证号 with a real birth date; the last character is wrong when ``valid`` is False."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
    first = f"3301{rng.choice(['02', '03', '05', '06'])}{born:%Y%m%d}{rng.randrange(1000):03d}"
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first, weights, strict=True)) % 11]
    if not valid:
        check = "10X98765432"[("10X98765432".index(check) + 1) % 11]
    return first + check


def uscc(rng: random.Random, valid: bool = True) -> str:
    """An 18-character 统一社会信用代码 (enterprise, 江临 region); a wrong check character when ``valid`` is False."""
    body = "91330100" + "".join(rng.choice(_USCC_CHARS) for _ in range(9))
    total = sum(_USCC_CHARS.index(c) * pow(3, i, 31) for i, c in enumerate(body))
    check = _USCC_CHARS[(31 - total % 31) % 31]
    if not valid:
        check = _USCC_CHARS[(_USCC_CHARS.index(check) + 1) % 31]
    return body + check


def mobile(rng: random.Random) -> str:
    return f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def workday(rng: random.Random, year: int = 2025) -> dt.date:
    """A random working day of ``year`` (on the official calendar)."""
    while True:
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(330))
        if chinese_calendar.is_workday(day):
            return day


def natural_days_deadline(start: dt.date, days: int) -> dt.date:
    """The end of a span of ``days`` natural days; a last day off work rolls to the next working day."""
    end = start + dt.timedelta(days=days)
    while not chinese_calendar.is_workday(end):
        end += dt.timedelta(days=1)
    return end


def working_days_deadline(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start``."""
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            left -= 1
    return day
