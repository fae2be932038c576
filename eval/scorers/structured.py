"""Scorers over structured output: classification with partial credit, eligibility, retrieval, citations,
tool calls, 公文 format."""

from __future__ import annotations

import importlib
import re
from typing import Any

from eval.cases import Case
from eval.scorers.base import RunOutput, Score, f1, gold, lookup, register
from eval.scorers.normalize import normalise


@register("classification")
def classification(case: Case, run: RunOutput, params: dict[str, Any]) -> Score:
    """诉求类型 and the topic path with partial credit per level: type 1/3, 大类 1/3, 小类 1/3."""
    paths = params.get("paths", ["triage_ticket.classification", "classify_ticket"])
    result = next((r for r in (lookup(run, p) for p in paths) if isinstance(r, dict)), None)
    if not isinstance(result, dict):
        return Score(0.0, {"reason": "no classification in the run"}, abstained=True)
    expected_topic = list(case.expected.get("topic", []))
    topic = list(result.get("topic") or [])
    type_ok = result.get("ticket_type") == case.expected.get("type")
    levels = [a == b for a, b in zip(expected_topic, topic, strict=False)]
    # A lower level only counts when the level above it is right (hierarchical credit).
    level_credit = 0.0
    for ok in levels:
        if not ok:
            break
        level_credit += 1
    parts = 1 + max(len(expected_topic), 1)
    score = (type_ok + level_credit) / parts
    return Score(score, {"type": result.get("ticket_type"), "topic": topic, "type_ok": type_ok})


@register("eligibility")
def eligibility(case: Case, run: RunOutput, params: dict[str, Any]) -> Score:
    """Set F1 of the measures judged eligible, over the measures the case decides (gold eligible ∪ ineligible)."""
    matches = lookup(run, params.get("path", "match_policies.matches"))
    if not isinstance(matches, list):
        return Score(0.0, {"reason": "no eligibility result in the run"}, abstained=True)
    eligible_key, ineligible_key = params.get("decided", ["eligible", "ineligible"])
    expected = set(case.expected.get(eligible_key, []))
    decided = expected | set(case.expected.get(ineligible_key, []))
    predicted = {m.get("id") for m in matches if m.get("status") == "eligible"} & decided
    if not expected and not predicted:
        return Score(1.0, {"eligible": []})
    hits = len(expected & predicted)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(expected) if expected else 0.0
    return Score(
        f1(precision, recall),
        {"missed": sorted(expected - predicted), "wrongly_eligible": sorted(predicted - expected)},
    )


def _retrieved(run: RunOutput) -> list[str]:
    return list(dict.fromkeys(str(e.get("doc_id")) for e in run.evidence))


@register("recall_at_k")
def recall_at_k(case: Case, run: RunOutput, params: dict[str, Any]) -> Score:
    """Share of gold doc ids among the first k distinct retrieved documents."""
    wanted = set(gold(case, params, default="doc_ids") or [])
    top = _retrieved(run)[: int(params.get("k", 5))]
    if not wanted:
        return Score(1.0)
    return Score(len(wanted & set(top)) / len(wanted), {"retrieved": top})


@register("mrr")
def mrr(case: Case, run: RunOutput, params: dict[str, Any]) -> Score:
    """Reciprocal rank of the first gold document among the retrieved ones."""
    wanted = set(gold(case, params, default="doc_ids") or [])
    for rank, doc in enumerate(_retrieved(run), 1):
        if doc in wanted:
            return Score(1 / rank, {"rank": rank})
    return Score(0.0, {"rank": None})


@register("citation")
def citation(case: Case, run: RunOutput, params: dict[str, Any]) -> Score:
    """Citation F1: cited docs ∈ gold docs (precision) and gold docs cited (recall); a citation whose passage
    was never retrieved in this run counts as wrong."""
    wanted = set(gold(case, params, default="doc_ids") or [])
    if run.refused:
        return Score(0.0, {"reason": "refused"}, abstained=True)
    retrieved = {(str(e.get("doc_id")), str(e.get("heading", ""))) for e in run.evidence}
    retrieved_docs = {doc for doc, _ in retrieved}
    cited = [(str(c.get("doc_id")), str(c.get("heading", ""))) for c in run.citations]
    if not cited:
        return Score(0.0, {"reason": "no citation"})
    # Tools that read a whole document (a 办事指南) cite passages not in the search evidence; the doc suffices.
    grounded = [(d, h) for d, h in cited if (d, h) in retrieved or d in retrieved_docs or d in _tool_docs(run)]
    good = [d for d, _ in grounded if d in wanted]
    precision = len(good) / len(cited)
    recall = len(wanted & set(good)) / len(wanted) if wanted else 1.0
    ungrounded = [d for d, h in cited if (d, h) not in grounded]
    return Score(f1(precision, recall), {"cited": [d for d, _ in cited], "ungrounded": ungrounded})


def _tool_docs(run: RunOutput) -> set[str]:
    return {str(r.get("doc_id")) for r in run.tool_results.values() if isinstance(r, dict) and r.get("doc_id")}


@register("tool_calls")
def tool_calls(case: Case, run: RunOutput, params: dict[str, Any]) -> Score:
    """Tool-name set F1 against params.tools, times the share of params.args that match (normalised)."""
    wanted = set(params.get("tools", []))
    called = {c.get("name") for c in run.tool_calls}
    hits = len(wanted & called)
    precision = hits / len(called) if called else float(not wanted)
    recall = hits / len(wanted) if wanted else 1.0
    score = f1(precision, recall)
    expected_args: dict[str, Any] = params.get("args", {})
    if expected_args:
        actual = {k: v for c in run.tool_calls for k, v in (c.get("args") or {}).items()}
        matched = sum(normalise(str(actual.get(k, ""))) == normalise(str(v)) for k, v in expected_args.items())
        score *= matched / len(expected_args)
    return Score(score, {"called": sorted(str(c) for c in called)})


def _project_checker() -> Any:
    """``agents.gongwen.check_document`` once that package provides it; None before."""
    try:
        module = importlib.import_module("agents.gongwen")
    except ImportError:
        return None
    return getattr(module, "check_document", None)


_TITLE = re.compile(r"关于.+的(决议|决定|命令|令|公报|公告|通告|意见|通知|通报|报告|请示|批复|议案|函|纪要)")
_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号")
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


@register("gongwen_format")
def gongwen_format(case: Case, run: RunOutput, params: dict[str, Any]) -> Score:
    """公文 format: the project's checker (agents.gongwen.check_document) when installed, else basic rules."""
    value = lookup(run, params["path"]) if params.get("path") else run.answer
    if not value:
        return Score(0.0, {"reason": "no document in the run"}, abstained=True)
    text = str(value)
    check_document = _project_checker()
    if check_document is None:
        checks = {"title": bool(_TITLE.search(text)), "date": bool(_DATE.search(text))}
        if params.get("doc_number"):
            checks["doc_number"] = bool(_DOC_NUMBER.search(text))
        return Score(sum(checks.values()) / len(checks), {"checker": "basic", "checks": checks})
    report = check_document(text)
    if report.refused:
        return Score(0.0, {"checker": "agents.gongwen", "refused": True}, abstained=True)
    blocking, warnings = report.blocking_count, report.warning_count
    value = max(0.0, 1 - 0.25 * blocking - 0.05 * warnings)
    return Score(value, {"checker": "agents.gongwen", "blocking": blocking, "warnings": warnings})
