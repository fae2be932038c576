"""Findings of the 公文 checker and the report they make up."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Severity = Literal["blocking", "warning", "prompt"]
SEVERITY_TEXT = {"blocking": "阻断", "warning": "警告", "prompt": "提示人工"}


@dataclass(frozen=True)
class Finding:
    """One problem: which rule, how serious, where, the offending text and how to fix it.

    ``severity`` is blocking (must be fixed before sending), warning, or prompt (a rule the 条例
    qualifies with 一般/原则上, or one a program cannot decide: a person judges). ``todo`` marks a
    placeholder the drafting workflow still has to fill (文号, 日期, 签发人).
    """

    rule: str
    severity: Severity
    location: str
    text: str
    fix: str
    message: str = ""
    todo: bool = False


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    doc_type: str | None = None
    refused: bool = False  # 涉密: the document was not processed at all
    source: str = ""

    @property
    def blocking_count(self) -> int:
        """Blocking problems in the text itself (placeholders are counted in ``todo_count``)."""
        return sum(1 for f in self.findings if f.severity == "blocking" and not f.todo)

    @property
    def warning_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    @property
    def prompt_count(self) -> int:
        return sum(1 for f in self.findings if f.severity == "prompt")

    @property
    def todo_count(self) -> int:
        return sum(1 for f in self.findings if f.todo)

    @property
    def ready_to_send(self) -> bool:
        return not self.refused and self.blocking_count == 0 and self.todo_count == 0

    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the `shuzhi doc check --json` output)."""
        return {
            "source": self.source,
            "doc_type": self.doc_type,
            "refused": self.refused,
            "ready_to_send": self.ready_to_send,
            "counts": {
                "blocking": self.blocking_count,
                "warning": self.warning_count,
                "prompt": self.prompt_count,
                "todo": self.todo_count,
            },
            "findings": [asdict(f) for f in self.findings],
        }

    def to_text(self) -> str:
        """A human-readable listing, to-do items last."""
        if self.refused:
            return "\n".join(f"[{f.rule}] {f.message} {f.fix}" for f in self.findings)
        if not self.findings:
            return f"未发现问题（文种：{self.doc_type or '未识别'}）。"
        lines = [
            f"文种：{self.doc_type or '未识别'}；阻断 {self.blocking_count}，警告 {self.warning_count}，"
            f"提示人工 {self.prompt_count}，待补 {self.todo_count}"
        ]
        for f in sorted(self.findings, key=lambda f: f.todo):
            label = "待补" if f.todo else SEVERITY_TEXT[f.severity]
            lines.append(f"[{f.rule}·{label}] {f.location}：{f.message}「{f.text}」→ {f.fix}")
        return "\n".join(lines)
