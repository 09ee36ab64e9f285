"""``hipfirst exercises [--phase N] [--muscle M]`` and ``hipfirst explain EXERCISE_ID``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from hipfirst.application.exercise_library import ExerciseCard, exercise_card, list_exercises
from hipfirst.cli.app import app, console, report_errors
from hipfirst.cli.styles import plain


@app.command()
@report_errors
def exercises(
    phase: Annotated[int | None, typer.Option("--phase", help="Only phase 1, 2 or 3.")] = None,
    muscle: Annotated[
        str | None, typer.Option("--muscle", help="Only exercises targeting this muscle.")
    ] = None,
) -> None:
    """List the exercise library."""
    chosen = list_exercises(phase, muscle)
    table = Table(title=f"Exercise library ({len(chosen)})", title_justify="left")
    for column in ("Id", "Name", "Phases", "Region", "Targets", "Equipment", "Chain"):
        table.add_column(column)
    for item in chosen:
        table.add_row(
            *(
                plain(text)
                for text in (
                    item.id,
                    item.name,
                    ", ".join(str(number) for number in item.phases),
                    item.region,
                    ", ".join(item.target_muscles),
                    ", ".join(item.equipment),
                    item.chain,
                )
            )
        )
    console.print(table)


def _linked(variants: list[tuple[str, str]]) -> str:
    return plain(", ".join(f"{name} ({other})" for other, name in variants) or "—")


@app.command()
@report_errors
def explain(
    exercise_id: Annotated[str, typer.Argument(help="Exercise id, e.g. clamshell.")],
) -> None:
    """Show the full card of one exercise: cues, faults, evidence, dosage, variants."""
    print_card(exercise_card(exercise_id))


def print_card(card: ExerciseCard) -> None:
    exercise = card.exercise
    dosage = exercise.dosage
    amount = f"{dosage.reps} reps" if dosage.reps is not None else f"{dosage.hold_s} s hold"
    side = " each side" if dosage.per_side else ""
    evidence = [f"• {plain(reason.text)}" for reason in card.evidence]
    lines = [
        plain(exercise.description),
        "",
        f"[bold]Phases:[/] {', '.join(str(n) for n in exercise.phases)}   "
        f"[bold]Region:[/] {plain(exercise.region)}   [bold]Chain:[/] {plain(exercise.chain)}   "
        f"[bold]Load type:[/] {plain(exercise.load_type)}",
        f"[bold]Targets:[/] {plain(', '.join(exercise.target_muscles))}",
        "[bold]Helps with:[/] " + plain(", ".join(card.helps_with) or "—"),
        f"[bold]Equipment:[/] {plain(', '.join(exercise.equipment))}",
        f"[bold]Default dosage:[/] {dosage.sets} × {amount}{side}; {plain(dosage.load)}",
        "",
        "[bold]Key cues[/]",
        *(f"• {plain(cue)}" for cue in exercise.cues),
        "[bold]Common faults[/]",
        *(f"• {plain(fault)}" for fault in exercise.faults),
        "[bold]Activation (EMG)[/]",
        *(evidence or ["• no EMG data in the evidence brief"]),
        f"[bold]Easier:[/] {_linked(card.easier)}",
        f"[bold]Harder:[/] {_linked(card.harder)}",
        "[bold]Sources[/]",
        *(f"• {plain(short)}: {plain(title)}" for short, title in card.sources),
    ]
    if exercise.activities:
        lines.insert(6, f"[bold]Only for:[/] {plain(', '.join(exercise.activities))}")
    console.print(
        Panel("\n".join(lines), title=plain(f"{exercise.name} ({exercise.id})"), title_align="left")
    )
