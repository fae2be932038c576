"""Structured facts read from the repository's sample data, independently of the agents' own parsers.

Gold values must not come from the code under test, so this module reads the 办事指南 and policy files
with its own small patterns: a guide's numbered 申请材料, its 承诺办结时限, 办理地点 and 咨询电话; a
policy's 第X条 articles. Everything is cached per path.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
SAMPLE_KB = REPO / "data" / "kb"
_SECTION = re.compile(r"^##\s*[一二三四五六七八九十]+、\s*(.+?)\s*$", re.M)
_NUMBERED = re.compile(r"^\s*\d+[.、．]\s*(.+?)\s*$", re.M)
_ARTICLE = re.compile(r"^(第[一二三四五六七八九十百零]+条)[\s　]+(.+)$", re.M)


@dataclass(frozen=True)
class GuideFacts:
    doc_id: str
    title: str
    materials: tuple[str, ...]
    time_limit: str  # 承诺办结时限
    location: str
    phone: str


@dataclass(frozen=True)
class Article:
    doc_id: str
    title: str
    article: str  # 第九条
    text: str


@dataclass(frozen=True)
class Sources:
    guides: tuple[GuideFacts, ...]
    articles: tuple[Article, ...]
    questions: tuple[dict[str, Any], ...] = field(default_factory=tuple)  # demo_questions.jsonl


@lru_cache(maxsize=2)
def load_sources(kb_dir: Path = SAMPLE_KB) -> Sources:
    guides = tuple(g for g in (_guide(p) for p in sorted((kb_dir / "guides").glob("*.md"))) if g.materials)
    articles: list[Article] = []
    for path in sorted((kb_dir / "policies").glob("*.md")):
        if _repealed(path):
            continue
        title = _title(path)
        articles.extend(
            Article(path.stem, title, m.group(1), m.group(2).strip()) for m in _ARTICLE.finditer(_text(path))
        )
    questions_file = kb_dir / "demo_questions.jsonl"
    questions = (
        tuple(json.loads(line) for line in questions_file.read_text(encoding="utf-8").splitlines() if line.strip())
        if questions_file.exists()
        else ()
    )
    return Sources(guides, tuple(articles), questions)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _title(path: Path) -> str:
    first = _text(path).splitlines()[0]
    return first.lstrip("# ").strip()


def _repealed(path: Path) -> bool:
    meta = path.with_suffix(".meta.yaml")
    if not meta.exists():
        return False
    data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
    return data.get("validity") == "已废止"


def _sections(text: str) -> dict[str, str]:
    marks = list(_SECTION.finditer(text))
    return {
        m.group(1): text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)]
        for i, m in enumerate(marks)
    }


def _field(text: str, label: str) -> str:
    match = re.search(rf"{label}[：:]\s*(.+)", text)
    return match.group(1).strip() if match else ""


def _guide(path: Path) -> GuideFacts:
    text = _text(path)
    sections = _sections(text)
    materials = tuple(m.group(1) for m in _NUMBERED.finditer(sections.get("申请材料", "")))
    return GuideFacts(
        doc_id=path.stem,
        title=_title(path),
        materials=materials,
        time_limit=_field(sections.get("办理时限", ""), "承诺办结时限"),
        location=_field(sections.get("办理地点与时间", ""), "办理地点"),
        phone=_field(sections.get("咨询与投诉电话", ""), "咨询电话"),
    )


def on_topic(texts: list[str], topics: list[str]) -> list[int]:
    """Indexes of ``texts`` mentioning any of the sector's topics, best (most topics) first."""
    scored = [(sum(t in text for t in topics), i) for i, text in enumerate(texts)]
    return [i for score, i in sorted(scored, key=lambda p: (-p[0], p[1])) if score > 0]
