"""Write and read plan JSON files (the ``hipfirst plan --json / --out`` output).

A plan file read back is validated field by field, and every exercise id in it
must exist in the knowledge base, so ``hipfirst progress`` never works on a
plan it cannot explain.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hipfirst.core.plan import Plan, Referral
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.text_file import MEGABYTE, decode_json, read_text_file
from hipfirst.knowledge.base import KnowledgeBase

MAX_PLAN_BYTES = 5 * MEGABYTE


def plan_to_json(plan: Plan | Referral) -> dict[str, Any]:
    """The plan (or referral) as plain JSON types."""
    return plan.model_dump(mode="json")


def write_plan(plan: Plan | Referral, path: Path) -> None:
    """Write the plan as indented UTF-8 JSON."""
    path.write_text(json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False) + "\n", "utf-8")


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
