"""Form schemas (YAML) and filling: fields by the extraction engine, then validated, with what is missing.

A form field is an extraction field plus ``required`` and a validator; the validator defaults to the
field's type for identifiers, dates and phone numbers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.errors import validation_problems
from agents.extraction import ExtractionSchema, FieldSpec, extract
from agents.extraction.schema import FieldType
from agents.forms.validators import VALIDATORS, Validator
from knowledge import Embedder

FORMS_DIR = Path(__file__).resolve().parent / "schemas"


class FormError(ValueError):
    """A form file is invalid or a form name is unknown; the message names the file or the known forms."""


class FormField(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str
    type: FieldType = "text"
    required: bool = False
    validator: Validator | None = Field(None, description="default: the type, for id_number/uscc/date/phone")
    cues: list[str] = Field(default_factory=list)
    choices: list[str] = Field(default_factory=list)
    aliases: dict[str, list[str]] = Field(default_factory=dict)

    @property
    def check(self) -> str | None:
        return self.validator or (self.type if self.type in VALIDATORS else None)


class FormSchema(BaseModel):
    """A declared form, e.g. 个体工商户设立登记申请表."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    keywords: list[str] = Field(default_factory=list)
    basis: str = Field("", description="the rule the form implements, shown with the result")
    fields: list[FormField] = Field(min_length=1)

    def extraction_schema(self) -> ExtractionSchema:
        specs = [FieldSpec(**f.model_dump(exclude={"validator"})) for f in self.fields]
        return ExtractionSchema(id=self.id, title=self.title, keywords=self.keywords, fields=specs)


@dataclass(frozen=True)
class FilledField:
    name: str
    label: str
    value: str | None
    status: str  # 已填 | 未填 | 校验不通过
    confidence: float = 0.0
    required: bool = False
    problem: str = ""
    start: int | None = None
    end: int | None = None


@dataclass
class FilledForm:
    form_id: str
    title: str
    basis: str
    fields: list[FilledField] = field(default_factory=list)

    @property
    def missing_required(self) -> list[str]:
        return [f.label for f in self.fields if f.required and f.status == "未填"]

    @property
    def invalid(self) -> list[dict[str, str]]:
        return [{"label": f.label, "value": f.value or "", "problem": f.problem} for f in self.fields if f.problem]

    def to_dict(self) -> dict[str, Any]:
        return {
            "form": self.form_id,
            "title": self.title,
            "basis": self.basis,
            "fields": [asdict(f) for f in self.fields],
            "values": {f.name: f.value for f in self.fields if f.value is not None},
            "missing_required": self.missing_required,
            "unfilled": [f.label for f in self.fields if f.status == "未填"],
            "invalid": self.invalid,
            "complete": not self.missing_required and not self.invalid,
        }


def load_form(path: Path) -> FormSchema:
    """Load one form schema, naming the file and the field on error."""
    try:
        return FormSchema.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise FormError(f"{path}: cannot read YAML: {exc}") from exc
    except ValidationError as exc:
        problems = validation_problems(exc)
        raise FormError(f"{path}: {problems}") from exc


def packaged_forms(directory: Path = FORMS_DIR) -> dict[str, FormSchema]:
    """Every form schema in ``directory`` by id."""
    return {form.id: form for form in (load_form(p) for p in sorted(directory.glob("*.yaml")))}


def choose_form(text: str, forms: dict[str, FormSchema], name: str = "") -> FormSchema:
    """The form named ``name`` (id or title), else the one whose title/keywords occur most in ``text``."""
    if name:
        found = next((f for f in forms.values() if name in (f.id, f.title)), None)
        if found is None:
            raise FormError(
                f"unknown form {name!r}; known: {', '.join(f'{f.id}（{f.title}）' for f in forms.values())}"
            )
        return found
    scored = [(sum(w in text for w in [f.title, *f.keywords]), -i, f) for i, f in enumerate(forms.values())]
    return max(scored, key=lambda item: item[:2])[2]


def fill_form(text: str, form: FormSchema, embedder: Embedder | None = None) -> FilledForm:
    """Fill ``form`` from ``text`` (a message, pasted 营业执照/身份证 text), validating each value.

    Args:
        text: where the values come from.
        form: the form schema.
        embedder: for choice fields no word of the text names; None leaves them unfilled.
    """
    extraction = extract(text, form.extraction_schema(), embedder)
    result = FilledForm(form.id, form.title, form.basis)
    for spec, found in zip(form.fields, extraction.fields, strict=True):
        if found.value is None:
            result.fields.append(FilledField(spec.name, spec.label, None, "未填", required=spec.required))
            continue
        value = found.normalized or found.value
        problem = VALIDATORS[spec.check](value) if spec.check else None
        if spec.check == "date" and found.valid is False:
            problem = f"日期「{found.value}」不是真实存在的日期"
        status = "校验不通过" if problem else "已填"
        result.fields.append(
            FilledField(
                spec.name,
                spec.label,
                value,
                status,
                found.confidence,
                spec.required,
                problem or "",
                found.start,
                found.end,
            )
        )
    return result
