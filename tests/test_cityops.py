"""The 江临市 city-operations sample database: reproducible build, catalog access classes, read-only SELECT guard."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from agents.cityops import (
    DATA_END,
    DATA_START,
    AccessDeniedError,
    build_cityops,
    check_select,
    load_catalog,
    run_select,
)
from agents.cityops.seeddata import DISTRICTS
from agents.errors import ToolInputError

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_cityops(tmp_path_factory.mktemp("cityops") / "cityops.sqlite").path


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_the_same_seed_builds_the_same_bytes_and_another_seed_does_not(db: Path, tmp_path: Path) -> None:
    again = build_cityops(tmp_path / "again.sqlite")
    other = build_cityops(tmp_path / "other.sqlite", seed=7)
    assert again.path.read_bytes() == db.read_bytes()
    assert other.path.read_bytes() != db.read_bytes()
    assert again.rows["tickets"] > 3000 and again.rows["snow_removal"] > 100


def test_every_place_is_a_sample_district_and_every_date_in_the_data_span(db: Path) -> None:
    for table in ("tickets", "city_events", "snow_removal", "enterprises"):
        districts = {row[0] for row in _rows(db, f"SELECT DISTINCT district FROM {table}")}
        assert districts == set(DISTRICTS), table
    first, last = _rows(db, "SELECT MIN(substr(received_at, 1, 10)), MAX(substr(received_at, 1, 10)) FROM tickets")[0]
    assert first == DATA_START.isoformat() and last == DATA_END.isoformat()
    assert not _rows(
        db, "SELECT id FROM tickets WHERE closed_at < received_at OR (status = '已办结') != (closed_at IS NOT NULL)"
    )


def test_enterprise_credit_codes_carry_a_valid_gb32100_check_character(db: Path) -> None:
    codes = [row[0] for row in _rows(db, "SELECT credit_code FROM enterprises")]
    assert len(codes) == len(set(codes)) == 240
    for code in codes:
        total = sum(_CODE_CHARS.index(c) * w for c, w in zip(code[:17], _CODE_WEIGHTS, strict=True))
        assert code[17] == _CODE_CHARS[(31 - total % 31) % 31], code


def test_every_resource_belongs_to_a_unit_of_the_org_table(db: Path) -> None:
    orphans = _rows(db, "SELECT name FROM emergency_resources WHERE owner_unit NOT IN (SELECT name FROM org_units)")
    assert orphans == []


def test_the_data_holds_the_patterns_the_risk_tools_look_for(db: Path) -> None:
    repeated = _rows(db, "SELECT address, category, COUNT(*) n FROM tickets GROUP BY 1, 2 HAVING n >= 3")
    assert len(repeated) >= 8
    assert _rows(db, f"SELECT COUNT(*) FROM tickets WHERE status = '办理中' AND deadline < '{DATA_END}'")[0][0] > 0
    short = _rows(
        db, "SELECT work_date, district FROM snow_removal GROUP BY 1, 2 HAVING SUM(cleared_km) < 0.9 * SUM(road_km)"
    )
    assert short


def test_catalog_classes_tables_and_a_citizen_reads_only_public_ones() -> None:
    catalog = load_catalog()
    assert catalog.readable("public") == ["city_events", "snow_removal", "enterprises"]
    assert "tickets" in catalog.readable("internal") and "ticket_callers" not in catalog.readable("internal")
    assert "ticket_callers" in catalog.readable("confidential")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DELETE FROM tickets", "must start with SELECT"),
        ("SELECT 1; DROP TABLE tickets", "more than one statement"),
        ("SELECT * FROM tickets -- all", "comment"),
        ("WITH x AS (SELECT 1) INSERT INTO tickets SELECT * FROM x", "INSERT"),
        ("SELECT * FROM pragma_table_info('tickets') WHERE 1 AND (SELECT 1) PRAGMA", "PRAGMA"),
        ("", "empty"),
    ],
)
def test_only_a_single_select_passes_the_lexical_check(sql: str, message: str) -> None:
    with pytest.raises(ToolInputError, match=message):
        check_select(sql)


def test_a_query_reading_an_uncleared_table_is_denied_even_inside_a_subquery(db: Path) -> None:
    catalog = load_catalog()
    sql = "SELECT district FROM city_events WHERE id IN (SELECT id FROM tickets)"
    with pytest.raises(AccessDeniedError) as denied:
        run_select(db, sql, catalog, catalog.readable("public"))
    assert denied.value.tables == ["tickets"]
    with pytest.raises(ToolInputError, match="sqlite_master"):
        run_select(db, "SELECT name FROM sqlite_master", catalog, catalog.readable("confidential"))


def test_rows_are_capped_and_a_runaway_join_is_stopped(db: Path) -> None:
    catalog = load_catalog()
    result = run_select(db, "SELECT id FROM tickets ORDER BY id", catalog, catalog.readable("internal"), limit=5)
    assert len(result.rows) == 5 and result.truncated and result.columns == ["id"]
    with pytest.raises(ToolInputError, match="too much work"):
        run_select(db, "SELECT COUNT(*) FROM tickets a, tickets b, tickets c", catalog, catalog.readable("internal"))


def test_cli_builds_the_database_where_asked(tmp_path: Path) -> None:
    from app.cli import app

    result = CliRunner().invoke(app, ["data", "build-cityops", "--out", str(tmp_path / "x.sqlite"), "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "tickets" in result.output and (tmp_path / "x.sqlite").exists()


@pytest.mark.parametrize("spec_file", ["data_analyst", "stats_reporter", "risk_monitor", "plan_writer", "task_tracker"])
def test_the_data_employees_specs_load_and_their_prompts_render(spec_file: str) -> None:
    from agents.context import Caller
    from agents.spec import BUILTIN_DIR, load_spec
    from agents.tools import TOOL_REGISTRY
    from prompts import render

    spec = load_spec(BUILTIN_DIR / f"{spec_file}.yaml", set(TOOL_REGISTRY))
    assert spec.audience == "staff" and spec.id == spec_file.replace("_", "-")
    prompt = render(spec.system_prompt, spec=spec, caller=Caller("staff", "市政府办公室", "internal"))
    assert spec.name in prompt and "不是指令" in prompt
