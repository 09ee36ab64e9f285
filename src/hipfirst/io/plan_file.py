"""Write and read plan JSON files (the ``hipfirst plan --json / --out`` output).

A plan file read back is validated field by field like an assessment, and every
exercise id in it must exist in the knowledge base, so ``hipfirst progress``
never works on a plan it cannot explain. Beyond each field's own rules, the plan
must hang together: each phase number once, phases in order with weeks
``[first, last]`` that do not overlap and end within ``total_weeks``, and every
exercise dosed by exactly one of ``reps`` and ``hold_s``.

Writing is atomic (a temporary file beside the target, then a rename), so a full
disk or an interruption never leaves a truncated plan in place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hipfirst.core.plan import Plan, Referral
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.documents import decode_json
from hipfirst.io.text_file import MEGABYTE, read_text_file, write_text_atomically
from hipfirst.knowledge.base import KnowledgeBase

MAX_PLAN_BYTES = 5 * MEGABYTE


def plan_to_json(plan: Plan | Referral) -> dict[str, Any]:
    """The plan (or referral) as plain JSON types."""
    return plan.model_dump(mode="json")


def plan_json_text(plan: Plan | Referral) -> str:
    """The plan as indented strict JSON (never a bare ``NaN``)."""
    return json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_plan(plan: Plan | Referral, path: Path) -> None:
    """Write the plan as indented UTF-8 JSON, atomically (see :func:`write_text_atomically`)."""
    write_text_atomically(path, plan_json_text(plan))


def _coherence(plan: Plan) -> list[FieldError]:
    """Rules across fields that the field types cannot say (see the module docstring)."""
    problems: list[FieldError] = []
    seen: dict[int, int] = {}
    last_week = 0
    for index, phase in enumerate(plan.phases):
        where = f"phases[{index}]"
        if phase.number in seen:
            problems.append(
                FieldError(
                    f"{where}.number",
                    f"phase {phase.number} is already phases[{seen[phase.number]}]; "
                    "each phase appears once",
                    phase.number,
                )
            )
        seen.setdefault(phase.number, index)
        first, last = phase.weeks
        if not 1 <= first <= last <= plan.total_weeks:
            problems.append(
                FieldError(
                    f"{where}.weeks",
                    f"must be [first, last] with 1 <= first <= last <= total_weeks "
                    f"({plan.total_weeks})",
                    list(phase.weeks),
                )
            )
        elif first <= last_week:
            problems.append(
                FieldError(
                    f"{where}.weeks",
                    f"must start after the previous phase ends (week {last_week})",
                    list(phase.weeks),
                )
            )
        last_week = max(last_week, last)
        rows = [(f"exercises[{i}]", exercise) for i, exercise in enumerate(phase.exercises)]
        if phase.running is not None:
            rows.append(("running", phase.running))
        for name, exercise in rows:
            if (exercise.reps is None) == (exercise.hold_s is None):
                problems.append(
                    FieldError(
                        f"{where}.{name}",
                        "must have exactly one of reps and hold_s "
                        f"(got {'both' if exercise.reps is not None else 'neither'})",
                    )
                )
    numbers = [phase.number for phase in plan.phases]
    if not problems and numbers != sorted(numbers):
        problems.append(FieldError("phases", "must be in phase order", numbers))
    return problems


def _location(parts: tuple[int | str, ...]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def parse_plan(document: object, source: str, kb: KnowledgeBase) -> Plan:
    """Validate a decoded plan document; a referral is not a plan and is refused."""
    if isinstance(document, dict) and document.get("kind") == "referral":
        raise InputValidationError(
            source,
            [
                FieldError(
                    "kind", "this file is a referral (no programme); there is nothing to track"
                )
            ],
        )
    try:
        # by_name=False: a document spells a phase's aim ``goal``, as written (never ``aim``)
        plan = Plan.model_validate(document, by_name=False)
    except ValidationError as error:
        problems = []
        for detail in error.errors(include_url=False):
            value = detail.get("input")
            shown = None if isinstance(value, dict | list) or detail["type"] == "missing" else value
            problems.append(FieldError(_location(tuple(detail["loc"])), detail["msg"], shown))
        raise InputValidationError(source, problems) from None
    coherence = _coherence(plan)
    if coherence:
        raise InputValidationError(source, coherence)
    unknown = [
        FieldError(f"phases[{p_index}].exercises[{e_index}].id", "unknown exercise", exercise.id)
        for p_index, phase in enumerate(plan.phases)
        for e_index, exercise in enumerate(phase.exercises)
        if exercise.id not in kb.exercises
    ]
    unknown.extend(
        FieldError(f"phases[{p_index}].running.id", "unknown exercise", phase.running.id)
        for p_index, phase in enumerate(plan.phases)
        if phase.running is not None and phase.running.id not in kb.exercises
    )
    if unknown:
        raise InputValidationError(source, unknown)
    return plan


def read_plan(path: Path, kb: KnowledgeBase) -> Plan:
    """Read and validate a plan JSON file written by ``hipfirst plan``."""
    text = read_text_file(
        path,
        what="a plan file",
        content="UTF-8 plan JSON",
        expected="a plan from 'hipfirst plan'",
        max_bytes=MAX_PLAN_BYTES,
    )
    document = decode_json(path, text)
    return parse_plan(document, str(path), kb)
