"""The runner end to end through AgentService on the sample KB: outputs, resume, not-runnable, honesty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.agent_service import AgentService
from app.cli import app
from app.settings import Settings
from app.wiring import build_lexicon
from eval import runner as runner_module
from eval.cases import load_cases
from eval.catalog import load_catalog, select
from eval.generators import generate_cases
from eval.runner import caller_for
from eval.suite import EvalOptions, RunConfigError, load_specs_reporting, run_suite
from knowledge import KnowledgeBase
from prompts import render


def _service(kb: KnowledgeBase, tmp_path: Path, drop: tuple[str, ...] = (), no_retrieval: bool = False) -> AgentService:
    settings = Settings(home=tmp_path / "home")
    specs = {k: v for k, v in load_specs_reporting(settings)[0].items() if k not in drop}
    if no_retrieval:  # the weakened employee: same model and tools, but no knowledge base to search
        specs = {k: v.model_copy(update={"knowledge_bases": []}) for k, v in specs.items()}
    return AgentService(settings, kb, specs, build_lexicon(settings))


def test_run_writes_every_output_resumes_and_reports_not_runnable(
    sample_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = _service(sample_kb, tmp_path, drop=("ticket-triage",))
    options = EvalOptions(out=tmp_path / "run", scenarios=["FW2-GD", "ZL1-CD"])
    results = run_suite(options, service.settings, service=service)
    rows = {r["id"]: r for r in results["scenarios"]}
    assert results["schema_version"] and len(results["run"]["config_hash"]) == 16
    assert rows["ZL1-CD"]["status"] == "not_runnable" and rows["ZL1-CD"]["score"] is None
    assert rows["FW2-GD"]["n"] == 3 and 0 <= rows["FW2-GD"]["score"] <= 1
    assert rows["FW2-GD"]["ci95"][0] <= rows["FW2-GD"]["score"] <= rows["FW2-GD"]["ci95"][1]
    assert results["overall"]["not_runnable"] == 1
    samples = (options.out / "samples.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(samples) == 3
    first = json.loads(samples[0])
    assert first["tokens_in"] > 0 and first["latency_s"] > 0 and "get_service_guide" in json.dumps(first["output"])
    page = (options.out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in page and 'src="http' not in page and "FW2-GD" in page
    assert (options.out / "summary.csv").read_text(encoding="utf-8").count("\n") == 3  # header + 2 scenarios

    # Resume: drop the last sample as if the run had been killed; only that case runs again.
    (options.out / "samples.jsonl").write_text("\n".join(samples[:2]) + "\n", encoding="utf-8")
    calls: list[str] = []
    original = runner_module.Runner.run_case
    monkeypatch.setattr(
        runner_module.Runner, "run_case", lambda self, case: calls.append(case.id) or original(self, case)
    )
    again = run_suite(options, service.settings, service=service)
    assert len(calls) == 1 and again["scenarios"][0]["n"] == 3

    with pytest.raises(RunConfigError, match="another configuration"):
        run_suite(EvalOptions(out=options.out, scenarios=["FW1-GD"]), service.settings, service=service)


@pytest.mark.slow
def test_retrieval_disabled_agent_scores_lower_and_no_gold_reaches_the_agent(
    sample_kb: KnowledgeBase, tmp_path: Path
) -> None:
    normal = _service(sample_kb, tmp_path)
    weak = _service(sample_kb, tmp_path, no_retrieval=True)
    scenarios = ["MS4-QA", "FW2-GD"]
    good = run_suite(EvalOptions(out=tmp_path / "a", scenarios=scenarios), normal.settings, service=normal)
    bad = run_suite(EvalOptions(out=tmp_path / "b", scenarios=scenarios), weak.settings, service=weak)
    assert bad["overall"]["score"] < good["overall"]["score"] - 0.2, (good["overall"], bad["overall"])

    cases = {c.id: c for c in generate_cases(select(load_catalog(), scenarios))}
    for line in (tmp_path / "a" / "samples.jsonl").read_text(encoding="utf-8").splitlines():
        sample = json.loads(line)
        case = cases[sample["case_id"]]
        seen_by_agent = case.question + json.dumps(sample["output"]["tool_calls"], ensure_ascii=False)
        spec = normal.spec(sample["agent"])
        seen_by_agent += render(spec.system_prompt, spec=spec, caller=caller_for(case, spec.audience))
        leaked = [g for g in case.gold_strings() if g in seen_by_agent]
        assert not leaked, (case.id, leaked)


def test_user_suite_from_cases_dir_and_compare_cli(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "mine.yaml").write_text(
        "cases:\n"
        "- id: my-1\n  scenario: MS1-QA\n  input: {question: 今天午饭吃什么好}\n"
        "  expected: {refuse: true}\n  scorers: [{name: refusal, threshold: 1}]\n"
        "  provenance: {source: 江临市示例, licence: CC0}\n",
        encoding="utf-8",
    )
    assert [c.id for c in load_cases(suite)] == ["my-1"]
    service = _service(sample_kb, tmp_path)
    options = EvalOptions(out=tmp_path / "mine", scenarios=["MS1-QA"], cases_dir=suite, generated=False)
    results = run_suite(options, service.settings, service=service)
    assert results["run"]["n_cases"] == 1 and results["scenarios"][0]["score"] == 1.0

    baseline = json.loads((tmp_path / "mine" / "results.json").read_text(encoding="utf-8"))
    baseline["scenarios"][0]["score"] = 0.2
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "results.json").write_text(json.dumps(baseline), encoding="utf-8")
    done = CliRunner().invoke(app, ["eval", "compare", str(tmp_path / "old"), str(tmp_path / "mine")])
    assert done.exit_code == 0, done.output
    assert "MS1-QA" in done.output and json.loads((tmp_path / "mine" / "compare.json").read_text())["improved"]


def test_catalog_cli_filters_and_prints_json() -> None:
    done = CliRunner().invoke(app, ["eval", "catalog", "--domain", "FW", "--capability", "PM", "--json"])
    assert done.exit_code == 0, done.output
    assert [c["id"] for c in json.loads(done.output)] == [f"FW{i}-PM" for i in range(1, 6)]


def test_run_exits_zero_on_failed_scenarios_unless_fail_under(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import eval.suite

    canned = {
        "overall": {
            "score": 0.5,
            "n_scenarios": 1,
            "n_cases": 3,
            "passed": 0,
            "failed": 1,
            "not_runnable": 0,
            "abstention_rate": 0.0,
            "error_rate": 0.0,
        }
    }
    monkeypatch.setattr(eval.suite, "run_suite", lambda options, settings, progress=None: canned)
    out = str(tmp_path / "run")
    assert CliRunner().invoke(app, ["eval", "run", "--out", out]).exit_code == 0
    gated = CliRunner().invoke(app, ["eval", "run", "--out", out, "--fail-under", "0.8"])
    assert gated.exit_code == 1 and "fail-under" in gated.output
    assert CliRunner().invoke(app, ["eval", "run", "--out", out, "--model-provider", "gpt"]).exit_code == 2
