"""The knowledge base as one immutable object: every record, keyed by id.

Built by :func:`hipfirst.knowledge.loader.knowledge_base` from the shipped data
files; the core and the video stages receive it as an argument and never load
it themselves (no I/O here, no YAML).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.illustration_schema import Illustration
from hipfirst.knowledge.rules_schema import Condition, Goal, Guidance, LoadFactor, RedFlag
from hipfirst.knowledge.schema import Contributor, Exercise, Measure, Phase, Reference, Status

_Found = TypeVar("_Found")


@dataclass(frozen=True)
class KnowledgeBase:
    """All knowledge-base records, keyed by id."""

    references: dict[str, Reference]
    measures: dict[str, Measure]
    exercises: dict[str, Exercise]
    contributors: dict[str, Contributor]
    phases: dict[str, Phase] = field(default_factory=dict)
    red_flags: dict[str, RedFlag] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    goals: dict[str, Goal] = field(default_factory=dict)
    load_factors: dict[str, LoadFactor] = field(default_factory=dict)
    guidance: dict[str, Guidance] = field(default_factory=dict)
    illustrations: dict[str, Illustration] = field(default_factory=dict)
    """The picture of each exercise, keyed by exercise id."""

    def phase(self, number: int) -> Phase:
        """The programme phase with this number (1-3)."""
        for candidate in self.phases.values():
            if candidate.number == number:
                return candidate
        raise KnowledgeBaseError(f"the knowledge base has no phase {number}")

    def ordered_phases(self) -> list[Phase]:
        """Phases in programme order (1, 2, 3)."""
        return sorted(self.phases.values(), key=lambda candidate: candidate.number)

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id; a missing id is a bug in hipfirst."""
        return _lookup(self.measures, "measure", measure_id)

    def exercise(self, exercise_id: str) -> Exercise:
        return _lookup(self.exercises, "exercise", exercise_id)

    def contributor(self, contributor_id: str) -> Contributor:
        return _lookup(self.contributors, "contributor", contributor_id)

    def reference(self, reference_id: str) -> Reference:
        return _lookup(self.references, "reference", reference_id)

    def red_flag(self, flag_id: str) -> RedFlag:
        return _lookup(self.red_flags, "red flag", flag_id)

    def goal(self, goal_id: str) -> Goal:
        return _lookup(self.goals, "goal", goal_id)

    def guidance_of(self, kind: str) -> list[Guidance]:
        """The guidance records of one kind, in file order."""
        return [item for item in self.guidance.values() if item.kind == kind]


def _lookup(records: Mapping[str, _Found], kind: str, record_id: str) -> _Found:
    """``records[record_id]``, or a :class:`KnowledgeBaseError` naming the kind and id."""
    try:
        return records[record_id]
    except KeyError:
        raise KnowledgeBaseError(f"the knowledge base has no {kind} {record_id!r}") from None


def clinical_rule_problems(kb: KnowledgeBase) -> list[str]:
    """Cross-references of the clinical-rule records (red flags, conditions, goals, load
    factors, guidance), and the evidence-label rule: a record marked ``published`` must
    cite at least one source that is not a web article."""
    problems: list[str] = []

    def sources(owner: str, ids: Iterable[str]) -> None:
        for reference_id in ids:
            if reference_id not in kb.references:
                problems.append(f"{owner}: unknown reference {reference_id!r}")

    labelled: list[tuple[str, str, list[str]]] = [
        (f"measure {m.id}", m.status, list(m.sources)) for m in kb.measures.values()
    ]
    for kind, records in (
        ("red flag", kb.red_flags),
        ("condition", kb.conditions),
        ("goal", kb.goals),
        ("load factor", kb.load_factors),
        ("guidance", kb.guidance),
    ):
        for record in records.values():
            owner = f"{kind} {record.id}"
            sources(f"{owner}.sources", record.sources)
            labelled.append((owner, record.status, list(record.sources)))
    for condition in kb.conditions.values():
        for exercise_id in condition.excludes_exercises:
            if exercise_id not in kb.exercises:
                problems.append(f"condition {condition.id}: unknown exercise {exercise_id!r}")
    for goal in kb.goals.values():
        if goal.rts_ybt_symmetry is not None and goal.rts_ybt_symmetry not in kb.measures:
            problems.append(f"goal {goal.id}: unknown measure {goal.rts_ybt_symmetry!r}")
    for item in kb.guidance.values():
        if item.cue_measure is not None and item.cue_measure not in kb.measures:
            problems.append(f"guidance {item.id}: unknown measure {item.cue_measure!r}")
    for owner, status, cited in labelled:
        known = [kb.references[i] for i in cited if i in kb.references]
        if status == Status.PUBLISHED and known and all(r.kind == "web_article" for r in known):
            problems.append(
                f"{owner}: marked published but cites only web articles "
                f"({', '.join(cited)}); use web_article or expert_opinion"
            )
    return problems
