"""``hipfirst version``: the installed hipfirst version."""

from __future__ import annotations

from hipfirst import __version__
from hipfirst.cli.app import app, console, report_errors


@app.command()
@report_errors
def version() -> None:
    """Show the hipfirst version."""
    console.print(f"hipfirst {__version__}")
