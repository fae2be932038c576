"""Read-only access to the city-operations database: one SELECT, allow-listed tables and columns, bounded work.

Three locks, so that neither a model-written query nor a bug here can write or read past the caller's scope:
the file is opened ``mode=ro`` with ``query_only``; a lexical check admits one SELECT/WITH statement with no
comments or administrative keywords; SQLite's authorizer admits only reads of catalog tables the caller is
cleared for (it sees through subqueries, CTEs and joins, which a regex cannot). A progress handler stops
runaway queries (a cross join of large tables) and at most ``limit`` rows are fetched.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from agents.cityops.build import DEFAULT_SEED, SCHEMA_VERSION, build_cityops
from agents.cityops.catalog import Catalog
from agents.errors import ToolInputError

MAX_ROWS = 200
_BUILD_LOCK = threading.Lock()
MAX_STEPS = 20_000_000  # SQLite VM instructions; the sample's heaviest report query needs well under 1%
_FORBIDDEN = re.compile(
    r"\b(PRAGMA|ATTACH|DETACH|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|VACUUM|REINDEX|BEGIN|COMMIT|ROLLBACK|"
    r"SAVEPOINT|LOAD_EXTENSION|READFILE|WRITEFILE)\b",
    re.IGNORECASE,
)
_ALLOWED_FUNCTIONS = {
    "count", "sum", "avg", "min", "max", "total", "round", "abs", "coalesce", "ifnull", "nullif", "iif", "substr",
    "substring", "strftime", "date", "datetime", "julianday", "length", "lower", "upper", "trim", "replace",
    "instr", "cast", "group_concat", "printf", "format", "like", "glob",
}  # fmt: skip


class AccessDeniedError(PermissionError):
    """The query reads tables the caller is not cleared for; the caller gets a refusal, not a retry."""

    def __init__(self, tables: list[str]) -> None:
        super().__init__(f"not cleared for table(s) {', '.join(tables)}")
        self.tables = tables


@dataclass
class QueryResult:
    sql: str
    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    tables: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"sql": self.sql, "columns": self.columns, "rows": self.rows, "truncated": self.truncated}


def default_database() -> Path:
    """Where the sample database is built on first use when the deployment configures none.

    The name carries a digest of the generator's source, so a changed generator never reads a stale sample.
    """
    return Path(tempfile.gettempdir()) / f"shuzhi-cityops-v{SCHEMA_VERSION}-{DEFAULT_SEED}-{_generator_digest()}.sqlite"


@lru_cache(maxsize=1)
def _generator_digest() -> str:
    digest = hashlib.sha256()
    for module in ("build.py", "seeddata.py"):
        digest.update((Path(__file__).resolve().parent / module).read_bytes())
    return digest.hexdigest()[:10]


def ensure_database(path: Path | None = None) -> Path:
    """``path`` (or the default location), building the sample database there if the file does not exist yet."""
    target = path or default_database()
    if not target.exists():
        with _BUILD_LOCK:  # concurrent first uses (the eval runs cases on threads) build it once
            if not target.exists():
                build_cityops(target)
    return target


def check_select(sql: str) -> str:
    """The statement without a trailing semicolon, or ToolInputError saying which rule it broke."""
    statement = sql.strip().rstrip(";").strip()
    if not statement:
        raise ToolInputError("sql is empty; pass one SELECT statement, e.g. SELECT district, COUNT(*) FROM tickets …")
    if ";" in statement:
        raise ToolInputError("sql holds more than one statement; pass exactly one SELECT")
    if "--" in statement or "/*" in statement:
        raise ToolInputError("sql contains a comment; remove -- and /* */ comments")
    if not re.match(r"(?is)^(SELECT|WITH)\b", statement):
        raise ToolInputError(f"sql must start with SELECT or WITH, got {statement.split()[0]!r}")
    forbidden = _FORBIDDEN.search(statement)
    if forbidden:
        raise ToolInputError(f"sql uses {forbidden.group(1).upper()}, which is not allowed; only read with SELECT")
    return statement


def run_select(path: Path, sql: str, catalog: Catalog, readable: list[str], limit: int = MAX_ROWS) -> QueryResult:
    """Run one validated SELECT on the read-only database, reading only ``readable`` tables of ``catalog``.

    Raises:
        ToolInputError: the statement breaks a rule or SQLite rejects it (unknown column, syntax).
        AccessDeniedError: it reads a catalog table the caller may not read.
    """
    statement = check_select(sql)
    denied: list[str] = []
    unknown: list[str] = []
    touched: list[str] = []

    def authorize(action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None) -> int:
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ and arg1 is not None:
            if arg1 not in catalog.tables:
                unknown.append(arg1)
                return sqlite3.SQLITE_DENY
            if arg1 not in readable:
                denied.append(arg1)
                return sqlite3.SQLITE_DENY
            if arg2 and arg2 not in catalog.tables[arg1].columns:
                unknown.append(f"{arg1}.{arg2}")
                return sqlite3.SQLITE_DENY
            if arg1 not in touched:
                touched.append(arg1)
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _ALLOWED_FUNCTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_RECURSIVE:
            return sqlite3.SQLITE_OK
        unknown.append(f"operation {action} {arg2 or arg1 or ''}".strip())
        return sqlite3.SQLITE_DENY

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA query_only = ON")
        conn.set_authorizer(authorize)
        conn.set_progress_handler(_step_counter(), 10_000)
        try:
            cursor = conn.execute(statement)
            rows = cursor.fetchmany(limit + 1)
        except sqlite3.DatabaseError as exc:
            if denied:
                raise AccessDeniedError(sorted(set(denied))) from exc
            raise _explain(exc, unknown, readable) from exc
        columns = [d[0] for d in cursor.description or []]
    finally:
        conn.close()
    return QueryResult(statement, columns, [list(r) for r in rows[:limit]], len(rows) > limit, touched)


def _step_counter() -> Any:
    steps = [0]

    def handler() -> int:
        steps[0] += 10_000
        return 1 if steps[0] > MAX_STEPS else 0

    return handler


def _explain(exc: sqlite3.DatabaseError, unknown: list[str], readable: list[str]) -> ToolInputError:
    message = str(exc)
    if "interrupted" in message:
        return ToolInputError("the query did too much work and was stopped; aggregate or filter before joining")
    if unknown:
        return ToolInputError(f"sql uses {', '.join(unknown)}, which is not allowed; tables: {', '.join(readable)}")
    return ToolInputError(f"sqlite rejected the query: {message}; readable tables: {', '.join(readable)}")
