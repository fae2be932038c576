"""Structured, extractive summaries of 工单, reports and 值班日志, within a length limit and faithful in numbers.

Sentences are chosen from the source (scored by the facts they carry: numbers, event and action words,
position), kept in source order, and cut only at clause boundaries, so no number is ever split. The
final text is checked with :func:`unfaithful_numbers`; a piece that would add a number the source lacks
is dropped and reported, never emitted.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from agents.briefing.faithfulness import numbers_in, unfaithful_numbers
from agents.extraction import extract, packaged_schemas

Kind = Literal["ticket", "shift_log", "report"]
KIND_LABELS: dict[str, str] = {"ticket": "工单摘要", "shift_log": "值班要情", "report": "报告摘要"}
DEFAULT_LIMIT = 200
MIN_LIMIT, MAX_LIMIT = 30, 2000
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "shift_log": ("值班", "要情", "交接班", "接报", "带班"),
    "ticket": ("工单", "诉求", "来电", "市民反映", "12345"),
}
_WEIGHTS: dict[str, tuple[str, ...]] = {
    "shift_log": (
        "死亡",
        "受伤",
        "伤亡",
        "被困",
        "火灾",
        "事故",
        "坍塌",
        "积水",
        "停电",
        "转移",
        "救援",
        "处置",
        "到场",
        "已",
    ),
    "ticket": ("要求", "希望", "反映", "投诉", "举报", "请", "诉求"),
    "report": ("同比", "环比", "增长", "下降", "完成", "累计", "共", "占", "率"),
}
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
_INSTRUCTION = re.compile(r"^[^\n：:]{0,40}(?:摘要|简报|要情|概括|总结|压缩|提炼)[^\n：:]{0,20}[：:]\s*")
_LIMIT = re.compile(r"(\d{2,4})\s*字")


@dataclass
class Briefing:
    kind: str
    title: str
    limit: int
    fields: dict[str, str] = field(default_factory=dict)
    points: list[str] = field(default_factory=list)
    dropped: list[dict[str, Any]] = field(default_factory=list)
    source_chars: int = 0

    @property
    def summary(self) -> str:
        return "".join(self.points)

    def to_dict(self) -> dict[str, Any]:
        text = self.summary
        return asdict(self) | {"summary": text, "length": len(text), "numbers": numbers_in(text), "faithful": True}


def split_request(message: str) -> tuple[str, int | None]:
    """(source, limit) from a message like 「把下面值班日志压缩成150字以内的要情：……」."""
    instruction = _INSTRUCTION.match(message)
    if instruction is None:
        return message.strip(), None
    limit = _LIMIT.search(instruction.group())
    return message[instruction.end() :].strip(), int(limit.group(1)) if limit else None


def detect_kind(text: str) -> Kind:
    """shift_log, ticket or report: by the words that name each, a ticket's mark at the start winning."""
    head = text[:200]
    if any(word in head for word in _KIND_WORDS["shift_log"]):
        return "shift_log"
    if any(word in text[:20] for word in _KIND_WORDS["ticket"]):
        return "ticket"
    if any(word in text for word in ("同比", "环比", "工作情况", "报告", "总结")):
        return "report"  # a report may well count 12345 工单; that does not make it one
    return "ticket" if any(word in head for word in _KIND_WORDS["ticket"]) else "report"


def summarize(source: str, kind: Kind | None = None, limit: int = DEFAULT_LIMIT) -> Briefing:
    """Summarise ``source`` in at most ``limit`` characters (the items; the fields are listed apart).

    Args:
        source: the text to summarise.
        kind: ticket, shift_log or report; detected from the text when None.
        limit: the length limit in characters, from MIN_LIMIT to MAX_LIMIT.
    """
    kind = kind or detect_kind(source)
    briefing = Briefing(kind, KIND_LABELS[kind], limit, source_chars=len(source))
    if kind == "ticket":
        result = extract(source, packaged_schemas()["ticket"])
        briefing.fields = {f.label: f.normalized or f.value or "" for f in result.fields if f.value is not None}
    sentences = [s.strip() for s in _SENTENCE.findall(source) if len(s.strip()) >= 4]
    ranked = sorted(range(len(sentences)), key=lambda i: (-_score(sentences[i], kind, i), i))
    chosen: list[int] = []
    used = 0
    for index in ranked:
        piece = _fit(sentences[index], limit - used)
        if not piece:
            continue
        bad = unfaithful_numbers(piece, source)
        if bad:  # cannot happen for a clause of the source; guards any future rewriting step
            briefing.dropped.append({"text": piece, "numbers": bad})
            continue
        chosen.append(index)
        sentences[index] = piece
        used += len(piece)
    briefing.points = [sentences[i] for i in sorted(chosen)]
    return briefing


def _score(sentence: str, kind: str, position: int) -> float:
    score = 1.5 * min(len(numbers_in(sentence)), 3)
    score += sum(1.0 for word in _WEIGHTS[kind] if word in sentence)
    return score + (1.0 if position == 0 else 0.0)


def _fit(sentence: str, room: int) -> str:
    """``sentence`` if it fits in ``room`` characters, else its longest leading run of whole clauses that does."""
    if sentence[-1] not in "。！？；":
        sentence += "。"  # items are joined into one text; each keeps its own full stop
    if len(sentence) <= room:
        return sentence
    cut = ""
    for clause in re.findall(r"[^，,、]+[，,、]?", sentence):
        if len(cut) + len(clause) > room:
            break
        cut += clause
    cut = cut.rstrip("，,、")
    return cut + "。" if cut and len(cut) + 1 <= room and len(cut) >= 6 else ""
