"""12345 工单分拣: a configurable taxonomy, deterministic classification and routing, field extraction.

The LangChain tools live in ``agents.tickets.tools`` and register themselves on import.
"""

from agents.tickets.fields import FieldSpan, TicketFields, extract_ticket_fields
from agents.tickets.taxonomy import Taxonomy, TaxonomyError, load_taxonomy
from agents.tickets.triage import Candidate, TicketClassification, classify_ticket

__all__ = [
    "Candidate",
    "FieldSpan",
    "Taxonomy",
    "TaxonomyError",
    "TicketClassification",
    "TicketFields",
    "classify_ticket",
    "extract_ticket_fields",
    "load_taxonomy",
]
