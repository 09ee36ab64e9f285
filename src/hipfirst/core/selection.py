"""Exercise selection: which home exercises a phase's session holds, and why.

A session of ``count`` exercises is filled by small passes, in this order:

1. one knee (quadriceps) exercise: hip plus knee work beats knee work alone;
2. one exercise per contributor the report found, in the report's order;
3. core hip strengthening (abductors, external rotators, extensors) up to ``count``;
4. when the patient's equipment leaves too few: variants of chosen exercises, then
   exercises of the previous phase, so a session still has its minimum;
5. at least one hip exercise;
6. every exercise cites each of the patient's contributors it addresses.

Only exercises the patient can do (equipment and activity fit) and the plan's limits
allow (goal, age rule, precautions: :mod:`hipfirst.core.goals`); stretches and mobility
only when a flexibility test found tightness or hip mobility was reduced; never two close
variants of one exercise; an exercise reached only by progression (``entry_point: false``,
e.g. the band at the ankles, then the forefeet) only when the previous phase had its
easier step. High pain irritability swaps phase-1 exercises for easier variants
(:func:`ease`). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from hipfirst.core.assessment import Assessment
from hipfirst.core.exercise_evidence import peak_activation
from hipfirst.core.exercise_rules import (
    first_step,
    is_available,
    relatives,
    steps,
    suits_activities,
)
from hipfirst.core.goals import PlanLimits
from hipfirst.core.plan import Reason
from hipfirst.core.report import ContributorResult
from hipfirst.core.shown_number import with_status
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise, Muscle

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
FLEXIBILITY_CONTRIBUTORS = frozenset(
    {"itb_tfl_tightness", "hip_flexor_tightness", "hamstring_tightness", "reduced_hip_mobility"}
)
CORE_HIP_CONTRIBUTORS = (
    "hip_abductor_weakness",
    "hip_external_rotator_weakness",
    "hip_extensor_weakness",
)
"""The hip impairments a hip-first programme trains even when none was measured."""

HIP_PLUS_KNEE_SOURCES = ["collins_2018", "crossley_2016b", "nascimento_2018"]
CORE_HIP_SOURCES = ["collins_2018", "khayambashi_2012", "ferber_2015"]
PAIN_SOURCES = ["silbernagel_2007"]


@dataclass
class Choice:
    """An exercise chosen for a session and the reasons it was chosen."""

    exercise: Exercise
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class PatientProfile:
    """What selection needs to know about the patient."""

    kb: KnowledgeBase
    assessment: Assessment
    irritable: bool
    contributor_ids: list[str]
    """Contributor ids to address, in priority order (see ``prescription``)."""
    contributors: dict[str, ContributorResult]
    """The contributors the report found, by id."""
    limits: PlanLimits
    """The goal and what the plan leaves out (age rule, precautions)."""

    def fits(self, exercise: Exercise) -> bool:
        """The patient has the equipment and (for activity-specific work) the activity,
        and the plan's limits allow the exercise."""
        patient = self.assessment.patient
        return (
            is_available(exercise, patient.equipment)
            and suits_activities(exercise, patient.activities)
            and self.limits.allows(exercise)
        )


def contributor_reason(patient: PatientProfile, contributor_id: str) -> Reason:
    """Why an exercise addresses a contributor: the report's evidence when it found
    one, else core hip strengthening that hip-focused programmes include."""
    found = patient.contributors.get(contributor_id)
    known = patient.kb.contributors.get(contributor_id)
    if found is not None:
        sides = f" ({', '.join(found.sides)})" if found.sides else ""
        evidence = ", ".join(found.evidence)
        sources = found.sources or (known.sources if known else [])
        return Reason(
            text=f"addresses {found.name.lower()}{sides}, found from: {evidence}",
            sources=list(sources),
        )
    name = known.name.lower() if known is not None else contributor_id.replace("_", " ")
    return Reason(
        text=f"core hip strengthening ({name}) that hip-focused knee programmes include",
        sources=list(CORE_HIP_SOURCES),
    )


def is_hip_work(exercise: Exercise) -> bool:
    """Hip work: targets a hip muscle and is not a knee exercise."""
    return bool(HIP_MUSCLES & set(exercise.target_muscles)) and exercise.region != "knee"


def is_knee_work(exercise: Exercise) -> bool:
    """Knee (quadriceps) work: a knee exercise that targets the quadriceps."""
    return bool(KNEE_MUSCLES & set(exercise.target_muscles)) and exercise.region == "knee"


def _is_flexibility(exercise: Exercise) -> bool:
    return exercise.load_type in FLEXIBILITY_LOADS


def _rank_key(
    exercise: Exercise, phase: int, contributor_ids: Sequence[str], previous: set[str]
) -> tuple[int, int, int, int, float, float, str]:
    """Prefer exercises that belong to this phase first, are new, have the first
    contributor as their main purpose (listed first in ``addresses``), address more of
    the patient's contributors, and have stronger published activation evidence."""
    addressed = sum(1 for item in contributor_ids if item in exercise.addresses)
    index = exercise.gluteal_tfl_index.value if exercise.gluteal_tfl_index else 0.0
    main = contributor_ids[0] if contributor_ids else ""
    position = exercise.addresses.index(main) if main in exercise.addresses else 99
    return (
        -int(min(exercise.phases) == phase),
        -int(exercise.id not in previous),
        position,
        -addressed,
        -peak_activation(exercise),
        -index,
        exercise.id,
    )


@dataclass
class _Session:
    """One phase's session while its passes fill it."""

    patient: PatientProfile
    phase: int
    count: int
    previous: set[str]
    """Exercise ids of the previous phase (new ones are preferred)."""
    pool: list[Exercise]
    chosen: list[Choice] = field(default_factory=list)

    @property
    def full(self) -> bool:
        return len(self.chosen) >= self.count

    def taken(self, exercise: Exercise) -> bool:
        """Already chosen, or a variant of a chosen exercise."""
        kb = self.patient.kb
        return any(
            choice.exercise.id == exercise.id or exercise.id in relatives(choice.exercise, kb)
            for choice in self.chosen
        )

    def best(
        self, candidates: Iterable[Exercise], contributor_ids: Sequence[str]
    ) -> Exercise | None:
        ranked = sorted(
            candidates, key=lambda item: _rank_key(item, self.phase, contributor_ids, self.previous)
        )
        return ranked[0] if ranked else None

    def reason(self, contributor_id: str) -> Reason:
        return contributor_reason(self.patient, contributor_id)


def _reachable(exercise: Exercise, patient: PatientProfile, previous: set[str]) -> bool:
    """An entry point, or one step harder than an exercise of the previous phase."""
    if exercise.entry_point:
        return True
    return any(easier.id in previous for easier in steps(exercise, patient.kb, "easier"))


def _pool(patient: PatientProfile, phase: int, previous: set[str]) -> list[Exercise]:
    """Home exercises for this phase the patient can do (running steps excluded)."""
    allow_flexibility = bool(FLEXIBILITY_CONTRIBUTORS & set(patient.contributor_ids))
    return [
        exercise
        for exercise in sorted(patient.kb.exercises.values(), key=lambda item: item.id)
        if phase in exercise.phases
        and exercise.load_type != "running"
        and patient.fits(exercise)
        and _reachable(exercise, patient, previous)
        and (allow_flexibility or not _is_flexibility(exercise))
    ]


def _knee_work(session: _Session) -> None:
    """Pass 1: one knee (quadriceps) exercise."""
    ids = session.patient.contributor_ids
    knee = session.best((item for item in session.pool if is_knee_work(item)), ids)
    if knee is None:
        return
    reasons = [
        Reason(
            text="knee (quadriceps) work in every phase: hip plus knee exercise "
            "reduces pain more than knee exercise alone",
            sources=list(HIP_PLUS_KNEE_SOURCES),
        )
    ]
    reasons.extend(session.reason(item) for item in ids if item in knee.addresses)
    session.chosen.append(Choice(knee, reasons))


def _one_per_contributor(session: _Session) -> None:
    """Pass 2: an exercise for each contributor, in priority order."""
    ids = session.patient.contributor_ids
    for contributor_id in ids:
        if session.full:
            break
        flexibility = contributor_id in FLEXIBILITY_CONTRIBUTORS
        candidates = [
            item
            for item in session.pool
            if contributor_id in item.addresses
            and not session.taken(item)
            and (flexibility or not _is_flexibility(item))
        ]
        pick = session.best(candidates, [contributor_id, *ids])
        if pick is not None:
            session.chosen.append(Choice(pick, [session.reason(contributor_id)]))


def _core_hip_work(session: _Session) -> None:
    """Pass 3: core hip strengthening until the session is full."""
    ids = session.patient.contributor_ids
    while not session.full:
        candidates = [
            item
            for item in session.pool
            if is_hip_work(item) and not session.taken(item) and not _is_flexibility(item)
        ]
        pick = session.best(candidates, [*CORE_HIP_CONTRIBUTORS, *ids])
        if pick is None:
            return
        covered = [item for item in CORE_HIP_CONTRIBUTORS if item in pick.addresses]
        reason = session.reason(covered[0] if covered else CORE_HIP_CONTRIBUTORS[0])
        session.chosen.append(Choice(pick, [reason]))


def _variants_and_previous_phase(session: _Session) -> None:
    """Pass 4: few eligible exercises (little equipment): allow variants of chosen
    exercises, then exercises of the previous phase, so a session still has the
    minimum count."""
    if session.full:
        return
    patient = session.patient
    wanted = [*patient.contributor_ids, *CORE_HIP_CONTRIBUTORS]
    chosen_ids = {choice.exercise.id for choice in session.chosen}
    wider = [
        item
        for item in patient.kb.exercises.values()
        if (session.phase - 1) in item.phases
        and item.load_type != "running"
        and not _is_flexibility(item)
        and patient.fits(item)
        and _reachable(item, patient, session.previous)
    ]
    for candidates in (session.pool, wider):
        while not session.full:
            options = [
                item
                for item in candidates
                if item.id not in chosen_ids and not _is_flexibility(item)
            ]
            pick = session.best(options, wanted)
            if pick is None:
                break
            chosen_ids.add(pick.id)
            covered = [item for item in wanted if item in pick.addresses]
            reason = session.reason(covered[0] if covered else CORE_HIP_CONTRIBUTORS[0])
            session.chosen.append(Choice(pick, [reason]))


def _at_least_one_hip(session: _Session) -> None:
    """Pass 5: a hip exercise in every session (replacing the last pick when full)."""
    if any(is_hip_work(choice.exercise) for choice in session.chosen):
        return
    hip = session.best(
        (item for item in session.pool if is_hip_work(item) and not session.taken(item)),
        CORE_HIP_CONTRIBUTORS,
    )
    if hip is None:
        return
    choice = Choice(hip, [session.reason(CORE_HIP_CONTRIBUTORS[0])])
    if session.full:
        session.chosen[-1] = choice
    else:
        session.chosen.append(choice)


def _cite_contributors(session: _Session) -> None:
    """Pass 6: each exercise cites every patient contributor it addresses."""
    for choice in session.chosen:
        for contributor_id in session.patient.contributor_ids:
            if contributor_id not in choice.exercise.addresses:
                continue
            reason = session.reason(contributor_id)
            if reason not in choice.reasons:
                choice.reasons.append(reason)


PASSES: tuple[Callable[[_Session], None], ...] = (
    _knee_work,
    _one_per_contributor,
    _core_hip_work,
    _variants_and_previous_phase,
    _at_least_one_hip,
    _cite_contributors,
)
"""The selection passes, in the order they run (see the module docstring)."""


def select_phase(
    patient: PatientProfile, phase: int, count: int, previous: set[str]
) -> list[Choice]:
    """Choose ``count`` exercises for a phase's home session (see the passes above)."""
    session = _Session(patient, phase, count, previous, _pool(patient, phase, previous))
    for run_pass in PASSES:
        run_pass(session)
    return session.chosen


def ease(patient: PatientProfile, chosen: list[Choice], worst: float) -> list[Choice]:
    """Irritable pain: swap each exercise for its first easier variant the patient can do,
    unless that variant is (or is one step from) another exercise of the session."""
    kb = patient.kb
    eased = list(chosen)
    unacceptable = with_status(kb.measure("pain_zone_unacceptable"))
    for position, choice in enumerate(chosen):
        others = [other.exercise for index, other in enumerate(eased) if index != position]

        def fits(candidate: Exercise, others: list[Exercise] = others) -> bool:
            return patient.fits(candidate) and all(
                candidate.id != other.id and candidate.id not in relatives(other, kb, depth=1)
                for other in others
            )

        replacement = first_step(choice.exercise, kb, "easier", fits)
        if replacement is None:
            continue
        reason = Reason(
            text=(
                f"easier variant of {choice.exercise.name.lower()} because pain reaches "
                f"{worst:g}/10 (unacceptable zone {unacceptable})"
            ),
            sources=list(PAIN_SOURCES),
        )
        eased[position] = Choice(replacement, [*choice.reasons, reason])
    return eased
