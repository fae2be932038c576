"""FF cases: applicants describing themselves in their own words (示例); gold values from the templates.

Each card gets a complete application, one whose 身份证号/信用代码 has a wrong check character, and one
missing a required field, so the score covers filling, validation and the report of what is missing.
"""

from __future__ import annotations

import datetime as dt
import random

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case, ordered
from eval.generators.fictional import DISTRICTS, PEOPLE, ROADS, cn_date, mobile, resident_id, uscc, workday

FORMS = {
    "sole_proprietor": ["企业设立", "个体工商户", "市场监管", "营业执照", "企业开办", "经营", "税务"],
    "road_occupation": ["城乡建设", "道路", "施工", "城市管理", "工程", "交通运输", "住房"],
}
BUSINESSES = [("早餐店", "早餐、面点制售"), ("水果店", "水果零售"), ("理发店", "理发服务"), ("文具店", "文具零售")]
PURPOSES = ["燃气管道维修开挖", "通信光缆敷设", "供水管道抢修", "建筑外立面施工搭设脚手架"]


def _sole_proprietor(rng: random.Random, variant: int) -> tuple[str, dict[str, object]]:
    name, shop = rng.choice(PEOPLE), rng.choice(BUSINESSES)
    capital = rng.choice([3, 5, 8])
    parts = [
        f"我叫{name}",
        f"想在{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randrange(2, 200)}号开一家{shop[0]}",
        f"身份证号{resident_id(rng, valid=variant != 2)}",
        f"手机{mobile(rng)}",
        f"经营范围：{shop[1]}",
        "我自己一个人经营",
        f"投资{capital}万元",
    ]
    if variant == 3:
        parts.pop(1)  # no 经营场所
    expected: dict[str, object] = {
        "operator": name,
        "form_of_business": "个人经营",
        "capital": str(capital * 10000),
        "complete": variant == 1,
        "missing": ["经营场所"] if variant == 3 else [],
    }
    return "，".join(parts), expected


def _road_occupation(rng: random.Random, variant: int) -> tuple[str, dict[str, object]]:
    contact, start = rng.choice(PEOPLE), workday(rng)
    roads = rng.sample(ROADS, 2)
    lines = [
        "申请单位：江临市通达市政工程有限公司",
        f"统一社会信用代码：{uscc(rng, valid=variant != 2)}",
        f"联系人：{contact}",
        f"电话：{mobile(rng)}",
        f"占用地点：{rng.choice(DISTRICTS)}{roads[0]}与{roads[1]}交叉口",
        f"用途：{rng.choice(PURPOSES)}",
        f"起始日期：{cn_date(start)}",
        f"截止日期：{cn_date(start + dt.timedelta(days=10))}",
    ]
    if variant == 3:
        lines.pop(2)  # no 联系人
    expected: dict[str, object] = {
        "contact": contact if variant != 3 else None,
        "start": start.isoformat(),
        "complete": variant == 1,
        "missing": ["联系人"] if variant == 3 else [],
    }
    return "\n".join(lines), expected


@register("FF")
def generate_ff(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    form = ordered(list(FORMS), [" ".join(words) for words in FORMS.values()], card, rng)[0]
    cases = []
    for number in range(1, ctx.per_scenario + 1):
        variant = (number - 1) % 3 + 1
        if form == "sole_proprietor":
            text, expected = _sole_proprietor(rng, variant)
            fields = ["operator", "form_of_business", "capital"]
            question = f"帮我填个体工商户开业登记申请表：{text}"
        else:
            text, expected = _road_occupation(rng, variant)
            fields = ["start"] + (["contact"] if variant != 3 else [])
            question = f"帮我填城市道路临时占用申请表：\n{text}"
        scorers = [ScorerSpec(name="exact_match", params={"path": f"fill_form.values.{f}", "gold": f}) for f in fields]
        scorers += [
            ScorerSpec(name="exact_match", params={"path": "fill_form.complete", "gold": "complete"}),
            ScorerSpec(name="set_f1", params={"path": "fill_form.missing_required", "gold": "missing"}),
        ]
        cases.append(make_case(card, number, question, expected, scorers, "eval/generators/forms.py", "forms.ff"))
    return cases
