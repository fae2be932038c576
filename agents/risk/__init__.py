"""风险预警员: rule- and score-based alerts over the city-operations data, each with its evidence rows."""

from agents.risk.rules import RiskRule, RiskRules, RiskRulesError, load_rules
from agents.risk.scan import Alert, ScanResult, scan

__all__ = ["Alert", "RiskRule", "RiskRules", "RiskRulesError", "ScanResult", "load_rules", "scan"]
