"""``hipfirst worker``: run queued video analyses in the background (``serve`` starts one too)."""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType
from typing import Annotated

import typer

from hipfirst.cli.app import app, report_errors, say
from hipfirst.cli.db import DataDirOption
from hipfirst.settings import load_settings
from hipfirst.storage.database import make_engine
from hipfirst.storage.migrate import check_current
from hipfirst.worker.loop import run_worker


@app.command()
@report_errors
def worker(
    data_dir: DataDirOption = None,
    parent_pid: Annotated[
        int | None,
        typer.Option(hidden=True, help="Stop when this process (hipfirst serve) is gone."),
    ] = None,
) -> None:
    """Analyse uploaded videos one at a time until stopped (Ctrl+C or SIGTERM).

    Jobs left running by an earlier stop are queued again on start.
    """
    settings = load_settings(data_dir)
    engine = make_engine(settings.database_url)
    try:
        check_current(engine)  # refuses an out-of-date schema, like the web app
    finally:
        engine.dispose()
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    def should_stop() -> bool:
        # A serve killed outright (SIGKILL) cannot stop its worker: notice the orphaning.
        return stop.is_set() or (parent_pid is not None and os.getppid() != parent_pid)

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    say(f"hipfirst worker on {settings.data_dir} (Ctrl+C stops it)")
    count = run_worker(settings, should_stop=should_stop, log=say)
    say(f"Worker stopped after {count} job(s).")
