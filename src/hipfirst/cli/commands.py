"""Imports every command module so each registers itself on the Typer app."""

from hipfirst.cli import analyze as _analyze  # noqa: F401
from hipfirst.cli import assess as _assess  # noqa: F401
from hipfirst.cli import db as _db  # noqa: F401
from hipfirst.cli import exercises as _exercises  # noqa: F401
from hipfirst.cli import plan as _plan  # noqa: F401
from hipfirst.cli import progress as _progress  # noqa: F401
from hipfirst.cli import serve as _serve  # noqa: F401
from hipfirst.cli import version  # noqa: F401
from hipfirst.cli import worker as _worker  # noqa: F401
