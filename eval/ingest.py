"""The sample knowledge base an evaluation runs against, ingested once per SHUZHI_HOME (ingest is incremental)."""

from __future__ import annotations

from pathlib import Path

from eval.generators.sources import SAMPLE_KB
from knowledge import IngestOptions, KnowledgeBase
from knowledge.records import RecordOptions

KB_NAME = "demo"


def ingest_sample_kb(kb: KnowledgeBase, kb_dir: Path = SAMPLE_KB, name: str = KB_NAME) -> None:
    """Ingest guides and policies (public), internal documents (internal) and the 事项 records, as the README does.

    Raises:
        RuntimeError: a part of the sample failed to ingest (the message lists the failed files).
    """
    parts = [
        ([kb_dir / "guides", kb_dir / "policies"], IngestOptions()),
        ([kb_dir / "internal"], IngestOptions(access="internal")),
        (
            [kb_dir / "records" / "service_items_sample.jsonl"],
            IngestOptions(records=RecordOptions(template="service_item")),
        ),
    ]
    for paths, options in parts:
        report = kb.ingest([p for p in paths if p.exists()], name, options)
        if not report.ok:
            raise RuntimeError(f"sample knowledge base {kb_dir} did not ingest cleanly: {report}")
