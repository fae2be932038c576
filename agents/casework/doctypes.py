"""The 文书 the casework writer produces: template, required record fields, cited fields and time limits."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limit:
    """A 时限 the 文书 states: its name, the record field holding it (or a fixed phrase) and the date it runs from."""

    name: str
    phrase_field: str = ""
    fixed_phrase: str = ""
    base_field: str = "文书日期"


@dataclass(frozen=True)
class DocType:
    name: str
    template: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    cited_fields: tuple[str, ...] = ()
    limits: tuple[Limit, ...] = ()
    keywords: tuple[str, ...] = field(default_factory=tuple)


DOC_TYPES: dict[str, DocType] = {
    "行政处罚告知书": DocType(
        "行政处罚告知书",
        "casework/penalty_notice.j2",
        required=(
            "当事人",
            "违法时间",
            "违法地点",
            "违法事实",
            "违反条款",
            "处罚依据",
            "拟处罚内容",
            "执法机关",
            "文书日期",
        ),
        optional=("文书编号", "证件号码", "地址", "证据", "联系人", "联系电话"),
        cited_fields=("违反条款", "处罚依据"),
        # 行政处罚法第四十四、四十五、六十三、六十四条: 陈述申辩 and 听证 after the notice; local practice gives
        # 3 days for 陈述申辩 and the law 5 days to ask for a hearing.
        limits=(Limit("陈述申辩期限", fixed_phrase="3日内"), Limit("听证申请期限", fixed_phrase="5日内")),
        keywords=("处罚告知", "行政处罚告知书", "拟处罚", "罚款"),
    ),
    "责令改正通知书": DocType(
        "责令改正通知书",
        "casework/rectification_order.j2",
        required=(
            "当事人",
            "违法地点",
            "违法事实",
            "违反条款",
            "改正依据",
            "改正期限",
            "改正要求",
            "执法机关",
            "文书日期",
        ),
        optional=("文书编号", "违法时间", "联系人", "联系电话"),
        cited_fields=("违反条款", "改正依据"),
        limits=(Limit("改正期限", phrase_field="改正期限"),),
        keywords=("责令改正", "限期改正", "整改通知"),
    ),
    "补正告知书": DocType(
        "补正告知书",
        "casework/correction_notice.j2",
        required=("申请人", "申请事项", "收件日期", "补正材料", "依据", "行政机关", "文书日期"),
        optional=("文书编号", "补正期限", "联系人", "联系电话", "受理窗口"),
        cited_fields=("依据",),
        limits=(Limit("补正期限", phrase_field="补正期限", fixed_phrase="10个工作日内"),),
        keywords=("补正告知", "补正材料", "补齐材料"),
    ),
    "不予受理通知书": DocType(
        "不予受理通知书",
        "casework/rejection_notice.j2",
        required=("申请人", "申请事项", "收件日期", "不予受理理由", "依据", "行政机关", "文书日期"),
        optional=("文书编号", "建议途径", "复议机关", "诉讼法院"),
        cited_fields=("依据",),
        keywords=("不予受理", "不受理"),
    ),
}
ALIASES: dict[str, tuple[str, ...]] = {
    "文书日期": ("告知日期", "通知日期", "日期", "制作日期"),
    "当事人": ("被处罚人", "违法行为人"),
    "证件号码": ("身份证号码", "身份证号", "统一社会信用代码"),
    "违反条款": ("违法条款", "违反规定"),
    "执法机关": ("行政机关", "办案机关"),
    "行政机关": ("执法机关", "受理机关"),
    "申请人": ("当事人",),
}
