"""Extraction schemas: the fields to find in a text, each with a type, cue words and, for enums, choices.

Schemas are user-authored YAML (``extra="forbid"``), so a typo in a key is an error naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agents.errors import validation_problems

FieldType = Literal[
    "text", "person", "org", "address", "phone", "id_number", "uscc", "date", "amount", "number", "enum"
]
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"


class SchemaError(ValueError):
    """A schema file is invalid or unknown; the message names the file or the known schemas."""


class FieldSpec(BaseModel):
    """One field: where its value is announced (label and cues) and what a value looks like (type)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str
    type: FieldType = "text"
    cues: list[str] = Field(default_factory=list, description="words that precede the value, besides the label")
    choices: list[str] = Field(default_factory=list, description="allowed values of an enum field")
    aliases: dict[str, list[str]] = Field(default_factory=dict, description="choice → words that mean it")
    required: bool = False

    @model_validator(mode="after")
    def _enum_has_choices(self) -> FieldSpec:
        if self.type == "enum" and not self.choices:
            raise ValueError(f"field {self.name!r} is an enum; list its choices")
        unknown = set(self.aliases) - set(self.choices)
        if unknown:
            raise ValueError(f"field {self.name!r}: aliases for {sorted(unknown)} which are not choices")
        return self

    @property
    def all_cues(self) -> list[str]:
        """Label first, then cues, longest first within each so 「联系电话」 wins over 「电话」."""
        return [self.label, *sorted(self.cues, key=len, reverse=True)]


class ExtractionSchema(BaseModel):
    """A named set of fields, e.g. 工单要素 or 执法笔录要素."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    description: str = ""
    keywords: list[str] = Field(default_factory=list, description="words in a request that pick this schema")
    fields: list[FieldSpec] = Field(min_length=1)


def load_schema(path: Path) -> ExtractionSchema:
    """Load one schema file, naming the file and the field on error."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ExtractionSchema.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise SchemaError(f"{path}: cannot read YAML: {exc}") from exc
    except ValidationError as exc:
        problems = validation_problems(exc)
        raise SchemaError(f"{path}: {problems}") from exc


def packaged_schemas(directory: Path = SCHEMA_DIR) -> dict[str, ExtractionSchema]:
    """Every schema in ``directory`` by id."""
    schemas = [load_schema(path) for path in sorted(directory.glob("*.yaml"))]
    return {schema.id: schema for schema in schemas}


def choose_schema(text: str, schemas: dict[str, ExtractionSchema], name: str = "") -> ExtractionSchema:
    """The schema named ``name`` (id or title), else the one whose title/keywords occur most in ``text``.

    Raises:
        SchemaError: ``name`` matches no schema (the message lists the known ones).
    """
    if name:
        for schema in schemas.values():
            if name in (schema.id, schema.title):
                return schema
        known = ", ".join(f"{s.id}（{s.title}）" for s in schemas.values())
        raise SchemaError(f"unknown schema {name!r}; known: {known}")
    scored = [(sum(word in text for word in [s.title, *s.keywords]), i, s) for i, s in enumerate(schemas.values())]
    return max(scored, key=lambda item: (item[0], -item[1]))[2]
