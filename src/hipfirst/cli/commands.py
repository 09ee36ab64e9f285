"""Imports every command module so each registers itself on the Typer app."""

from hipfirst.cli import version  # noqa: F401
