"""The checker's rule registry and shared patterns: one function per rule, with its id (T-numbers of
gov-domain §2.5), severity and basis.

Rules live in ``rules_head`` (文种, 标题, 版头) and ``rules_body`` (主送, 正文, 附件, 版记); a rule reads a
ParsedDocument and yields Hits; ``checker.check_document`` turns them into Findings.
Severity: blocking (违反“不得/应当”且影响发文), warning (format), prompt (条例 says 一般/原则上, or a person
must judge). T12 (涉密) is not here: it stops the check before any rule runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from agents.gongwen.parse import Line, ParsedDocument
from agents.gongwen.report import Severity


@dataclass(frozen=True)
class Hit:
    line: Line | None
    element: str
    text: str
    message: str
    fix: str


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    basis: str
    check: Callable[[ParsedDocument, str | None], Iterator[Hit]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, name: str, severity: Severity, basis: str) -> Callable[[Callable[..., Iterator[Hit]]], Rule]:
    def register(check: Callable[..., Iterator[Hit]]) -> Rule:
        RULES[rule_id] = Rule(rule_id, name, severity, basis, check)
        return RULES[rule_id]

    return register


NUMBER_OK = re.compile(r"^[\u4e00-\u9fa5]{1,12}〔(19|20)\d{2}〕[1-9]\d*号$")
ORDER_NUMBER_OK = re.compile(r"^第[1-9]\d*号$")
DATE_OK = re.compile(r"^(\d{4})年([1-9]|1[0-2])月([1-9]|[12]\d|3[01])日$")
PLACEHOLDER = re.compile(r"【待补[^】]*】|〔[\s　]*〕|第[\s　]+号|XXXX年X{1,2}月X{1,2}日|X{2,}")
# A request sentence of a 请示. Not 申请/提请/邀请 (“已申请省级资金支持” reports a fact, it asks nothing).
REQUEST = re.compile(
    r"(?<![申提邀])(?:请求|请予|请批准|请审批|请.{0,12}?(?:批准|审批|同意|拨付|支持|解决|核准|协调))|恳请|拟请|特请"
)
ENDING_TYPES = (
    (re.compile(r"(妥否|当否)，?请批示|请予审批|请审批"), "请示"),
    (re.compile(r"特此报告|专此报告"), "报告"),
    (re.compile(r"^此复|特此批复"), "批复"),
    (re.compile(r"请予函复|特此函复|特此函告|请函复|盼复"), "函"),
    (re.compile(r"特此通知"), "通知"),
    (re.compile(r"特此通报"), "通报"),
    (re.compile(r"特此公告"), "公告"),
    (re.compile(r"特此通告"), "通告"),
)
REQUIRED_ENDINGS = {"请示": ENDING_TYPES[0][0], "批复": ENDING_TYPES[2][0], "函": ENDING_TYPES[3][0]}
NEEDS_RECIPIENTS = frozenset({"通知", "通报", "请示", "报告", "批复", "函", "议案"})
UNTITLED = frozenset({"命令（令）", "公报", "纪要"})  # titles of the form “…令/…公报/…纪要”, no 关于…的
REPEALED = (
    (re.compile(r"国发〔2000〕23号|国家行政机关公文处理办法"), "《国家行政机关公文处理办法》（国发〔2000〕23号）"),
    (
        re.compile(r"中办发〔1996〕14号|中国共产党机关公文处理条例"),
        "《中国共产党机关公文处理条例》（中办发〔1996〕14号）",
    ),
)
# 日前 after a number is a deadline (“30日前”), not relative time.
RELATIVE_TIME = re.compile(
    r"今年|明年|去年|下周|本周|上周|下月|本月|上月|近日|(?<![\d一二三四五六七八九十])日前|明天|昨天|今天"
)
LEADER = re.compile(r"(市长|区长|县长|省长|局长|厅长|部长|主任|书记|秘书长|处长|同志)$")
_CJK = r"[\u4e00-\u9fa5“”《》（）、，。；：]"
HALF_PUNCT = re.compile(rf"(?<={_CJK})[,;:?!()]|[,;:?!()](?={_CJK})")
BAD_MARKERS = (
    (re.compile(r"^（[一二三四五六七八九十]{1,3}）[、，.．]"), "“（一）”后不加标点"),
    (re.compile(r"^\(([一二三四五六七八九十]{1,3}|\d{1,2})\)"), "括号应为全角“（）”"),
    (re.compile(r"^\d{1,2}、"), "第三层序数为“1.”，不用顿号"),
    (re.compile(r"^[一二三四五六七八九十]{1,3}[.．，,](?!\d)"), "第一层序数为“一、”，用顿号"),
    (re.compile(r"^（\d{1,2}）[、，.．]"), "“（1）”后不加标点"),
)


def ending(doc: ParsedDocument) -> tuple[Line, str] | None:
    """The closing phrase of the 正文 and the 文种 it belongs to, if it is one of the conventional endings."""
    for line in reversed(doc.body[-3:]):
        tail = line.text[-14:]
        for pattern, doc_type in ENDING_TYPES:
            if pattern.search(tail):
                return line, doc_type
    return None
