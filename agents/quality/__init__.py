"""回访质检: a 12345 reply checked against its ticket (答非所问, 避重就轻, missing elements), verdict, 回访 script.

The LangChain tool lives in ``agents.quality.tools`` and registers itself on import.
"""

from agents.quality.inspection import Demand, Inspection, callback_script, inspect_reply, split_ticket_reply

__all__ = ["Demand", "Inspection", "callback_script", "inspect_reply", "split_ticket_reply"]
