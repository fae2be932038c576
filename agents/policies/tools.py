"""The match_policies tool: profile → catalog evaluation → each measure cited by the exact text of its 条.

Eligibility always runs from the catalog. The citation is read from the knowledge base through the run
context (``RunContext.document_passages`` / ``document_text``), so it is real text and scoped to the caller:
when the caller cannot see the policy document (not in the agent's knowledge bases, not ingested, or above
the caller's clearance) the measure is still judged but carries no citation, and ``citation_note`` says so.
The tool deliberately does not call ``ctx.search``: a search that finds nothing would make an
evidence-bound agent refuse, while the verdicts here come from the catalog, not from retrieval.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from langchain_core.tools import BaseTool

from agents.citations import Citation
from agents.context import RunContext
from agents.errors import ToolInputError
from agents.policies.catalog import Catalog, Policy, load_catalog
from agents.policies.eligibility import STATUS_LABELS, evaluate
from agents.policies.profile import EnterpriseProfile, ProfileError, parse_profile
from agents.policies.vocabulary import BOOL_WORDS, FIELD_LABELS
from agents.tools.langchain_tools import ToolConfig, make_tool, register

_ARTICLE_START = re.compile(r"(?m)^(?:第[一二三四五六七八九十百零]+条[\s　]|#)")
NO_CITATION = "部分政策原文不在您可查阅的知识库中，上述判断依据政策目录作出，未附原文引用。"


def match_policies(
    ctx: RunContext,
    profile: str | Mapping[str, Any],
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Judge every catalogued measure for one enterprise and cite each measure's 条.

    Args:
        ctx: the run context; citations come from documents the caller may read.
        profile: free text, a JSON object string, or a mapping of ``EnterpriseProfile`` fields.
        catalog: the policy catalog; the built-in one by default.
        today: the date relative years and policy validity count from; today by default.

    Returns:
        JSON-ready dict: profile, missing, sources, profile_summary, summary (counts by status), policies
        (validity and notes), matches (status, benefit, conditions with reasons, citation or None),
        citations (the cited 条, four-key form) and citation_note.

    Raises:
        ProfileError: the profile is empty or a JSON profile is malformed.
    """
    today = today or dt.date.today()
    extraction = parse_profile(profile, today.year)
    matches = evaluate(catalog or load_catalog(), extraction.profile)
    cited: dict[tuple[str, str], Citation | None] = {}
    rows = []
    for match in matches:
        key = (match.policy.doc_id, match.measure.article)
        if key not in cited:
            cited[key] = cite_article(ctx, match.policy, match.measure.article)
        citation = cited[key]
        rows.append(match.to_dict() | {"citation": citation.to_dict() if citation else None})
    policies = list({match.policy.doc_id: match.policy for match in matches}.values())
    return extraction.to_dict() | {
        "recognised": bool(set(extraction.sources) - {"name"}),
        "profile_summary": summarise(extraction.profile),
        "summary": {status: sum(row["status"] == status for row in rows) for status in STATUS_LABELS},
        "policies": [_policy_info(policy, today) for policy in policies],
        "matches": rows,
        "citations": [c.to_dict() for c in cited.values() if c is not None],
        "citation_note": NO_CITATION if None in cited.values() else "",
    }


def cite_article(ctx: RunContext, policy: Policy, article: str) -> Citation | None:
    """The exact text of ``article`` (e.g. 第九条) of the policy, from a document the caller may read.

    The passage holding the article is added to ``ctx.evidence`` so the trace shows what was cited.
    """
    for kb in ctx.kbs:
        passages = ctx.document_passages(kb, policy.doc_id)
        if not passages:
            continue
        text = ctx.document_text(kb, policy.doc_id)
        span = article_span(text, article)
        if span is None:
            return None
        passage = next((p for p in passages if p.heading.split(" > ")[-1] == article), None)
        heading = passage.heading if passage else f"{passages[0].title} > {article}"
        if passage is not None and passage not in ctx.evidence:
            ctx.evidence.append(passage)
        start, end = span
        return Citation(policy.doc_id, passages[0].title, heading, text[start:end], kb, article, start, end)
    return None


def article_span(text: str, article: str) -> tuple[int, int] | None:
    """Offsets of one 条 in a document: from 「第X条」 at a line start to the next 条 or heading."""
    start = re.search(rf"(?m)^{re.escape(article)}[\s　]", text)
    if start is None:
        return None
    following = _ARTICLE_START.search(text, start.end())
    end = following.start() if following else len(text)
    return start.start(), start.start() + len(text[start.start() : end].rstrip())


def summarise(profile: EnterpriseProfile) -> str:
    """The stated facts in one Chinese line, e.g. 注册地滨江区；年营业收入3200万元；从业人数85人."""
    parts = [f"企业名称{profile.name}"] if profile.name else []
    for name, label in FIELD_LABELS.items():
        if not profile.knows(name):
            continue
        value = getattr(profile, name)
        if name == "qualifications":
            held = f"资质{'、'.join(profile.qualifications)}" if profile.qualifications else ""
            lacking = f"不具备{'、'.join(profile.lacking)}" if profile.lacking else ""
            parts.append("，".join(part for part in (held, lacking) if part))
        elif label.kind == "bool":
            parts.append(BOOL_WORDS[name][0 if value else 1])
        elif label.kind == "number":
            parts.append(f"{label.label}{value:g}{label.unit}")
        else:
            parts.append(f"{label.label}{value}")
    return "；".join(parts)


def _policy_info(policy: Policy, today: dt.date) -> dict[str, Any]:
    expired = bool(policy.valid_until) and dt.date.fromisoformat(policy.valid_until) < today
    return {
        "doc_id": policy.doc_id,
        "title": policy.title,
        "doc_number": policy.doc_number,
        "valid_until": policy.valid_until,
        "expired": expired,
        "notes": list(policy.notes),
    }


@register("match_policies")
def _match_policies(ctx: RunContext, config: ToolConfig) -> BaseTool:
    # The deployment's catalog (SHUZHI_POLICY_CATALOG) or the built-in one; loaded here so a bad catalog
    # fails when the agent's tools are built, not in front of an enterprise.
    catalog = load_catalog(config.policy_catalog)

    def match_policies_tool(profile: str) -> str:
        """惠企政策匹配：从企业情况中提取企业画像，逐条对照惠企政策的申报条件，返回可申报、暂不符合、需补充信息的政策及每个条件的理由。

        Args:
            profile: 企业情况原话，如「我们是滨江区的软件公司，2019年成立，去年营收3200万元，员工85人，
                是高新技术企业」；也可传 JSON 对象，字段同企业画像（registered_district、industry、
                annual_revenue_wan、employees、established、qualifications、is_sme 等）。
        """
        try:
            data = match_policies(ctx, profile, catalog)
        except ProfileError as exc:
            raise ToolInputError(str(exc)) from exc
        return json.dumps(data, ensure_ascii=False)

    return make_tool(match_policies_tool, "match_policies")
