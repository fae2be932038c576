"""The evaluation case: one flat, declarative record (input, expected, scorers, split, provenance).

Cases are stored as YAML (``cases: [...]``) or JSONL (one case per line); ``load_cases`` reads a folder of
either, so a user suite is just a directory passed with ``--cases DIR``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents.errors import validation_problems

Split = Literal["dev", "test", "holdout"]
Audience = Literal["citizen", "staff"]


class CaseError(ValueError):
    """A case file is invalid; the message names the file, the line and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ScorerSpec(_Strict):
    """Which scorer, with which parameters, and the score a case needs to pass it."""

    name: str
    params: dict[str, Any] = Field(default_factory=dict)
    threshold: float = Field(0.5, ge=0, le=1)
    weight: float = Field(1.0, gt=0)


class Provenance(_Strict):
    source: str = Field(description="where the case comes from: a generator and its source file, or a dataset")
    licence: str = "Apache-2.0"
    generator: str = ""


class Case(_Strict):
    """One evaluation case. ``input.question`` is all the agent sees; ``expected`` never reaches it."""

    id: str = Field(min_length=1)
    scenario: str = Field(pattern=r"^[A-Z]{2}[1-5]-[A-Z]{2}$")
    input: dict[str, Any]
    expected: dict[str, Any] = Field(default_factory=dict)
    scorers: list[ScorerSpec] = Field(min_length=1)
    split: Split = "test"
    audience: Audience | None = Field(None, description="overrides the serving agent's audience")
    provenance: Provenance

    @field_validator("input")
    @classmethod
    def _has_question(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(value.get("question"), str) or not value["question"].strip():
            raise ValueError("input.question (the text sent to the agent) is required")
        return value

    @property
    def question(self) -> str:
        return str(self.input["question"])

    def gold_strings(self, min_len: int = 6) -> list[str]:
        """Gold values long enough to be distinctive; the leak check looks for them in what the agent saw.

        Document ids are left out: a citizen naming the matter (「结婚登记」) is not a leak.
        """
        found: list[str] = []

        def walk(value: Any, key: str) -> None:
            if key in {"doc_ids", "doc_id", "gold_doc", "refuse"}:
                return
            if isinstance(value, str) and len(value) >= min_len:
                found.append(value)
            elif isinstance(value, list):
                for item in value:
                    walk(item, key)
            elif isinstance(value, dict):
                for k, v in value.items():
                    walk(v, k)

        walk(self.expected, "")
        return found


def load_cases(path: Path) -> list[Case]:
    """Cases from a ``.yaml``/``.yml``/``.jsonl`` file or a folder of them (recursively, sorted)."""
    files = sorted(p for p in path.rglob("*") if p.suffix in {".yaml", ".yml", ".jsonl"}) if path.is_dir() else [path]
    if not path.exists():
        raise CaseError(f"case path {path} does not exist; pass a folder of *.yaml / *.jsonl case files")
    cases: list[Case] = []
    for file in files:
        cases.extend(_read(file))
    ids = [c.id for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CaseError(f"{path}: duplicate case ids {', '.join(duplicates[:5])}")
    return cases


def _read(file: Path) -> Iterator[Case]:
    if file.suffix == ".jsonl":
        items: Iterable[tuple[str, Any]] = (
            (f"line {n}", json.loads(line))
            for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip()
        )
    else:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        entries = data.get("cases", []) if isinstance(data, dict) else data
        items = ((f"case #{n}", item) for n, item in enumerate(entries, 1))
    try:
        for where, item in items:
            try:
                yield Case.model_validate(item)
            except ValidationError as exc:
                problems = validation_problems(exc, root="(root)")
                raise CaseError(f"{file}: {where}: {problems}") from exc
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise CaseError(f"{file}: not valid {file.suffix[1:].upper()}: {exc}") from exc


def write_cases(cases: Iterable[Case], path: Path) -> None:
    """Write cases as JSONL (``.jsonl``) or YAML (anything else)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    dumped = [c.model_dump(exclude_defaults=False) for c in cases]
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dumped), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump({"cases": dumped}, allow_unicode=True, sort_keys=False), encoding="utf-8")
