"""API keys: created once, stored hashed, revocable; the CLI prints the key alone on the last line."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.keys import KeyRequestError, KeyStore, hash_key
from app.settings import get_settings


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()  # the CLI reads SHUZHI_HOME once per process; each test has its own home
    yield
    get_settings.cache_clear()


def test_key_maps_to_its_caller_and_only_its_hash_is_stored(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite")
    key, _ = store.create("staff", department="临川区民政局", name="窗口-甲")
    found = store.lookup(key)
    assert found is not None and found.caller.audience == "staff"
    assert found.caller.department == "临川区民政局" and found.caller.clearance == "internal"
    raw = (tmp_path / "keys.sqlite").read_bytes() + (tmp_path / "keys.sqlite-wal").read_bytes()
    assert key.encode() not in raw
    rows = sqlite3.connect(tmp_path / "keys.sqlite").execute("SELECT key_hash FROM api_keys").fetchall()
    assert rows == [(hash_key(key),)]
    assert store.lookup(key + "x") is None


def test_citizen_keys_are_always_public(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite")
    assert store.create("citizen")[1].clearance == "public"
    with pytest.raises(KeyRequestError, match="always public"):
        store.create("citizen", clearance="internal")
    with pytest.raises(KeyRequestError, match="citizen, staff, admin, evaluator"):
        store.create("mayor")


def test_revoked_key_no_longer_authenticates(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite")
    key, record = store.create("admin", name="ops")
    assert [r.key_id for r in store.revoke("ops")] == [record.key_id]
    assert store.lookup(key) is None
    assert store.revoke("ops") == []
    assert store.list_keys()[0].revoked_at


def test_cli_create_prints_the_key_alone_on_the_last_line(shuzhi_home: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["keys", "create", "--audience", "citizen", "--department", "滨江区", "--name", "自助机"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip().splitlines()[-1]
    assert key.startswith("sz-") and " " not in key
    found = KeyStore(shuzhi_home / "keys.sqlite").lookup(key)
    assert found is not None and found.name == "自助机" and found.department == "滨江区"
    listing = runner.invoke(cli, ["keys", "list", "--json"])
    assert "自助机" in listing.stdout and key not in listing.stdout
    assert runner.invoke(cli, ["keys", "revoke", "自助机"]).exit_code == 0
    assert runner.invoke(cli, ["keys", "revoke", "自助机"]).exit_code == 1
    assert runner.invoke(cli, ["keys", "create", "--audience", "robot"]).exit_code == 2
