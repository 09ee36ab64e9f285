"""The CLI shell itself: every command's help (purpose, arguments, options), and version."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from typer.testing import CliRunner

from hipfirst import __version__
from hipfirst.cli import app
from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)

runner = CliRunner()


@dataclass(frozen=True)
class Help:
    """What a command's ``--help`` must say."""

    purpose: str
    arguments: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    """Help texts of arguments and options, quoted whole."""


HELP: dict[str, Help] = {
    "assess": Help(
        "Screen, measure and explain one assessment file.",
        ["file"],
        ["--json"],
        ["Assessment file (YAML or JSON, format v1).", "Print the report as one JSON object."],
    ),
    "plan": Help(
        "Build a phased hip + knee programme from an assessment (or a referral).",
        ["file"],
        ["--weeks", "--json", "--out"],
        ["Programme length in weeks (6–52).", "Also write the plan JSON to this file."],
    ),
    "progress": Help(
        "Decide advance / hold / regress per exercise and check each phase's criteria.",
        ["plan_file", "log_file"],
        ["--reassessment", "--goal", "--baseline", "--json"],
        [
            "Plan JSON written by 'hipfirst plan --out'.",
            "Session log (CSV or JSON).",
            "A re-assessment file: adds the return-to-sport checklist.",
            "Goal of the return checklist: running, sport, daily_life, walking or stairs "
            "(default: the plan's goal).",
            "The first assessment: show meaningful changes since.",
        ],
    ),
    "exercises": Help(
        "List the exercise library.",
        [],
        ["--phase", "--muscle"],
        ["Only phase 1, 2 or 3.", "Only exercises targeting this muscle."],
    ),
    "explain": Help(
        "Show the full card of one exercise: cues, faults, evidence, dosage, variants.",
        ["exercise_id"],
        [],
        ["Exercise id, e.g. clamshell."],
    ),
    "analyze": Help(
        "Measure knee valgus (FPPA), hip adduction, pelvic drop and trunk lean from a video.",
        ["video"],
        ["--task", "--out", "--side", "--sex", "--no-video", "--json"],
        ["Folder for the results.", "Skip annotated.mp4 (faster).", "Print summary.json."],
    ),
    "serve": Help(
        "Start the web app. A fresh database is created, migrated and filled with demo data.",
        [],
        ["--host", "--port", "--data-dir"],
        ["Address to listen on. [default: 127.0.0.1]", "Port to listen on. [default: 8000]"],
    ),
    "worker": Help(
        "Analyse uploaded videos one at a time until stopped (Ctrl+C or SIGTERM).",
        [],
        ["--data-dir"],
        ["Jobs left running by an earlier stop are queued again on start."],
    ),
    "version": Help("Show the hipfirst version."),
    "db upgrade": Help("Apply every pending migration.", [], ["--data-dir"]),
    "db current": Help(
        "Show the database revision and whether it is the newest.", [], ["--data-dir"]
    ),
}
"""Each command's purpose (its help's first line), arguments, options and option texts."""


def _words(output: str) -> str:
    """Help text without its box drawing, runs of white space folded to one space."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─]", " ", output)).strip()


def _help(args: list[str]) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return _words(result.output)


@pytest.mark.parametrize("command", sorted(HELP))
def test_it_explains_each_command_with_its_purpose_arguments_and_options(command: str) -> None:
    expected = HELP[command]
    text = _help(command.split())
    usage = " ".join(
        [f"Usage: hipfirst {command} [OPTIONS]", *(f"{{{name}}}" for name in expected.arguments)]
    )
    assert text.startswith(f"{usage} {expected.purpose}"), text
    for option in [*expected.options, "--help"]:
        assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text), option
    for phrase in expected.phrases:
        assert phrase in text


def test_it_lists_every_command_with_its_purpose_in_the_main_help() -> None:
    text = _help([])
    assert text.startswith(
        "Usage: hipfirst [OPTIONS] COMMAND [ARGS]... Hip-focused assessment, video movement "
        "analysis and rehabilitation for knee pain."
    )
    for command, expected in HELP.items():
        if " " not in command:
            assert f" {command} {expected.purpose} " in f" {text} "
    assert text.endswith(" db Database schema: apply migrations, show the current revision.")


def test_it_lists_the_database_commands() -> None:
    text = _help(["db"])
    assert "upgrade Apply every pending migration." in text
    assert "current Show the database revision and whether it is the newest." in text


def test_it_prints_the_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"hipfirst {__version__}"
