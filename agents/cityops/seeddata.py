"""Fixed vocabularies of the fictional 江临市 (示例): districts, roads, ticket categories, units, resources."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

# district → street → [(road, length in km)]; roads are the ones the sample knowledge base already names.
DISTRICTS: dict[str, dict[str, list[tuple[str, float]]]] = {
    "滨江区": {
        "望江街道": [("望江路", 6.4), ("滨江大道", 11.2)],
        "湖滨街道": [("湖滨路", 4.8), ("鹭洲路", 3.6)],
        "江湾街道": [("江湾大道", 9.5), ("沿江路", 5.1)],
    },
    "临川区": {
        "文昌街道": [("文昌路", 5.7), ("人民路", 7.9)],
        "工业街道": [("工业路", 8.3), ("机电路", 4.2)],
        "临川街道": [("临川大道", 10.6), ("书院路", 3.4)],
    },
    "高新区": {
        "科创街道": [("科创路", 7.2), ("智谷路", 4.5)],
        "云谷街道": [("云谷路", 6.1), ("创业路", 5.3)],
        "高新街道": [("高新大道", 12.4), ("软件园路", 3.9)],
    },
}

DISTRICT_CODES = {"滨江区": "990102", "临川区": "990103", "高新区": "990171"}  # 99…: no real 行政区划 uses them


@dataclass(frozen=True)
class Category:
    name: str
    weight: int  # relative share of tickets
    workdays: int  # 办理时限 in 工作日
    unit: str  # 承办单位; {区} is the ticket's district


CATEGORIES = [
    Category("噪声扰民", 14, 5, "{区}综合行政执法局"),
    Category("占道经营", 10, 5, "{区}综合行政执法局"),
    Category("市容环卫", 10, 5, "{区}综合行政执法局"),
    Category("违法建设", 5, 15, "{区}综合行政执法局"),
    Category("物业管理", 12, 5, "{区}住房和城乡建设局"),
    Category("市政设施", 8, 5, "江临市城市管理局"),
    Category("供水", 6, 1, "江临水务集团"),
    Category("供暖", 8, 1, "江临热力公司"),
    Category("交通管理", 9, 5, "江临市公安局交通警察支队"),
    Category("劳动关系", 7, 5, "{区}人力资源和社会保障局"),
    Category("消费维权", 7, 5, "{区}市场监督管理局"),
    Category("教育", 4, 5, "{区}教育局"),
]

EVENT_TYPES: dict[str, list[str]] = {
    "市容环境": ["暴露垃圾", "积存垃圾渣土", "道路不洁", "绿地脏乱"],
    "宣传广告": ["非法小广告", "违规户外广告", "占道广告牌"],
    "施工管理": ["施工扰民", "工地扬尘", "道路遗撒"],
    "街面秩序": ["无照经营游商", "店外经营", "占道废品收购", "机动车乱停放"],
    "突发事件": ["路面塌陷", "道路积水", "道路结冰"],
}

INDUSTRIES: dict[str, list[str]] = {
    "制造业": ["精工", "机电", "新材料", "汽配"],
    "信息技术": ["云谷", "数智", "软件", "芯联"],
    "批发零售": ["百货", "鲜达", "优选"],
    "住宿餐饮": ["味道", "江鲜", "客栈"],
    "建筑业": ["建工", "路桥", "安装"],
    "交通运输": ["物流", "快运", "通达"],
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"

# (date, snow depth in cm) of the sample winter; 清雪 rows exist for these days only.
SNOW_DAYS: list[tuple[dt.date, int]] = [
    (dt.date(2025, 11, 28), 3),
    (dt.date(2025, 12, 14), 6),
    (dt.date(2025, 12, 15), 4),
    (dt.date(2025, 12, 30), 2),
    (dt.date(2026, 1, 8), 8),
    (dt.date(2026, 1, 9), 5),
    (dt.date(2026, 1, 21), 3),
    (dt.date(2026, 2, 3), 10),
    (dt.date(2026, 2, 4), 6),
    (dt.date(2026, 2, 17), 2),
    (dt.date(2026, 3, 5), 3),
    (dt.date(2026, 11, 16), 4),
    (dt.date(2026, 11, 17), 2),
]

_CITY_UNITS = [
    ("江临市突发事件应急委员会", "应急指挥", "统一领导全市突发事件应对，决定启动和终止Ⅰ级、Ⅱ级应急响应"),
    ("江临市应急管理局", "应急指挥", "承担应急指挥部办公室日常工作，综合协调、信息汇总和应急资源调度"),
    ("江临市气象局", "监测预警", "发布气象预警信息，提供天气监测和趋势预报"),
    ("江临市城市管理局", "专业处置", "组织城市道路清雪除冰、市政设施抢修和市容秩序保障"),
    ("江临市公安局", "专业处置", "现场警戒、交通管制、治安维护和人员疏散"),
    ("江临市公安局交通警察支队", "专业处置", "道路交通疏导、事故处置和交通管制"),
    ("江临市消防救援支队", "专业处置", "抢险救援、人员搜救和火灾扑救"),
    ("江临市水务局", "专业处置", "防汛排涝、供水保障和水利工程抢险"),
    ("江临市住房和城乡建设局", "专业处置", "房屋建筑和在建工地安全检查、危房人员转移"),
    ("江临市卫生健康委员会", "医疗救治", "组织医疗救治、卫生防疫和心理援助"),
    ("江临市交通运输局", "交通保障", "公交地铁运力调度、应急运输保障"),
    ("江临市民政局", "生活保障", "受灾群众临时安置、基本生活救助和困难群众走访"),
    ("江临市教育局", "社会动员", "学校停课复课安排和师生安全"),
    ("江临市委宣传部", "信息发布", "新闻发布、舆情监测和正面引导"),
    ("江临供电公司", "基础保障", "电力抢修和重要用户保电"),
    ("江临燃气公司", "基础保障", "燃气管网巡检、抢修和保供"),
    ("江临水务集团", "基础保障", "供水管网抢修和应急供水"),
    ("江临热力公司", "基础保障", "供热管网抢修和保温保供"),
]

_DISTRICT_UNITS = [
    ("{区}人民政府", "属地处置", "组织本辖区先期处置、人员转移安置和善后工作"),
    ("{区}应急管理局", "应急指挥", "承担区应急指挥部办公室工作，调度辖区应急队伍和物资"),
    ("{区}综合行政执法局", "专业处置", "辖区道路清雪除冰、市容秩序和违法建设查处"),
]

# (name, level, district, role, duty, phone): the org table of the emergency plans.
ORG_UNITS: list[tuple[str, str, str | None, str, str, str]] = [
    (name, "企业" if not name.startswith("江临市") else "市级", None, role, duty, f"0999-8800{n:04d}（示例）")
    for n, (name, role, duty) in enumerate(_CITY_UNITS, start=1)
] + [
    (name.format(区=district), "区级", district, role, duty, f"0999-87{d}0{n:03d}（示例）")
    for d, district in enumerate(DISTRICTS, start=1)
    for n, (name, role, duty) in enumerate(_DISTRICT_UNITS, start=1)
]

_SNOW = "暴雪,低温雨雪冰冻"
_FLOOD = "暴雨洪涝"
_ALL = "暴雪,低温雨雪冰冻,暴雨洪涝,大面积停电,燃气事故,大型活动"

# (name, category, quantity, measure, owner unit, district, location, hazards)
RESOURCES: list[tuple[str, str, int, str, str, str | None, str, str]] = [
    ("融雪剂", "物资", 1200, "吨", "江临市城市管理局", "临川区", "市融雪剂储备库（临川区工业路）", _SNOW),
    ("大型铲雪车", "装备", 24, "台", "江临市城市管理局", "临川区", "市环卫机械场（临川区机电路）", _SNOW),
    ("融雪剂撒布车", "装备", 18, "台", "江临市城市管理局", "临川区", "市环卫机械场（临川区机电路）", _SNOW),
    ("防滑草垫", "物资", 30000, "张", "江临市城市管理局", "滨江区", "市政物资库（滨江区沿江路）", _SNOW),
    ("棉帐篷", "物资", 800, "顶", "江临市民政局", "高新区", "市救灾物资储备库（高新区创业路）", _ALL),
    ("棉被", "物资", 6000, "床", "江临市民政局", "高新区", "市救灾物资储备库（高新区创业路）", _ALL),
    ("折叠床", "物资", 3000, "张", "江临市民政局", "高新区", "市救灾物资储备库（高新区创业路）", _ALL),
    ("应急避难场所", "场所", 12, "处", "江临市应急管理局", None, "三区各4处，详见避难场所名录", _ALL),
    ("应急发电车", "装备", 9, "台", "江临供电公司", "滨江区", "供电抢修基地（滨江区江湾大道）", _ALL),
    ("移动排水泵车", "装备", 15, "台", "江临市水务局", "滨江区", "防汛物资仓库（滨江区鹭洲路）", _FLOOD),
    ("防汛沙袋", "物资", 50000, "条", "江临市水务局", "滨江区", "防汛物资仓库（滨江区鹭洲路）", _FLOOD),
    ("冲锋舟", "装备", 20, "艘", "江临市消防救援支队", "滨江区", "滨江消防救援站", _FLOOD),
    ("消防救援队", "队伍", 6, "支", "江临市消防救援支队", None, "三区各2个消防救援站", _ALL),
    ("医疗救护车", "装备", 40, "辆", "江临市卫生健康委员会", None, "急救站点（三区）", _ALL),
    ("卫生应急队", "队伍", 5, "支", "江临市卫生健康委员会", None, "急救调度基地", _ALL),
    ("应急运输大客车", "装备", 60, "辆", "江临市交通运输局", "临川区", "公交临川停车场（临川区临川大道）", _ALL),
    ("燃气抢修队", "队伍", 4, "支", "江临燃气公司", None, "燃气抢修基地", "燃气事故,大型活动"),
    ("供热抢修队", "队伍", 3, "支", "江临热力公司", None, "热力调度中心", _SNOW),
    ("供水抢修队", "队伍", 4, "支", "江临水务集团", None, "水务抢修基地", _ALL),
    ("交通疏导警力", "队伍", 300, "人", "江临市公安局交通警察支队", None, "各交警大队", _ALL),
] + [
    row
    for district, snow, trucks in (("滨江区", 300, 8), ("临川区", 260, 7), ("高新区", 220, 6))
    for row in (
        ("融雪剂", "物资", snow, "吨", f"{district}综合行政执法局", district, f"{district}环卫站", _SNOW),
        ("小型铲雪车", "装备", trucks, "台", f"{district}综合行政执法局", district, f"{district}环卫站", _SNOW),
        ("清雪突击队", "队伍", 120, "人", f"{district}综合行政执法局", district, f"{district}环卫站", _SNOW),
        ("应急物资储备点", "场所", 3, "处", f"{district}应急管理局", district, f"{district}各街道", _ALL),
    )
]

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def credit_code(rng: random.Random, district: str) -> str:
    """A fictional 统一社会信用代码 whose two check characters (GB 11714, GB 32100) are valid."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    org_check = 11 - sum(int(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    org = body + {10: "X", 11: "0"}.get(org_check, str(org_check))
    head = "91" + DISTRICT_CODES[district] + org
    total = sum(_CODE_CHARS.index(c) * w for c, w in zip(head, _CODE_WEIGHTS, strict=True))
    return head + _CODE_CHARS[(31 - total % 31) % 31]
