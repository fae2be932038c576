"""WS cases: 案件 records for 行政处罚告知书 / 责令改正通知书 and an application for a 补正告知书 (示例).

Gold: the 文书 type, the 陈述申辩/改正/补正 deadline computed here on the official calendar (natural days
roll past a day off; working days skip holidays), and the cited regulation's doc id in the sample KB.
"""

from __future__ import annotations

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case, ordered
from eval.generators.fictional import (
    DISTRICTS,
    PEOPLE,
    ROADS,
    SHOPS,
    cn_date,
    natural_days_deadline,
    workday,
    working_days_deadline,
)

REGULATION = "江临市市容和环境卫生管理条例"
ACCEPTANCE = "江临市行政许可受理工作规定"
# (topics, 违法事实, 违反条款, 处罚依据, 拟处罚内容)
VIOLATIONS = [
    (
        ["城市管理", "市容", "执法", "市场监管"],
        "超出门窗和外墙摆放货架进行店外经营，经责令限期改正后逾期未改正",
        "第二十条",
        "第四十条",
        "罚款人民币1000元",
    ),
    (
        ["城市管理", "街面", "执法", "交通运输"],
        "擅自占用人行道摆摊设点，经责令改正后拒不改正",
        "第十九条",
        "第三十九条",
        "罚款人民币500元",
    ),
    (
        ["城乡建设", "渣土", "交通运输", "环境保护"],
        "运输渣土的车辆未密闭，沿途撒漏约80米",
        "第二十八条",
        "第四十二条",
        "罚款人民币8000元",
    ),
    (
        ["广告", "城市管理", "市容", "文化"],
        "户外招牌破损、污浊，经责令限期改正后逾期未修复",
        "第二十一条",
        "第四十一条",
        "罚款人民币2000元",
    ),
]


@register("WS")
def generate_ws(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    violation = ordered(VIOLATIONS, [" ".join(v[0]) for v in VIOLATIONS], card, rng)[0]
    _, facts, article, penalty_article, penalty = violation
    cases = []
    for number in range(1, ctx.per_scenario + 1):
        kind = ["行政处罚告知书", "责令改正通知书", "补正告知书"][(number - 1) % 3]
        day = workday(rng)
        place = f"江临市{rng.choice(DISTRICTS)}{rng.choice(ROADS)}{rng.randrange(1, 200)}号"
        common = [f"文书类型：{kind}", f"文书日期：{cn_date(day)}"]
        if kind == "补正告知书":
            lines = [
                *common,
                "申请人：江临市通达市政工程有限公司",
                "申请事项：城市道路临时占用许可",
                f"收件日期：{cn_date(day)}",
                "补正材料：施工期间交通疏解方案、占用路段平面图",
                f"依据：《{ACCEPTANCE}》第十条",
                "补正期限：10个工作日内",
                "行政机关：江临市城市管理局",
            ]
            deadline, path, doc = working_days_deadline(day, 10), "write_casework.deadlines.补正期限.date", ACCEPTANCE
        else:
            lines = [
                *common,
                f"当事人：江临市{rng.choice(SHOPS)}（经营者{rng.choice(PEOPLE)}）",
                f"违法时间：{cn_date(day)}9时",
                f"违法地点：{place}",
                f"违法事实：{facts}",
                f"违反条款：《{REGULATION}》{article}",
                "执法机关：江临市滨江区综合行政执法局",
            ]
            if kind == "行政处罚告知书":
                lines += [f"处罚依据：《{REGULATION}》{penalty_article}", f"拟处罚内容：{penalty}"]
                deadline, path = natural_days_deadline(day, 3), "write_casework.deadlines.陈述申辩期限.date"
            else:
                lines += [
                    f"改正依据：《{REGULATION}》{penalty_article}",
                    "改正期限：5日内",
                    "改正要求：立即停止违法行为，恢复原状",
                ]
                deadline, path = natural_days_deadline(day, 5), "write_casework.deadlines.改正期限.date"
            doc = REGULATION
        question = f"请根据以下记录生成{kind}：\n" + "\n".join(lines)
        expected = {"doc_type": kind, "deadline": deadline.isoformat(), "doc_ids": [doc], "ready": True}
        scorers = [
            ScorerSpec(name="exact_match", params={"path": "write_casework.doc_type", "gold": "doc_type"}),
            ScorerSpec(name="exact_match", params={"path": path, "gold": "deadline"}),
            ScorerSpec(name="exact_match", params={"path": "write_casework.ready", "gold": "ready"}),
            ScorerSpec(name="citation", params={"gold": "doc_ids"}),
        ]
        cases.append(make_case(card, number, question, expected, scorers, f"data/kb/policies/{doc}.md", "casework.ws"))
    return cases
