"""Seeded synthetic briefs for the benchmark and the eval harness: fictional 江临市 organs and matters (示例).

``random_brief(rng, doc_type)`` returns a complete brief (文号, 签发人 and dates filled in), so the draft is a
clean document: the checker should report nothing on it.
"""

from __future__ import annotations

import datetime as dt
import random

from agents.gongwen.brief import Attachment, BriefPoint, DocumentBrief, Meeting, ReplyTo

# (机关, 机关代字): all fictional, the sample city 江临市 and its districts.
DOWNWARD = [
    ("江临市人民政府", "江政发"),
    ("江临市人民政府办公室", "江政办发"),
    ("江临市教育局", "江教发"),
    ("江临市生态环境局", "江环发"),
    ("江临市应急管理局", "江应急发"),
    ("江临市交通运输局", "江交发"),
    ("江临市卫生健康委员会", "江卫发"),
    ("滨江区人民政府", "滨政发"),
    ("临川区人民政府办公室", "临政办发"),
    ("高新区管理委员会", "高新管发"),
]
UPWARD = [
    ("滨江区人民政府", "滨政", "江临市人民政府"),
    ("临川区人民政府", "临政", "江临市人民政府"),
    ("高新区管理委员会", "高新管", "江临市人民政府"),
    ("江临市教育局", "江教", "江临市人民政府"),
    ("江临市财政局", "江财", "江临市人民政府"),
    ("滨江区教育局", "滨教", "江临市教育局"),
]
PEERS = ["江临市财政局", "江临市自然资源和规划局", "江临市住房和城乡建设局", "江临市公安局", "江临市水务局"]
DOWN_RECIPIENTS = [["各区人民政府", "市政府各部门"], ["各区教育局", "市直各学校"], ["各区人民政府"], ["各有关单位"]]
SUBJECTS = [
    "做好2026年防汛防台风工作",
    "开展城镇燃气安全专项整治",
    "加强中小学校园周边交通安全管理",
    "推进政务服务“一网通办”",
    "做好2026年高校毕业生就业工作",
    "开展农村人居环境整治提升行动",
    "加强夏季用电安全管理",
    "做好老年人助餐服务工作",
    "推进老旧小区改造",
    "开展消防安全大检查",
    "加强食品安全监督抽检",
    "做好春季森林防火工作",
    "规范公共停车场收费管理",
    "推进生活垃圾分类工作",
    "加强城市内涝治理",
    "做好2026年义务教育招生工作",
]
POINTS = [
    "加强组织领导，明确责任分工",
    "细化工作方案，倒排时间节点",
    "强化督促检查，定期通报进展",
    "做好宣传引导，营造良好氛围",
    "加强部门协同，形成工作合力",
    "严格值班值守，确保信息畅通",
    "落实经费保障，规范资金使用",
    "建立工作台账，实行销号管理",
    "加强队伍建设，提升业务能力",
    "注重总结评估，推广经验做法",
    "强化风险排查，及时消除隐患",
    "健全长效机制，巩固工作成效",
]
ITEMS = [
    "6月30日前完成全面排查",
    "建立问题清单和整改台账",
    "每月5日前报送工作进展",
    "组织开展一次专项督查",
    "对重点区域实行每日巡查",
    "11月底前完成验收评估",
]
POINT_TEXT = "各单位要高度重视，主要负责同志亲自部署，确保各项任务落到实处。"
BASES = [
    ("江临市安全生产条例", "江临人大常〔2024〕5号"),
    ("江临市人民政府关于加强城市管理工作的意见", "江政发〔2025〕3号"),
    ("江临市生态环境保护工作责任规定", "江政办发〔2025〕21号"),
]
REQUESTS = [
    "市财政安排专项补助资金200万元",
    "市政府同意设立滨江湿地公园",
    "市政府批准调整2026年度建设项目计划",
    "市政府同意将该项目列入市级重点项目",
]
ATTACHMENTS = ["工作任务分工表", "检查情况汇总表", "联系人名单", "项目清单", "资金测算表"]
CC = ["市委办公室", "市人大常委会办公室", "市政协办公室", "市纪委监委"]
NAMES = ["王明", "李华", "张伟", "刘洋", "陈静", "赵磊", "周敏", "吴刚"]
NOTES = [None, None, "此件公开发布", "此件主动公开", "联系人：陈静，电话：0000-12345678"]


def _date(rng: random.Random) -> dt.date:
    return dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(330))


def _points(rng: random.Random) -> list[str | BriefPoint]:
    chosen = rng.sample(POINTS, rng.randint(2, 4))
    if rng.random() < 0.4:
        items = rng.sample(ITEMS, rng.randint(2, 3))
        head = BriefPoint(heading=chosen[0], text=POINT_TEXT if rng.random() < 0.5 else "", items=items)
        return [head, *chosen[1:]]
    return list(chosen)


def random_brief(rng: random.Random, doc_type: str) -> DocumentBrief:
    """A complete, clean brief of ``doc_type`` drawn from the fictional pools above."""
    subject = rng.choice(SUBJECTS)
    date = _date(rng)
    issuer, code = rng.choice(DOWNWARD)
    fields: dict[str, object] = {"recipients": rng.choice(DOWN_RECIPIENTS)}
    if doc_type in ("请示", "报告"):
        issuer, code, superior = rng.choice(UPWARD)
        fields = {"recipients": [superior], "signer": rng.choice(NAMES)}
        if doc_type == "请示":
            fields["request"] = rng.choice(REQUESTS)
    elif doc_type == "议案":
        issuer, code = "江临市人民政府", "江政"
        fields = {"recipients": ["江临市人民代表大会常务委员会"], "signer": rng.choice(NAMES)}
    elif doc_type == "函":
        issuer, code = rng.choice(DOWNWARD[2:7])
        fields = {"recipients": [rng.choice(PEERS)]}
    elif doc_type == "批复":
        issuer, code = "江临市人民政府", "江政复"
        district = rng.choice(UPWARD[:3])
        number = f"{district[1]}〔{date.year}〕{rng.randint(1, 60)}号"
        fields = {
            "recipients": [district[0]],
            "reply_to": ReplyTo(title=f"{district[0]}关于{subject}的请示", number=number),
        }
    elif doc_type in ("公告", "通告", "公报", "决议", "纪要", "命令（令）"):
        fields = {}
        if doc_type == "命令（令）":
            issuer = "江临市人民政府"
            passed = date - dt.timedelta(days=rng.randint(3, 20))
            name = subject.removeprefix("做好").removeprefix("加强")
            fields["opening"] = (
                f"《江临市{name}办法》已经{passed.year}年{passed.month}月{passed.day}日"
                f"市人民政府第{rng.randint(2, 40)}次常务会议通过，现予公布，自{date.year + 1}年1月1日起施行。"
            )
    if doc_type in ("纪要", "决议"):
        fields["meeting"] = Meeting(
            name=f"江临市人民政府第{rng.randint(2, 40)}次常务会议",
            date=date - dt.timedelta(days=3),
            host=f"{rng.choice(NAMES)}市长",
            attendees=rng.sample(NAMES, 3) if doc_type == "纪要" else [],
        )
    if rng.random() < 0.4 and doc_type not in ("批复", "纪要", "决议", "命令（令）"):
        title, number = rng.choice(BASES)
        fields["opening"] = f"根据《{title}》（{number}）有关规定，为{subject}，结合本市实际。"
    attachments: list[str | Attachment] = []
    for name in rng.sample(ATTACHMENTS, rng.choice([0, 0, 1, 2, 3])):
        full = f"{subject}{name}"
        attachments.append(Attachment(name=full, text="一、基本情况。") if rng.random() < 0.3 else full)
    cc = [c for c in rng.sample(CC, rng.choice([0, 1, 2]))]
    doc_number = (
        f"第{rng.randint(1, 200)}号" if doc_type == "命令（令）" else f"{code}〔{date.year}〕{rng.randint(1, 300)}号"
    )
    return DocumentBrief.model_validate(
        {
            "doc_type": doc_type,
            "issuer": issuer,
            "subject": subject,
            "points": _points(rng),
            "doc_number": doc_number,
            "date": date,
            "urgency": rng.choice([None, None, None, "特急", "加急"]),
            "attachments": attachments,
            "cc": cc,
            "note": rng.choice(NOTES),
            **fields,
        }
    )
