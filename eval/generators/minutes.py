"""MN cases: meeting transcripts built from a table of agenda items (示例); gold 责任单位 and open items.

Each transcript has three or four 议定事项; one of them may lack a 责任单位 or a 时限 on purpose, and the
gold lists which.
"""

from __future__ import annotations

from eval.cases import Case, ScorerSpec
from eval.catalog import ScenarioCard
from eval.generators import GeneratorContext, register
from eval.generators.common import make_case, ordered
from eval.generators.fictional import PEOPLE, cn_date, workday

# (topics, meeting name, [(unit, task, 时限 or "")])
MEETINGS = [
    (
        ["会议", "防汛", "应急", "水务", "城市管理"],
        "汛期排水防涝工作专题协调会",
        [
            ("市水务局", "完成老城区排水管网清淤", "6月30日前"),
            ("市城管局", "制定易涝点整治方案", "10个工作日内"),
            ("市应急管理局", "建立易涝点值守制度", "本月底前"),
        ],
    ),
    (
        ["会议", "安全", "应急", "督办", "考核"],
        "节前安全生产检查部署会",
        [
            ("市应急管理局", "牵头组织节前安全生产大检查", "本周五前"),
            ("市市场监管局", "开展特种设备专项检查", "15个工作日内"),
            ("市消防救援支队", "完成人员密集场所消防检查", "月底前"),
        ],
    ),
    (
        ["会议", "招商", "企业", "营商环境", "政策措施"],
        "优化营商环境工作推进会",
        [
            ("市政务服务管理办公室", "梳理高频事项一网通办清单", "20个工作日内"),
            ("市市场监管局", "压缩企业开办时间", "年底前"),
            ("市税务局", "推出惠企政策直达快享", "本月底前"),
        ],
    ),
    (
        ["会议", "市容", "城市管理", "环境保护", "创建"],
        "市容环境综合整治工作会",
        [
            ("市城管局", "开展占道经营专项整治", "7月15日前"),
            ("市生态环境局", "督促餐饮油烟治理", "30日内"),
            ("滨江区人民政府", "完成望江路背街小巷改造", "年底前"),
        ],
    ),
]


@register("MN")
def generate_mn(card: ScenarioCard, ctx: GeneratorContext) -> list[Case]:
    rng = ctx.rng(card)
    pool = ordered(MEETINGS, [" ".join(m[0]) for m in MEETINGS], card, rng)
    cases = []
    for number, (_, name, items) in enumerate((pool * 3)[: ctx.per_scenario], 1):
        host, recorder, *speakers = rng.sample(PEOPLE, 2 + len(items))
        attendees = "、".join(f"{unit}{person}" for (unit, _, _), person in zip(items, speakers, strict=True))
        lines = [
            f"会议名称：{name}（示例）",
            f"时间：{cn_date(workday(rng))}上午9:00",
            "地点：江临市人民政府3号会议室",
            f"主持人：{host}",
            f"参会人员：{attendees}",
            f"记录人：{recorder}",
        ]
        lines += [
            f"{p}（{u}）：我单位就{t}作了准备，请会议研究。" for (u, t, _), p in zip(items, speakers, strict=True)
        ]
        lines.append(f"{host}：会议议定如下：")
        numerals = "一二三四五"
        for index, (unit, task, limit) in enumerate(items):
            lines.append(f"{numerals[index]}、由{unit}负责，{limit}{task}。")
        open_item = "相关经费保障问题，会后另行研究。"
        if number % 2:
            lines.append(f"{numerals[len(items)]}、{open_item}")
        expected = {
            "units": [unit for unit, _, _ in items] + (["未明确"] if number % 2 else []),
            "attendees": [host, recorder, *speakers],
        }
        scorers = [
            ScorerSpec(name="set_f1", params={"path": "write_minutes.units", "gold": "units"}),
            ScorerSpec(name="numeric_faithfulness"),
        ]
        question = "请把下面的会议记录整理成会议纪要：\n" + "\n".join(lines)
        cases.append(make_case(card, number, question, expected, scorers, "eval/generators/minutes.py", "minutes.mn"))
    return cases
