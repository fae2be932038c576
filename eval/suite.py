"""One evaluation run: pick scenarios, build cases, run them, write results.json, summary.csv and report.html."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import subprocess
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agents.spec import BUILTIN_DIR, AgentSpec, AgentSpecError, load_spec
from agents.tools import TOOL_REGISTRY
from app.agent_service import AgentService
from app.settings import Settings
from app.wiring import build_knowledge_base, build_lexicon
from eval.cases import Case, load_cases
from eval.catalog import ScenarioCard, load_catalog, select
from eval.generators import generate_cases
from eval.ingest import ingest_sample_kb
from eval.metrics import overall, rollup, scenario_metrics
from eval.realdata import real_cases
from eval.runner import Runner
from knowledge.embedding_cache import CachedEmbedder

SCHEMA_VERSION = "1.0"
REPO = Path(__file__).resolve().parents[1]


class RunConfigError(ValueError):
    """The output folder belongs to a different run configuration."""


@dataclass
class EvalOptions:
    out: Path
    scenarios: list[str] = field(default_factory=list)
    domain: str | None = None
    capability: str | None = None
    cases_dir: Path | None = None
    concurrency: int = 2
    real_data: bool = False
    generated: bool = True
    judge: bool = False
    judge_base_url: str = ""
    judge_model: str = ""
    judge_api_key: str = ""


def git_commit() -> str:
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def load_specs_reporting(settings: Settings) -> tuple[dict[str, AgentSpec], list[str]]:
    """Agent specs as ``shuzhi ask`` loads them, except that one invalid file does not stop the evaluation:
    its scenarios become "not runnable" and the error is reported in results.json."""
    directories = [BUILTIN_DIR] + ([settings.agents_dir] if settings.agents_dir else [])
    specs: dict[str, AgentSpec] = {}
    errors: list[str] = []
    for directory in directories:
        for path in sorted(directory.glob("*.yaml")):
            try:
                spec = load_spec(path, set(TOOL_REGISTRY))
            except AgentSpecError as exc:
                errors.append(str(exc))
                continue
            specs[spec.id] = spec
    return specs, errors


def embedding_cache_path(settings: Settings, embedder_name: str) -> Path:
    """Where an evaluation keeps its embedding cache between runs (per embedder, under SHUZHI_HOME)."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in embedder_name)
    return Path(settings.home) / "eval" / f"embeddings-{slug}.npz"


def build_service(settings: Settings) -> AgentService:
    """The AgentService of ``shuzhi ask``, with a shared embedding cache and the sample KB ingested."""
    specs, errors = load_specs_reporting(settings)
    service = AgentService(settings, build_knowledge_base(settings), specs, build_lexicon(settings))
    service.spec_errors = errors  # type: ignore[attr-defined]
    cached = CachedEmbedder(service.knowledge.embedder)
    cached.load(embedding_cache_path(settings, cached.name))
    service.knowledge.embedder = cached
    service.knowledge.retriever.embedder = cached
    ingest_sample_kb(service.knowledge)
    return service


def collect_cases(cards: list[ScenarioCard], options: EvalOptions) -> list[Case]:
    wanted = {c.id for c in cards}
    cases = generate_cases(cards) if options.generated else []
    if options.cases_dir:
        cases += [c for c in load_cases(options.cases_dir) if c.scenario in wanted]
    if options.real_data:
        cases += [c for c in real_cases() if c.scenario in wanted]
    return cases


def config_hash(cards: list[ScenarioCard], cases: list[Case], settings: Settings) -> str:
    payload = {
        "cards": [c.model_dump() for c in cards],
        "cases": [c.model_dump() for c in cases],
        "provider": settings.llm_provider,
        "model": settings.llm_model,
        "embedder": settings.embedder,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def run_suite(
    options: EvalOptions,
    settings: Settings,
    service: AgentService | None = None,
    progress: Callable[[int, int], Callable[[int], None]] | None = None,
) -> dict[str, Any]:
    """Run the selected scenarios and write every output file; returns the results.json content."""
    started = dt.datetime.now(dt.UTC)
    cards = select(load_catalog(), options.scenarios, options.domain, options.capability)
    cases = collect_cases(cards, options)
    digest = config_hash(cards, cases, settings)
    options.out.mkdir(parents=True, exist_ok=True)
    _check_config(options.out, digest)
    service = service or build_service(settings)
    judge = None
    if options.judge:
        from eval.judge import build_judge

        judge = build_judge(options.judge_base_url, options.judge_model, options.judge_api_key, settings.llm_timeout_s)
    runner = Runner(service, {c.id: c for c in cards}, options.out, options.concurrency, judge)
    runnable = [c for c in cases if runner.runnable(c)]
    tick = progress(len(runnable), 0) if progress else None
    samples = runner.run(cases, tick)
    by_scenario: dict[str, list[dict[str, Any]]] = defaultdict(list)
    case_ids = {c.id for c in cases}
    for record in samples.values():
        if record["case_id"] in case_ids:
            by_scenario[record["scenario"]].append(record)
    rows = [scenario_metrics(card, by_scenario[card.id], card.agent in service.specs) for card in cards]
    results = {
        "schema_version": SCHEMA_VERSION,
        "run": {
            "started": started.isoformat(timespec="seconds"),
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "git_commit": git_commit(),
            "config_hash": digest,
            "provider": settings.llm_provider,
            "model": settings.llm_model or "offline-extractive",
            "embedder": settings.embedder,
            "judge": getattr(judge, "info", None),
            "selection": {"scenarios": options.scenarios, "domain": options.domain, "capability": options.capability},
            "n_cases": len(cases),
            "n_runnable_cases": len(runnable),
            "agent_spec_errors": getattr(service, "spec_errors", []),
        },
        "overall": overall(rows),
        "groups": {
            "domain": rollup(rows, "domain"),
            "capability": rollup(rows, "capability"),
            "sector": rollup(rows, "sector"),
        },
        "scenarios": rows,
    }
    write_outputs(options.out, results, samples, case_ids)
    embedder = service.knowledge.embedder
    if isinstance(embedder, CachedEmbedder):
        embedder.save(embedding_cache_path(settings, embedder.name))
    return results


def _check_config(out: Path, digest: str) -> None:
    marker = out / "run.json"
    if marker.exists():
        previous = json.loads(marker.read_text(encoding="utf-8")).get("config_hash")
        if previous != digest:
            raise RunConfigError(
                f"{out} holds a run with another configuration (config hash {previous}, now {digest}); "
                "pass a new --out folder, or delete this one to start over"
            )
    marker.write_text(json.dumps({"config_hash": digest}), encoding="utf-8")


def write_outputs(out: Path, results: dict[str, Any], samples: dict[str, dict[str, Any]], case_ids: set[str]) -> None:
    from eval.report import write_html

    (out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    columns = ["id", "title", "status", "score", "ci95", "n", "threshold", "pass_rate", "abstention_rate"]
    columns += ["error_rate", "latency_s_mean", "tokens_in", "tokens_out", "judge_score", "agent", "human_review"]
    with (out / "summary.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore")
        writer.writeheader()
        for row in results["scenarios"]:
            writer.writerow({k: row.get(k) for k in columns})
    write_html(out / "report.html", results, [s for s in samples.values() if s["case_id"] in case_ids])
