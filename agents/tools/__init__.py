"""Agent tools: plain typed functions first, LangChain wrappers built per run in ``langchain_tools``."""

# Domain packages register their tools into TOOL_REGISTRY when imported; importing them here means every
# caller of build_tools sees the full registry.
import agents.briefing.tools  # (summarize_text)
import agents.casework.tools  # (write_casework)
import agents.dataquery.tools  # (query_data, run_sql, describe_tables)
import agents.extraction.tools  # (extract_info)
import agents.forms.tools  # (fill_form)
import agents.gongwen.tools  # (draft_document, check_document)
import agents.minutes.tools  # (write_minutes)
import agents.plans.tools  # (write_plan)
import agents.policies.tools  # (match_policies)
import agents.quality.tools  # (inspect_reply)
import agents.research.tools  # (research_policy, compare_documents)
import agents.review.tools  # (review_submission)
import agents.risk.tools  # (scan_risks)
import agents.stats.tools  # (stats_report)
import agents.tickets.tools  # (classify_ticket, extract_ticket_fields, triage_ticket)
import agents.tracking.tools  # noqa: F401  (track_tasks, extract_tasks)
from agents.tools.langchain_tools import TOOL_REGISTRY, ToolConfig, build_tools, register
from agents.tools.materials import MaterialCheck, MaterialMatch, check_materials, split_materials
from agents.tools.service_guide import ServiceGuide, find_service_guide, parse_service_guide
from agents.tools.workdays import HolidayFileError, WorkdayResult, add_workdays, workdays_between

__all__ = [
    "TOOL_REGISTRY",
    "HolidayFileError",
    "MaterialCheck",
    "MaterialMatch",
    "ServiceGuide",
    "ToolConfig",
    "WorkdayResult",
    "add_workdays",
    "build_tools",
    "check_materials",
    "find_service_guide",
    "parse_service_guide",
    "register",
    "split_materials",
    "workdays_between",
]
