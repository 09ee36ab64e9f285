"""Every number the assessment computes, keyed by a stable id.

Ids (the ``hipfirst assess --json`` contract):
``{movement}_n_per_kg_{side}``, ``{movement}_nm_per_kg_{side}``,
``{movement}_pct_bw_{side}``, ``{movement}_lsi_pct``,
``hip_abduction_pct_bwh_{side}``,
``y_balance_{direction}_pct_{side}``, ``y_balance_composite_pct_{side}``,
``y_balance_anterior_asymmetry_cm``, ``y_balance_composite_lsi_pct``,
``hip_{internal|external}_rotation_asymmetry_deg``, ``akps``, ``lefs``,
``worst_pain_nrs``, ``single_leg_squat_poor_count_{side}``,
``video_{task}_{metric}_{side}`` (task with underscores), and from format v2 ``koos_pf``
and the measures of :mod:`hipfirst.core.performance_measures` (absolute hip rotation,
hop tests, step-down, foot posture).

Each measure names how it is obtained (status + sources) and the knowledge-base
measure it is judged against (``measure_ref``). What could not be computed is
listed in ``missing`` with what that means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hipfirst.core import balance, scoring, strength
from hipfirst.core.assessment import AKPS_ITEMS, LEFS_ITEM_COUNT, Assessment
from hipfirst.core.exam_sections import KOOS_PF_ITEM_COUNT
from hipfirst.core.measure_table import MeasureTable
from hipfirst.core.performance_measures import add_performance_measures
from hipfirst.core.report import ReportSide
from hipfirst.core.strength import MOVEMENTS
from hipfirst.core.video_measures import add_video_measures
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.knowledge.vocabulary import SIDES, Side

MOVEMENT_LABELS = {
    "hip_abduction": "Hip abduction",
    "hip_external_rotation": "Hip external rotation",
    "hip_extension": "Hip extension",
    "knee_extension": "Knee extension",
}
NORMALISATION_SOURCES: dict[str, dict[str, list[str]]] = {
    "hip_abduction": {
        "n_per_kg": ["cichanowski_2007"],
        "nm_per_kg": ["fredericson_2000"],
        "pct_bw": ["ijspt_2021_aclr_hip_abduction"],
    },
    "hip_external_rotation": {
        "n_per_kg": ["cichanowski_2007"],
        "nm_per_kg": ["noehren_2014"],
        "pct_bw": ["ireland_2003"],
    },
    "hip_extension": {
        "n_per_kg": ["van_cant_2014"],
        "nm_per_kg": ["van_cant_2014"],
        "pct_bw": ["van_cant_2014"],
    },
    "knee_extension": {
        "n_per_kg": ["bolgla_2016"],
        "nm_per_kg": ["bolgla_2016"],
        "pct_bw": ["bolgla_2016"],
    },
}
"""Per test, the study that measured that movement normalised this way (the formula is
standard mechanics, ``derived``; a hip-abduction paper is never cited for another test)."""
YBT_DIRECTIONS = ("anterior", "posteromedial", "posterolateral")
SLS_CRITERIA = ("overall", "trunk", "pelvis", "hip", "knee")


def compute_measures(assessment: Assessment, video: Sequence[VideoMetrics] = ()) -> MeasureTable:
    """All numbers the file allows; nothing here judges them (see findings)."""
    table = MeasureTable()
    _strength(assessment, table)
    _y_balance(assessment, table)
    _hip_rom(assessment, table)
    _single_leg_squat(assessment, table)
    add_performance_measures(assessment, table)
    _questionnaires(assessment, table)
    table.add(
        "worst_pain_nrs",
        "Worst pain (0-10)",
        assessment.symptoms.worst_pain_nrs,
        "points",
        side=assessment.symptoms.side,
        measure_ref="nprs_mcid_pfp",
        status="published",
        sources=["piva_2009"],
        note="patient-reported",
    )
    for activity, score in assessment.symptoms.pain_during.model_dump().items():
        if score is not None:
            table.add(
                f"pain_during_{activity}",
                f"Pain during {activity.replace('_', ' ')} (0-10)",
                score,
                "points",
                side=assessment.symptoms.side,
                status="published",
                sources=["piva_2009"],
                note="patient-reported",
            )
    add_video_measures(video, table)
    return table


def _strength(assessment: Assessment, table: MeasureTable) -> None:
    tests = assessment.exam.strength_n
    if tests is None:
        table.missing.append(
            "exam.strength_n: no dynamometer strength given, so hip and quadriceps weakness "
            "cannot be judged"
        )
        return
    patient = assessment.patient
    mass = patient.body_mass_kg
    for movement in MOVEMENTS:
        test = getattr(tests, movement)
        label = MOVEMENT_LABELS[movement]
        if test is None:
            table.missing.append(f"exam.strength_n.{movement}: not tested")
            continue
        forces: dict[Side, float] = {}
        for side in SIDES:
            force = getattr(test, side)
            if force is None:
                table.missing.append(
                    f"exam.strength_n.{movement}.{side}: not tested, so no symmetry index"
                )
                continue
            forces[side] = force
            table.add(
                f"{movement}_n_per_kg_{side}",
                f"{label} force / body mass",
                strength.newtons_per_kg(force, mass),
                "N/kg",
                side=side,
                sources=NORMALISATION_SOURCES[movement]["n_per_kg"],
            )
            if test.lever_arm_m is not None:
                table.add(
                    f"{movement}_nm_per_kg_{side}",
                    f"{label} torque / body mass",
                    strength.newton_metres_per_kg(force, test.lever_arm_m, mass),
                    "N·m/kg",
                    side=side,
                    sources=NORMALISATION_SOURCES[movement]["nm_per_kg"],
                )
            table.add(
                f"{movement}_pct_bw_{side}",
                f"{label} force / body weight",
                strength.percent_body_weight(force, mass),
                "% BW",
                side=side,
                measure_ref="hip_abduction_pct_bw_aclr" if movement == "hip_abduction" else None,
                sources=NORMALISATION_SOURCES[movement]["pct_bw"],
            )
            if movement == "hip_abduction" and test.lever_arm_m is not None:
                norm = {
                    "female": "itbs_abduction_torque_controls_female",
                    "male": "itbs_abduction_torque_controls_male",
                }.get(patient.sex)
                table.add(
                    f"hip_abduction_pct_bwh_{side}",
                    "Hip abduction torque / (body weight x height)",
                    strength.percent_body_weight_height(
                        force, test.lever_arm_m, mass, patient.height_cm
                    ),
                    "% BW·h",
                    side=side,
                    measure_ref=norm,
                    sources=["fredericson_2000"],
                )
        if test.lever_arm_m is None:
            table.missing.append(
                f"exam.strength_n.{movement}.lever_arm_m: not given, so no torque (N·m/kg)"
            )
        if len(forces) == 2:
            involved, other, lsi = strength.side_symmetry(assessment.symptoms.side, forces)
            if lsi is None:
                table.missing.append(
                    f"exam.strength_n.{movement}.{other}: 0 N, so no symmetry index"
                )
                continue
            table.add(
                f"{movement}_lsi_pct",
                f"{label} limb symmetry index ({involved} / {other})",
                lsi,
                "%",
                side=involved,
                measure_ref="strength_lsi_pass",
                status="published",
                sources=["gokeler_2017"],
            )


def _y_balance(assessment: Assessment, table: MeasureTable) -> None:
    reaches = assessment.exam.y_balance_cm
    if reaches is None:
        table.missing.append("exam.y_balance_cm: not tested, so dynamic balance cannot be judged")
        return
    lengths = assessment.patient.leg_length_cm
    composites: dict[Side, float] = {}
    for side in SIDES:
        reach = getattr(reaches, side)
        if reach is None:
            table.missing.append(f"exam.y_balance_cm.{side}: not tested")
            continue
        if lengths is None:
            continue
        length = getattr(lengths, side)
        for direction in YBT_DIRECTIONS:
            table.add(
                f"y_balance_{direction}_pct_{side}",
                f"Y-Balance {direction} reach / leg length",
                balance.normalised_reach(getattr(reach, direction), length),
                "% LL",
                side=side,
                status="published",
                sources=["plisky_2006"],
            )
        composites[side] = balance.composite_reach(
            reach.anterior, reach.posteromedial, reach.posterolateral, length
        )
        table.add(
            f"y_balance_composite_pct_{side}",
            "Y-Balance composite reach",
            composites[side],
            "% LL",
            side=side,
            measure_ref="ybt_composite_low",
            status="published",
            sources=["plisky_2006"],
        )
    if lengths is None:
        table.missing.append(
            "patient.leg_length_cm: not given, so Y-Balance reaches cannot be normalised "
            "(only the anterior asymmetry in cm is shown)"
        )
    if reaches.left is not None and reaches.right is not None:
        table.add(
            "y_balance_anterior_asymmetry_cm",
            "Y-Balance anterior reach difference |left - right|",
            balance.anterior_asymmetry(reaches.left.anterior, reaches.right.anterior),
            "cm",
            measure_ref="ybt_anterior_asymmetry",
            status="published",
            sources=["plisky_2006"],
        )
    if len(composites) == 2:
        involved, other, lsi = strength.side_symmetry(assessment.symptoms.side, composites)
        if lsi is not None:
            table.add(
                "y_balance_composite_lsi_pct",
                f"Y-Balance composite symmetry ({involved} / {other})",
                lsi,
                "%",
                side=involved,
                measure_ref="ybt_symmetry_full_sport",
                sources=["ijspt_2022_hip_rts"],
            )


def _hip_rom(assessment: Assessment, table: MeasureTable) -> None:
    rom = assessment.exam.hip_rom_deg
    if rom is None:
        table.missing.append("exam.hip_rom_deg: not measured, so hip mobility cannot be judged")
        return
    for motion in ("internal_rotation", "external_rotation"):
        pair = getattr(rom, motion)
        if pair is None or pair.left is None or pair.right is None:
            table.missing.append(
                f"exam.hip_rom_deg.{motion}: needs both sides for a side-to-side difference"
            )
            continue
        smaller: ReportSide = "left" if pair.left < pair.right else "right"
        table.add(
            f"hip_{motion}_asymmetry_deg",
            f"Hip {motion.replace('_', ' ')} difference |left - right|",
            abs(pair.left - pair.right),
            "deg",
            side=smaller if pair.left != pair.right else None,
            measure_ref="hip_rotation_asymmetry",
            sources=["ijspt_2022_hip_rts"],
        )


def _single_leg_squat(assessment: Assessment, table: MeasureTable) -> None:
    rating = assessment.exam.single_leg_squat_rating
    if rating is None:
        table.missing.append(
            "exam.single_leg_squat_rating: not rated (a video analysis can stand in)"
        )
        return
    for side in SIDES:
        criteria = getattr(rating, side)
        if criteria is None:
            table.missing.append(f"exam.single_leg_squat_rating.{side}: not rated")
            continue
        poor = sum(1 for name in SLS_CRITERIA if getattr(criteria, name) == "poor")
        table.add(
            f"single_leg_squat_poor_count_{side}",
            f"Single-leg squat criteria rated poor (of {len(SLS_CRITERIA)})",
            poor,
            "criteria",
            side=side,
            measure_ref="sls_poor_criteria",
            status="unconfirmed",
            sources=["crossley_2011"],
        )


@dataclass(frozen=True)
class _Questionnaire:
    """How one questionnaire of ``questionnaires.*`` is scored and reported."""

    field: str
    label: str
    total: Callable[[Sequence[int] | None], float | None]
    items: int
    measure_ref: str
    source: str
    status: str = "published"
    optional: bool = False
    """A v2 questionnaire: not listed as missing when absent."""


_QUESTIONNAIRES = (
    _Questionnaire(
        "akps",
        "Anterior Knee Pain Scale (0-100, higher is better)",
        scoring.akps_total,
        len(AKPS_ITEMS),
        "akps_mcid",
        "kujala_1993",
    ),
    _Questionnaire(
        "lefs",
        "Lower Extremity Functional Scale (0-80, higher is better)",
        scoring.lefs_total,
        LEFS_ITEM_COUNT,
        "lefs_mcid",
        "binkley_1999",
    ),
    _Questionnaire(
        "koos_pf",
        "KOOS patellofemoral subscale (0-100, higher is better)",
        scoring.koos_pf_score,
        KOOS_PF_ITEM_COUNT,
        "koos_pf_mic",
        "crossley_2018",
        status="unconfirmed",
        optional=True,
    ),
)


def _questionnaires(assessment: Assessment, table: MeasureTable) -> None:
    """Score each complete questionnaire; say which were not given or are incomplete."""
    for form in _QUESTIONNAIRES:
        answers: list[int] | None = getattr(assessment.questionnaires, form.field)
        score = form.total(answers)
        if score is not None:
            table.add(
                form.field,
                form.label,
                score,
                "points",
                measure_ref=form.measure_ref,
                status=form.status,
                sources=[form.source],
                note=(
                    "standard KOOS transform applied to KOOS-PF (inferred)"
                    if form.status == "unconfirmed"
                    else ""
                ),
            )
        elif answers is None:
            if not form.optional:
                table.missing.append(f"questionnaires.{form.field}: not given")
        else:
            table.missing.append(
                f"questionnaires.{form.field}: incomplete ({len(answers)} of {form.items} "
                "items), not scored"
            )
