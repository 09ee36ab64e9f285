"""From an assessment and its report to a phased, personalised programme.

Rules (``system.md`` §5, seed 003, evidence.md §9):

* a red flag (``report.screening.refer``) gives a :class:`Referral`, never a plan;
* three phases with the knowledge base's typical weeks and advancement criteria;
* hip **and** knee (quadriceps) work in every phase (hip + knee beats knee-only);
* exercises chosen for the contributors the report found, in its order; lateral
  pain (ITBS pattern) always gets progressive hip-abductor strengthening;
* runners get a running step in phases 2 and 3 (a separate session);
* high pain irritability: easier variants in phase 1 and the lowest set count;
* only exercises whose equipment the patient has; 4–6 exercises per home session
  (fewer when sessions are short);
* every dosage clamped into the knowledge-base ranges; every choice says why.

Pure: no I/O. Every number comes from the knowledge base with its status.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from hipfirst.core.assessment import Assessment
from hipfirst.core.plan import (
    Criterion,
    Plan,
    PlannedExercise,
    PlanPhase,
    Reason,
    Referral,
    ShownNumber,
)
from hipfirst.core.report import AssessmentReport, ContributorResult
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise, Measure, Muscle, Phase

HIP_MUSCLES: frozenset[Muscle] = frozenset(
    {
        "gluteus_medius",
        "gluteus_maximus",
        "gluteus_minimus",
        "hip_external_rotators",
        "hip_abductors",
        "hip_extensors",
    }
)
"""Target muscles that make an exercise count as hip work."""

KNEE_MUSCLES: frozenset[Muscle] = frozenset({"quadriceps", "vastus_medialis"})
"""Target muscles that make an exercise count as knee (quadriceps) work."""

FLEXIBILITY_LOADS = frozenset({"stretch", "mobility"})
FLEXIBILITY_CONTRIBUTORS = frozenset({"soft_tissue_tightness", "reduced_hip_mobility"})
CORE_HIP_TARGETS = (
    "hip_abductor_weakness",
    "hip_external_rotator_weakness",
    "hip_extensor_weakness",
)
"""The hip impairments a hip-first programme trains even when none was measured."""

HIP_PLUS_KNEE_SOURCES = ["collins_2018", "crossley_2016b", "nascimento_2018"]
CORE_HIP_SOURCES = ["collins_2018", "khayambashi_2012", "ferber_2015"]
ITBS_SOURCES = ["josr_2020_itbs_pilot", "fredericson_2000", "beers_2008"]
RUNNING_SOURCES = ["esculier_2018", "seed_003"]
PAIN_SOURCES = ["silbernagel_2007"]

REFERRAL_ADVICE = (
    "Please see a doctor or physiotherapist before starting exercises. "
    "hipfirst gives no exercise programme when the screening finds a reason to refer."
)


def shown(measure: Measure) -> ShownNumber:
    """A knowledge-base measure as a number with status and sources."""
    return ShownNumber(
        measure_id=measure.id,
        label=measure.name,
        text=measure.describe(),
        status=str(measure.status),
        sources=list(measure.sources),
    )


def _range(kb: KnowledgeBase, measure_id: str) -> tuple[int, int]:
    measure = kb.measure(measure_id)
    assert measure.low is not None and measure.high is not None  # kind 'range' guarantees it
    return int(measure.low), int(measure.high)


def _value(kb: KnowledgeBase, measure_id: str) -> float:
    measure = kb.measure(measure_id)
    assert measure.value is not None  # every non-range kind has a value
    return measure.value


def _clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


def _label(kb: KnowledgeBase, measure_id: str) -> str:
    """``3–5 sessions/week (published)``: a number with its status for sentences."""
    measure = kb.measure(measure_id)
    return f"{measure.describe()} ({measure.status})"


# --- patient-level decisions ---------------------------------------------------------


def programme_weeks(weeks: int | None, kb: KnowledgeBase) -> int:
    """Total weeks: the requested number, or the top of the typical 6–8 weeks."""
    allowed = _range(kb, "programme_weeks_allowed")
    if weeks is None:
        return _range(kb, "programme_length_weeks")[1]
    if (
        isinstance(weeks, bool)
        or not isinstance(weeks, int)
        or not (allowed[0] <= weeks <= allowed[1])
    ):
        raise InputValidationError(
            "plan",
            [
                FieldError(
                    "weeks", f"must be a whole number between {allowed[0]} and {allowed[1]}", weeks
                )
            ],
        )
    return weeks


def highest_pain(assessment: Assessment) -> float:
    """Worst pain (0–10) from the worst rating and every activity rating given."""
    during = assessment.symptoms.pain_during.model_dump()
    ratings = [float(value) for value in during.values() if value is not None]
    return max([float(assessment.symptoms.worst_pain_nrs), *ratings])


def is_irritable(assessment: Assessment, kb: KnowledgeBase) -> bool:
    """High irritability: some pain rating is in the unacceptable zone (> 5/10)."""
    return highest_pain(assessment) > _value(kb, "pain_zone_unacceptable")


def exercises_per_session(minutes: float | None, kb: KnowledgeBase) -> int:
    """4–6 exercises: the fewest for short sessions, the most for long ones."""
    low, high = _range(kb, "programme_exercises_per_session")
    if minutes is None:
        return (low + high) // 2
    if minutes < _value(kb, "programme_short_session_minutes"):
        return low
    if minutes >= _value(kb, "programme_long_session_minutes"):
        return high
    return (low + high) // 2


def sessions_per_week(irritable: bool, kb: KnowledgeBase) -> int:
    """The bottom of the range while pain is irritable, otherwise its middle."""
    low, high = _range(kb, "programme_sessions_per_week")
    return low if irritable else (low + high) // 2


def is_available(exercise: Exercise, equipment: Iterable[str]) -> bool:
    """The patient has every piece of equipment the exercise needs ('none' needs nothing)."""
    return set(exercise.equipment) - {"none"} <= set(equipment)


def suits_activities(exercise: Exercise, activities: Iterable[str]) -> bool:
    """Activity-specific exercises (running, cutting) only for people who do them."""
    return not exercise.activities or bool(set(exercise.activities) & set(activities))


# --- dosage --------------------------------------------------------------------------


@dataclass(frozen=True)
class Dose:
    sets: int
    reps: int | None
    hold_s: int | None


def dose(exercise: Exercise, kb: KnowledgeBase, *, irritable: bool) -> Dose:
    """The exercise's default dosage, clamped into the knowledge-base ranges.

    Running steps keep their own dosage (intervals and minutes are not sets × reps).
    """
    default = exercise.dosage
    if exercise.load_type == "running":
        return Dose(default.sets, default.reps, default.hold_s)
    set_range = _range(kb, "programme_sets")
    sets = set_range[0] if irritable else _clamp(default.sets, set_range)
    if default.reps is not None:
        return Dose(sets, _clamp(default.reps, _range(kb, "programme_reps")), None)
    assert default.hold_s is not None  # Dosage guarantees reps or hold_s
    hold_range = (
        "programme_stretch_hold_s"
        if exercise.load_type == "stretch"
        else ("programme_isometric_hold_s")
    )
    return Dose(sets, None, _clamp(default.hold_s, _range(kb, hold_range)))


# --- exercise selection ----------------------------------------------------------------


def _source_label(kb: KnowledgeBase, reference_id: str) -> str:
    reference = kb.references.get(reference_id)
    return reference.short() if reference is not None else reference_id


def activation_reasons(exercise: Exercise, kb: KnowledgeBase) -> list[Reason]:
    """EMG evidence for an exercise, each number with its status and source."""
    reasons: list[Reason] = []
    for row in exercise.activation:
        spread = f" ± {row.sd:g}" if row.sd is not None else ""
        muscle = row.muscle.replace("_", " ")
        reasons.append(
            Reason(
                text=(
                    f"{muscle} activity {row.pct_mvic:g}{spread} %MVIC "
                    f"({row.status}; {_source_label(kb, row.source)})"
                ),
                sources=[row.source],
            )
        )
    if exercise.gluteal_tfl_index is not None:
        index = exercise.gluteal_tfl_index
        reasons.append(
            Reason(
                text=(
                    f"gluteal-to-TFL activation index {index.value:g} "
                    f"({index.status}; {_source_label(kb, index.source)})"
                ),
                sources=[index.source],
            )
        )
    return reasons


def _peak_activation(exercise: Exercise) -> float:
    published = [row.pct_mvic for row in exercise.activation if row.status == "published"]
    return max(published, default=0.0)


def _rank_key(
    exercise: Exercise, phase: int, targets: Sequence[str], previous: set[str]
) -> tuple[int, int, int, int, float, float, str]:
    """Prefer exercises that belong to this phase first, are new, have the first
    target as their main purpose (listed first in ``addresses``), address more of
    the patient's contributors, and have stronger published activation evidence."""
    addressed = sum(1 for target in targets if target in exercise.addresses)
    index = exercise.gluteal_tfl_index.value if exercise.gluteal_tfl_index else 0.0
    main = targets[0] if targets else ""
    position = exercise.addresses.index(main) if main in exercise.addresses else 99
    return (
        -int(min(exercise.phases) == phase),
        -int(exercise.id not in previous),
        position,
        -addressed,
        -_peak_activation(exercise),
        -index,
        exercise.id,
    )


def _is_hip(exercise: Exercise) -> bool:
    return bool(HIP_MUSCLES & set(exercise.target_muscles)) and exercise.region != "knee"


def _is_knee(exercise: Exercise) -> bool:
    return bool(KNEE_MUSCLES & set(exercise.target_muscles)) and exercise.region == "knee"


@dataclass
class _Choice:
    exercise: Exercise
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class _Context:
    kb: KnowledgeBase
    assessment: Assessment
    report: AssessmentReport
    irritable: bool
    targets: list[str]
    contributors: dict[str, ContributorResult]

    @property
    def equipment(self) -> list[str]:
        return list(self.assessment.patient.equipment)

    @property
    def activities(self) -> list[str]:
        return list(self.assessment.patient.activities)

    def eligible(self, exercise: Exercise) -> bool:
        return is_available(exercise, self.equipment) and suits_activities(
            exercise, self.activities
        )


def _contributor_reason(ctx: _Context, contributor_id: str) -> Reason:
    found = ctx.contributors.get(contributor_id)
    if found is not None:
        sides = f" ({', '.join(found.sides)})" if found.sides else ""
        evidence = ", ".join(found.evidence)
        known_sources = ctx.kb.contributors.get(contributor_id)
        sources = found.sources or (known_sources.sources if known_sources else [])
        return Reason(
            text=f"addresses {found.name.lower()}{sides}, found from: {evidence}",
            sources=list(sources),
        )
    known = ctx.kb.contributors.get(contributor_id)
    name = known.name.lower() if known is not None else contributor_id.replace("_", " ")
    return Reason(
        text=f"core hip strengthening ({name}) that hip-focused knee programmes include",
        sources=list(CORE_HIP_SOURCES),
    )


def _pool(ctx: _Context, phase: int) -> list[Exercise]:
    """Home exercises for this phase the patient can do (running steps excluded)."""
    allow_flexibility = bool(FLEXIBILITY_CONTRIBUTORS & set(ctx.targets))
    return [
        exercise
        for exercise in sorted(ctx.kb.exercises.values(), key=lambda item: item.id)
        if phase in exercise.phases
        and exercise.load_type != "running"
        and ctx.eligible(exercise)
        and (allow_flexibility or exercise.load_type not in FLEXIBILITY_LOADS)
    ]


def _best(
    candidates: Iterable[Exercise], phase: int, targets: Sequence[str], previous: set[str]
) -> Exercise | None:
    ranked = sorted(candidates, key=lambda item: _rank_key(item, phase, targets, previous))
    return ranked[0] if ranked else None


def relatives(exercise: Exercise, kb: KnowledgeBase, depth: int = 2) -> set[str]:
    """Ids within ``depth`` steps along the easier or the harder chain: variants of one
    exercise, which a session should not contain twice."""
    found: set[str] = set()
    for direction in ("easier", "harder"):
        frontier = [exercise]
        for _ in range(depth):
            step: list[Exercise] = []
            for item in frontier:
                for other_id in getattr(item, direction):
                    other = kb.exercises.get(other_id)
                    if other is not None and other.id not in found:
                        found.add(other.id)
                        step.append(other)
            frontier = step
    found.discard(exercise.id)
    return found


def _select_phase(ctx: _Context, phase: int, count: int, previous: set[str]) -> list[_Choice]:
    """Choose ``count`` exercises: one knee exercise, then one per contributor in the
    report's order, then core hip strengthening; at least one hip exercise."""
    pool = _pool(ctx, phase)
    chosen: list[_Choice] = []

    def taken(exercise: Exercise) -> bool:
        """Already chosen, or a variant of a chosen exercise."""
        return any(
            choice.exercise.id == exercise.id or exercise.id in relatives(choice.exercise, ctx.kb)
            for choice in chosen
        )

    knee = _best((item for item in pool if _is_knee(item)), phase, ctx.targets, previous)
    if knee is not None:
        reasons = [
            Reason(
                text="knee (quadriceps) work in every phase: hip plus knee exercise "
                "reduces pain more than knee exercise alone",
                sources=list(HIP_PLUS_KNEE_SOURCES),
            )
        ]
        reasons.extend(
            _contributor_reason(ctx, target) for target in ctx.targets if target in knee.addresses
        )
        chosen.append(_Choice(knee, reasons))

    for target in ctx.targets:
        if len(chosen) >= count:
            break
        flexibility = target in FLEXIBILITY_CONTRIBUTORS
        candidates = [
            item
            for item in pool
            if target in item.addresses
            and not taken(item)
            and (flexibility or item.load_type not in FLEXIBILITY_LOADS)
        ]
        pick = _best(candidates, phase, [target, *ctx.targets], previous)
        if pick is None:
            continue
        chosen.append(_Choice(pick, [_contributor_reason(ctx, target)]))

    while len(chosen) < count:
        candidates = [
            item
            for item in pool
            if _is_hip(item) and not taken(item) and item.load_type not in FLEXIBILITY_LOADS
        ]
        pick = _best(candidates, phase, [*CORE_HIP_TARGETS, *ctx.targets], previous)
        if pick is None:
            break
        covered = [target for target in CORE_HIP_TARGETS if target in pick.addresses]
        chosen.append(
            _Choice(
                pick, [_contributor_reason(ctx, covered[0] if covered else CORE_HIP_TARGETS[0])]
            )
        )

    if len(chosen) < count:
        # Few eligible exercises (little equipment): allow variants of chosen exercises,
        # then exercises of the previous phase, so a session still has the minimum count.
        chosen_ids = {choice.exercise.id for choice in chosen}
        wider = [
            item
            for item in ctx.kb.exercises.values()
            if (phase - 1) in item.phases
            and item.load_type != "running"
            and item.load_type not in FLEXIBILITY_LOADS
            and ctx.eligible(item)
        ]
        for candidates in (pool, wider):
            while len(chosen) < count:
                options = [
                    item
                    for item in candidates
                    if item.id not in chosen_ids and item.load_type not in FLEXIBILITY_LOADS
                ]
                pick = _best(options, phase, [*ctx.targets, *CORE_HIP_TARGETS], previous)
                if pick is None:
                    break
                chosen_ids.add(pick.id)
                covered = [t for t in (*ctx.targets, *CORE_HIP_TARGETS) if t in pick.addresses]
                reason = _contributor_reason(ctx, covered[0] if covered else CORE_HIP_TARGETS[0])
                chosen.append(_Choice(pick, [reason]))

    if not any(_is_hip(choice.exercise) for choice in chosen):
        hip = _best(
            (item for item in pool if _is_hip(item) and not taken(item)),
            phase,
            CORE_HIP_TARGETS,
            previous,
        )
        if hip is not None:
            reason = _contributor_reason(ctx, CORE_HIP_TARGETS[0])
            if len(chosen) >= count:
                chosen[-1] = _Choice(hip, [reason])
            else:
                chosen.append(_Choice(hip, [reason]))

    for choice in chosen:
        targets_met = [t for t in ctx.targets if t in choice.exercise.addresses]
        for target in targets_met:
            reason = _contributor_reason(ctx, target)
            if reason not in choice.reasons:
                choice.reasons.append(reason)
    return chosen


def _ease(ctx: _Context, chosen: list[_Choice], worst: float) -> list[_Choice]:
    """Irritable pain: swap each exercise for its first easier variant the patient can do,
    unless that variant is (or is one step from) another exercise of the session."""
    eased = list(chosen)
    unacceptable = _label(ctx.kb, "pain_zone_unacceptable")
    for position, choice in enumerate(chosen):
        others = [other.exercise for index, other in enumerate(eased) if index != position]
        replacement = next(
            (
                ctx.kb.exercise(easier_id)
                for easier_id in choice.exercise.easier
                if ctx.eligible(ctx.kb.exercise(easier_id))
                and all(
                    easier_id != other.id and easier_id not in relatives(other, ctx.kb, depth=1)
                    for other in others
                )
            ),
            None,
        )
        if replacement is None:
            continue
        reason = Reason(
            text=(
                f"easier variant of {choice.exercise.name.lower()} because pain reaches "
                f"{worst:g}/10 (unacceptable zone {unacceptable})"
            ),
            sources=list(PAIN_SOURCES),
        )
        eased[position] = _Choice(replacement, [*choice.reasons, reason])
    return eased


def _running_chain(ctx: _Context) -> list[Exercise]:
    """The running progression from its first step (no easier variant) onwards."""
    running = [
        item
        for item in ctx.kb.exercises.values()
        if item.load_type == "running" and ctx.eligible(item)
    ]
    roots = sorted((item for item in running if not item.easier), key=lambda item: item.id)
    chain: list[Exercise] = []
    current = roots[0] if roots else None
    while current is not None and current not in chain:
        chain.append(current)
        following = [ctx.kb.exercise(next_id) for next_id in current.harder]
        current = next((item for item in following if ctx.eligible(item)), None)
    return chain


def _planned(ctx: _Context, choice: _Choice, sessions: int, *, irritable: bool) -> PlannedExercise:
    exercise = choice.exercise
    reasons = [*choice.reasons, *activation_reasons(exercise, ctx.kb)]
    return planned_exercise(exercise, ctx.kb, sessions, reasons, irritable=irritable)


def planned_exercise(
    exercise: Exercise,
    kb: KnowledgeBase,
    sessions_per_week: int,
    reasons: list[Reason],
    *,
    irritable: bool = False,
) -> PlannedExercise:
    """One plan line: the exercise at its dose (inside the knowledge-base ranges), its cues,
    the reasons it was chosen and every source behind them (exercise sources first, no repeats).
    """
    amount = dose(exercise, kb, irritable=irritable)
    sources = list(dict.fromkeys([*exercise.sources, *(s for r in reasons for s in r.sources)]))
    return PlannedExercise(
        id=exercise.id,
        name=exercise.name,
        sets=amount.sets,
        reps=amount.reps,
        hold_s=amount.hold_s,
        per_side=exercise.dosage.per_side,
        load=exercise.dosage.load,
        sessions_per_week=sessions_per_week,
        cues=list(exercise.cues),
        sources=sources,
        why=reasons,
    )


def _phase_weeks(phase: Phase, total_weeks: int, last: bool) -> tuple[int, int]:
    first = min(phase.first_week, total_weeks)
    end = (
        max(total_weeks, first) if last and phase.open_ended else min(phase.last_week, total_weeks)
    )
    return first, max(first, end)


def _targets(assessment: Assessment, report: AssessmentReport) -> list[str]:
    """Contributor ids to address, in the report's order; lateral pain puts hip
    abductor strengthening first (ITBS: progressive hip strengthening)."""
    targets = [contributor.id for contributor in report.contributors]
    if assessment.symptoms.location == "lateral":
        targets = ["hip_abductor_weakness", *(t for t in targets if t != "hip_abductor_weakness")]
    return targets


def _expectations(kb: KnowledgeBase) -> list[Reason]:
    length = kb.measure("programme_length_weeks")
    return [
        Reason(
            text=(
                f"Most people improve within {length.describe()} of regular exercise "
                f"({length.status}); this is a typical course, not a promise."
            ),
            sources=list(length.sources),
        ),
        Reason(
            text=(
                "How quickly you improve depends on how strong your hips are now, how bad "
                "the pain is, what you want to return to, how regularly you train and "
                "whether you keep doing the things that flare the knee."
            ),
            sources=["seed_003"],
        ),
        Reason(
            text=(
                "You move to the next phase when its criteria are met (pain, mastery of the "
                "exercises, movement quality), not because a date has passed."
            ),
            sources=["seed_003"],
        ),
    ]


def _notes(
    assessment: Assessment, report: AssessmentReport, ctx: _Context, worst: float
) -> list[Reason]:
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
    if ctx.irritable:
        notes.append(
            Reason(
                text=(
                    f"Pain is currently high ({worst:g}/10): the plan starts with easier "
                    f"variants and {_range(ctx.kb, 'programme_sets')[0]} sets, the bottom of "
                    f"the range {_label(ctx.kb, 'programme_sets')}; keep exercise pain in the "
                    "safe or acceptable zone."
                ),
                sources=list(PAIN_SOURCES),
            )
        )
    if assessment.symptoms.location == "lateral":
        notes.append(
            Reason(
                text=(
                    "Outer-knee pain (ITB pattern): progressive hip strengthening is the "
                    "backbone of the plan; stretching alone did less in a trial of runners."
                ),
                sources=list(ITBS_SOURCES),
            )
        )
    if "load_management_error" in ctx.targets:
        notes.append(
            Reason(
                text=(
                    "Training load rose too fast before the pain: cut back the aggravating "
                    "activity for now and rebuild distance before speed and hills."
                ),
                sources=list(RUNNING_SOURCES),
            )
        )
    return notes


def prescribe(
    assessment: Assessment,
    report: AssessmentReport,
    kb: KnowledgeBase,
    *,
    weeks: int | None = None,
) -> Plan | Referral:
    """A phased hip + knee programme for this patient, or a referral (no programme)."""
    if report.screening.refer:
        reasons = list(report.screening.reasons) or ["the screening advised referral"]
        return Referral(reasons=reasons, advice=REFERRAL_ADVICE)
    total_weeks = programme_weeks(weeks, kb)
    irritable = is_irritable(assessment, kb)
    worst = highest_pain(assessment)
    ctx = _Context(
        kb=kb,
        assessment=assessment,
        report=report,
        irritable=irritable,
        targets=_targets(assessment, report),
        contributors={contributor.id: contributor for contributor in report.contributors},
    )
    count = exercises_per_session(assessment.patient.minutes_per_session, kb)
    sessions = sessions_per_week(irritable, kb)
    running_chain = _running_chain(ctx)
    phases: list[PlanPhase] = []
    previous: set[str] = set()
    used_running: set[str] = set()
    ordered = kb.ordered_phases()
    for position, phase in enumerate(ordered):
        chosen = _select_phase(ctx, phase.number, count, previous)
        if irritable and phase.number == 1:
            chosen = _ease(ctx, chosen, worst)
        lower_volume = irritable and phase.number < len(ordered)
        exercises = [_planned(ctx, choice, sessions, irritable=lower_volume) for choice in chosen]
        running = next(
            (
                step
                for step in running_chain
                if phase.number in step.phases and step.id not in used_running
            ),
            None,
        )
        running_plan = None
        if running is not None:
            used_running.add(running.id)
            running_reasons = [
                Reason(
                    text=(
                        "you run: a graded return, distance first, then speed and hills, "
                        "keeping pain in the safe or acceptable zone"
                    ),
                    sources=list(RUNNING_SOURCES),
                )
            ]
            if "load_management_error" in ctx.contributors:
                running_reasons.append(_contributor_reason(ctx, "load_management_error"))
            running_plan = _planned(
                ctx, _Choice(running, running_reasons), sessions, irritable=False
            )
        phases.append(
            PlanPhase(
                number=phase.number,
                name=phase.name,
                weeks=_phase_weeks(phase, total_weeks, position == len(ordered) - 1),
                goal=phase.aim,
                advance_when=[
                    Criterion.model_validate(criterion.model_dump())
                    for criterion in phase.advance_when
                ],
                exercises=exercises,
                running=running_plan,
                sources=list(phase.sources),
            )
        )
        previous = {exercise.id for exercise in exercises}
    dosage_ids = (
        "programme_sessions_per_week",
        "programme_sets",
        "programme_reps",
        "programme_intensity_pct_max",
        "programme_length_weeks",
        "programme_isometric_hold_s",
        "programme_stretch_hold_s",
        "progression_mastery_reps",
        "progression_acsm_extra_reps",
        "progression_acsm_load_increase_pct",
    )
    pain_ids = (
        "pain_zone_safe",
        "pain_zone_acceptable",
        "pain_zone_unacceptable",
        "pain_next_morning_rise",
    )
    return Plan(
        side=report.involved_side,
        total_weeks=total_weeks,
        sessions_per_week=sessions,
        irritable=irritable,
        equipment=list(assessment.patient.equipment),
        activities=list(assessment.patient.activities),
        phases=phases,
        dosage_rules=[shown(kb.measure(measure_id)) for measure_id in dosage_ids],
        pain_monitoring=[shown(kb.measure(measure_id)) for measure_id in pain_ids],
        expectations=_expectations(kb),
        notes=_notes(assessment, report, ctx, worst),
    )
