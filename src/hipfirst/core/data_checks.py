"""Contradictions in the assessment data, flagged for the clinician to check.

Nothing is decided on these; they point at data that cannot all be right:

* ``{test}_involved_stronger``: on the painful side given (left or right), a strength or
  hop symmetry index above ``strength_lsi_contradiction`` (e.g. 125%): is the side, the
  test or the entry wrong?
* ``worst_pain_below_activity_pain``: the worst pain is lower than a pain reported during
  an activity, so one of them is wrong.

Pure: no I/O.
"""

from __future__ import annotations

from hipfirst.core.assessment import Assessment
from hipfirst.core.linked_finding import passes
from hipfirst.core.measure_table import MeasureTable
from hipfirst.core.performance_measures import hop_lsi_id
from hipfirst.core.report import DataCheck
from hipfirst.core.strength import MOVEMENTS
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import HOP_TESTS


def data_checks(assessment: Assessment, table: MeasureTable, kb: KnowledgeBase) -> list[DataCheck]:
    """Every contradiction the data contain (see the module docstring)."""
    checks: list[DataCheck] = []
    symptoms = assessment.symptoms
    if symptoms.side in ("left", "right"):
        rule = kb.measure("strength_lsi_contradiction")
        indexes: list[tuple[str, str, str]] = [
            (m, f"{m}_lsi_pct", f"exam.strength_n.{m}") for m in MOVEMENTS
        ]
        indexes += [
            (
                f"hop_{t}",
                hop_lsi_id(t),
                "exam.side_hop_count" if t == "side" else f"exam.hop_distance_cm.{t}",
            )
            for t in HOP_TESTS
        ]
        for name, measure_id, field in indexes:
            computed = table.measures.get(measure_id)
            if computed is None or passes(rule, computed.value):
                continue
            checks.append(
                DataCheck(
                    id=f"{name}_involved_stronger",
                    message=(
                        f"{computed.label}: the painful ({symptoms.side}) side reaches "
                        f"{computed.value:g}% of the other side ({rule.describe()} "
                        f"contradicts the painful side): check the side, the test and the "
                        "numbers entered"
                    ),
                    fields=["symptoms.side", field],
                )
            )
    worst = symptoms.worst_pain_nrs
    higher = {
        name: score
        for name, score in symptoms.pain_during.model_dump().items()
        if score is not None and score > worst
    }
    if higher:
        activities = ", ".join(f"{name} {score:g}/10" for name, score in higher.items())
        checks.append(
            DataCheck(
                id="worst_pain_below_activity_pain",
                message=(
                    f"worst pain {worst:g}/10 is lower than the pain during {activities}: "
                    "check which rating is right"
                ),
                fields=[
                    "symptoms.worst_pain_nrs",
                    *(f"symptoms.pain_during.{name}" for name in higher),
                ],
            )
        )
    return checks
