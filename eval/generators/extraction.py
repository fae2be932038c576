"""IE cases: fictional 执法笔录 (ZF) and 12345 工单 (other domains) assembled from parts with known values.

The gold fields are the parts put in (name, phone, address, date, unit), so no parser is involved in making
them. The sector picks the violation (执法) or the topic of the ticket.
"""

from __future__ import annotations

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case

NAMES = ["张伟", "李娜", "王强", "刘洋", "陈静", "赵磊", "孙悦", "周敏"]
DISTRICTS = ["滨江区", "临川区", "高新区"]
ROADS = ["望江路", "文昌路", "湖滨路", "科创路", "工业路", "春风路"]
SHOPS = ["鑫源商行", "福满楼餐馆", "顺达汽修店", "星光网吧", "绿野农庄", "恒通建材店"]
# 执法 sector → what the 笔录 records (the sector changes the content).
VIOLATIONS = {
    "ZF1": "在店铺门前店外经营，占用人行道约20平方米",
    "ZF2": "未取得食品经营许可从事食品销售",
    "ZF3": "通过暗管向雨水管网排放未经处理的清洗废水",
    "ZF4": "使用未取得道路运输证的车辆从事客运经营",
    "ZF5": "未经许可擅自从事互联网上网服务经营活动",
}


def _record(card: ScenarioCard, rng: object, topic: str) -> tuple[str, dict[str, str]]:
    import random

    assert isinstance(rng, random.Random)
    name = rng.choice(NAMES)
    phone = f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}"
    address = f"{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randrange(1, 300)}号"
    month, day = rng.randrange(1, 13), rng.randrange(1, 29)
    date = f"2025年{month}月{day}日"
    if card.domain == "ZF":
        shop = f"江临市{rng.choice(SHOPS)}"
        text = (
            f"检查时间：{date}。当事人{name}，联系电话{phone}，系{shop}经营者。"
            f"经查，当事人在{address}{VIOLATIONS.get(card.sector_id, VIOLATIONS['ZF1'])}。"
        )
        return text, {"party": name, "phone": phone, "place": address, "inspected": date, "company": shop}
    text = f"来电人{name}反映：{date}起，{address}附近{topic}方面的问题一直没有解决，请相关部门处理。联系电话{phone}。"
    return text, {"caller": name, "phone": phone, "address": address, "occurred": date}


@register("IE")
def generate_ie(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    cases = []
    for number in range(1, ctx.per_scenario + 1):
        topic = card.topics[(number - 1) % len(card.topics)]
        text, fields = _record(card, rng, topic)
        scorers = [
            ScorerSpec(name="fields", params={"path": "extract_info.values", "gold": "fields"}, threshold=0.6),
            ScorerSpec(name="tool_calls", params={"tools": ["extract_info"]}),
        ]
        cases.append(
            make_case(card, number, text, {"fields": fields}, scorers, "eval/generators/extraction.py", "extraction.ie")
        )
    return cases
