"""公文 checker benchmark (not a test: it prints figures).

    make bench-gongwen
    .venv/bin/python bench/gongwen.py --docs 300 --seed 7 [--json out.json]

1. Draft N clean documents across the 15 文种 from seeded synthetic briefs (agents.gongwen.synth), and
   check each one as text, as Markdown and (every 10th) as a .docx written and read back: any finding
   on a clean document is a false alarm.
2. For every document and every rule whose injector applies, inject one seeded error of that rule
   (agents.gongwen.inject) and check the result; then inject three different rules at once.
3. Per rule: TP = the injected rule was reported; FN = it was not; FP = the rule was reported on a
   document where it was not injected (clean or carrying other errors). Precision, recall, F1.
4. The hand-written set (data/gongwen/handwritten.yaml), written apart from the generator: clean documents in
   other layouts and one mistake each (caught / missed / other rules reported).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agents.gongwen import DOC_TYPES, GongwenDraft, draft_document
from agents.gongwen.checker import check_document
from agents.gongwen.docx_writer import write_docx
from agents.gongwen.inject import INJECTORS
from agents.gongwen.layout import docx_text
from agents.gongwen.synth import random_brief

HANDWRITTEN = Path(__file__).resolve().parent.parent / "data" / "gongwen" / "handwritten.yaml"


def _rules_in(text: str) -> set[str]:
    return check_document(text).rules()


def _docx_rules(draft: GongwenDraft) -> set[str]:
    buffer = io.BytesIO()
    write_docx(draft, buffer)
    buffer.seek(0)
    return check_document(docx_text(buffer), unit="段").rules()


def run(docs: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    clean_alarms: list[tuple[str, str, set[str]]] = []
    misses: list[tuple[str, str, set[str]]] = []
    checks = 0
    started = time.perf_counter()
    per_type: Counter[str] = Counter()

    def score(injected: set[str], found: set[str], doc_type: str) -> None:
        for rule in injected:
            if rule in found:
                tp[rule] += 1
            else:
                fn[rule] += 1
                if len(misses) < 12:
                    misses.append((doc_type, ",".join(sorted(injected)), found))
        for rule in found - injected:
            fp[rule] += 1

    for i in range(docs):
        doc_type = DOC_TYPES[i % len(DOC_TYPES)]
        per_type[doc_type] += 1
        draft = draft_document(random_brief(rng, doc_type))
        text = draft.to_text()
        views = [("text", _rules_in(text)), ("markdown", _rules_in(draft.to_markdown()))]
        if i % 10 == 0:
            views.append(("docx", _docx_rules(draft)))
        for view, found in views:
            checks += 1
            score(set(), found, doc_type)
            if found:
                clean_alarms.append((doc_type, view, found))
        applicable: list[tuple[str, str]] = []
        for rule, inject in INJECTORS.items():
            broken = inject(draft, text, rng)
            if broken is None or broken == text:
                continue
            applicable.append((rule, broken))
            checks += 1
            score({rule}, _rules_in(broken), doc_type)
        # Several errors in one document: three different rules applied one after another (T12 refuses alone).
        several = [r for r, _ in applicable if r != "T12"]
        if len(several) >= 3:
            broken, injected = text, set()
            for rule in rng.sample(several, 3):
                # An injector whose target an earlier one already rewrote returns None: not injected.
                result = INJECTORS[rule](draft, broken, rng)
                if result is not None and result != broken:
                    broken, injected = result, injected | {rule}
            checks += 1
            score(injected, _rules_in(broken), doc_type)
    elapsed = time.perf_counter() - started
    views_checked = docs * 2 + (docs + 9) // 10
    rows = {}
    for rule in sorted(set(tp) | set(fn) | set(fp), key=_rule_order):
        precision = tp[rule] / (tp[rule] + fp[rule]) if tp[rule] + fp[rule] else 0.0
        recall = tp[rule] / (tp[rule] + fn[rule]) if tp[rule] + fn[rule] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows[rule] = {
            "tp": tp[rule],
            "fp": fp[rule],
            "fn": fn[rule],
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    total_tp, total_fn, total_fp = sum(tp.values()), sum(fn.values()), sum(fp.values())
    return {
        "docs": docs,
        "seed": seed,
        "types": dict(per_type),
        "checks": checks,
        "seconds": elapsed,
        "clean_views": views_checked,
        "false_alarm_rate": len(clean_alarms) / views_checked,
        "clean_alarms": [(t, v, sorted(f)) for t, v, f in clean_alarms[:12]],
        "micro": {
            "precision": total_tp / (total_tp + total_fp) if total_tp + total_fp else 0.0,
            "recall": total_tp / (total_tp + total_fn) if total_tp + total_fn else 0.0,
        },
        "rules": rows,
        "misses": [(t, r, sorted(f)) for t, r, f in misses],
    }


def handwritten() -> dict[str, object]:
    """The hand-written set (data/gongwen/handwritten.yaml): written apart from the generator, so a fairer check."""
    data = yaml.safe_load(HANDWRITTEN.read_text(encoding="utf-8"))
    documents: dict[str, str] = data["documents"]
    alarms = sorted(name for name, text in documents.items() if check_document(text).findings)
    caught, extra, missed = 0, 0, []
    for case in data["mistakes"]:
        found = _rules_in(documents[case["doc"]].replace(case["old"], case["new"], 1))
        caught += case["rule"] in found
        extra += len(found - {case["rule"]})
        if case["rule"] not in found:
            missed.append(f"{case['doc']}-{case['rule']}")
    return {
        "clean_documents": len(documents),
        "clean_with_findings": alarms,
        "mistakes": len(data["mistakes"]),
        "caught": caught,
        "other_rules_reported": extra,
        "missed": missed,
    }


def _rule_order(rule: str) -> tuple[int, str]:
    digits = "".join(c for c in rule if c.isdigit())
    return (int(digits) if digits and rule.startswith("T") else 100, rule)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=300, help="clean documents to generate (≥200)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    result = run(args.docs, args.seed)
    print(f"公文 checker benchmark: {result['docs']} clean documents × 15 文种, seed {result['seed']}")
    print(f"{result['checks']} checks in {result['seconds']:.1f} s")
    rate, views = result["false_alarm_rate"], result["clean_views"]
    print(f"false-alarm rate on clean documents: {rate:.2%} of {views} views (text, markdown, docx)")
    micro = result["micro"]
    print(f"all rules (micro): precision {micro['precision']:.3f}  recall {micro['recall']:.3f}")  # type: ignore[index]
    print(f"{'rule':<6}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}{'F1':>7}")
    for rule, row in result["rules"].items():  # type: ignore[attr-defined]
        print(
            f"{rule:<6}{row['tp']:>6}{row['fp']:>6}{row['fn']:>6}{row['precision']:>11.3f}{row['recall']:>8.3f}{row['f1']:>7.3f}"
        )
    for doc_type, view, found in result["clean_alarms"]:  # type: ignore[attr-defined]
        print(f"  false alarm: {doc_type} ({view}): {', '.join(found)}")
    for doc_type, injected, found in result["misses"]:  # type: ignore[attr-defined]
        print(f"  missed: {doc_type} injected {injected}, found {', '.join(found) or 'nothing'}")
    hand = handwritten()
    print(
        f"hand-written set: {hand['caught']}/{hand['mistakes']} mistakes caught"
        f" (missed: {', '.join(hand['missed']) or 'none'}), {hand['other_rules_reported']} other rules reported;"  # type: ignore[arg-type]
        f" {len(hand['clean_with_findings'])}/{hand['clean_documents']} clean documents with findings"  # type: ignore[arg-type]
    )
    result["handwritten"] = hand
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
