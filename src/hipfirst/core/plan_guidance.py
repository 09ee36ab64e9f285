"""What every plan says beside the exercises: education, expectations, adjuncts, gait
retraining for runners, load advice per load factor, and the knee range for early phases.

All wording and numbers come from the knowledge base (``data/guidance``,
``data/load_factors``, the prognosis and knee-range measures); each item carries its
evidence status. Pure: no I/O.
"""

from __future__ import annotations

from hipfirst.core.assessment import Assessment
from hipfirst.core.plan import GuidanceItem, Reason
from hipfirst.core.report import AssessmentReport
from hipfirst.core.shown_number import with_status
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.rules_schema import Guidance
from hipfirst.knowledge.schema import Exercise

RUNNING_CADENCE_MEASURE = "video_running_cadence_spm"
"""The step rate the running video analysis measured (``hipfirst assess`` measures)."""


def _item(record: Guidance, extra: str = "") -> GuidanceItem:
    return GuidanceItem(
        id=record.id,
        title=record.title,
        text=f"{extra}{record.text}",
        status=str(record.status),
        sources=list(record.sources),
    )


def education(kb: KnowledgeBase) -> list[GuidanceItem]:
    """Education and self-management: part of every plan."""
    return [_item(record) for record in kb.guidance_of("education")]


def expectations(kb: KnowledgeBase) -> list[Reason]:
    """Realistic expectations: many improve in 6–8 weeks, but PFP often persists."""
    length = kb.measure("programme_length_weeks")
    year = kb.measure("pfp_unfavourable_recovery_12_months")
    later = kb.measure("pfp_unfavourable_recovery_5_8_years")
    return [
        Reason(
            text=(
                f"Many people improve within {length.describe()} of regular exercise "
                f"({length.status}); this is a typical course, not a promise."
            ),
            sources=list(length.sources),
        ),
        Reason(
            text=(
                "Kneecap pain often lasts longer than that: in trials about "
                f"{year.value:g}% still had not recovered well after 12 months "
                f"({year.status}) and about {later.value:g}% after 5-8 years ({later.status}). "
                "Keep the exercises and the load management going after the pain settles."
            ),
            sources=[*year.sources, *later.sources],
        ),
        Reason(
            text=(
                "How quickly you improve depends on how strong your hips are now, how bad "
                "the pain is and how long you have had it, what you want to return to, how "
                "regularly you train and whether you keep doing the things that flare the knee."
            ),
            sources=["seed_003", "collins_2013"],
        ),
        Reason(
            text=(
                "You move to the next phase when its criteria are met (pain, mastery of the "
                "exercises, movement quality), not because a date has passed."
            ),
            sources=["seed_003"],
        ),
    ]


def adjuncts(report: AssessmentReport, kb: KnowledgeBase) -> list[GuidanceItem]:
    """Options a clinician may add, with their evidence; orthoses note a pronated foot."""
    pronated = [f.id for f in report.findings if f.id.startswith("foot_pronated_")]
    items: list[GuidanceItem] = []
    for record in kb.guidance_of("adjunct"):
        extra = ""
        if record.id == "adjunct_foot_orthoses" and pronated:
            extra = f"The assessment found a pronated foot posture ({', '.join(pronated)}). "
        items.append(_item(record, extra))
    return items


def is_runner(assessment: Assessment, goal_id: str) -> bool:
    """A runner: running is one of the activities, or the goal is running."""
    return "running" in assessment.patient.activities or goal_id == "running"


def gait_retraining(report: AssessmentReport, kb: KnowledgeBase) -> list[GuidanceItem]:
    """Cadence +5–10 % from the step rate the running video measured, and a cue for each
    frontal-plane fault a video flagged (hip adduction, pelvic drop, knee valgus, trunk
    lean). Running videos carry no validated cut-off (evidence.md §2.3), so the flags come
    from whichever analysed task has one (single-leg squat, step-down, landing)."""
    rise = kb.measure("gait_cadence_increase_pct")
    assert rise.low is not None and rise.high is not None  # a range (schema)
    measured = report.measures.get(RUNNING_CADENCE_MEASURE)
    items: list[GuidanceItem] = []
    for record in kb.guidance_of("gait_retraining"):
        if record.video_metric is None:
            if measured is not None and not measured.doubtful:
                low = measured.value * (1 + rise.low / 100)
                high = measured.value * (1 + rise.high / 100)
                extra = (
                    f"Your running video measured {measured.value:g} steps a minute: aim for "
                    f"about {low:.0f}-{high:.0f}, {rise.describe()} more ({rise.status}). "
                )
            else:
                extra = (
                    f"Aim for {rise.describe()} more steps a minute than now ({rise.status}); "
                    "a running video (hipfirst analyze --task running) measures your current "
                    "step rate. "
                )
            items.append(_item(record, extra))
            continue
        flagged = [
            f.id
            for f in report.findings
            if f.id.startswith("video_")
            and f.id.endswith("_high")
            and f"_{record.video_metric}_" in f.id
        ]
        if flagged:
            items.append(_item(record, f"The video analysis flagged {', '.join(flagged)}. "))
    return items


def load_advice(report: AssessmentReport, kb: KnowledgeBase, runner: bool) -> list[Reason]:
    """One piece of advice per load-history item reported; running words only for runners."""
    advice: list[Reason] = []
    for finding in report.findings:
        if not finding.id.startswith("load_"):
            continue
        factor = kb.load_factors.get(finding.id.removeprefix("load_"))
        if factor is None:
            continue
        text = factor.advice_runner if runner and factor.advice_runner else factor.advice
        advice.append(Reason(text=text, sources=list(factor.sources)))
    return advice


def knee_range(
    exercise: Exercise, phase: int, last_phase: int, kb: KnowledgeBase
) -> tuple[tuple[int, int], Reason] | None:
    """The early-phase knee flexion range of a knee-bending exercise, and why.

    Closed chain (standing) 0–45°, open chain (seated knee extension) 90–45°, in every
    phase but the last; in the last phase the knee goes deeper as pain allows.
    """
    if not exercise.knee_bending or phase >= last_phase:
        return None
    measure_id = (
        "knee_closed_chain_early_range_deg"
        if exercise.chain == "closed"
        else "knee_open_chain_early_range_deg"
    )
    measure = kb.measure(measure_id)
    assert measure.low is not None and measure.high is not None  # a range (schema)
    bounds = (int(measure.low), int(measure.high))
    reason = Reason(
        text=(
            f"keep the knee bend within {with_status(measure)} of flexion for now: the range "
            "that loads the kneecap least; go deeper in the last phase as pain allows"
        ),
        sources=list(measure.sources),
    )
    return bounds, reason
