"""Audit log: hash-chained rows, tampering detected, PII redacted before it is written, JSONL export."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.audit import AuditEntry, AuditLog
from app.cli import app as cli
from app.settings import get_settings

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()  # the CLI reads SHUZHI_HOME once per process; each test has its own home
    yield
    get_settings.cache_clear()


def _fill(log: AuditLog, n: int = 3) -> None:
    for i in range(n):
        entry = AuditEntry(key_name=f"k{i}", method="POST", path="/v1/chat/completions", status=200, outcome="answered")
        entry.set_question(f"我的电话是{PHONE}，社保卡丢了怎么办（{i}）")
        entry.evidence, entry.tools = ["社会保障卡补办"], ["kb_search"]
        log.append(entry)


def test_chain_verifies_and_pii_is_redacted(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    _fill(log)
    assert log.verify().ok and log.verify().rows == 3
    rows = list(log.rows())
    assert all(PHONE not in r["question_masked"] for r in rows)
    assert "社保卡丢了" in rows[0]["question_masked"] and len(rows[0]["question_hash"]) == 64
    assert rows[1]["prev_hash"] == rows[0]["hash"]


def test_edited_row_is_detected(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    _fill(log)
    db = sqlite3.connect(tmp_path / "audit.sqlite")
    db.execute("UPDATE audit SET outcome = 'refused' WHERE id = 2")
    db.commit()
    result = log.verify()
    assert not result.ok and result.first_bad_id == 2 and "edited" in result.problem


def test_removed_row_is_detected(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.sqlite")
    _fill(log)
    db = sqlite3.connect(tmp_path / "audit.sqlite")
    db.execute("DELETE FROM audit WHERE id = 2")
    db.commit()
    result = log.verify()
    assert not result.ok and result.first_bad_id == 3


def test_cli_verify_and_export(shuzhi_home: Path, tmp_path: Path) -> None:
    log = AuditLog(shuzhi_home / "audit.sqlite")
    _fill(log, 2)
    runner = CliRunner()
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
    result = runner.invoke(cli, ["audit", "export", "--since", "2000-01-01"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["key_name"] for r in rows] == ["k0", "k1"] and rows[0]["evidence"] == ["社会保障卡补办"]
    assert runner.invoke(cli, ["audit", "export", "--since", "2999-01-01"]).stdout == ""
    assert runner.invoke(cli, ["audit", "export", "--since", "yesterday"]).exit_code == 2
    db = sqlite3.connect(shuzhi_home / "audit.sqlite")
    db.execute("UPDATE audit SET key_name = 'someone-else' WHERE id = 1")
    db.commit()
    broken = runner.invoke(cli, ["audit", "verify"])
    assert broken.exit_code == 1
