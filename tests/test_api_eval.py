"""Eval endpoints: a run starts in the background (a stub of the eval CLI here), is listed, serves its files."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from tests.test_api_fixtures import ApiHarness, api, api_service  # noqa: F401


def _wait(api: ApiHarness, run_id: str) -> dict[str, Any]:  # noqa: F811
    for _ in range(600):  # bounded polling of a background process; not a timing assertion
        run = api.client.get(f"/v1/eval/runs/{run_id}", headers=api.headers("evaluator")).json()
        if run["status"] != "running":
            return run
        time.sleep(0.05)
    raise AssertionError(f"run {run_id} did not finish")


def test_run_is_started_listed_and_serves_results_and_report(api: ApiHarness) -> None:  # noqa: F811
    evaluator = api.headers("evaluator")
    started = api.client.post("/v1/eval/runs", json={"scenarios": "FW4-PM,ZL1-*"}, headers=evaluator)
    assert started.status_code == 202
    run_id = started.json()["run_id"]
    run = _wait(api, run_id)
    assert run["status"] == "done" and run["has_report"] and run["started_by"] == "test-evaluator"
    listed = api.client.get("/v1/eval/runs", headers=evaluator).json()
    assert [r["run_id"] for r in listed] == [run_id]
    results = api.client.get(f"/v1/eval/runs/{run_id}/results", headers=evaluator).json()
    assert results["scenarios"] == ["FW4-PM,ZL1-*"]  # the scenarios reached the CLI
    report = api.client.get(f"/v1/eval/runs/{run_id}/report", headers=api.headers("admin"))
    assert report.headers["content-type"].startswith("text/html") and "评测报告" in report.text
    assert (api.home / "eval" / "runs" / run_id / "report.html").exists()


def test_failed_run_shows_the_log_tail(api: ApiHarness) -> None:  # noqa: F811
    run_id = api.client.post("/v1/eval/runs", json={"scenarios": "FAIL"}, headers=api.headers("admin")).json()["run_id"]
    run = _wait(api, run_id)
    assert run["status"] == "failed" and run["exit_code"] == 1 and "stub failure" in run["log_tail"]
    missing = api.client.get(f"/v1/eval/runs/{run_id}/report", headers=api.headers("admin"))
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_run"


def test_scenario_patterns_are_validated(api: ApiHarness) -> None:  # noqa: F811
    for bad_value in ("--out /etc", "--real-data", "FW4-PM; rm -rf /"):
        bad = api.client.post("/v1/eval/runs", json={"scenarios": bad_value}, headers=api.headers("evaluator"))
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "scenarios"
    traversal = api.client.get("/v1/eval/runs/..%2F..%2Fkeys/report", headers=api.headers("evaluator"))
    assert traversal.status_code in (404, 422)


def test_at_most_two_runs_at_once(api: ApiHarness) -> None:  # noqa: F811
    evaluator = api.headers("evaluator")
    first = api.client.post("/v1/eval/runs", json={"scenarios": "SLOW"}, headers=evaluator).json()["run_id"]
    second = api.client.post("/v1/eval/runs", json={"scenarios": "SLOW"}, headers=evaluator).json()["run_id"]
    third = api.client.post("/v1/eval/runs", json={"scenarios": "SLOW"}, headers=evaluator)
    assert third.status_code == 409 and third.json()["error"]["code"] == "runs_busy"
    (api.home / "eval" / "runs" / "release").touch()
    assert _wait(api, first)["status"] == _wait(api, second)["status"] == "done"
    assert api.client.post("/v1/eval/runs", json={"scenarios": "FW4-PM"}, headers=evaluator).status_code == 202


def test_run_whose_process_vanished_is_reported_failed(api: ApiHarness) -> None:  # noqa: F811
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    folder = api.home / "eval" / "runs" / "20260101T000000-dead00"
    folder.mkdir(parents=True)
    job = {"run_id": folder.name, "started": "2026-01-01T00:00:00+00:00", "started_by": "x", "scenarios": ""}
    (folder / "job.json").write_text(json.dumps({**job, "pid": gone.pid}), encoding="utf-8")
    run = api.client.get(f"/v1/eval/runs/{folder.name}", headers=api.headers("evaluator")).json()
    assert run["status"] == "failed"  # the server that started it died: it must not block new runs forever
