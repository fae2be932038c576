"""督办事项 from minutes or a document: (事项, 责任单位, 配合单位, 时限) per item, the deadline on the working-day
calendar, and where each stands against a given today (已逾期 / 今日到期 / 即将到期 / 未到期 / 长期).

Units are read only where the text assigns them (「由X牵头」「请X」「责任单位：X」, or a clause that opens with a
unit name), so a unit merely mentioned is not made responsible. An item without a unit or a 时限 is kept and
flagged 待明确: a 督办 list must show what the minutes left open.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.tracking.deadlines import LIMIT_PATTERN, Deadline, deadline_from

SOON_WORKDAYS = 3  # 「即将到期」: the 黄牌 stage of 督办 practice, a few working days before the deadline
_SUFFIX = (
    r"(?:局|委员会|委|办公室|办|中心|人民政府|政府|公司|集团|支队|大队|街道办事处|街道|部|院|所|处|科|联合会|管委会)"
)
_UNIT = rf"[一-龥（）]{{1,16}}?{_SUFFIX}"
_UNITS = rf"{_UNIT}(?:[、和及与]{_UNIT})*"
_ACT = r"(?:牵头|负责|会同|抓紧|于|在|要|应|须|需|统筹|组织|按|对|尽快|立即|进一步|做好|完成|制定|开展|落实|加强)"
_LEAD = [
    re.compile(rf"(?:责任单位|牵头单位|承办单位|负责单位)[:：]\s*({_UNITS})"),
    re.compile(rf"(?:由|请|责成)({_UNITS}){_ACT}"),
    re.compile(rf"^({_UNITS}){_ACT}"),
]
_CO = [re.compile(rf"(?:会同|协同|配合单位[:：])\s*({_UNITS})"), re.compile(rf"，({_UNITS})(?:配合|协助)")]
_WORK = re.compile(r"做好|完成|加强|开展|落实|推进|制定|研究|组织|部署|整改|排查")
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．]|\(\d+\))\s*")
_HEADER = re.compile(r"^\s*(?:会议时间|时间|日期|地点|会议地点|主持|主持人|参加|参会|出席|列席|记录|抄送|印发)")
_BASE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


@dataclass
class Task:
    item: str
    unit: str | None
    co_units: list[str]
    deadline: Deadline | None
    source: str
    status: str = ""
    workdays_left: int | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "unit": self.unit or "未明确",
            "co_units": self.co_units,
            "deadline": self.deadline.to_dict() if self.deadline else None,
            "status": self.status,
            "workdays_left": self.workdays_left,
            "notes": self.notes,
            "source": self.source,
        }


def base_date(text: str, fallback: dt.date) -> tuple[dt.date, str]:
    """The date time limits count from: the meeting/document date near the top, else ``fallback``."""
    for line in text.splitlines()[:6]:
        match = _BASE_DATE.search(line)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups())), f"文件日期（{match.group()}）"
            except ValueError:
                continue
    return fallback, "未写明会议或发文日期，按当日起算"


def _split_units(text: str) -> list[str]:
    return [u for u in re.split(r"[、和及与]", text) if u]


def extract_tasks(text: str, base: dt.date, holidays_file: Path | None = None) -> list[Task]:
    """The 督办 items of ``text``, each 时限 counted from ``base``."""
    tasks: list[Task] = []
    for line in text.splitlines():
        if not line.strip() or _HEADER.match(line):
            continue
        numbered = bool(_NUMBERING.match(line))
        body = _NUMBERING.sub("", line).strip()
        inherited: str | None = None
        for sentence in _clauses(body):
            task = _task(sentence, base, holidays_file, numbered)
            if task is None:
                continue
            if task.unit is None and inherited and numbered:
                task.unit = inherited  # 「……。并于月底前报送」 continues the item's unit
            inherited = task.unit or inherited
            tasks.append(task)
    return tasks


def _clauses(body: str) -> list[str]:
    """Sentences; one holding two 时限 (「月底前完成整改，并于3日内报送方案」) becomes two items."""
    clauses: list[str] = []
    structured = re.search(r"(?:责任单位|牵头单位|时限)[:：]", body)  # 「责任单位：X；时限：Y。事项」 is one item
    for sentence in [body] if structured else (s.strip() for s in re.split(r"(?<=[。；;])", body)):
        parts = re.split(r"，(?=并|同时|另)", sentence)
        if len(parts) > 1 and all(LIMIT_PATTERN.search(p) for p in parts):
            clauses += [re.sub(r"^(?:并|同时|另)", "", p) for p in parts]
        else:
            clauses.append(sentence)
    return [c for c in clauses if c]


def _task(sentence: str, base: dt.date, holidays_file: Path | None, numbered: bool) -> Task | None:
    limit = LIMIT_PATTERN.search(sentence)
    lead = next((m for pattern in _LEAD if (m := pattern.search(sentence))), None)
    # A numbered 议定事项 that assigns work but names neither unit nor 时限 is kept, to be flagged.
    if limit is None and lead is None and not (numbered and _WORK.search(sentence)):
        return None
    units = _split_units(lead.group(1)) if lead else []
    co_units: list[str] = []
    item = sentence
    for pattern in _CO:
        for match in pattern.finditer(sentence):
            co_units += [u for u in _split_units(match.group(1)) if u not in units]
            item = item.replace(match.group(), "，")
    deadline = deadline_from(limit, base, holidays_file) if limit else None
    if limit:
        item = item.replace(limit.group(), "，", 1)
    if lead:
        item = item.replace(lead.group()[: lead.end(1) - lead.start()], "，", 1)  # cue and unit; the verb stays
    item = re.sub(r"(?:完成时限|办结时限|时限)[:：]", "，", item)
    item = re.sub(r"[，,、\s]+", "，", item).strip("，。；; ")
    item = re.sub(r"^(?:牵头|负责|要|应|须|需|在|于|抓紧|尽快)+", "", item).strip("，")
    if len(item) < 2:
        return None
    notes = [] if units else ["未明确责任单位"]
    if deadline is None:
        notes.append("未明确时限")
    task = Task(item, "、".join(units[:1]) or None, units[1:] + co_units, deadline, sentence.strip(), notes=notes)
    return task


def assess(tasks: list[Task], today: dt.date, holidays_file: Path | None = None) -> list[Task]:
    """Set each task's status and working days left as of ``today``."""
    from agents.tools.workdays import workdays_between  # here: importing agents.tools imports this package

    for task in tasks:
        due = task.deadline.date if task.deadline else None
        if due is None:
            task.status = "长期跟踪" if task.deadline else "待明确时限"
            continue
        left = workdays_between(today, due, holidays_file)
        task.workdays_left = left
        if due < today:
            task.status = "已逾期"
        elif due == today:
            task.status = "今日到期"
        elif left <= SOON_WORKDAYS:
            task.status = "即将到期"
        else:
            task.status = "未到期"
    return tasks
