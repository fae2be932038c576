"""政策研究员's tools: search with validity notes, and article-by-article comparison of two documents."""

from agents.research.compare import ArticleChange, DocumentComparison, compare_documents, split_articles
from agents.research.lookup import DocumentRef, find_document, predecessor_of, successor_of
from agents.research.research import research_policies

__all__ = [
    "ArticleChange",
    "DocumentComparison",
    "DocumentRef",
    "compare_documents",
    "find_document",
    "predecessor_of",
    "research_policies",
    "split_articles",
    "successor_of",
]
