"""Agents are data: a YAML spec per digital employee, validated at load with errors that name the fix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents.errors import validation_problems
from agents.shapes import SHAPES
from prompts import TemplateError, template_version

SLOTS = ("question", "matter", "materials", "date", "number", "text", "title", "title2")


class AgentSpecError(ValueError):
    """A spec file is invalid: the message names the file, the field and the fix."""


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_steps: int = Field(4, ge=1, le=20, description="model turns per question")
    tool_timeout_s: float = Field(20.0, gt=0, le=600)
    max_history_tokens: int = Field(3000, ge=200, description="history kept in a multi-turn session")


class Intent(BaseModel):
    """A kind of request the agent serves, for the offline model: examples → tool plan → answer template."""

    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    examples: list[str] = Field(min_length=1)
    tool: str
    args: dict[str, str] = Field(
        default_factory=dict,
        description="tool argument → slot: $question, $matter, $materials, $date, $number, $text, $title, $title2",
    )
    answer: str = Field(description="answer template under prompts/templates, e.g. answers/kb_answer.j2")
    shape: str | None = Field(
        None,
        description="a text shape the turn must have (agents/shapes.py), e.g. gongwen_document; "
        "the offline model passes over an intent whose shape the text lacks",
    )

    @field_validator("args")
    @classmethod
    def _known_slots(cls, value: dict[str, str]) -> dict[str, str]:
        for argument, slot in value.items():
            if not slot.startswith("$") or slot[1:] not in SLOTS:
                raise ValueError(f"argument {argument!r}: slot {slot!r} is not one of ${', $'.join(SLOTS)}")
        return value


class AgentSpec(BaseModel):
    """One digital employee."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z][a-z0-9_-]{1,40}$")
    name: str
    role: str
    audience: Literal["citizen", "staff"]
    system_prompt: str = Field(description="template under prompts/templates, e.g. system/citizen_qa.j2")
    tools: list[str] = Field(min_length=1)
    knowledge_bases: list[str] = Field(default_factory=list)
    limits: Limits = Field(default_factory=Limits)
    intents: list[Intent] = Field(default_factory=list)
    refusal: str = "未找到依据，建议咨询12345政务服务便民热线。"
    require_evidence: bool = True
    demo: str = Field("", description="an example question for the README and `agents list`")

    @property
    def prompt_version(self) -> str:
        return template_version(self.system_prompt)


def load_spec(path: Path, known_tools: set[str]) -> AgentSpec:
    """Load and validate one YAML spec, checking tools and templates exist."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise AgentSpecError(f"{path}: cannot read YAML: {exc}") from exc
    try:
        spec = AgentSpec.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(exc, "field ", "(root)")
        raise AgentSpecError(f"{path}: {problems}") from exc
    unknown = [name for name in spec.tools + [i.tool for i in spec.intents] if name not in known_tools]
    if unknown:
        listing = ", ".join(sorted(set(unknown)))
        raise AgentSpecError(f"{path}: field tools: unknown tool(s) {listing}; known: {', '.join(sorted(known_tools))}")
    outside = [i.name for i in spec.intents if i.tool not in spec.tools]
    if outside:
        raise AgentSpecError(f"{path}: field intents: {', '.join(outside)} use a tool not in this agent's tools list")
    shapes = sorted({i.shape for i in spec.intents if i.shape and i.shape not in SHAPES})
    if shapes:
        known = ", ".join(sorted(SHAPES)) or "(none)"
        raise AgentSpecError(f"{path}: field intents: unknown shape(s) {', '.join(shapes)}; known: {known}")
    for template in [spec.system_prompt] + [i.answer for i in spec.intents]:
        try:
            template_version(template)
        except TemplateError as exc:
            raise AgentSpecError(f"{path}: {exc}") from exc
    return spec


def load_agents(directories: list[Path], known_tools: set[str]) -> dict[str, AgentSpec]:
    """All specs from ``directories`` in order; a later directory may override a built-in id."""
    specs: dict[str, AgentSpec] = {}
    for directory in directories:
        if not directory.is_dir():
            raise AgentSpecError(f"agents directory {directory} does not exist; check SHUZHI_AGENTS_DIR")
        for path in sorted(directory.glob("*.yaml")):
            spec = load_spec(path, known_tools)
            specs[spec.id] = spec
    return specs


BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
