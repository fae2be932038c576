"""Benchmark: the full 400-scenario suite offline; prints wall time, cases/s and peak memory.

    make bench-eval            # or: .venv/bin/python bench/eval_suite.py [--out DIR] [--concurrency N]

The sample knowledge base is ingested into SHUZHI_HOME first (once; ingest is incremental) and that time is
reported separately: the figure that matters for a release gate is the evaluation itself.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.settings import Settings  # noqa: E402
from eval.suite import EvalOptions, build_service, embedding_cache_path, run_suite  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "eval")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--scenarios", default="", help="comma-separated ids or patterns (default: all 400)")
    parser.add_argument("--cold", action="store_true", help="discard the saved embedding cache first")
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)  # a benchmark measures a fresh run, not a resumed one
    settings = Settings()
    cache_file = embedding_cache_path(settings, "")  # the folder; one file per embedder
    if args.cold:
        for old in cache_file.parent.glob("embeddings-*.npz"):
            old.unlink()
    began = time.perf_counter()
    service = build_service(settings)
    ingest_s = time.perf_counter() - began
    began = time.perf_counter()
    options = EvalOptions(
        out=args.out, scenarios=[s for s in args.scenarios.split(",") if s], concurrency=args.concurrency
    )
    results = run_suite(options, settings, service=service)
    wall = time.perf_counter() - began
    cases = results["run"]["n_runnable_cases"]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cache = service.knowledge.embedder
    warm_vectors = getattr(cache, "loaded", None)
    figures = {
        "scenarios": len(results["scenarios"]),
        "runnable_scenarios": results["overall"]["n_scenarios"],
        "not_runnable": results["overall"]["not_runnable"],
        "cases_run": cases,
        "wall_s": round(wall, 1),
        "cases_per_s": round(cases / wall, 2) if wall else None,
        "peak_rss_mb": round(peak_mb),
        "ingest_and_setup_s": round(ingest_s, 1),
        "embedding_cache": {
            "loaded_from_disk": warm_vectors,
            "hits": getattr(cache, "hits", None),
            "misses": getattr(cache, "misses", None),
        },
        "overall_score": results["overall"]["score"],
        "concurrency": args.concurrency,
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
