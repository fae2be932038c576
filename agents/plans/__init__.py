"""预案编制员: 预案 from the skeleton, using only units of the org table and resources of the inventory."""

from agents.plans.hazards import Hazard, HazardBook, HazardFileError, load_hazards
from agents.plans.writer import UnitCheck, requested_units, write_plan

__all__ = ["Hazard", "HazardBook", "HazardFileError", "UnitCheck", "load_hazards", "requested_units", "write_plan"]
