"""``hipfirst db upgrade|current``: the database schema, through Alembic migrations only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hipfirst.cli.app import app, report_errors, say
from hipfirst.settings import load_settings
from hipfirst.storage.database import make_engine
from hipfirst.storage.migrate import current_revision, head_revision, upgrade

db_app = typer.Typer(
    help="Database schema: apply migrations, show the current revision.", no_args_is_help=True
)
app.add_typer(db_app, name="db")

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder for the database, uploads and the secret key "
        "(default: $HIPFIRST_DATA_DIR, else $XDG_DATA_HOME/hipfirst or ~/.local/share/hipfirst). "
        "DATABASE_URL overrides the database.",
        file_okay=False,
    ),
]


@db_app.command("upgrade")
@report_errors
def upgrade_command(data_dir: DataDirOption = None) -> None:
    """Apply every pending migration."""
    settings = load_settings(data_dir)
    engine = make_engine(settings.database_url)
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    if before == after:
        say(f"Database already at the newest revision {after}.")
    else:
        say(f"Database upgraded from {before or 'empty'} to {after}.")


@db_app.command("current")
@report_errors
def current_command(data_dir: DataDirOption = None) -> None:
    """Show the database revision and whether it is the newest."""
    settings = load_settings(data_dir)
    current = current_revision(make_engine(settings.database_url))
    head = head_revision()
    state = "up to date" if current == head else "out of date: run `hipfirst db upgrade`"
    say(f"Database revision {current or 'none (empty)'}; newest {head}; {state}.")
