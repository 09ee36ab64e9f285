"""``hipfirst worker``: run queued video analyses in the background (``serve`` starts one too)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from hipfirst.cli.app import app, console, report_errors
from hipfirst.cli.db import DataDirOption
from hipfirst.storage.database import make_engine
from hipfirst.storage.migrate import check_current
from hipfirst.web.settings import load_settings
from hipfirst.web.worker import run_worker


@app.command()
@report_errors
def worker(data_dir: DataDirOption = None) -> None:
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

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    console.print(f"hipfirst worker on {settings.data_dir} (Ctrl+C stops it)")
    count = run_worker(settings, should_stop=stop.is_set, log=console.print)
    console.print(f"Worker stopped after {count} job(s).")


@contextmanager
def worker_alongside(data_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A ``hipfirst worker`` child process for the duration of the block (used by ``serve``).

    A separate process, so analyses never run inside a web request and a
    crashing worker cannot take the web server down. The environment
    (``DATABASE_URL`` …) is inherited.
    """
    command = [sys.executable, "-c", "from hipfirst.cli import main; main()"]
    process = subprocess.Popen([*command, "worker", "--data-dir", str(data_dir)])
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
