"""``hipfirst progress PLAN LOG [--json]``: advance / hold / regress, and phase criteria.

``--reassessment FILE`` adds the return-to-sport checklist from a re-assessment
(needed for the last phase's criteria); ``--goal`` picks running or full sport;
``--baseline FILE`` (with ``--reassessment``) shows which changes since the first
assessment reach their MCID / MDC.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from hipfirst.application.progress_files import progress_files
from hipfirst.cli.app import app, console, report_errors, strict_json
from hipfirst.cli.styles import bracketed, evidence_status, plain, styled
from hipfirst.core.progress_report import ProgressReport
from hipfirst.core.reassessment import Change
from hipfirst.core.return_to_sport import RtsChecklist
from hipfirst.io.progress_document import progress_to_json

DECISION_STYLE = {"advance": "green", "hold": "yellow", "regress": "red"}
STATUS_STYLE = {
    "met": "green",
    "not_met": "red",
    "not_measured": "yellow",
    "locked": "dim",
}


@app.command()
@report_errors
def progress(
    plan_file: Annotated[Path, typer.Argument(help="Plan JSON written by 'hipfirst plan --out'.")],
    log_file: Annotated[Path, typer.Argument(help="Session log (CSV or JSON).")],
    reassessment: Annotated[
        Path | None,
        typer.Option(
            "--reassessment", help="A re-assessment file: adds the return-to-sport checklist."
        ),
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option(
            "--goal",
            help=(
                "Goal of the return checklist: running, sport, daily_life, walking or "
                "stairs (default: the plan's goal)."
            ),
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="The first assessment: show meaningful changes since."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Decide advance / hold / regress per exercise and check each phase's criteria."""
    result = progress_files(
        plan_file, log_file, reassessment=reassessment, baseline=baseline, goal=goal
    )
    if as_json:
        document = progress_to_json(result.report, result.checklist, result.changes)
        typer.echo(strict_json(document))
        return
    print_progress(result.report, result.checklist)
    if result.changes is not None:
        print_changes(result.changes)


def print_progress(result: ProgressReport, checklist: RtsChecklist | None) -> None:
    decisions = Table(title="Exercises", title_justify="left", show_lines=True)
    for column in ("Exercise", "Decision", "Next", "Why"):
        decisions.add_column(column)
    for item in result.decisions:
        why = "\n".join(
            f"• {plain(reason.text)} {bracketed(reason.sources)}" for reason in item.reasons
        )
        early = "\n[yellow]logged before its phase[/]" if item.off_phase else ""
        decisions.add_row(
            f"{plain(item.name)}\n[dim]{item.sessions_logged} sessions, last {item.last_date}[/]"
            f"{early}",
            styled(item.decision, DECISION_STYLE),
            f"{plain(item.action)}\n[dim]{plain(item.next_exercise_id)}[/]",
            why,
        )
    console.print(decisions)
    if result.log_notes:
        notes = "\n".join(f"• {plain(note)}" for note in result.log_notes)
        console.print(Panel(notes, title="About the log", border_style="yellow"))
    for phase in result.phases:
        lines = [
            f"{styled(criterion.status, STATUS_STYLE)}  {plain(criterion.description)}"
            + "".join(f"\n    {plain(reason)}" for reason in criterion.reasons)
            for criterion in phase.criteria
        ]
        if phase.status == "locked":
            lines = ["checked once the earlier phases are complete (no phase is skipped)"]
        console.print(
            Panel(
                "\n".join(lines),
                title=(
                    f"Phase {phase.number}: {plain(phase.name)}: "
                    f"{styled(phase.status, STATUS_STYLE)}"
                ),
                title_align="left",
            )
        )
    state = "all phases complete" if result.completed else f"current phase: {result.current_phase}"
    console.print(
        f"{state}; {result.sessions_logged} session days logged "
        f"(plan: {result.planned_sessions_per_week} a week)",
        highlight=False,
        markup=False,
    )
    if checklist is not None:
        print_checklist(checklist)


def print_checklist(checklist: RtsChecklist) -> None:
    goal = checklist.goal.replace("_", " ")
    table = Table(
        title=plain(f"Return-to-{goal} checklist: {'ready' if checklist.ready else 'not yet'}"),
        title_justify="left",
    )
    for column in ("Criterion", "Result", "Value", "Pass", "Evidence", "Sources"):
        table.add_column(column)
    for item in checklist.criteria:
        value = "—" if item.value is None else f"{item.value:g} {item.unit}"
        note = f"\n[dim]{plain(item.note)}[/]" if item.note else ""
        table.add_row(
            f"{plain(item.label)}{note}",
            styled(item.status, STATUS_STYLE),
            plain(value),
            plain(item.threshold),
            evidence_status(item.evidence_status),
            plain(", ".join(item.sources)),
        )
    console.print(table)


VERDICT_STYLE = {
    "improved": "green",
    "worse": "red",
    "no_meaningful_change": "yellow",
    "not_comparable": "dim",
}


def print_changes(changes: list[Change]) -> None:
    table = Table(title="Change since the baseline assessment", title_justify="left")
    for column in (
        "Measure",
        "Before",
        "After",
        "Change",
        "Needed",
        "Verdict",
        "Evidence",
        "Sources",
    ):
        table.add_column(column)
    for change in changes:

        def shown(value: float | None) -> str:
            return "—" if value is None else f"{value:g}"

        table.add_row(
            plain(change.label),
            shown(change.before),
            shown(change.after),
            "—" if change.change is None else f"{change.change:+g}",
            plain(change.needed),
            styled(change.verdict, VERDICT_STYLE),
            evidence_status(change.status),
            plain(", ".join(change.sources)),
        )
    console.print(table)
