"""Which city-operations tables a tool may read, who may read each, and what their columns mean (``tables.yaml``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.errors import validation_problems
from knowledge import AccessLevel

CATALOG_FILE = Path(__file__).resolve().parent / "tables.yaml"
_RANK: dict[str, int] = {"public": 0, "internal": 1, "confidential": 2}


class CatalogError(ValueError):
    """The table catalog is unreadable or invalid (an operator error)."""


class TableSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="the table's Chinese name, e.g. 12345工单")
    access: AccessLevel
    date_column: str | None = Field(None, description="the column time ranges apply to")
    columns: dict[str, str] = Field(min_length=1, description="column → Chinese label")


class Catalog(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tables: dict[str, TableSpec]

    def readable(self, clearance: AccessLevel) -> list[str]:
        """Tables a caller with ``clearance`` may read, in catalog order."""
        return [name for name, table in self.tables.items() if _RANK[table.access] <= _RANK[clearance]]

    def label(self, table: str, column: str) -> str:
        spec = self.tables.get(table)
        return spec.columns.get(column, column) if spec else column


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_FILE) -> Catalog:
    """The table catalog at ``path`` (the packaged one by default)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Catalog.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"cannot read table catalog {path}: {exc}") from exc
    except ValidationError as exc:
        problems = validation_problems(exc)
        raise CatalogError(f"{path}: {problems}") from exc
