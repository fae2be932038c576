"""PL cases: 预案 requests whose gold is the skeleton (gov-domain §6) and the four response levels, plus a unit the
org table does not hold, which a faithful plan reports as 待明确 instead of using. The sector picks the kind."""

from __future__ import annotations

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case

SOURCE = "gov-domain.md §6 (预案 skeleton); agents/cityops/seeddata.py (org table, 示例)"
SKELETON = ["总则", "组织机构与职责", "响应分级", "Ⅰ级响应", "Ⅱ级响应", "Ⅲ级响应", "Ⅳ级响应", "处置流程", "保障措施"]
KINDS = {  # request words per kind; sector topics pick the kind
    "snow": ["暴雪灾害应急预案", "低温雨雪冰冻灾害应急预案"],
    "flood": ["防汛排涝应急预案", "暴雨洪涝灾害应急预案"],
    "blackout": ["大面积停电事件应急预案"],
    "event": ["节假日安全保障工作方案", "大型活动安全保障工作方案"],
}
TOPIC_KINDS = {"应急": "snow", "预案": "flood", "供电": "blackout", "停电": "blackout", "供水": "flood",
               "节假日": "event", "活动": "event", "燃气": "event", "安全": "event", "事故": "flood",
               "城市运行": "snow", "危险": "flood"}  # fmt: skip
LEADS = ["市应急管理局", "市城市管理局", "市水务局", "市公安局"]
ABSENT_UNITS = ["江临市地震局", "江临市人民防空办公室", "江临市林业局", "江临市粮食和物资储备局"]  # not in org_units
SCOPES = ["", "滨江区", "临川区", "高新区"]


@register("PL")
def generate_pl(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    preferred = [TOPIC_KINDS[t] for t in card.topics if t in TOPIC_KINDS]
    kinds = list(dict.fromkeys([*preferred, *rng.sample(sorted(KINDS), len(KINDS))]))
    cases = []
    for number in range(1, ctx.per_scenario + 1):
        kind = kinds[(number - 1) % len(kinds)]
        scope = rng.choice(SCOPES) or "全市"
        request = f"编制{scope}{rng.choice(KINDS[kind])}，由{rng.choice(LEADS)}牵头，{rng.choice(ABSENT_UNITS)}参加"
        expected = {"facts": [*SKELETON, "待明确事项"]}
        scorers = [ScorerSpec(name="key_facts", params={"facts": "facts"}, threshold=0.8)]
        cases.append(make_case(card, number, request, expected, scorers, SOURCE, "plans.pl"))
    return cases
