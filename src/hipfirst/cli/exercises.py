"""``hipfirst exercises [--phase N] [--muscle M]`` and ``hipfirst explain EXERCISE_ID``."""

from __future__ import annotations

from typing import Annotated, get_args

import typer
from rich.panel import Panel
from rich.table import Table

from hipfirst.cli.app import app, console, report_errors
from hipfirst.core.exercise_evidence import activation_reasons
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.session_log import close_matches
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.schema import Exercise, Muscle

MUSCLES: tuple[str, ...] = get_args(Muscle)


def select_exercises(kb: KnowledgeBase, phase: int | None, muscle: str | None) -> list[Exercise]:
    """Library exercises in a phase and/or targeting a muscle, sorted by phase then name."""
    problems: list[FieldError] = []
    if phase is not None and phase not in {p.number for p in kb.phases.values()}:
        problems.append(FieldError("--phase", "must be 1, 2 or 3", phase))
    if muscle is not None and muscle not in MUSCLES:
        similar = close_matches(muscle, MUSCLES)
        hint = f"; did you mean {', '.join(similar)}?" if similar else ""
        problems.append(
            FieldError("--muscle", f"unknown muscle{hint} Allowed: {', '.join(MUSCLES)}", muscle)
        )
    if problems:
        raise InputValidationError("exercises", problems)
    chosen = [
        exercise
        for exercise in kb.exercises.values()
        if (phase is None or phase in exercise.phases)
        and (muscle is None or muscle in exercise.target_muscles)
    ]
    return sorted(chosen, key=lambda item: (min(item.phases), item.name))


@app.command()
@report_errors
def exercises(
    phase: Annotated[int | None, typer.Option("--phase", help="Only phase 1, 2 or 3.")] = None,
    muscle: Annotated[
        str | None, typer.Option("--muscle", help="Only exercises targeting this muscle.")
    ] = None,
) -> None:
    """List the exercise library."""
    kb = knowledge_base()
    chosen = select_exercises(kb, phase, muscle)
    table = Table(title=f"Exercise library ({len(chosen)})", title_justify="left")
    for column in ("Id", "Name", "Phases", "Region", "Targets", "Equipment", "Chain"):
        table.add_column(column)
    for item in chosen:
        table.add_row(
            item.id,
            item.name,
            ", ".join(str(number) for number in item.phases),
            item.region,
            ", ".join(item.target_muscles),
            ", ".join(item.equipment),
            item.chain,
        )
    console.print(table)


def _linked(kb: KnowledgeBase, ids: list[str]) -> str:
    return ", ".join(f"{kb.exercise(other).name} ({other})" for other in ids) or "—"


@app.command()
@report_errors
def explain(
    exercise_id: Annotated[str, typer.Argument(help="Exercise id, e.g. clamshell.")],
) -> None:
    """Show the full card of one exercise: cues, faults, evidence, dosage, variants."""
    kb = knowledge_base()
    exercise = kb.exercises.get(exercise_id)
    if exercise is None:
        similar = close_matches(exercise_id, sorted(kb.exercises))
        hint = f"close matches: {', '.join(similar)}" if similar else "see 'hipfirst exercises'"
        raise InputValidationError(
            "explain", [FieldError("EXERCISE_ID", f"unknown exercise; {hint}", exercise_id)]
        )
    dosage = exercise.dosage
    amount = f"{dosage.reps} reps" if dosage.reps is not None else f"{dosage.hold_s} s hold"
    side = " each side" if dosage.per_side else ""
    evidence = activation_reasons(exercise, kb)
    lines = [
        exercise.description,
        "",
        f"[bold]Phases:[/] {', '.join(str(n) for n in exercise.phases)}   "
        f"[bold]Region:[/] {exercise.region}   [bold]Chain:[/] {exercise.chain}   "
        f"[bold]Load type:[/] {exercise.load_type}",
        f"[bold]Targets:[/] {', '.join(exercise.target_muscles)}",
        "[bold]Helps with:[/] "
        + (", ".join(kb.contributor(c).name for c in exercise.addresses) or "—"),
        f"[bold]Equipment:[/] {', '.join(exercise.equipment)}",
        f"[bold]Default dosage:[/] {dosage.sets} × {amount}{side}; {dosage.load}",
        "",
        "[bold]Key cues[/]",
        *(f"• {cue}" for cue in exercise.cues),
        "[bold]Common faults[/]",
        *(f"• {fault}" for fault in exercise.faults),
        "[bold]Activation (EMG)[/]",
        *([f"• {reason.text}" for reason in evidence] or ["• no EMG data in the evidence brief"]),
        f"[bold]Easier:[/] {_linked(kb, exercise.easier)}",
        f"[bold]Harder:[/] {_linked(kb, exercise.harder)}",
        "[bold]Sources[/]",
        *(
            f"• {kb.reference(source).short()}: {kb.reference(source).title}"
            for source in exercise.sources
        ),
    ]
    if exercise.activities:
        lines.insert(6, f"[bold]Only for:[/] {', '.join(exercise.activities)}")
    console.print(
        Panel("\n".join(lines), title=f"{exercise.name} ({exercise.id})", title_align="left")
    )
