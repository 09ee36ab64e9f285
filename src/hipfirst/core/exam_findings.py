"""Findings from the absolute measures and the format-v2 examination items.

* ``hip_abduction_norm_low_{side}``: hip abduction torque (% BW·h) below the sex-specific
  norm threshold on that side. Each side is judged on its own, so weakness on *both*
  sides shows even when the symmetry index is normal;
* ``hip_internal_rotation_limited_{side}`` / ``hip_internal_rotation_painful_{side}``:
  absolute range below the ACR limit, or pain on passive internal rotation;
* ``hop_{test}_lsi_low``: hop symmetry below the pass mark;
* ``step_down_poor_{side}``: lateral step-down quality rated poor;
* ``{ober|thomas|hamstring}_tight_{side}``: a flexibility test positive, the only source
  of tightness findings (lateral pain alone is never read as ITB tightness);
* ``foot_pronated_{side}``: Foot Posture Index in the pronated band;
* ``patellar_instability_signs``: dislocation or subluxation history, the AKPS item or a
  positive apprehension test (a differential; the plan adds its precaution).

Thresholds come from the knowledge base. Pure: no I/O.
"""

from __future__ import annotations

from hipfirst.core.assessment import Assessment
from hipfirst.core.clues import Clues
from hipfirst.core.exam_sections import STEP_DOWN_WORST
from hipfirst.core.linked_finding import LinkedFinding, judged, observed, passes
from hipfirst.core.measure_table import MeasureTable
from hipfirst.core.performance_measures import HOP_LABELS, hop_lsi_id
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import HOP_TESTS, SIDES

NORM_THRESHOLD = {
    "female": ("hip_abduction_pct_bwh_low_female", "itbs_abduction_torque_controls_female"),
    "male": ("hip_abduction_pct_bwh_low_male", "itbs_abduction_torque_controls_male"),
}
FLEXIBILITY_TESTS: dict[str, tuple[str, str, str]] = {
    "ober": ("ober", "Ober test: ITB/TFL tight", "itb_tfl_tightness"),
    "thomas": ("thomas", "Thomas test: hip flexors tight", "hip_flexor_tightness"),
    "hamstring_length": ("hamstring", "Hamstring length: tight", "hamstring_tightness"),
}
"""Format field → (finding id stem, label, contributor)."""


def exam_findings(
    assessment: Assessment, table: MeasureTable, kb: KnowledgeBase, clues: Clues
) -> list[LinkedFinding]:
    """Norm-based strength, absolute rotation, hop, step-down, flexibility, foot and
    patellar-instability findings."""
    found: list[LinkedFinding] = []
    found += _abduction_norms(assessment, table, kb)
    found += _internal_rotation(assessment, table, kb)
    found += _hops(table, kb)
    found += _step_down(table, kb)
    found += _flexibility(assessment)
    found += _foot(table, kb)
    found += _instability(clues)
    return found


def _abduction_norms(
    assessment: Assessment, table: MeasureTable, kb: KnowledgeBase
) -> list[LinkedFinding]:
    ids = NORM_THRESHOLD.get(assessment.patient.sex)
    if ids is None:
        return []
    rule, control = kb.measure(ids[0]), kb.measure(ids[1])
    found: list[LinkedFinding] = []
    for side in SIDES:
        computed = table.measures.get(f"hip_abduction_pct_bwh_{side}")
        if computed is None or passes(rule, computed.value):
            continue
        found.append(
            judged(
                f"hip_abduction_norm_low_{side}",
                f"Hip abduction weak against norms on the {side} side",
                computed,
                rule,
                side,
                f"{computed.value:.2f} % BW·h, flagged {rule.describe()} (the injured-side mean "
                f"of runners with ITBS; control runners: {control.describe()}); judged per "
                "side, so weakness on both sides shows even with a normal symmetry index",
                contributors=("hip_abductor_weakness",),
            )
        )
    return found


def _internal_rotation(
    assessment: Assessment, table: MeasureTable, kb: KnowledgeBase
) -> list[LinkedFinding]:
    found: list[LinkedFinding] = []
    limit = kb.measure("hip_internal_rotation_limited_deg")
    for side in SIDES:
        computed = table.measures.get(f"hip_internal_rotation_deg_{side}")
        if computed is not None and not passes(limit, computed.value):
            found.append(
                judged(
                    f"hip_internal_rotation_limited_{side}",
                    f"Limited hip internal rotation on the {side} side",
                    computed,
                    limit,
                    side,
                    f"{computed.value:g} deg of internal rotation, flagged {limit.describe()}: "
                    "examine the hip itself",
                    contributors=("reduced_hip_mobility",),
                )
            )
    rom = assessment.exam.hip_rom_deg
    painful = rom.internal_rotation_painful if rom is not None else None
    if painful is not None:
        for side in SIDES:
            if getattr(painful, side):
                found.append(
                    observed(
                        f"hip_internal_rotation_painful_{side}",
                        f"Pain on hip internal rotation ({side})",
                        side=side,
                        value="painful",
                        unit="test",
                        threshold="pain on passive internal rotation",
                        sources=["altman_1991"],
                        explanation=(
                            "pain on passive hip internal rotation points to the hip joint "
                            "itself: examine the hip"
                        ),
                        contributors=("reduced_hip_mobility",),
                    )
                )
    return found


def _hops(table: MeasureTable, kb: KnowledgeBase) -> list[LinkedFinding]:
    rule = kb.measure("rts_hop_lsi_pass")
    found: list[LinkedFinding] = []
    for test in HOP_TESTS:
        computed = table.measures.get(hop_lsi_id(test))
        if computed is None or passes(rule, computed.value):
            continue
        found.append(
            judged(
                f"hop_{test}_lsi_low",
                f"{HOP_LABELS[test]}: {computed.side} side short of the other",
                computed,
                rule,
                computed.side,
                f"the {computed.side} side reaches {computed.value:.0f}% of the other side",
                contributors=(),
            )
        )
    return found


def _step_down(table: MeasureTable, kb: KnowledgeBase) -> list[LinkedFinding]:
    rule = kb.measure("step_down_poor_score")
    found: list[LinkedFinding] = []
    for side in SIDES:
        computed = table.measures.get(f"step_down_score_{side}")
        if computed is None or passes(rule, computed.value):
            continue
        found.append(
            judged(
                f"step_down_poor_{side}",
                f"Poor lateral step-down on the {side} leg",
                computed,
                rule,
                side,
                f"quality score {computed.value:g} of {STEP_DOWN_WORST} "
                f"(poor above {rule.value:g}): the knee drifts in, the pelvis tilts or the "
                "trunk leans while stepping down",
                contributors=("dynamic_knee_valgus", "hip_abductor_weakness"),
            )
        )
    return found


def _flexibility(assessment: Assessment) -> list[LinkedFinding]:
    tests = assessment.exam.flexibility
    if tests is None:
        return []
    found: list[LinkedFinding] = []
    for field, (stem, label, contributor) in FLEXIBILITY_TESTS.items():
        pair = getattr(tests, field)
        if pair is None:
            continue
        for side in SIDES:
            if getattr(pair, side) == "tight":
                found.append(
                    observed(
                        f"{stem}_tight_{side}",
                        f"{label} ({side})",
                        side=side,
                        value="tight",
                        unit="test",
                        threshold="rated tight by the clinician",
                        sources=["piva_2006"],
                        explanation=(
                            f"the {field.replace('_', ' ')} test was rated tight; muscle length "
                            "tests are reliable in PFP (Piva 2006)"
                        ),
                        contributors=(contributor,),
                    )
                )
    return found


def _foot(table: MeasureTable, kb: KnowledgeBase) -> list[LinkedFinding]:
    rule = kb.measure("foot_posture_pronated")
    found: list[LinkedFinding] = []
    for side in SIDES:
        computed = table.measures.get(f"foot_posture_index_{side}")
        if computed is None or passes(rule, computed.value):
            continue
        found.append(
            judged(
                f"foot_pronated_{side}",
                f"Pronated foot posture ({side})",
                computed,
                rule,
                side,
                f"Foot Posture Index {computed.value:+g}: the foot rolls in when standing",
                contributors=("foot_pronation",),
            )
        )
    return found


def _instability(clues: Clues) -> list[LinkedFinding]:
    lines = [
        line
        for clue in ("patellar_dislocation", "patellar_subluxation", "apprehension_positive")
        for line in clues.get(clue, [])
    ]
    if not lines:
        return []
    return [
        observed(
            "patellar_instability_signs",
            "Signs of patellar instability",
            side=None,
            value="present",
            unit="history/test",
            threshold="dislocation or subluxation history, AKPS item 11, apprehension test",
            sources=["kujala_1993", "willy_2019"],
            explanation="; ".join(lines),
            contributors=(),
        )
    ]
