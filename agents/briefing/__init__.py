"""摘要/简报: extractive structured summaries of 工单, reports and 值班日志 with a length limit and a numeric
faithfulness check (every number in the output appears in the source).

The LangChain tool lives in ``agents.briefing.tools`` and registers itself on import.
"""

from agents.briefing.faithfulness import numbers_in, unfaithful_numbers
from agents.briefing.summary import Briefing, detect_kind, split_request, summarize

__all__ = ["Briefing", "detect_kind", "numbers_in", "split_request", "summarize", "unfaithful_numbers"]
