"""``hipfirst serve``: run the clinic web app (and set up a fresh data folder with demo data)."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated, NoReturn

import typer

from hipfirst.application.demo import demo_logins, seed_demo
from hipfirst.cli.app import app, console, report_errors
from hipfirst.cli.db import DataDirOption
from hipfirst.cli.native_logs import native_stderr_captured
from hipfirst.settings import load_settings
from hipfirst.storage.database import make_engine
from hipfirst.storage.migrate import is_empty, upgrade
from hipfirst.worker.process import worker_alongside


@app.command()
@report_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """Start the web app. A fresh database is created, migrated and filled with demo data."""
    import uvicorn

    # The one command that imports the web edge (hipfirst.web); imported late, so
    # the other commands never load FastAPI.
    from hipfirst.web.app import create_app

    settings = load_settings(data_dir)
    engine = make_engine(settings.database_url)
    if is_empty(engine):
        upgrade(engine)
        console.print(f"Created a new database in {settings.data_dir}.")
        with native_stderr_captured():  # the demo video's analysis: no model start-up notes
            seeded = seed_demo(settings, engine, progress=console.print)
        for line in seeded:
            console.print(line)
    engine.dispose()
    web_app = create_app(settings)  # refuses an out-of-date schema
    logins = demo_logins(settings)
    if logins:
        console.print("Demo logins (also in demo-logins.txt in the data folder):")
        for line in logins:
            console.print(f"  {line}", highlight=False)
    console.print(f"hipfirst at http://{host}:{port}  (Ctrl+C stops it)")
    # uvicorn shuts down gracefully on SIGTERM and then raises the signal again
    # with the handler that was there before it: make that handler unwind this
    # function, so the worker child below is stopped too instead of orphaned.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with worker_alongside(settings.data_dir, log=console.print):  # analyses: own process
        uvicorn.run(web_app, host=host, port=port, log_level="info", proxy_headers=True)


def _exit_on_sigterm(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)
