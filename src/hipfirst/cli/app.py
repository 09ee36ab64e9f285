"""The Typer application object and the one place errors become exit codes.

Command modules (``cli/assess.py``, ``cli/analyze.py``, …) register themselves
on :data:`app`; they parse arguments, call one use case (``hipfirst.application``),
and print. Domain errors
become one clear message: exit code 2 for unusable input, 1 for other
failures. Users never see a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from hipfirst.errors import HipfirstError, InputError

EXIT_INPUT_ERROR = 2
EXIT_FAILURE = 1

app = typer.Typer(
    name="hipfirst",
    help="Hip-focused assessment, video movement analysis and rehabilitation for knee pain.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
error_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def report_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn hipfirst errors raised by a command into a message and an exit code."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            error_console.print(f"[bold red]Error:[/] {error}", markup=True, highlight=False)
            raise typer.Exit(code=EXIT_INPUT_ERROR) from None
        except HipfirstError as error:
            error_console.print(f"[bold red]Failed:[/] {error}", markup=True, highlight=False)
            raise typer.Exit(code=EXIT_FAILURE) from None
        except KeyboardInterrupt:
            error_console.print("Interrupted.")
            sys.exit(130)

    return wrapper


@app.callback()
def _root() -> None:
    """hipfirst: knee pain treated at the hip. Run a command with --help for details."""
