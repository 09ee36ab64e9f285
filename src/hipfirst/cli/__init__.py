"""The ``hipfirst`` command: a thin shell over the use cases (see ``cli/app.py``)."""

from hipfirst.cli.app import app


def main() -> None:
    """Console-script entry point.

    Command modules register on import; ``commands`` imports them all so ``--help``
    lists every command. ``hipfirst analyze`` registers only itself: the other
    commands' imports (the database layer, the web app's password hashing: ~0.9 s)
    would otherwise add a tenth to the analysis of a short clip.
    """
    import sys

    if len(sys.argv) > 1 and sys.argv[1] == "analyze":
        from hipfirst.cli import analyze  # noqa: F401
    else:
        from hipfirst.cli import commands  # noqa: F401

    app()


__all__ = ["app", "main"]
