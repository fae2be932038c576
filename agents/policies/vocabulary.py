"""The words eligibility speaks: condition fields with Chinese labels, districts, industries, qualifications.

The catalog is validated against these lists, so a typo in a policy entry (「高新技术企」) fails at load
instead of silently never matching. The SME thresholds are those of 《中小企业划型标准规定》 for the
industries listed here (「以下」 excludes the number itself).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldLabel:
    """How a condition field reads in Chinese: its name, its unit, and what to ask for when it is unknown."""

    label: str
    unit: str
    ask: str
    kind: str  # number | text | list | bool: which operators apply


FIELD_LABELS: dict[str, FieldLabel] = {
    "registered_district": FieldLabel("注册地", "", "注册地所在区", "text"),
    "industry": FieldLabel("所属行业", "", "所属行业", "text"),
    "annual_revenue_wan": FieldLabel("年营业收入", "万元", "上年度营业收入", "number"),
    "employees": FieldLabel("从业人数", "人", "从业人数", "number"),
    "years_established": FieldLabel("成立年限", "年", "成立时间", "number"),
    "qualifications": FieldLabel("资质", "", "已获得的资质认定（如高新技术企业、专精特新）", "list"),
    "is_sme": FieldLabel("中小企业身份", "", "是否属于中小企业（或从业人数和营业收入）", "bool"),
    "rd_ratio_pct": FieldLabel("研发费用占营业收入比例", "%", "研发费用或其占营业收入的比例", "number"),
    "invention_patents": FieldLabel("发明专利授权数", "件", "发明专利授权数量", "number"),
    "in_incubator": FieldLabel("入驻孵化器或众创空间", "", "是否入驻孵化器或众创空间", "bool"),
}
# What a true / false boolean field reads as in a reason.
BOOL_WORDS: dict[str, tuple[str, str]] = {
    "is_sme": ("属于中小企业", "不属于中小企业"),
    "in_incubator": ("已入驻孵化器或众创空间", "未入驻孵化器或众创空间"),
}

CITY = "江临市"
DISTRICTS: dict[str, tuple[str, ...]] = {
    "滨江区": ("滨江区", "滨江"),
    "临川区": ("临川区", "临川"),
    # 「高新」 alone would also hit 高新技术企业, so only the district's own names count.
    "高新区": ("高新技术产业开发区", "高新区"),
}

# industry → keywords in enterprises' own words; the earliest keyword in the text decides.
INDUSTRY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "软件和信息技术服务业": tuple("软件 信息技术 互联网 人工智能 大数据 云计算 信息服务 网络科技 SaaS IT".split()),
    "制造业": tuple("制造 工厂 生产企业 加工 机械 零部件 化工 纺织 电子元器件 工业企业 新材料".split()),
    "批发业": tuple("批发 贸易 商贸 进出口".split()),
    "零售业": tuple("零售 超市 便利店 电商 网店".split()),
    "住宿餐饮业": tuple("餐饮 饭店 餐馆 餐厅 酒店 宾馆 民宿".split()),
    "科学研究和技术服务业": tuple("技术服务 研发服务 检验检测 检测 工程设计 科研".split()),
    "建筑业": tuple("建筑 施工 装修 装饰工程".split()),
    "交通运输业": tuple("物流 运输 快递 货运".split()),
    "农林牧渔业": tuple("农业 种植 养殖 农产品 渔业 林业".split()),
}
INDUSTRIES: tuple[str, ...] = tuple(INDUSTRY_KEYWORDS)

# qualification → aliases; 「专精特新」 followed by 小巨人 is the higher title, handled in patterns.
QUALIFICATION_ALIASES: dict[str, tuple[str, ...]] = {
    "高新技术企业": ("高新技术企业", "国家高新", "高企", "国高"),
    "专精特新中小企业": ("专精特新中小企业", "专精特新"),
    "专精特新“小巨人”企业": ("专精特新“小巨人”企业", "小巨人"),
    "科技型中小企业": ("科技型中小企业", "科小"),
}
QUALIFICATIONS: tuple[str, ...] = tuple(QUALIFICATION_ALIASES)

# 《中小企业划型标准规定》: an enterprise is 中小微型 when below either threshold (None: not used).
SME_LIMITS: dict[str, tuple[int | None, float | None]] = {
    "制造业": (1000, 40000),
    "软件和信息技术服务业": (300, 10000),
    "批发业": (200, 40000),
    "零售业": (300, 20000),
    "住宿餐饮业": (300, 10000),
    "科学研究和技术服务业": (300, None),  # 其他未列明行业
    "建筑业": (None, 80000),
    "交通运输业": (1000, 30000),
    "农林牧渔业": (None, 20000),
}


def normalise_district(value: str) -> str:
    """滨江 → 滨江区; an unknown place (市外) is kept as written."""
    value = value.strip()
    for district, names in DISTRICTS.items():
        if any(name in value for name in names):
            return district
    return CITY if value.startswith("江临") else value


def normalise_industry(value: str) -> str:
    """An industry name or keyword (软件 → 软件和信息技术服务业); unknown words are kept as written."""
    value = value.strip()
    if value in INDUSTRY_KEYWORDS:
        return value
    for industry, keywords in INDUSTRY_KEYWORDS.items():
        if any(keyword in value for keyword in keywords):
            return industry
    return value


def normalise_qualification(value: str) -> str:
    """A qualification's canonical name (高企 → 高新技术企业); unknown names are kept as written."""
    value = value.strip()
    if "小巨人" in value:
        return "专精特新“小巨人”企业"
    for name, aliases in QUALIFICATION_ALIASES.items():
        if any(alias in value for alias in aliases):
            return name
    return value


def sme_by_standard(industry: str | None, employees: int | None, revenue_wan: float | None) -> tuple[bool, str] | None:
    """Whether 《中小企业划型标准规定》 makes the enterprise an SME, with the rule, or None if undecidable.

    Args:
        industry: the enterprise's industry from ``INDUSTRIES``.
        employees: 从业人数, if known.
        revenue_wan: 营业收入 in 万元, if known.

    Returns:
        (is_sme, note) — SME when below either threshold; not SME only when every threshold is known
        and reached; None when the industry is unknown or a deciding figure is missing.
    """
    if industry not in SME_LIMITS:
        return None
    max_employees, max_revenue = SME_LIMITS[industry]
    parts = [f"从业人员{max_employees}人以下"] if max_employees else []
    parts += [f"营业收入{max_revenue:g}万元以下"] if max_revenue else []
    rule = f"按《中小企业划型标准规定》{industry}{'或'.join(parts)}推定"
    below = [
        max_employees is not None and employees is not None and employees < max_employees,
        max_revenue is not None and revenue_wan is not None and revenue_wan < max_revenue,
    ]
    if any(below):
        return True, rule
    known = (max_employees is None or employees is not None) and (max_revenue is None or revenue_wan is not None)
    return (False, rule) if known else None
