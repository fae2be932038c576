"""brief_from_request: a DocumentBrief from a staff member's plain request, by keywords and patterns only.

Used by the offline model's ``draft_document`` tool. What the request does not say stays a placeholder
(【待补：发文机关】, 〔　　〕号, XXXX年X月X日); nothing is guessed. A real LLM can fill the brief better through
the same tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agents.gongwen.brief import DocumentBrief, ReplyTo
from agents.gongwen.doctypes import ALIASES, DOC_TYPES
from agents.gongwen.model import todo

_TYPE_WORDS = sorted({*DOC_TYPES, *ALIASES} - {"命令（令）", "令"}, key=len, reverse=True)
_ISSUER = re.compile(
    r"(?:以|代)(?P<v>[\u4e00-\u9fa5]{2,24}?)(?:的)?名义|(?:发文机关|发文单位)(?:是|为|[：:])\s*(?P<w>[^，,。；;\s]+)"
)
_RECIPIENTS = re.compile(
    r"主送(?:机关)?(?:是|为|给|[：:])?\s*(?P<v>[^，,。；;\n]+)"
    r"|(?:发给|报给|报送|呈报|上报|下发给|印发给|给|向)(?P<w>[\u4e00-\u9fa5、和及]{2,40}?)(?:发|报|写|申请|请示|提交|行文|请求|商请|询问|的|，|,|。|$)"
)
# 「给各区人民政府，市政府各部门发个通知」: organs listed before the verb, commas included.
_RECIPIENTS_BEFORE_VERB = re.compile(r"给(?P<v>[\u4e00-\u9fa5、，,和及]{2,60}?)(?:发|报|写|行文)")
# 「发个通知，进一步规范公文办理工作」: the clause right after the 文种 is the 事由.
_SUBJECT_AFTER_TYPE = re.compile(
    r"(?:发|写|起草|拟|出)(?:个|一个|一份|份)?(?:" + "|".join(_TYPE_WORDS) + r")[，,：:]\s*(?P<v>[^，,。；;\n]{2,60})"
)
_SUBJECT = re.compile(r"关于(?P<v>[^，,。；;\n]{2,60}?)的(?:" + "|".join(_TYPE_WORDS) + ")")
_SUBJECT_LOOSE = re.compile(r"关于(?P<v>[^，,。；;\n]{2,60})")
_SUBJECT_AFTER = re.compile(r"(?:事由|主题|内容)(?:是|为|[：:])\s*(?P<v>[^，,。；;\n]{2,60})")
_REQUEST = re.compile(r"(?:申请|请求|商请|恳请)(?P<v>[^，,。；;\n]{2,60})")
_POINTS = re.compile(r"(?:要点|要求|主要内容|内容包括|包括)(?:是|有|为|[：:])\s*(?P<v>.+)$", re.S)
_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,12}〔\d{4}〕[1-9]\d*号")
_REPLY = re.compile(r"《(?P<title>[^》]+(?:请示|函))》(?:[（(](?P<number>[^）)]+)[）)])?")
_ORDER = ("函", "请示", "报告", "批复", "通报", "通告", "公告")


@dataclass
class RequestReading:
    """The brief read from a request, and what was assumed or left open (shown to the user)."""

    brief: DocumentBrief
    assumptions: list[str] = field(default_factory=list)


def _doc_type(text: str) -> tuple[str, str | None]:
    found = [(text.find(word), -len(word), word) for word in _TYPE_WORDS if word in text]
    if not found:
        return "通知", "请求中未写明文种，按“通知”起草，请确认"
    word = min(found)[2]
    return ALIASES.get(word, word), None


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[、，,和及；;]", value) if v.strip()]


def _points(text: str) -> list[str]:
    match = _POINTS.search(text)
    if not match:
        return []
    parts = re.split(r"[；;\n]|(?:[一二三四五六七八九十]是)|(?:\d+[.、．])", match.group("v"))
    return [p.strip(" ，,。") for p in parts if len(p.strip(" ，,。")) >= 2]


def brief_from_request(text: str) -> RequestReading:
    """Read 文种 (keywords), 发文机关, 主送机关, 事由, 要点 and 请示事项 (patterns) from ``text``."""
    doc_type, assumed = _doc_type(text)
    assumptions = [assumed] if assumed else []
    issuer = _ISSUER.search(text)
    recipients = _RECIPIENTS_BEFORE_VERB.search(text) or _RECIPIENTS.search(text)
    subject = _SUBJECT.search(text) or _SUBJECT_AFTER.search(text) or _SUBJECT_LOOSE.search(text)
    request = _REQUEST.search(text)
    fields: dict[str, object] = {
        "doc_type": doc_type,
        "issuer": (issuer.group("v") or issuer.group("w")) if issuer else todo("发文机关"),
        "recipients": _split(recipients.group("v") or recipients.group("w") or "") if recipients else [],
        "points": _points(text),
    }
    if subject:
        fields["subject"] = subject.group("v").strip()
    elif request:
        fields["subject"] = request.group("v").strip()
    elif after_type := _SUBJECT_AFTER_TYPE.search(text):
        fields["subject"] = after_type.group("v").strip()
    else:
        fields["subject"] = todo("事由")
    if doc_type == "请示" and request:
        fields["request"] = request.group("v").strip()
    number = _NUMBER.search(text)
    if number and "文号" in text:
        fields["doc_number"] = number.group()
    reply = _REPLY.search(text)
    if reply and doc_type in ("批复", "函"):
        fields["reply_to"] = ReplyTo(title=reply.group("title"), number=reply.group("number"))
        if not recipients and "关于" in reply.group("title"):
            # A 批复 answers the organ that sent the 请示: the title starts with its name.
            fields["recipients"] = [reply.group("title").split("关于")[0]]
    if not issuer:
        assumptions.append("未写明发文机关，已留占位")
    if not fields["recipients"] and doc_type in _ORDER[:5]:
        assumptions.append("未写明主送机关，已留占位")
    return RequestReading(DocumentBrief.model_validate(fields), assumptions)
