"""What the offline 问数 planner knows: per table, the words that name it, its measures, dimensions and filters.

A measure's SQL may use ``{today}`` (the injected date). Every expression here reads only columns that
``agents/cityops/tables.yaml`` lists, so the planner's SQL passes the same guard as a model's SQL.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    label: str
    sql: str
    keywords: tuple[str, ...] = ()
    additive: bool = True  # a total over groups means something (counts, sums; not rates or averages)
    unit: str = ""


@dataclass(frozen=True)
class Dimension:
    label: str
    sql: str
    keywords: tuple[str, ...]
    chronological: bool = False


@dataclass(frozen=True)
class TableVocabulary:
    table: str
    keywords: tuple[str, ...]
    measures: tuple[Measure, ...]  # the first is the default
    dimensions: tuple[Dimension, ...]
    filters: tuple[str, ...]  # categorical columns whose values a question may name
    listing: tuple[str, ...]  # columns shown when the question asks for a list
    list_by_default: bool = False


def _time_dims(column: str) -> tuple[Dimension, ...]:
    return (
        Dimension("月份", f"substr({column}, 1, 7)", ("按月", "每月", "各月", "逐月", "月度", "分月", "趋势"), True),
        Dimension("日期", f"substr({column}, 1, 10)", ("每天", "每日", "逐日", "按日", "按天", "分日"), True),
    )


_DISTRICT = Dimension(
    "区", "district", ("各区", "分区", "按区", "哪个区", "哪些区", "每个区", "各城区", "三个区", "区县", "的区")
)
_OVERDUE = (
    "SUM(CASE WHEN (closed_at IS NOT NULL AND substr(closed_at, 1, 10) > deadline) "
    "OR (closed_at IS NULL AND deadline < '{today}') THEN 1 ELSE 0 END)"
)

VOCABULARY: tuple[TableVocabulary, ...] = (
    TableVocabulary(
        "snow_removal",
        ("清雪", "除雪", "扫雪", "铲雪", "融雪", "积雪"),
        (
            Measure("清运雪量", "ROUND(SUM(snow_tons), 1)", ("雪量", "作业量", "清雪量", "吨"), unit="吨"),
            Measure("清雪里程", "ROUND(SUM(cleared_km), 1)", ("里程", "公里"), unit="公里"),
            Measure("出动车辆", "SUM(vehicles)", ("车辆", "车次", "台次", "机械"), unit="台次"),
            Measure("出动人员", "SUM(workers)", ("人员", "人次", "人数"), unit="人次"),
            Measure(
                "清雪覆盖率",
                "ROUND(100.0 * SUM(cleared_km) / SUM(road_km), 1)",
                ("覆盖率", "完成率"),
                False,
                "%",
            ),
        ),
        (_DISTRICT, Dimension("道路", "road", ("各道路", "哪条路", "按道路", "每条路")), *_time_dims("work_date")),
        ("district", "road"),
        ("work_date", "district", "road", "cleared_km", "snow_tons", "vehicles"),
    ),
    TableVocabulary(
        "emergency_resources",
        ("应急资源", "应急物资", "物资", "装备", "救援队", "储备", "铲雪车", "帐篷", "发电车"),
        (Measure("数量", "SUM(quantity)", ("多少", "总量", "数量", "合计")),),
        (
            Dimension("资源类别", "category", ("各类", "类别", "分类")),
            Dimension("管理单位", "owner_unit", ("各单位", "管理单位", "哪个单位")),
            _DISTRICT,
        ),
        ("district", "category", "name", "owner_unit"),
        ("name", "category", "quantity", "measure", "owner_unit", "location"),
        list_by_default=True,
    ),
    TableVocabulary(
        "org_units",
        ("应急机构", "组织机构", "应急组织", "成员单位", "指挥部", "值班电话"),
        (Measure("单位数", "COUNT(*)", ("多少个", "几个", "数量")),),
        (Dimension("层级", "level", ("层级", "市级和区级")), Dimension("应急职能", "role", ("职能", "分工"))),
        ("district", "level", "role"),
        ("name", "level", "role", "duty", "phone"),
        list_by_default=True,
    ),
    TableVocabulary(
        "ticket_callers",
        ("来电人", "来电号码", "联系电话", "电话号码", "手机号"),
        (Measure("来电人数", "COUNT(*)"),),
        (),
        (),
        ("ticket_id", "caller_name", "phone"),
        list_by_default=True,
    ),
    TableVocabulary(
        "enterprises",
        ("企业", "公司", "市场主体", "信用代码", "信用等级"),
        (
            Measure("数量", "COUNT(*)", ("多少家", "几家", "数量", "企业数")),
            Measure("从业人数", "SUM(employees)", ("从业人数", "员工", "就业", "职工"), unit="人"),
        ),
        (
            _DISTRICT,
            Dimension("行业", "industry", ("行业", "各行业", "分行业")),
            Dimension("企业规模", "size", ("规模",)),
            Dimension("信用等级", "credit_level", ("信用等级", "各等级", "信用分级")),
            *_time_dims("established")[:1],
        ),
        ("district", "industry", "size", "credit_level"),
        ("name", "credit_code", "industry", "district", "size", "credit_level"),
    ),
    TableVocabulary(
        "city_events",
        ("城管事件", "城市管理事件", "城管案件", "数字城管", "事件", "案件", "网格"),
        (
            Measure("数量", "COUNT(*)", ("多少起", "多少件", "事件数", "数量")),
            Measure(
                "平均处置时长", "ROUND(AVG(handle_hours), 1)", ("处置时长", "平均时长", "多久", "用时"), False, "小时"
            ),
            Measure("结案率", "ROUND(100.0 * SUM(status = '已结案') / COUNT(*), 1)", ("结案率", "办结率"), False, "%"),
        ),
        (
            _DISTRICT,
            Dimension("街道", "street", ("各街道", "按街道", "哪个街道", "每个街道")),
            Dimension("事件大类", "event_type", ("各类", "类别", "分类", "哪类", "大类", "类型")),
            Dimension("事件小类", "subtype", ("小类", "具体问题")),
            Dimension("事件来源", "source", ("来源", "渠道")),
            *_time_dims("reported_at"),
        ),
        ("district", "street", "event_type", "subtype", "source", "status"),
        ("id", "reported_at", "district", "street", "event_type", "subtype", "status"),
    ),
    TableVocabulary(
        "tickets",
        ("工单", "12345", "热线", "诉求", "投诉", "来电", "市民反映", "群众反映"),
        (
            Measure("受理量", "COUNT(*)", ("多少件", "多少条", "多少单", "工单量", "数量", "受理量")),
            Measure(
                "满意率",
                "ROUND(100.0 * SUM(satisfaction = '满意') / NULLIF(COUNT(satisfaction), 0), 1)",
                ("满意率", "满意度"),
                False,
                "%",
            ),
            Measure("不满意件数", "SUM(satisfaction = '不满意')", ("不满意",), unit="件"),
            Measure("办结率", "ROUND(100.0 * SUM(status = '已办结') / COUNT(*), 1)", ("办结率",), False, "%"),
            Measure("超期工单数", _OVERDUE, ("超期", "逾期", "超时", "延期"), unit="件"),
        ),
        (
            _DISTRICT,
            Dimension("街道", "street", ("各街道", "按街道", "哪个街道", "每个街道")),
            Dimension("诉求类别", "category", ("各类", "类别", "分类", "哪类", "哪些问题", "什么问题", "领域")),
            Dimension("诉求类型", "ticket_type", ("诉求类型", "工单类型")),
            Dimension("承办单位", "unit", ("承办单位", "各单位", "哪个单位", "各部门", "哪个部门")),
            Dimension("办理状态", "status", ("状态",)),
            *_time_dims("received_at"),
        ),
        ("district", "street", "category", "unit", "status"),
        ("id", "received_at", "district", "address", "category", "unit", "status", "deadline"),
    ),
)
