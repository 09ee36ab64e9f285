"""``hipfirst version``: the installed hipfirst version."""

from __future__ import annotations

from hipfirst import __version__
from hipfirst.cli.app import app, report_errors, say


@app.command()
@report_errors
def version() -> None:
    """Show the hipfirst version."""
    say(f"hipfirst {__version__}")
