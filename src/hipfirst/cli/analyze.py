"""``hipfirst analyze``: movement analysis of a phone video (or a still image).

SIGTERM (``kill``, a closing terminal, a service manager) is turned into the same
clean stop as Ctrl+C while the analysis runs (once MediaPipe is imported), so the
half-written staging folder beside ``--out`` is removed on the way out; after
``kill -9`` nothing can run, and the next analysis beside it removes the leftover
(:mod:`hipfirst.video_io.output_folder`).
"""

from __future__ import annotations

import contextlib
import json
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from hipfirst.cli.app import app, console, error_console, report_errors
from hipfirst.cli.native_logs import native_stderr_captured
from hipfirst.knowledge.vocabulary import SIDES, VIDEO_METRICS, OutputFile, VideoTask

TASKS = ", ".join(task.value for task in VideoTask)
MODELS = "full or heavy"


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """While the analysis runs, SIGTERM raises KeyboardInterrupt (cleanup runs, exit 130)."""

    def interrupt(_signal: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread (an embedding application): leave it alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
@report_errors
def analyze(
    video: Annotated[Path, typer.Argument(help="Video (mp4, mov, m4v, avi, webm, mkv) or image.")],
    task: Annotated[str, typer.Option("--task", help=f"Movement filmed: {TASKS}.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for the results.")],
    side: Annotated[str, typer.Option("--side", help="Stance leg: left, right or auto.")] = "auto",
    sex: Annotated[
        str | None,
        typer.Option("--sex", help="female or male: selects sex-specific landing flags."),
    ] = None,
    no_video: Annotated[
        bool, typer.Option("--no-video", help="Skip annotated.mp4 (faster).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print summary.json.")] = False,
    model: Annotated[
        str | None,
        typer.Option("--model", help=f"Pose model: {MODELS} (default: full; see docs/video.md)."),
    ] = None,
    person: Annotated[
        int | None,
        typer.Option(
            "--person",
            help="Analyse this person: a candidate id listed in summary.json people "
            "(when two people could be the subject).",
        ),
    ] = None,
) -> None:
    """Measure knee valgus (FPPA), hip adduction, pelvic drop and trunk lean from a video."""
    from hipfirst.application.video_analysis import analyze_video, parse_task
    from hipfirst.video_io.pose import load_mediapipe

    chosen = parse_task(task)
    # before SIGTERM is caught: an interrupt inside an extension module's import would
    # surface as a bogus ImportError; until the staging folder exists there is nothing
    # to clean up, so the default SIGTERM (end at once) is right
    load_mediapipe()
    with (
        _sigterm_as_interrupt(),
        native_stderr_captured(),
        Progress(
            TextColumn("[bold]Analysing[/] {task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=error_console,
            transient=True,
            disable=as_json,
        ) as bar,
    ):
        job = bar.add_task(video.name, total=1.0)
        result = analyze_video(
            video,
            task=chosen,
            side=side,  # type: ignore[arg-type]  # checked inside, with a clear message
            sex=sex,  # type: ignore[arg-type]
            out_dir=out,
            make_video=not no_video,
            progress=lambda fraction: bar.update(job, completed=fraction),
            model=model,
            person=person,
        )
    written = result.out_dir or out
    if as_json:
        console.out(
            json.dumps(
                json.loads((written / OutputFile.SUMMARY).read_text("utf-8")),
                indent=2,
                allow_nan=False,
            )
        )
        return
    _print_summary(result.data, written, link=out if written != out.absolute() else None)


def _cell(metric: dict[str, object]) -> str:
    mean, sd, n = metric["mean"], metric["sd"], metric["n"]
    if mean is None:
        return "–"
    text = f"{mean:.1f}" + (f" ± {sd:.1f}" if isinstance(sd, float) else "") + f" (n={n})"
    if metric["flagged"]:
        text += " [red]flag[/]"
    if not metric["valid"]:
        text += " [yellow]doubtful[/]"
    return text


def _print_summary(data: dict[str, object], out: Path, *, link: Path | None = None) -> None:
    quality = data["quality"]
    assert isinstance(quality, dict)
    per_side = data["per_side"]
    assert isinstance(per_side, dict)
    table = Table(title=f"{data['task']}: angles in degrees (mean ± SD at each rep's event)")
    table.add_column("metric")
    for side in SIDES:
        table.add_column(side)
    table.add_column("threshold")
    for metric in VIDEO_METRICS:
        threshold = per_side["left"][metric]["threshold"]
        shown = (
            f"{threshold['description']} [{threshold['status']}]"
            if isinstance(threshold, dict)
            else "–"
        )
        table.add_row(metric, *(_cell(per_side[side][metric]) for side in SIDES), shown)
    console.print(table)
    state = "[green]good[/]" if quality["valid"] else "[yellow]doubtful[/]"
    console.print(f"Quality: {state}; people seen: {data['people_seen']}")
    for warning in quality["warnings"]:
        console.print(f"  - {warning}", highlight=False)
    if link is not None:
        console.print(f"Results written to {out} (--out {link} is a link to it)", markup=False)
    else:
        console.print(f"Results written to {out}", markup=False)
