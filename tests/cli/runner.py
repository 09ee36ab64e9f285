"""One way for the CLI tests to run a command: the real app, every command registered."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from typer.testing import CliRunner, Result

from hipfirst.cli import app
from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
"""The example assessment files shipped with the repository."""

_runner = CliRunner()


def invoke(args: Sequence[str]) -> Result:
    """Run ``hipfirst ARGS`` in-process and return its exit code and output."""
    return _runner.invoke(app, list(args))
