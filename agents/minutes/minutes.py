"""纪要 from a transcript: 会议概况, 议定事项 (each with 责任单位 and 时限, via the 督办 extractor), 参会人员.

Items the minutes leave without a 责任单位 or a 时限 are kept and flagged: a 纪要 must show what is open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.extraction import find_dates
from agents.minutes.transcript import Transcript, parse_transcript
from agents.tracking import base_date, extract_tasks


@dataclass
class Minutes:
    title: str
    overview: dict[str, str]
    attendees: list[dict[str, str]]
    decisions: list[dict[str, Any]] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "overview": self.overview,
            "attendees": self.attendees,
            "decisions": self.decisions,
            "units": [d["unit"] for d in self.decisions],
            "flags": self.flags,
        }


def write_minutes(text: str, today: dt.date | None = None, holidays_file: Path | None = None) -> Minutes:
    """The 纪要 of a transcript.

    Args:
        text: the transcript (header lines, then 「姓名（单位）：发言」 lines).
        today: the date 时限 count from when the transcript has no meeting date.
        holidays_file: the working-day calendar override, as for the other deadline tools.
    """
    transcript = parse_transcript(text)
    header = transcript.header
    base, _ = base_date(header.get("time", "") + "\n" + text, today or dt.date.today())
    topic = header.get("topic", "").strip("《》")
    overview = {
        "会议名称": topic or "未写明",
        "时间": header.get("time", "未写明"),
        "地点": header.get("place", "未写明"),
        "主持人": _host(transcript),
        "记录人": header.get("recorder", "未写明"),
    }
    dated = find_dates(header.get("time", ""))
    if dated and dated[0].valid:
        overview["日期"] = dated[0].normalized
    minutes = Minutes(
        title=f"{topic}纪要" if topic.endswith("会") else f"{topic or '会议'}会议纪要",
        overview=overview,
        attendees=[{"name": p.name, "unit": p.unit} for p in transcript.people],
    )
    lines = transcript.decision_lines or transcript.lines
    for number, task in enumerate(extract_tasks("\n".join(lines), base, holidays_file), start=1):
        item = task.to_dict()
        minutes.decisions.append(item | {"number": number})
        for note in task.notes:
            minutes.flags.append(f"议定事项{number}「{task.item}」{note}")
    if not transcript.decision_lines:
        minutes.flags.append("未找到「会议议定/会议决定」等议定段落，议定事项取自全部发言，请核对")
    for key in ("时间", "地点", "主持人"):
        if overview[key] == "未写明":
            minutes.flags.append(f"会议概况缺少{key}")
    return minutes


def _host(transcript: Transcript) -> str:
    host = transcript.header.get("host", "")
    if not host:
        return "未写明"
    person = next((p for p in transcript.people if p.name in host), None)
    return f"{person.name}（{person.unit}）" if person and person.unit and person.unit not in host else host
