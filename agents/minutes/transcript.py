"""A meeting transcript read into its parts: header fields, speakers (with units) and the decision section.

Transcripts arrive as 「字段：值」 header lines (会议名称, 时间, 地点, 主持人, 参会人员, 记录人) followed by
「姓名（单位）：发言」 lines. People are only ever taken from these lines, so a 纪要 cannot list anyone the
transcript does not name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER_KEYS: dict[str, tuple[str, ...]] = {
    "topic": ("会议名称", "会议主题", "议题", "会议"),
    "time": ("会议时间", "时间", "日期"),
    "place": ("会议地点", "地点"),
    "host": ("主持人", "主持"),
    "attendees": ("参会人员", "参加人员", "出席人员", "参会单位及人员", "参会", "出席", "列席"),
    "recorder": ("记录人", "记录"),
}
_KEY_TO_FIELD = {key: name for name, keys in _HEADER_KEYS.items() for key in keys}
_HEADER = re.compile(rf"^\s*({'|'.join(sorted(_KEY_TO_FIELD, key=len, reverse=True))})\s*[:：]\s*(.+?)\s*$")
_SPEAKER = re.compile(
    r"^\s*(?P<name>[\u4e00-\u9fa5]{2,4})(?:[（(](?P<unit>[^）)]{2,30})[）)])?\s*[:：]\s*(?P<text>.+)$"
)
_UNIT_SUFFIX = r"(?:局|委员会|委|办公室|办|中心|人民政府|政府|公司|集团|支队|大队|街道办事处|街道|院|所|处|科|队|站)"
_UNIT_AND_NAME = re.compile(rf"^(?P<unit>[\u4e00-\u9fa5]{{2,20}}?{_UNIT_SUFFIX})(?P<name>[\u4e00-\u9fa5]{{2,3}})$")
_ROLE = re.compile(r"[（(][^）)]*[）)]")
# Where the decisions start: 「会议议定：」「会议决定如下」「会议明确」「经研究，议定如下」.
_DECISIONS = re.compile(r"会议(?:议定|决定|明确|要求|商定)|议定(?:如下|事项)|形成(?:如下|以下)(?:意见|决定)")


@dataclass
class Person:
    name: str
    unit: str = ""
    spoke: bool = False


@dataclass
class Transcript:
    header: dict[str, str] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    decision_lines: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def person(self, name: str) -> Person | None:
        return next((p for p in self.people if p.name == name), None)


def parse_transcript(text: str) -> Transcript:
    """Header fields, people (listed or speaking) and the lines from the decision cue on."""
    result = Transcript()
    in_decisions = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        result.lines.append(line)
        header = _HEADER.match(line)
        if header and not in_decisions and header.group(1) in _KEY_TO_FIELD:
            name = _KEY_TO_FIELD[header.group(1)]
            result.header.setdefault(name, header.group(2))
            if name in ("attendees", "host", "recorder"):
                for person in _listed_people(header.group(2)):
                    _add(result, person)
            continue
        speaker = _SPEAKER.match(line)
        text_part = line
        if speaker and speaker.group("name") not in _KEY_TO_FIELD:
            _add(result, Person(speaker.group("name"), speaker.group("unit") or "", spoke=True))
            text_part = speaker.group("text")
        cue = _DECISIONS.search(text_part)
        if cue:
            in_decisions = True
            text_part = text_part[cue.end() :].lstrip("：:，, 如下")
        if in_decisions and text_part:
            result.decision_lines.append(text_part)
    return result


def _add(result: Transcript, person: Person) -> None:
    known = result.person(person.name)
    if known is None:
        result.people.append(person)
        return
    known.unit = known.unit or person.unit
    known.spoke = known.spoke or person.spoke


def _listed_people(value: str) -> list[Person]:
    """「市城管局李明、市交通局王芳、张伟（副市长）」 → people with their units."""
    people = []
    for entry in re.split(r"[、，,；;\s]+", value):
        role = _ROLE.search(entry)
        bare = _ROLE.sub("", entry).strip()
        match = _UNIT_AND_NAME.match(bare)
        if match:
            people.append(Person(match.group("name"), match.group("unit")))
        elif (
            2 <= len(bare) <= 4 and re.fullmatch(r"[\u4e00-\u9fa5]+", bare) and not re.search(_UNIT_SUFFIX + "$", bare)
        ):
            people.append(Person(bare, role.group()[1:-1] if role else ""))
    return people
