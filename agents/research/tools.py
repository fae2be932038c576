"""LangChain tools of the 政策研究员: ``research_policy`` and ``compare_documents``.

Both read only through the run context, so a staff member sees what their clearance admits and a
citizen (were the tools ever given to a citizen agent) sees public documents only.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.tools import BaseTool

from agents.citations import Citation
from agents.context import RunContext
from agents.errors import ToolInputError
from agents.research.compare import DIGIT, ArticleChange, compare_documents
from agents.research.lookup import DocumentRef, find_document, predecessor_of, successor_of
from agents.research.research import research_policies
from agents.tools.langchain_tools import ToolConfig, make_tool, register
from knowledge import Hit

MAX_QUERY_CHARS = 500
CITED_CHANGES = 8  # changed articles quoted as citations; the rest are in the result


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def _article_citation(ref: DocumentRef, change: ArticleChange, side: str) -> dict[str, str]:
    article = change.new if side == "new" else change.old
    assert article is not None
    return Citation(ref.doc_id, ref.title, article.label, f"{article.label}　{article.text}", ref.kb).to_dict()


def compare_by_name(ctx: RunContext, first: str, second: str = "") -> dict[str, Any]:
    """Compare two named documents; with one name, compare it with the document it replaced (or that replaced it)."""
    one = find_document(ctx, first)
    if one is None:
        return {"found": False, "message": f"未找到文件「{first}」"}
    relation: tuple[DocumentRef, Hit] | None
    if second.strip():
        other = find_document(ctx, second)
        if other is None:
            return {"found": False, "message": f"未找到文件「{second}」"}
        relation = None
    else:
        relation = predecessor_of(ctx, one) or successor_of(ctx, one)
        if relation is None:
            return {"found": False, "message": f"《{one.title}》未写明替代或被替代的文件，请指明要比较的另一份文件"}
        other = relation[0]
    if other.doc_id == one.doc_id:
        return {"found": False, "message": f"两个名称指向同一份文件《{one.title}》，请给出两份不同的文件"}
    # The repealed (or otherwise older) document is the baseline the changes are described against.
    old, new = (other, one) if other.validity != "现行有效" and one.validity == "现行有效" else (one, other)
    comparison = compare_documents(
        old, ctx.document_text(old.kb, old.doc_id), new, ctx.document_text(new.kb, new.doc_id)
    )
    # Changed figures (periods, amounts, ages) first, then the rest in document order: what a reader of two
    # versions looks for, and what the answer shows before it truncates.
    changed = sorted(
        (change for change in comparison.changes if change.kind != "未变"),
        key=lambda change: not any(DIGIT.search(old + new) for old, new in change.edits),
    )
    citations = []
    for change in changed[:CITED_CHANGES]:
        citations.append(_article_citation(new, change, "new") if change.new else _article_citation(old, change, "old"))
    if relation is not None:
        citations.append(Citation.from_hit(relation[1]).to_dict())
    return {
        "found": True,
        "old": old.to_dict(),
        "new": new.to_dict(),
        "relation": relation[1].text if relation else "",
        "counts": comparison.counts(),
        "changes": [change.to_dict() for change in changed],
        "citations": citations,
    }


@register("research_policy")
def _research_policy(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def research_policy(query: str, k: int = 5) -> str:
        """政策研究：检索工作人员可查阅的政策文件（含内部文件和已废止文件），按文件列出相关条款、发文字号、效力状态，已废止的注明被哪份文件废止。

        Args:
            query: 研究主题或问题，如「租房提取公积金的额度和频次」。
            k: 返回的文件数，1 到 10，默认 5。
        """
        if not query.strip():
            raise ToolInputError("query is empty; pass the topic to research, e.g. 租房提取公积金的额度")
        if not 1 <= k <= 10:
            raise ToolInputError(f"k {k} is out of range; use an integer from 1 to 10")
        return _json(research_policies(ctx, query[:MAX_QUERY_CHARS], k=k))

    return make_tool(research_policy)


@register("compare_documents")
def _compare_documents(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def compare_documents_tool(first: str, second: str = "") -> str:
        """比较两份政策文件的条款差异（新增、删除、修改的条款及改动内容）；只给一份文件时，与它所替代或被替代的文件比较。

        Args:
            first: 第一份文件的名称，如「江临市住房公积金提取管理办法」。
            second: 第二份文件的名称；留空则与第一份文件的前身或替代文件比较。
        """
        if not first.strip():
            raise ToolInputError("first is empty; pass a document title such as 江临市住房公积金提取管理办法")
        return _json(compare_by_name(ctx, first[:MAX_QUERY_CHARS], second[:MAX_QUERY_CHARS]))

    return make_tool(compare_documents_tool, "compare_documents")
