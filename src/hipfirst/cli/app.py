"""The Typer application object and the one place errors become exit codes.

Command modules (``cli/assess.py``, ``cli/analyze.py``, …) register themselves
on :data:`app`; they parse arguments, call one use case (``hipfirst.application``),
and print. Domain errors
become one clear message: exit code 2 for unusable input, 1 for other
failures. Users never see a traceback. Messages are printed as plain text (a
:class:`rich.text.Text`), never read as markup: they quote file names and values
the user typed, and ``[/]`` in one of those must print as written.
JSON goes out through :func:`strict_json` (strict JSON: never a bare ``NaN``).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.text import Text

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
            error_console.print(_message("Error:", error), highlight=False)
            raise typer.Exit(code=EXIT_INPUT_ERROR) from None
        except HipfirstError as error:
            error_console.print(_message("Failed:", error), highlight=False)
            raise typer.Exit(code=EXIT_FAILURE) from None
        except KeyboardInterrupt:
            error_console.print("Interrupted.")
            sys.exit(130)

    return wrapper


def say(line: object) -> None:
    """Print one line of plain text (paths, ids, log lines): never read as markup."""
    console.print(line, markup=False, highlight=False)


def _message(label: str, error: Exception) -> Text:
    return Text.assemble((label, "bold red"), " ", str(error))


def strict_json(document: Any) -> str:
    """``document`` as indented strict JSON; a non-finite number is a bug, said as one."""
    try:
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError as error:
        raise HipfirstError(
            f"the result holds a number that is not finite ({error}); this is a bug in "
            "hipfirst, please report it with the input file"
        ) from None


@app.callback()
def _root() -> None:
    """hipfirst: knee pain treated at the hip. Run a command with --help for details."""
