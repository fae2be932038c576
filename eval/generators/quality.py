"""QC cases: a 12345 ticket with a full, an evasive and a boilerplate reply (示例); gold verdicts by construction."""

from __future__ import annotations

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case, ordered
from eval.generators.fictional import DISTRICTS, PEOPLE, ROADS, mobile

# (topics, ticket, action reply for the first demand, action reply for the second demand)
TICKETS = [
    (
        ["噪声", "环境保护", "城乡建设", "城市管理"],
        "{district}{road}的工地每天晚上11点后还在施工，吵得睡不着，要求停止夜间施工，并对施工单位进行处罚",
        "经现场核查，已责令施工单位停止夜间施工",
        "并依据《中华人民共和国噪声污染防治法》第七十七条立案查处",
    ),
    (
        ["城市管理", "市容", "环境保护", "餐饮"],
        "{district}{road}一家饭店油烟直排，熏得窗户都不敢开，要求整改，并清理堆在人行道上的杂物",
        "经现场核查，已责令该饭店限期整改，加装油烟净化设施",
        "并依据《江临市市容和环境卫生管理条例》第十九条清理人行道杂物",
    ),
    (
        ["市政", "城乡建设", "交通运输", "住房"],
        "{district}{road}的路灯坏了半个月，晚上一片漆黑，请尽快维修，并在路口增设警示标志",
        "经现场核查，已于3日内维修更换损坏路灯，恢复照明",
        "并按照《城市道路照明设施管理规定》在路口增设警示标志",
    ),
    (
        ["社会保障", "劳动", "就业", "欠薪"],
        "在{district}{road}一家公司工作，被拖欠工资三个月，要求公司支付工资，并赔偿经济补偿金",
        "经调查核实，已责令该公司于7日内支付拖欠工资",
        "并依据《劳动合同法》第八十五条责令其支付经济补偿",
    ),
]
BOILERPLATE = "感谢您对我们工作的关心和支持。我单位高度重视群众诉求，将持续加大工作力度，不断提升服务水平。"


@register("QC")
def generate_qc(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    pool = ordered(TICKETS, [" ".join(t[0]) for t in TICKETS], card, rng)
    _, template, first, second = pool[0]
    ticket = template.format(district=rng.choice(DISTRICTS), road=rng.choice(ROADS))
    contact = f"承办人：{rng.choice(PEOPLE)}，联系电话{mobile(rng)}。"
    replies = [
        (f"{first}，{second}。{contact}我单位将于10个工作日内复查。", "合格"),
        (f"{first}。{contact}我单位将于10个工作日内复查，依据相关规定办理。", "基本合格"),
        (BOILERPLATE, "不合格"),
    ]
    cases = []
    for number, (reply, verdict) in enumerate((replies * 3)[: ctx.per_scenario], 1):
        question = f"工单：{ticket}\n答复：{reply}"
        scorers = [ScorerSpec(name="exact_match", params={"path": "inspect_reply.verdict", "gold": "verdict"})]
        cases.append(
            make_case(card, number, question, {"verdict": verdict}, scorers, "eval/generators/quality.py", "quality.qc")
        )
    return cases
