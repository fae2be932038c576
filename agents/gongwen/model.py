"""GongwenDraft: a drafted 公文 as its 版头 / 主体 / 版记 elements, with text and Markdown renderings."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

TODO = "【待补】"
NUMBER_PLACEHOLDER = "〔　　〕号"
SEPARATOR = "─" * 28  # the red line under the 版头, in plain text
_PLACEHOLDER = re.compile(r"【待补[^】]*】|〔[\s　]*〕|XXXX年X{1,2}月X{1,2}日")


def todo(what: str) -> str:
    """A visible placeholder the checker reports as a to-do item, e.g. 【待补：签发人】."""
    return f"【待补：{what}】"


def placeholders_in(text: str) -> list[str]:
    return [m.group() for m in _PLACEHOLDER.finditer(text)]


@dataclass
class BodyParagraph:
    """One paragraph of the 正文; ``level`` is the 序数 level it starts with (0 = none)."""

    text: str
    level: int = 0


@dataclass
class AttachmentPage:
    label: str  # 附件 / 附件1
    name: str
    text: str


@dataclass
class GongwenDraft:
    """The 18 format elements of 条例第九条 (those that apply to this draft)."""

    doc_type: str
    direction: str
    issuer_mark: str
    doc_number: str
    title: str
    recipients: list[str]
    body: list[BodyParagraph]
    issuer_signature: str
    date_text: str
    printer: str
    print_date_text: str
    signer: str | None = None  # 上行文 only
    urgency: str | None = None
    copy_number: str | None = None  # 份号: only 涉密 documents carry one, and those are refused
    attachment_names: list[str] = field(default_factory=list)
    attachments: list[AttachmentPage] = field(default_factory=list)
    sealed: bool = True
    note: str | None = None
    cc: list[str] = field(default_factory=list)

    @property
    def title_in_mark(self) -> bool:
        """命令（令） and 纪要 carry their title as the 发文机关标志 (GB/T 9704 §10.2, §10.3): no second title."""
        return self.doc_type in ("命令（令）", "纪要") and self.title == self.issuer_mark

    @property
    def recipients_line(self) -> str:
        return "、".join(self.recipients) + "：" if self.recipients else ""

    def attachment_lines(self) -> list[str]:
        """附件说明: “附件：名称” or “附件：1.名称” then “2.名称” aligned under the first name."""
        if not self.attachment_names:
            return []
        if len(self.attachment_names) == 1:
            return [f"附件：{self.attachment_names[0]}"]
        lines = [f"附件：1.{self.attachment_names[0]}"]
        lines += [f"　　　{i}.{name}" for i, name in enumerate(self.attachment_names[1:], start=2)]
        return lines

    @property
    def number_line(self) -> str:
        if self.signer is not None:
            return f"{self.doc_number}　　　　签发人：{self.signer}"
        return self.doc_number

    @property
    def cc_line(self) -> str:
        return f"抄送：{'，'.join(self.cc)}。" if self.cc else ""

    @property
    def print_line(self) -> str:
        return f"{self.printer}　　　　{self.print_date_text}印发"

    def placeholders(self) -> list[str]:
        """The placeholders still in the draft (文号, 日期, 签发人, …): to-do items before it can be sent."""
        return placeholders_in(self.to_text())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"placeholders": self.placeholders()}

    def to_text(self) -> str:
        """Plain text in reading order, one paragraph a line; ``check_document`` reads it back."""
        lines: list[str] = [v for v in (self.copy_number, self.urgency) if v]
        lines += [self.issuer_mark, "", self.number_line, SEPARATOR, ""]
        if not self.title_in_mark:
            lines += [self.title, ""]
        if self.recipients:
            lines.append(self.recipients_line)
        lines += ["　　" + p.text for p in self.body]
        if self.attachment_names:
            lines += [""] + ["　　" + line for line in self.attachment_lines()]
        lines += ["", "", self.issuer_signature, self.date_text]
        if self.note:
            lines.append(f"　　（{self.note}）")
        for page in self.attachments:
            lines += ["", page.label, "", page.name, ""] + ["　　" + t for t in page.text.splitlines() if t.strip()]
        lines += ["", SEPARATOR]
        if self.cc:
            lines.append(self.cc_line)
        lines.append(self.print_line)
        return "\n".join(lines) + "\n"

    def to_markdown(self) -> str:
        """Markdown for previews: title as a heading, 版头 and 版记 set apart by rules."""
        head = [f"**{v}**" for v in (self.copy_number, self.urgency) if v]
        lines = [*head, f"**{self.issuer_mark}**", "", self.number_line, "", "---", ""]
        if not self.title_in_mark:
            lines += [f"# {self.title}", ""]
        if self.recipients:
            lines += [self.recipients_line, ""]
        for p in self.body:
            lines += [f"**{p.text}**" if p.level == 1 and len(p.text) < 40 else p.text, ""]
        if self.attachment_names:
            lines += ["<br>".join(self.attachment_lines()), ""]
        lines += [self.issuer_signature + "  ", self.date_text, ""]
        if self.note:
            lines += [f"（{self.note}）", ""]
        for page in self.attachments:
            lines += [f"**{page.label}**", "", f"## {page.name}", "", *[t for t in page.text.splitlines() if t], ""]
        lines += ["---", ""]
        if self.cc:
            lines += [self.cc_line, ""]
        lines.append(self.print_line)
        return "\n".join(lines) + "\n"

