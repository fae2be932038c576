"""`shuzhi serve`: one worker runs the app object; several workers need uvicorn's import string + factory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from typer.testing import CliRunner

from app.cli import app as cli
from app.server import app_from_env
from app.settings import get_settings


@pytest.fixture()
def captured(monkeypatch: pytest.MonkeyPatch, shuzhi_home: Path) -> Iterator[list[tuple[Any, dict[str, Any]]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kwargs: calls.append((target, kwargs)))
    get_settings.cache_clear()
    yield calls
    get_settings.cache_clear()


def test_single_worker_serves_the_app_object(captured: list[tuple[Any, dict[str, Any]]]) -> None:
    result = CliRunner().invoke(cli, ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    target, kwargs = captured[0]
    assert isinstance(target, FastAPI) and kwargs["port"] == 8765 and kwargs["host"] == "127.0.0.1"


def test_several_workers_use_the_factory_import_string(captured: list[tuple[Any, dict[str, Any]]]) -> None:
    result = CliRunner().invoke(cli, ["serve", "--workers", "3", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    target, kwargs = captured[0]
    assert target == "app.server:app_from_env" and kwargs["factory"] is True and kwargs["workers"] == 3
    assert kwargs["timeout_worker_healthcheck"] >= 60  # spawned workers re-import the CLI before answering pings


def test_factory_reads_settings_from_the_environment(shuzhi_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHUZHI_RATE_LIMIT_PER_MINUTE", "7")
    app = app_from_env()
    runtime = app.state.runtime
    assert runtime.settings.home == shuzhi_home and runtime.limiter.rate == pytest.approx(7 / 60)
