"""``hipfirst plan FILE [--weeks N] [--json | --out plan.json]``: the phased plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from hipfirst.application.plan_files import plan_file
from hipfirst.cli.app import app, console, report_errors, strict_json
from hipfirst.cli.styles import bracketed, evidence_status, plain
from hipfirst.core.plan import GuidanceItem, Plan, PlannedExercise, Reason, Referral, ShownNumber
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.plan_file import plan_to_json


@app.command()
@report_errors
def plan(
    file: Annotated[Path, typer.Argument(help="Assessment file (YAML or JSON, format v1).")],
    weeks: Annotated[
        int | None, typer.Option("--weeks", help="Programme length in weeks (6–52).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the plan as one JSON object.")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the plan JSON to this file.")
    ] = None,
) -> None:
    """Build a phased hip + knee programme from an assessment (or a referral)."""
    if as_json and out is not None:
        raise InputValidationError(
            "plan", [FieldError("--json/--out", "use one of --json or --out, not both")]
        )
    result = plan_file(file, weeks=weeks, out=out)
    if as_json:
        typer.echo(strict_json(plan_to_json(result)))
        return
    print_plan(result, str(file))
    if out is not None:
        console.print(f"Plan written to {out}", highlight=False, markup=False)


def _dose(exercise: PlannedExercise) -> str:
    amount = f"{exercise.reps} reps" if exercise.reps is not None else f"{exercise.hold_s} s hold"
    side = " each side" if exercise.per_side else ""
    knee = ""
    if exercise.knee_range_deg is not None:
        low, high = exercise.knee_range_deg
        knee = f"\nknee {low}–{high}°"
    return f"{exercise.sets} × {amount}{side}{knee}"


def _guidance(items: list[GuidanceItem]) -> str:
    return "\n".join(
        f"• [bold]{plain(item.title)}[/] ({evidence_status(item.status)}): {plain(item.text)} "
        f"{bracketed(item.sources)}"
        for item in items
    )


def _reasons(reasons: list[Reason]) -> str:
    return "\n".join(
        f"• {plain(reason.text)}" + (f" {bracketed(reason.sources)}" if reason.sources else "")
        for reason in reasons
    )


def _numbers(title: str, numbers: list[ShownNumber]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("Rule")
    table.add_column("Value")
    table.add_column("Status")
    table.add_column("Sources")
    for number in numbers:
        table.add_row(
            plain(number.label),
            plain(number.text),
            evidence_status(number.status),
            plain(", ".join(number.sources)),
        )
    return table


def print_referral(referral: Referral, title: str) -> None:
    """Urgency first: the advice for the most urgent reason, then every reason."""
    body = "\n".join(f"• {plain(reason)}" for reason in referral.reasons)
    console.print(
        Panel(
            f"[bold]{plain(referral.advice)}[/]\n{body}",
            title=f"Referral: {plain(title)}",
            border_style="red",
            style="red",
        )
    )


def print_plan(result: Plan | Referral, title: str) -> None:
    """Readable plan: notes, then each phase with its exercises, then the rules."""
    if isinstance(result, Referral):
        print_referral(result, title)
        return
    header = (
        f"{result.total_weeks} weeks, {result.sessions_per_week} sessions a week, "
        f"involved side: {result.side}"
    )
    if result.goal is not None:
        header += f"\nGoal: {result.goal_reason}"
    console.print(Panel(plain(header), title=f"Programme: {plain(title)}", border_style="green"))
    if result.notes:
        console.print(Panel(_reasons(result.notes), title="Please note", border_style="yellow"))
    for phase in result.phases:
        first, last = phase.weeks
        weeks = f"week {first}" if first == last else f"weeks {first}–{last}"
        timing = "" if phase.session_minutes is None else f"; about {phase.session_minutes} min"
        cut = "".join(f"\nShortened: {note}" for note in phase.shortened)
        table = Table(
            title=f"Phase {phase.number}: {plain(phase.name)} ({weeks}{timing})",
            title_justify="left",
            caption=f"Goal: {plain(phase.aim)}{plain(cut)}",
            caption_justify="left",
            show_lines=True,
        )
        table.add_column("Exercise")
        table.add_column("Dose")
        table.add_column("Load")
        table.add_column("Key cues")
        rows = [*phase.exercises, *([phase.running] if phase.running else [])]
        for exercise in rows:
            table.add_row(
                f"{plain(exercise.name)}\n[dim]{plain(exercise.id)}[/]",
                f"{_dose(exercise)}\n{exercise.sessions_per_week}×/week",
                plain(exercise.load),
                "\n".join(f"• {plain(cue)}" for cue in exercise.cues),
            )
        console.print(table)
        why = "\n".join(
            f"[bold]{plain(exercise.name)}[/]\n{_reasons(exercise.why)}" for exercise in rows
        )
        console.print(Panel(why, title=f"Why these exercises (phase {phase.number})"))
        criteria = "\n".join(
            f"• {plain(criterion.description)} {bracketed(criterion.sources)}"
            for criterion in phase.advance_when
        )
        console.print(Panel(criteria, title=f"Move on from phase {phase.number} when"))
    if result.running_return is not None:
        running = result.running_return
        stages = "\n".join(
            f"{i}. {plain(stage)}" for i, stage in enumerate(running.stages, start=1)
        )
        console.print(
            Panel(f"{stages}\n{_reasons(running.rules)}", title="Return to running, step by step")
        )
    if result.gait_retraining:
        console.print(Panel(_guidance(result.gait_retraining), title="Running gait retraining"))
    console.print(_numbers("Dosage and progression rules", result.dosage_rules))
    console.print(_numbers("Pain monitoring", result.pain_monitoring))
    console.print(Panel(_guidance(result.education), title="Understanding and managing your knee"))
    console.print(Panel(_reasons(result.expectations), title="What to expect"))
    console.print(Panel(_guidance(result.adjuncts), title="Options your clinician may add"))
