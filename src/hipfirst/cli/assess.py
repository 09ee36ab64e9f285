"""``hipfirst assess FILE [--json]``: screening, measures, findings and contributors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table

from hipfirst.application.assessment_files import assess_file
from hipfirst.cli.app import app, console, report_errors, strict_json
from hipfirst.cli.styles import evidence_status, plain
from hipfirst.core.report import AssessmentReport
from hipfirst.core.shown_number import with_status
from hipfirst.knowledge.base import KnowledgeBase


@app.command()
@report_errors
def assess(
    file: Annotated[Path, typer.Argument(help="Assessment file (YAML or JSON, format v1).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as one JSON object.")
    ] = False,
) -> None:
    """Screen, measure and explain one assessment file."""
    assessed = assess_file(file)
    if as_json:
        typer.echo(strict_json(assessed.report.to_json()))
        return
    print_report(assessed.report, assessed.kb, str(file))


def _sources(ids: list[str]) -> str:
    """Reference ids (``hipfirst`` users look them up in the knowledge base), markup-safe."""
    return plain(", ".join(ids))


URGENCY_HEADLINE = {
    "emergency": "EMERGENCY: go to an emergency department today.",
    "urgent": "URGENT: see a doctor within the next few days.",
    "routine": "Routine: book an ordinary appointment with your doctor or physiotherapist.",
}


def print_report(report: AssessmentReport, kb: KnowledgeBase, title: str) -> None:
    """Readable summary: screening first (urgency first, red when referring), then the details."""
    screening = report.screening
    if screening.refer:
        headline = URGENCY_HEADLINE.get(screening.urgency or "", "")
        body = "\n".join(f"• {plain(reason)}" for reason in screening.reasons)
        console.print(
            Panel(
                f"[bold]{headline}[/]\n[bold]REFER before any exercise programme.[/]\n{body}",
                title=f"Screening: {plain(title)}",
                border_style="red",
                style="red",
            )
        )
    else:
        console.print(
            Panel(
                "No red flags reported.", title=f"Screening: {plain(title)}", border_style="green"
            )
        )
    hip = report.hip_origin
    if hip.suspected:
        lines = "\n".join(f"• {plain(reason)}" for reason in hip.reasons)
        conditions = plain(", ".join(hip.conditions_to_consider))
        console.print(
            Panel(
                f"{lines}\nConditions to consider: {conditions}",
                title="The pain may come from the hip: hip examination advised",
                border_style="yellow",
            )
        )
    else:
        console.print(f"Hip origin: not suspected ({'; '.join(hip.reasons)}).", markup=False)
    pfp = report.pfp_criteria
    console.print(
        f"Patellofemoral pain criteria (Willy 2019): [bold]{plain(pfp.status.replace('_', ' '))}[/]"
        f" ({plain('; '.join(pfp.reasons))})."
    )
    console.print(f"Involved side: {report.involved_side}", markup=False)
    print_differentials(report)

    measures = Table(title="Measures", show_lines=False)
    measures.add_column("Measure", ratio=3)
    measures.add_column("Side")
    measures.add_column("Value", justify="right", no_wrap=True)
    measures.add_column("Compared with", ratio=1)
    measures.add_column("Status")
    measures.add_column("Source", ratio=1)
    for measure in report.measures.values():
        compared = ""
        if measure.measure_ref is not None and measure.measure_ref in kb.measures:
            compared = plain(with_status(kb.measures[measure.measure_ref]))
        value = plain(f"{measure.value:g} {measure.unit}")
        if measure.doubtful:
            value += " [red](doubtful)[/]"
        measures.add_row(
            plain(measure.label),
            plain(measure.side or ""),
            value,
            compared,
            evidence_status(measure.status),
            _sources(measure.sources),
        )
    console.print(measures)

    if report.findings:
        findings = Table(title="Findings")
        for column in ("Finding", "Side", "Value", "Threshold", "Status", "Source"):
            findings.add_column(column)
        for finding in report.findings:
            value = (
                f"{finding.value:g} {finding.unit}"
                if isinstance(finding.value, float)
                else str(finding.value)
            )
            findings.add_row(
                plain(finding.label),
                plain(finding.side or ""),
                plain(value),
                plain(finding.threshold),
                evidence_status(finding.status),
                _sources(finding.sources),
            )
        console.print(findings)
    else:
        console.print("Findings: none past a threshold.")

    if report.contributors:
        console.print("[bold]What is contributing to your knee pain[/]")
        for contributor in report.contributors:
            sides = f" ({', '.join(contributor.sides)})" if contributor.sides else ""
            console.print(f"[bold cyan]{plain(contributor.name + sides)}[/]")
            console.print(f"  {contributor.patient_explanation}", markup=False)
            console.print(
                f"  [dim]Based on: {plain(', '.join(contributor.evidence))}. "
                f"Sources: {_sources(contributor.sources)}[/]"
            )
    if report.contradictions:
        console.print("[bold yellow]Data to check (contradictions)[/]")
        for check in report.contradictions:
            console.print(f"  • {check.message}", markup=False)
    if report.missing:
        console.print("[bold]Not assessed / missing[/]")
        for line in report.missing:
            console.print(f"  • {line}", markup=False)


def print_differentials(report: AssessmentReport) -> None:
    """Other conditions the data point to, with the data, the advice and any precaution."""
    if not report.differentials:
        return
    lines = []
    for item in report.differentials:
        urgency = f", {plain(item.urgency)}" if item.urgency else ""
        left_out = plain(", ".join([*item.excludes_load_types, *item.excludes_exercises]))
        precaution = (
            f"\n    [yellow]until a clinician clears it: {left_out} left out "
            f"(exam.precautions_cleared: {plain(item.precaution)})[/]"
            if item.precaution_active
            else ""
        )
        lines.append(
            f"• [bold]{plain(item.name)}[/]{urgency} ({evidence_status(item.status)}): "
            f"{plain('; '.join(item.why))}\n    {plain(item.advice)}{precaution}"
        )
    console.print(
        Panel("\n".join(lines), title="Other conditions to consider", border_style="yellow")
    )
