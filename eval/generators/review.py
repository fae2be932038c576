"""RV cases: submissions with one known defect or none (示例); gold verdict and failed rule ids by construction.

The generator states which rule each defect breaks (its own reading of the sample rule files), e.g. an
occupied area over 500 m² breaks RO-03 (不予受理); it never asks the reviewer under test.
"""

from __future__ import annotations

import datetime as dt
import random

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case, ordered
from eval.generators.fictional import DISTRICTS, PEOPLE, ROADS, cn_date, resident_id, uscc, workday

RULE_SETS = {
    "road_occupation": ["城乡建设", "道路", "施工", "城市管理", "交通运输", "住房", "工程", "执法"],
    "sole_proprietor": ["企业设立", "个体工商户", "市场监管", "营业执照", "经营", "税务", "信用"],
}
# defect → (failed rule ids, verdict)
ROAD_DEFECTS = {"none": ([], "通过"), "no_plan": (["RO-04"], "补正"), "too_big": (["RO-03"], "不予受理")}
SHOP_DEFECTS = {"none": ([], "通过"), "bad_id": (["SP-02"], "补正"), "no_lease": (["SP-04"], "补正")}


def _road(rng: random.Random, defect: str) -> str:
    start = workday(rng)
    roads = rng.sample(ROADS, 2)
    materials = "申请书、施工图" + ("" if defect == "no_plan" else "、交通疏解方案")
    return "\n".join(
        [
            "请审查以下城市道路临时占用申请：",
            "申请单位：江临市通达市政工程有限公司",
            f"统一社会信用代码：{uscc(rng)}",
            f"占用地点：{rng.choice(DISTRICTS)}{roads[0]}与{roads[1]}交叉口",
            f"占用面积：{rng.randrange(600, 900) if defect == 'too_big' else rng.randrange(20, 400)}平方米",
            f"起始日期：{cn_date(start)}",
            f"截止日期：{cn_date(start + dt.timedelta(days=rng.randrange(5, 30)))}",
            f"提交材料：{materials}",
        ]
    )


def _shop(rng: random.Random, defect: str) -> str:
    materials = "申请书、身份证复印件" + ("" if defect == "no_lease" else "、租赁合同")
    return "\n".join(
        [
            "请审查以下个体工商户设立登记申请：",
            f"经营者姓名：{rng.choice(PEOPLE)}",
            f"身份证号码：{resident_id(rng, valid=defect != 'bad_id')}",
            f"经营场所：江临市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randrange(1, 200)}号",
            "组成形式：个人经营",
            f"经营范围：{rng.choice(['早餐、面点制售', '水果零售', '理发服务', '日用百货零售'])}",
            f"提交材料：{materials}",
        ]
    )


@register("RV")
def generate_rv(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    rules = ordered(list(RULE_SETS), [" ".join(w) for w in RULE_SETS.values()], card, rng)[0]
    defects = ROAD_DEFECTS if rules == "road_occupation" else SHOP_DEFECTS
    cases = []
    for number, defect in enumerate((list(defects) * 3)[: ctx.per_scenario], 1):
        question = _road(rng, defect) if rules == "road_occupation" else _shop(rng, defect)
        failed, verdict = defects[defect]
        scorers = [
            ScorerSpec(name="exact_match", params={"path": "review_submission.verdict", "gold": "verdict"}),
            ScorerSpec(name="set_f1", params={"path": "review_submission.failed_ids", "gold": "failed"}),
        ]
        expected = {"verdict": verdict, "failed": failed}
        cases.append(
            make_case(card, number, question, expected, scorers, f"agents/review/rules/{rules}.yaml", "review.rv")
        )
    return cases
