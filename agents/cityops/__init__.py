"""江临市 city-operations sample data (示例): the seeded database builder, its table catalog and read-only access."""

from agents.cityops.build import DATA_END, DATA_START, DEFAULT_SEED, BuildSummary, build_cityops
from agents.cityops.catalog import Catalog, CatalogError, TableSpec, load_catalog
from agents.cityops.database import (
    AccessDeniedError,
    QueryResult,
    check_select,
    default_database,
    ensure_database,
    run_select,
)

__all__ = [
    "DATA_END",
    "DATA_START",
    "DEFAULT_SEED",
    "AccessDeniedError",
    "BuildSummary",
    "Catalog",
    "CatalogError",
    "QueryResult",
    "TableSpec",
    "build_cityops",
    "check_select",
    "default_database",
    "ensure_database",
    "load_catalog",
    "run_select",
]
