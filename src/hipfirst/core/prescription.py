"""From an assessment and its report to a phased, personalised plan (or a referral).

Rules (``system.md`` §5, seed 003, evidence.md §9):

* a red flag (``report.screening.refer``) gives a :class:`Referral` (urgency first),
  never a plan;
* three phases with the knowledge base's typical weeks and advancement criteria; phase 3
  follows the person's goal and capacity (:mod:`hipfirst.core.goals`: the goal's aim, no
  impact work unless the goal calls for it, the age rule, precautions until cleared);
* hip **and** knee (quadriceps) work in every phase (hip + knee beats knee-only);
* exercises chosen for the contributors the report found, in its order; lateral
  pain (ITBS pattern) always gets progressive hip-abductor strengthening
  (:mod:`hipfirst.core.selection`);
* runners get a running step in phases 2 and 3 (a separate session);
* high pain irritability: easier variants in phase 1 and lower volume (the lowest
  set count) in every phase but the last;
* only exercises whose equipment the patient has; 4–6 exercises per home session
  (fewer when sessions are short);
* every dosage clamped into the knowledge-base ranges (:mod:`hipfirst.core.dosage`);
  the session is timed and fitted to the minutes given (:mod:`hipfirst.core.session_time`);
  knee-bending exercises keep to the low-load knee range before the last phase;
* education, expectations, adjuncts, load advice per load factor and, for runners, gait
  retraining and a graded return to running (:mod:`hipfirst.core.plan_guidance`,
  :mod:`hipfirst.core.running_return`); every choice says why.

Pure: no I/O. Every number comes from the knowledge base with its status.
"""

from __future__ import annotations

from hipfirst.core.assessment import Assessment
from hipfirst.core.dosage import (
    exercises_per_session,
    highest_pain,
    is_irritable,
    plan_weeks,
    planned_exercise,
    sessions_per_week,
    whole_range,
)
from hipfirst.core.exercise_evidence import activation_reasons
from hipfirst.core.exercise_rules import running_chain
from hipfirst.core.goals import PlanLimits, plan_limits
from hipfirst.core.plan import (
    Criterion,
    Plan,
    PlannedExercise,
    PlanPhase,
    Reason,
    Referral,
)
from hipfirst.core.plan_guidance import (
    adjuncts,
    education,
    expectations,
    gait_retraining,
    is_runner,
    knee_range,
    load_advice,
)
from hipfirst.core.referrals import URGENCY_ADVICE
from hipfirst.core.report import AssessmentReport
from hipfirst.core.running_return import running_return
from hipfirst.core.selection import (
    PAIN_SOURCES,
    Choice,
    PatientProfile,
    contributor_reason,
    ease,
    is_hip_work,
    is_knee_work,
    select_phase,
)
from hipfirst.core.session_time import fit_session
from hipfirst.core.shown_number import shown, with_status
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise, Phase

ITBS_SOURCES = ["josr_2020_itbs_pilot", "fredericson_2000", "beers_2008"]
RUNNING_SOURCES = ["esculier_2018", "seed_003"]

NO_PROGRAMME = "hipfirst gives no exercise programme when the screening finds a reason to refer."
REFERRAL_ADVICE = (
    f"Please see a doctor or physiotherapist before starting exercises. {NO_PROGRAMME}"
)
"""The advice of a referral without a known urgency."""

DOSAGE_MEASURES = (
    "programme_sessions_per_week",
    "programme_sets",
    "programme_reps",
    "programme_intensity_pct_max",
    "programme_length_weeks",
    "programme_isometric_hold_s",
    "programme_stretch_hold_s",
    "progression_mastery_reps",
    "progression_mastery_sessions",
    "progression_fatigue_effort",
    "progression_acsm_extra_reps",
    "progression_acsm_load_increase_pct",
)
"""The dosage and progression numbers every plan lists (``dosage_rules``)."""

PAIN_MEASURES = (
    "pain_zone_safe",
    "pain_zone_acceptable",
    "pain_zone_unacceptable",
    "pain_next_morning_rise",
)
"""The pain-monitoring numbers every plan lists (``pain_monitoring``)."""


def _planned(
    patient: PatientProfile, choice: Choice, sessions: int, *, lower_volume: bool
) -> PlannedExercise:
    exercise = choice.exercise
    reasons = [*choice.reasons, *activation_reasons(exercise, patient.kb)]
    return planned_exercise(exercise, patient.kb, sessions, reasons, lower_volume=lower_volume)


def _phase_weeks(phase: Phase, total_weeks: int, last: bool) -> tuple[int, int]:
    first = min(phase.first_week, total_weeks)
    end = (
        max(total_weeks, first) if last and phase.open_ended else min(phase.last_week, total_weeks)
    )
    return first, max(first, end)


def _contributor_ids(assessment: Assessment, report: AssessmentReport) -> list[str]:
    """Contributor ids to address, in the report's order; lateral pain puts hip
    abductor strengthening first (ITBS: progressive hip strengthening)."""
    ids = [contributor.id for contributor in report.contributors]
    if assessment.symptoms.location == "lateral":
        ids = ["hip_abductor_weakness", *(i for i in ids if i != "hip_abductor_weakness")]
    return ids


def _notes(patient: PatientProfile, report: AssessmentReport, worst: float) -> list[Reason]:
    kb = patient.kb
    notes: list[Reason] = []
    if report.hip_origin.suspected:
        detail = "; ".join(report.hip_origin.reasons)
        notes.append(
            Reason(
                text=(
                    "The pain may come from the hip itself: have the hip examined by a "
                    f"clinician alongside this programme ({detail})."
                ),
                sources=["willy_2019"],
            )
        )
    if patient.irritable:
        sets = kb.measure("programme_sets")
        notes.append(
            Reason(
                text=(
                    f"Pain is currently high ({worst:g}/10): the plan starts with easier "
                    f"variants and {whole_range(kb, 'programme_sets')[0]} sets, the bottom of "
                    f"the range {with_status(sets)}; keep exercise pain in the "
                    "safe or acceptable zone."
                ),
                sources=list(PAIN_SOURCES),
            )
        )
    if patient.assessment.symptoms.location == "lateral":
        notes.append(
            Reason(
                text=(
                    "Outer-knee pain (ITB pattern): progressive hip strengthening is the "
                    "backbone of the plan; stretching alone did less in a trial of runners."
                ),
                sources=list(ITBS_SOURCES),
            )
        )
    notes.extend(Reason(text=note, sources=["willy_2019"]) for note in patient.limits.notes)
    notes.extend(
        load_advice(report, kb, is_runner(patient.assessment, patient.limits.goal.goal.id))
    )
    return notes


def _running_step(patient: PatientProfile, step: Exercise, sessions: int) -> PlannedExercise:
    """A runner's step of the running progression: a separate session, its own dosage."""
    reasons = [
        Reason(
            text=(
                "you run: a graded return (walk-run intervals, then continuous running), "
                "distance first, then speed and hills, keeping pain in the safe zone"
            ),
            sources=list(RUNNING_SOURCES),
        )
    ]
    if "load_management_error" in patient.contributors:
        reasons.append(contributor_reason(patient, "load_management_error"))
    return _planned(patient, Choice(step, reasons), sessions, lower_volume=False)


def _referral(report: AssessmentReport) -> Referral:
    screening = report.screening
    reasons = list(screening.reasons) or ["the screening advised referral"]
    urgency = screening.urgency
    advice = f"{URGENCY_ADVICE[urgency]} {NO_PROGRAMME}" if urgency else REFERRAL_ADVICE
    return Referral(
        reasons=reasons, advice=advice, urgency=urgency, referrals=list(screening.referrals)
    )


def _with_knee_range(
    planned: PlannedExercise, exercise: Exercise, phase: int, last: int, kb: KnowledgeBase
) -> PlannedExercise:
    found = knee_range(exercise, phase, last, kb)
    if found is None:
        return planned
    bounds, reason = found
    sources = list(dict.fromkeys([*planned.sources, *reason.sources]))
    return planned.model_copy(
        update={"knee_range_deg": bounds, "why": [*planned.why, reason], "sources": sources}
    )


def _phase_aim(phase: Phase, last: bool, limits: PlanLimits) -> str:
    """The knowledge base's aim, or for the last phase the goal's."""
    return limits.goal.goal.phase3_aim if last else phase.aim


def prescribe(
    assessment: Assessment,
    report: AssessmentReport,
    kb: KnowledgeBase,
    *,
    weeks: int | None = None,
) -> Plan | Referral:
    """A phased hip + knee plan for this patient, or a referral (no programme)."""
    if report.screening.refer:
        return _referral(report)
    total_weeks = plan_weeks(weeks, kb)
    irritable = is_irritable(assessment, kb)
    worst = highest_pain(assessment)
    limits = plan_limits(assessment, report, kb)
    patient = PatientProfile(
        kb=kb,
        assessment=assessment,
        irritable=irritable,
        contributor_ids=_contributor_ids(assessment, report),
        contributors={contributor.id: contributor for contributor in report.contributors},
        limits=limits,
    )
    count = exercises_per_session(assessment.patient.minutes_per_session, kb)
    sessions = sessions_per_week(irritable, kb)
    running_steps = running_chain(kb, patient.fits)
    phases: list[PlanPhase] = []
    previous: set[str] = set()
    used_running: set[str] = set()
    ordered = kb.ordered_phases()
    last_number = ordered[-1].number

    def knee(exercise_id: str) -> bool:
        return is_knee_work(kb.exercise(exercise_id))

    def hip(exercise_id: str) -> bool:
        return is_hip_work(kb.exercise(exercise_id))

    for position, phase in enumerate(ordered):
        chosen = select_phase(patient, phase.number, count, previous)
        if irritable and phase.number == 1:
            chosen = ease(patient, chosen, worst)
        lower_volume = irritable and phase.number < len(ordered)
        exercises = [
            _with_knee_range(
                _planned(patient, choice, sessions, lower_volume=lower_volume),
                choice.exercise,
                phase.number,
                last_number,
                kb,
            )
            for choice in chosen
        ]
        fitted = fit_session(
            exercises, assessment.patient.minutes_per_session, kb, is_knee=knee, is_hip=hip
        )
        running = next(
            (
                step
                for step in running_steps
                if phase.number in step.phases and step.id not in used_running
            ),
            None,
        )
        if running is not None:
            used_running.add(running.id)
        last = position == len(ordered) - 1
        phases.append(
            PlanPhase(
                number=phase.number,
                name=phase.name,
                weeks=_phase_weeks(phase, total_weeks, last),
                aim=_phase_aim(phase, last, limits),
                advance_when=[
                    Criterion.model_validate(criterion.model_dump())
                    for criterion in phase.advance_when
                ],
                exercises=fitted.exercises,
                running=_running_step(patient, running, sessions) if running else None,
                sources=list(phase.sources),
                session_minutes=fitted.minutes,
                shortened=fitted.shortened,
            )
        )
        previous = {exercise.id for exercise in fitted.exercises}
    runner = bool(running_steps) and is_runner(assessment, limits.goal.goal.id)
    return Plan(
        side=report.involved_side,
        total_weeks=total_weeks,
        sessions_per_week=sessions,
        irritable=irritable,
        equipment=list(assessment.patient.equipment),
        activities=list(assessment.patient.activities),
        phases=phases,
        dosage_rules=[shown(kb.measure(measure_id)) for measure_id in DOSAGE_MEASURES],
        pain_monitoring=[shown(kb.measure(measure_id)) for measure_id in PAIN_MEASURES],
        expectations=expectations(kb),
        notes=_notes(patient, report, worst),
        goal=limits.goal.goal.id,
        goal_reason=limits.goal.reason,
        education=education(kb),
        adjuncts=adjuncts(report, kb),
        gait_retraining=gait_retraining(report, kb) if runner else [],
        precautions=list(limits.precautions),
        excluded_load_types=sorted(limits.excluded_load_types),
        excluded_exercises=sorted(limits.excluded_exercises),
        running_return=(
            running_return(running_steps, assessment.patient.weekly_running_km, kb)
            if runner
            else None
        ),
    )
