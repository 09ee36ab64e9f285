"""Small assessment documents for tests to modify (plain dicts, as from YAML), and the
report and plan they give."""

from __future__ import annotations

import copy
from typing import Any

from hipfirst.core.assessment import Assessment, parse_assessment
from hipfirst.core.plan import Plan, Referral
from hipfirst.core.prescription import prescribe
from hipfirst.core.reasoning import assess
from hipfirst.core.report import AssessmentReport
from hipfirst.knowledge.loader import knowledge_base

MINIMAL: dict[str, Any] = {
    "version": 1,
    "date": "2026-11-20",
    "patient": {"age_years": 30, "sex": "female", "body_mass_kg": 60.0, "height_cm": 167},
    "symptoms": {
        "side": "right",
        "location": "anterior",
        "duration_weeks": 8,
        "worst_pain_nrs": 5,
    },
}


def minimal() -> dict[str, Any]:
    """A fresh deep copy of :data:`MINIMAL`."""
    return copy.deepcopy(MINIMAL)


def _merge(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def document(version: int = 2, **sections: Any) -> dict[str, Any]:
    """:data:`MINIMAL` (as format ``version``) with ``sections`` merged in, key by key."""
    data = minimal()
    data["version"] = version
    _merge(data, sections)
    return data


def parsed(data: dict[str, Any]) -> Assessment:
    return parse_assessment(data, "test")


def report_of(data: dict[str, Any]) -> AssessmentReport:
    return assess(parsed(data), knowledge_base())


def plan_of(data: dict[str, Any], weeks: int | None = None) -> Plan | Referral:
    assessment = parsed(data)
    kb = knowledge_base()
    return prescribe(assessment, assess(assessment, kb), kb, weeks=weeks)


def a_plan(data: dict[str, Any]) -> Plan:
    """The plan of ``data`` (fails the test when it is a referral)."""
    result = plan_of(data)
    assert isinstance(result, Plan), result
    return result


def all_ids(plan: Plan) -> list[str]:
    """Every exercise id of every phase (running steps included)."""
    return plan.exercise_ids()
