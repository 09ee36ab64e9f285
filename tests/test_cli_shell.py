"""The CLI shell itself: help, version, and error-to-exit-code mapping."""

from __future__ import annotations

from typer.testing import CliRunner

from hipfirst import __version__
from hipfirst.cli import app
from hipfirst.cli import commands as _commands  # noqa: F401  (registers commands)

runner = CliRunner()


def test_it_prints_the_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"hipfirst {__version__}"


def test_it_lists_commands_in_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "version" in result.output
