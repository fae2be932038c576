"""LangChain tool of the 风险预警员: ``scan_risks`` runs the risk rules (``ToolConfig`` has no rules path yet,
so the packaged 示例 rules) over the city-operations data as of a day. The question's words pick the rules
(清雪 → coverage, 超期 → overdue …; none → all) and a named district narrows the scan.
"""

from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.tools import BaseTool

from agents.cityops import load_catalog
from agents.cityops.runtime import database_path, readable_tables, tool_today
from agents.cityops.seeddata import DISTRICTS
from agents.context import RunContext
from agents.risk.rules import RiskRule, load_rules
from agents.risk.scan import scan
from agents.tools.langchain_tools import ToolConfig, make_tool, parse_date, register

MAX_ALERTS = 20
_AS_OF = re.compile(r"(?:截至|截止到?|到|于)\s*(\d{4}\s*(?:年|-)\s*\d{1,2}\s*(?:月|-)\s*\d{1,2}\s*日?)")


def select_rules(question: str, rules: list[RiskRule]) -> list[RiskRule]:
    """The rules whose words the question uses; all of them when it uses none."""
    chosen = [rule for rule in rules if any(word in question for word in rule.words)]
    return chosen or rules


def risk_report(ctx: RunContext, config: ToolConfig, question: str = "", as_of: str = "") -> dict[str, Any]:
    """Alerts for ``question`` as of ``as_of`` (else today), within the caller's clearance."""
    rules, catalog = load_rules(), load_catalog()
    stated = _AS_OF.search(question)  # 「截至2026年2月10日」 in the question pins the day when as_of is not given
    day = (
        parse_date(as_of or (stated.group(1) if stated else ""), "as_of")
        if as_of.strip() or stated
        else tool_today(config)
    )
    selected = select_rules(question, rules.rules)
    districts = [d for d in DISTRICTS if d in question]
    readable = readable_tables(ctx.caller.effective_clearance)
    result = scan(rules, selected, database_path(config), catalog, readable, day, districts)
    counts: dict[str, int] = {}
    for alert in result.alerts:
        counts[alert.level] = counts.get(alert.level, 0) + 1
    return {
        "found": True,
        "as_of": day.isoformat(),
        "districts": districts,
        "rules": [{"name": r.name, "basis": r.basis} for r in selected],
        "total": len(result.alerts),
        "counts": {level: counts[level] for level in rules.levels if level in counts},
        "alerts": [a.to_dict(catalog) for a in result.alerts[:MAX_ALERTS]],
        "subjects": sorted(a.subject for a in result.alerts),  # every alert, also those not listed in full
        "queries": result.queries,
        "skipped": result.skipped,
    }


@register("scan_risks")
def _scan_risks(ctx: RunContext, config: ToolConfig) -> BaseTool:
    def scan_risks(question: str = "", as_of: str = "") -> str:
        """风险研判预警：按规则扫描城市运行数据（同一地址重复诉求、超期未办结工单、清雪覆盖率不足、不满意率偏高），给出预警等级、评分和证据记录。

        Args:
            question: 用户的问题原文，用于选择规则和区，如「滨江区有哪些重复投诉风险」；不填则运行全部规则。
            as_of: 研判日期，YYYY-MM-DD；不填为今天。
        """
        return json.dumps(risk_report(ctx, config, question, as_of), ensure_ascii=False, default=str)

    return make_tool(scan_risks)
