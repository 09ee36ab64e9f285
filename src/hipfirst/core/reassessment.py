"""Compare a re-assessment with the baseline: which changes are real and important?

A change counts only when it reaches the measure's minimal clinically important
difference (MCID) or minimal detectable change (MDC) from the knowledge base
(``system.md`` §6: AKPS 10, LEFS 9, KOOS-PF 16.4, pain about 1–2 points, strength LSI
MDC 27%). An MCID is a size of *change*, never a threshold for a single score.
Smaller changes are reported as "no meaningful change", not as progress. Pure.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hipfirst.core.report import AssessmentReport
from hipfirst.knowledge.base import KnowledgeBase

Verdict = Literal["improved", "worse", "no_meaningful_change", "not_comparable"]

COMPARISONS: tuple[tuple[str, str, str, Literal["up", "down"]], ...] = (
    ("akps", "Anterior Knee Pain Scale", "akps_mcid", "up"),
    ("lefs", "Lower Extremity Functional Scale", "lefs_mcid", "up"),
    ("koos_pf", "KOOS patellofemoral subscale", "koos_pf_mic", "up"),
    ("worst_pain_nrs", "Worst pain", "nprs_mcid_pfp", "down"),
    ("hip_abduction_lsi_pct", "Hip abduction strength symmetry", "strength_lsi_mdc", "up"),
    (
        "hip_external_rotation_lsi_pct",
        "Hip external rotation strength symmetry",
        "strength_lsi_mdc",
        "up",
    ),
    ("hip_extension_lsi_pct", "Hip extension strength symmetry", "strength_lsi_mdc", "up"),
    ("knee_extension_lsi_pct", "Quadriceps strength symmetry", "strength_lsi_mdc", "up"),
)
"""(report measure id, label, knowledge-base MCID/MDC id, which direction is better)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Change(_Frozen):
    id: str
    label: str
    before: float | None
    after: float | None
    change: float | None
    unit: str
    needed: str = Field(description="e.g. 'MCID 10 points'")
    verdict: Verdict
    measure_id: str
    status: str
    sources: list[str] = Field(min_length=1)


def change_verdict(difference: float, needed: float, better: Literal["up", "down"]) -> Verdict:
    """``improved`` / ``worse`` when the change reaches ``needed`` (the MCID or MDC, in the
    measure's unit) in the better / worse direction, else ``no_meaningful_change``."""
    gain = difference if better == "up" else -difference
    if gain >= needed:
        return "improved"
    if -gain >= needed:
        return "worse"
    return "no_meaningful_change"


def compare_reports(
    baseline: AssessmentReport, follow_up: AssessmentReport, kb: KnowledgeBase
) -> list[Change]:
    """Each comparable measure's change, judged against its MCID or MDC."""
    changes: list[Change] = []
    for measure_id, label, reference_id, better in COMPARISONS:
        reference = kb.measure(reference_id)
        assert reference.value is not None  # mcid/mdc measures always carry a value
        before = baseline.measures.get(measure_id)
        after = follow_up.measures.get(measure_id)
        usable = (
            before is not None and after is not None and not before.doubtful and not after.doubtful
        )
        verdict: Verdict = "not_comparable"
        difference: float | None = None
        if usable:
            assert before is not None and after is not None
            difference = round(after.value - before.value, 2)
            verdict = change_verdict(difference, reference.value, better)
        changes.append(
            Change(
                id=measure_id,
                label=label,
                before=before.value if before is not None else None,
                after=after.value if after is not None else None,
                change=difference,
                unit=reference.unit,
                needed=f"{reference.kind.upper()} {reference.value:g} {reference.unit}",
                verdict=verdict,
                measure_id=reference.id,
                status=str(reference.status),
                sources=list(reference.sources),
            )
        )
    return changes
