"""The knowledge base as one immutable object: every record, keyed by id.

Built by :func:`hipfirst.knowledge.loader.knowledge_base` from the shipped data
files; the core and the video stages receive it as an argument and never load
it themselves (no I/O here, no YAML).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from hipfirst.errors import KnowledgeBaseError
from hipfirst.knowledge.illustration_schema import Illustration
from hipfirst.knowledge.schema import Contributor, Exercise, Measure, Phase, Reference

_Found = TypeVar("_Found")


@dataclass(frozen=True)
class KnowledgeBase:
    """All knowledge-base records, keyed by id."""

    references: dict[str, Reference]
    measures: dict[str, Measure]
    exercises: dict[str, Exercise]
    contributors: dict[str, Contributor]
    phases: dict[str, Phase] = field(default_factory=dict)
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


def _lookup(records: Mapping[str, _Found], kind: str, record_id: str) -> _Found:
    """``records[record_id]``, or a :class:`KnowledgeBaseError` naming the kind and id."""
    try:
        return records[record_id]
    except KeyError:
        raise KnowledgeBaseError(f"the knowledge base has no {kind} {record_id!r}") from None
