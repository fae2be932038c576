"""research_policies: what the caller's knowledge says on a topic, document by document, with validity.

Staff need to know not only what a passage says but whether the document still applies: each document
is listed with 发文字号, 效力 and access level, and a repealed one names the document that repealed it,
quoting the sentence that says so.
"""

from __future__ import annotations

from typing import Any

from agents.citations import Citation
from agents.context import RunContext
from agents.research.lookup import DocumentRef, successor_of

PASSAGES_PER_DOC = 2


def research_policies(ctx: RunContext, query: str, k: int = 5) -> dict[str, Any]:
    """Up to ``k`` documents the caller may read that bear on ``query``, current ones first, with passages.

    Returns:
        JSON-ready dict: documents (ref fields, passages [{heading, quote}], replaced_by, replaced_note),
        counts by validity, hits (kb_search form) and citations (four-key form) for every quoted passage.
    """
    # k counts documents; each brings up to PASSAGES_PER_DOC passages.
    hits = ctx.search(query, k=k * PASSAGES_PER_DOC, per_doc=PASSAGES_PER_DOC, include_repealed=True)
    documents: dict[str, dict[str, Any]] = {}
    refs: dict[str, DocumentRef] = {}
    citations: list[dict[str, str]] = []
    for hit in hits:
        if hit.doc_id not in documents:
            refs[hit.doc_id] = DocumentRef.from_hit(hit)
            extra: dict[str, Any] = {"passages": [], "replaced_by": None, "replaced_note": ""}
            documents[hit.doc_id] = refs[hit.doc_id].to_dict() | extra
        documents[hit.doc_id]["passages"].append({"heading": hit.heading, "quote": hit.text})
        citations.append(Citation.from_hit(hit).to_dict())
    for doc_id, entry in documents.items():
        if entry["validity"] == "现行有效":
            continue
        found = successor_of(ctx, refs[doc_id])
        if found is None:
            continue
        successor, passage = found
        sentence = next((part.strip() + "。" for part in passage.text.split("。") if entry["title"] in part), "")
        entry["replaced_by"] = successor.to_dict()
        entry["replaced_note"] = sentence or passage.text
        citations.append(Citation.from_hit(passage, sentence if sentence in passage.text else None).to_dict())
    ordered = sorted(documents.values(), key=lambda d: d["validity"] != "现行有效")  # stable: rank kept within groups
    counts: dict[str, int] = {}
    for entry in ordered:
        counts[entry["validity"]] = counts.get(entry["validity"], 0) + 1
    # ``hits`` in the shape kb_search returns, so a model (the offline one included) can quote sentences.
    passages = [
        {"doc_id": h.doc_id, "title": h.title, "heading": h.heading, "quote": h.text, "validity": h.validity}
        for h in hits
    ]
    return {"query": query, "documents": ordered, "counts": counts, "hits": passages, "citations": citations}
