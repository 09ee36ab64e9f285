"""The ``hipfirst`` command: a thin shell over the use cases (see ``cli/app.py``)."""

from hipfirst.cli.app import app


def main() -> None:
    """Console-script entry point."""
    # Command modules register on import; keep the list here so --help shows them all.
    from hipfirst.cli import commands  # noqa: F401

    app()


__all__ = ["app", "main"]
