"""The `shuzhi kb` command contract: flags, exit codes and JSON shapes that outside tools drive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.settings import get_settings

HIT_FIELDS = {"doc_id", "title", "heading", "text", "score", "source", "access", "start", "end"}


@pytest.fixture()
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SHUZHI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SHUZHI_EMBEDDER", "hashing")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "社保卡补办.md").write_text(
        "# 社会保障卡补办指南\n\n## 一、申请材料\n1. 居民身份证原件\n\n## 二、办理时限\n即时办结。\n", encoding="utf-8"
    )
    (root / "内部规程.txt").write_text("工单派发内部规程\n\n第一条 燃气泄漏工单十分钟内派发。\n", encoding="utf-8")
    return root


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    return result.exit_code, result.stdout


def test_ingest_then_search_json_has_the_contract_fields(cli: CliRunner, docs: Path) -> None:
    code, out = run(cli, "kb", "ingest", str(docs / "社保卡补办.md"), "--kb", "demo")
    assert code == 0 and "ingested 1" in out

    code, out = run(cli, "kb", "search", "社保卡补办要带什么", "--kb", "demo", "-k", "3", "--json")

    assert code == 0
    hits = json.loads(out)
    assert hits and set(hits[0]) >= HIT_FIELDS
    assert hits[0]["doc_id"] == "社保卡补办" and hits[0]["title"] == "社会保障卡补办指南"


def test_batch_search_prints_one_line_per_query_in_order(cli: CliRunner, docs: Path, tmp_path: Path) -> None:
    run(cli, "kb", "ingest", str(docs), "--kb", "demo", "--access", "public")
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        "\n".join(json.dumps({"query": q}, ensure_ascii=False) for q in ["身份证原件", "燃气泄漏", "办理时限"]) + "\n",
        encoding="utf-8",
    )
    code, out = run(cli, "kb", "search", "--kb", "demo", "--queries", str(queries), "-k", "2", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["query"] for r in rows] == ["身份证原件", "燃气泄漏", "办理时限"]
    assert all(isinstance(r["hits"], list) for r in rows)


def test_public_search_does_not_return_internal_documents(cli: CliRunner, docs: Path) -> None:
    run(cli, "kb", "ingest", str(docs / "社保卡补办.md"), "--kb", "demo")
    run(cli, "kb", "ingest", str(docs / "内部规程.txt"), "--kb", "demo", "--access", "internal")
    _, public = run(cli, "kb", "search", "燃气泄漏工单派发", "--kb", "demo", "--json")
    _, staff = run(cli, "kb", "search", "燃气泄漏工单派发", "--kb", "demo", "--json", "--access-level", "internal")
    assert all(hit["access"] == "public" for hit in json.loads(public))
    assert json.loads(staff)[0]["access"] == "internal"


def test_ingest_with_a_failed_file_exits_1_after_ingesting_the_rest(cli: CliRunner, docs: Path) -> None:
    (docs / "empty.txt").write_text("", encoding="utf-8")
    code, out = run(cli, "kb", "ingest", str(docs), "--kb", "demo")
    assert code == 1
    assert "ingested 2" in out and "failed 1" in out


def test_list_and_rm(cli: CliRunner, docs: Path) -> None:
    run(cli, "kb", "ingest", str(docs), "--kb", "demo")
    code, out = run(cli, "kb", "list", "--json")
    assert code == 0 and json.loads(out)[0]["name"] == "demo" and json.loads(out)[0]["documents"] == 2
    code, _ = run(cli, "kb", "rm", "--kb", "demo", "内部规程")
    assert code == 0
    _, out = run(cli, "kb", "list", "--kb", "demo", "--json")
    assert [d["doc_id"] for d in json.loads(out)] == ["社保卡补办"]
    code, _ = run(cli, "kb", "rm", "--kb", "demo")
    assert code == 0
    assert json.loads(run(cli, "kb", "list", "--json")[1]) == []


@pytest.mark.parametrize(
    "args",
    [
        ("kb", "search", "问题", "--kb", "nope"),
        ("kb", "ingest", "x.txt", "--kb", "demo", "--access", "secret"),
        ("kb", "ingest", "x.jsonl", "--kb", "demo", "--template", "no_such_template"),
        ("kb", "search", "--kb", "demo"),
    ],
)
def test_bad_arguments_get_a_clear_error_not_a_traceback(cli: CliRunner, args: tuple[str, ...]) -> None:
    result = cli.invoke(app, list(args))
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
