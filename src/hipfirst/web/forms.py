"""Field errors as a form shows them: beside each field, and in the summary at the top.

Beside a field the message stands alone (the label is right above it); the summary
names each field by the label the form shows for it (``Age (years): must be between 8
and 100 (got 140)``), never by the dotted location the engine uses, and links to it.
The labels are collected while the form renders (the field macros add each field's
label to a ``labels`` dict), so the summary always uses the form's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from hipfirst.errors import FieldError

_INDEX = re.compile(r"\[(\d+)\]")


def field_messages(problems: Iterable[FieldError]) -> dict[str, str]:
    """``{location: "must be … (got 'x')"}``; a later problem with the same field wins."""
    messages: dict[str, str] = {}
    for problem in problems:
        messages[problem.location] = problem.message + _got(problem)
    return messages


def _got(problem: FieldError) -> str:
    return f" (got {problem.value!r})" if problem.value not in (None, "") else ""


@dataclass(frozen=True)
class ShownProblem:
    """One line of an error summary: the field's label, the message, the field's id."""

    label: str
    message: str
    anchor: str


def words(location: str) -> str:
    """A location as words when no field of the form carries it (``patient`` → ``Patient``,
    ``exam.strength_n`` → ``Strength n``, ``questionnaires.akps[2]`` → ``Akps item 3``)."""
    last = location.rsplit(".", 1)[-1]
    text = _INDEX.sub(lambda found: f" item {int(found.group(1)) + 1}", last)
    text = text.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else location


def _label_for(location: str, labels: Mapping[str, str]) -> tuple[str, str]:
    """(label, the id of the field to jump to) for a location."""
    if location in labels:
        return labels[location], location
    inside = [name for name in labels if name.startswith((f"{location}.", f"{location}["))]
    if inside:  # a whole section or group: name it, jump to its first field
        return words(location), inside[0]
    parents = [name for name in labels if location.startswith((f"{name}.", f"{name}["))]
    if parents:  # a part of a field (a list item of a check list)
        parent = max(parents, key=len)
        return f"{labels[parent]}, {words(location)}", parent
    return words(location), location


def shown_problems(problems: Iterable[FieldError], labels: Mapping[str, str]) -> list[ShownProblem]:
    """Each problem under the label its field has on the form (see the module docstring)."""
    shown = []
    for problem in problems:
        label, anchor = _label_for(problem.location, labels)
        shown.append(ShownProblem(label, problem.message + _got(problem), anchor))
    return shown
