"""TK cases: fictional minutes (示例) with 议定事项 in several 时限 forms; gold deadlines computed here with
chinese-calendar directly (not with the agent's calendar code). The sector's topics give the matters."""

from __future__ import annotations

import calendar
import datetime as dt
import random

import chinese_calendar

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case

SOURCE = "eval/generators/tracking.py (templated minutes, 示例)"
UNITS = ["市城市管理局", "市应急管理局", "市民政局", "市教育局", "市市场监督管理局", "滨江区人民政府", "临川区人民政府",
         "高新区管委会", "市交通运输局", "市住房和城乡建设局"]  # fmt: skip
VERBS = ["完成", "制定", "开展", "落实", "组织"]


def _workday(day: dt.date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def after_workdays(start: dt.date, count: int) -> dt.date:
    day = start
    while count:
        day += dt.timedelta(days=1)
        count -= _workday(day)
    return day


def after_days(start: dt.date, count: int) -> dt.date:
    day = start + dt.timedelta(days=count)
    while not _workday(day):  # 期间最后一日是休息日的，顺延至其后第一个工作日
        day += dt.timedelta(days=1)
    return day


def _limit(rng: random.Random, meeting: dt.date, form: int) -> tuple[str, dt.date]:
    if form == 0:
        count = rng.choice([5, 10, 15])
        return f"{count}个工作日内", after_workdays(meeting, count)
    if form == 1:
        day = meeting + dt.timedelta(days=rng.randint(10, 40))
        return f"{day.month}月{day.day}日前", day
    if form == 2:
        count = rng.choice([3, 7, 10])
        return f"{count}日内", after_days(meeting, count)
    return "本月底前", dt.date(meeting.year, meeting.month, calendar.monthrange(meeting.year, meeting.month)[1])


@register("TK")
def generate_tk(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    cases = []
    for number in range(1, ctx.per_scenario + 1):
        meeting = dt.date(2026, 3, 2) + dt.timedelta(days=rng.randrange(240))
        while not _workday(meeting):
            meeting += dt.timedelta(days=1)
        units = rng.sample(UNITS, 3)
        topics = [*card.topics, *card.topics][:3]
        lines = [
            f"{card.sector_name}工作推进会会议纪要（示例）",
            f"会议时间：{meeting.year}年{meeting.month}月{meeting.day}日",
        ]
        deadlines = []
        for index, (unit, topic) in enumerate(zip(units, topics, strict=True)):
            phrase, due = _limit(rng, meeting, (index + number) % 4)
            numeral = "一二三"[index]
            lines.append(f"{numeral}、由{unit}牵头，{phrase}{rng.choice(VERBS)}{topic}相关工作并报送情况。")
            deadlines.append(due.isoformat())
        question = "请把下面会议纪要的督办事项列出来，看看截止日期：\n" + "\n".join(lines)
        paths = ["first", "track_tasks.deadlines", "extract_tasks.deadlines"]  # sorted ISO dates, compared whole
        scorers = [ScorerSpec(name="exact_match", params={"path": paths, "gold": "deadlines"})]
        expected = {"deadlines": sorted(deadlines)}
        cases.append(make_case(card, number, question, expected, scorers, SOURCE, "tracking.tk"))
    return cases
