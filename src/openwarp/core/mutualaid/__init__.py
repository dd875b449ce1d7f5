"""Mutual aid: matching responders that members lend to the requests of members under attack.

Pure core (no Django). Read an instance with `load_instance`, plan with `solve`,
check any plan with `violations`, and render it with `plan_to_json`.
"""

from openwarp.core.mutualaid.model import SKILLS, Assignment, Instance, Plan
from openwarp.core.mutualaid.parse import instance_from_data, load_instance
from openwarp.core.mutualaid.plan import evaluate, plan_to_json, violations
from openwarp.core.mutualaid.solver import ImpossibleRequest, Method, solve

__all__ = [
    "SKILLS",
    "Assignment",
    "ImpossibleRequest",
    "Instance",
    "Method",
    "Plan",
    "evaluate",
    "instance_from_data",
    "load_instance",
    "plan_to_json",
    "solve",
    "violations",
]
