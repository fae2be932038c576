"""The 15 statutory 文种 (《党政机关公文处理工作条例》第八条) and the conventions the drafter and checker share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["上行", "下行", "平行", "公布"]


@dataclass(frozen=True)
class DocType:
    """One 文种: its direction, whether it has a 主送机关, its usual ending and its template."""

    name: str
    direction: Direction
    template: str  # prompts/templates/gongwen/<template>.j2
    needs_recipients: bool
    endings: tuple[str, ...]  # accepted closing phrases; the first is what the drafter writes
    purpose: str  # 条例第八条 “适用于…”


_TYPES = (
    DocType("决议", "下行", "jueyi", False, (), "会议讨论通过的重大决策事项"),
    DocType(
        "决定", "下行", "jueding", True, (),
        "对重要事项作出决策和部署、奖惩有关单位和人员、变更或者撤销下级机关不适当的决定事项",
    ),
    DocType(
        "命令（令）", "下行", "mingling", False, (),
        "公布行政法规和规章、宣布施行重大强制性措施、批准授予和晋升衔级、嘉奖有关单位和人员",
    ),
    DocType("公报", "公布", "gongbao", False, (), "公布重要决定或者重大事项"),
    DocType("公告", "公布", "gonggao", False, ("特此公告。",), "向国内外宣布重要事项或者法定事项"),
    DocType("通告", "公布", "tonggao", False, ("特此通告。",), "在一定范围内公布应当遵守或者周知的事项"),
    DocType("意见", "下行", "yijian", True, (), "对重要问题提出见解和处理办法"),
    DocType(
        "通知", "下行", "tongzhi", True, ("特此通知。", "请遵照执行。", "请认真贯彻执行。"),
        "发布、传达要求下级机关执行和有关单位周知或者执行的事项，批转、转发公文",
    ),
    DocType("通报", "下行", "tongbao", True, ("特此通报。",), "表彰先进、批评错误、传达重要精神和告知重要情况"),
    DocType("报告", "上行", "baogao", True, ("特此报告。",), "向上级机关汇报工作、反映情况，回复上级机关的询问"),
    DocType(
        "请示", "上行", "qingshi", True, ("妥否，请批示。", "当否，请批示。", "以上请示，请予审批。"),
        "向上级机关请求指示、批准",
    ),
    DocType("批复", "下行", "pifu", True, ("此复。",), "答复下级机关请示事项"),
    DocType(
        "议案", "上行", "yian", True, ("请审议。",),
        "各级人民政府按照法律程序向同级人民代表大会或者其常务委员会提请审议事项",
    ),
    DocType(
        "函", "平行", "han", True, ("请予函复。", "特此函复。", "特此函告。"),
        "不相隶属机关之间商洽工作、询问和答复问题、请求批准和答复审批事项",
    ),
    DocType("纪要", "下行", "jiyao", False, (), "记载会议主要情况和议定事项"),
)

DOC_TYPE_INFO: dict[str, DocType] = {t.name: t for t in _TYPES}
DOC_TYPES: tuple[str, ...] = tuple(DOC_TYPE_INFO)
# Names a writer may use for a 文种 that resolve to the statutory one.
ALIASES = {"命令": "命令（令）", "令": "命令（令）", "会议纪要": "纪要", "复函": "函"}
UPWARD = frozenset(t.name for t in _TYPES if t.direction == "上行")


def resolve_doc_type(name: str) -> str:
    """The statutory 文种 for ``name`` (aliases such as 命令/令/会议纪要 accepted)."""
    name = name.strip()
    resolved = ALIASES.get(name, name)
    if resolved not in DOC_TYPE_INFO:
        raise ValueError(f"unknown 文种 {name!r}; 15 statutory types: {'、'.join(DOC_TYPES)}")
    return resolved


def title_suffix(doc_type: str) -> str:
    """What a title ends with: 命令（令） titles end with 令 (e.g. 江临市人民政府令)."""
    return "令" if doc_type == "命令（令）" else doc_type
