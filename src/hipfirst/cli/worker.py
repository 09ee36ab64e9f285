"""``hipfirst worker``: run queued video analyses in the background (``serve`` starts one too)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from hipfirst.cli.app import app, console, report_errors
from hipfirst.cli.db import DataDirOption
from hipfirst.settings import load_settings
from hipfirst.storage.database import make_engine
from hipfirst.storage.migrate import check_current
from hipfirst.web.worker import run_worker


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

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    console.print(f"hipfirst worker on {settings.data_dir} (Ctrl+C stops it)")

    def should_stop() -> bool:
        # A serve killed outright (SIGKILL) cannot stop its worker: notice the orphaning.
        return stop.is_set() or (parent_pid is not None and os.getppid() != parent_pid)

    count = run_worker(settings, should_stop=should_stop, log=console.print)
    console.print(f"Worker stopped after {count} job(s).")


class WorkerProcess:
    """The ``hipfirst worker`` child of ``serve``, started again if it ends with an error.

    A clean exit (code 0, e.g. after Ctrl+C reached the whole process group)
    is not restarted. ``restarts`` counts the restarts so far.
    """

    def __init__(self, data_dir: Path, check_every_s: float) -> None:
        self.command = [
            sys.executable,
            "-c",
            "from hipfirst.cli import main; main()",
            "worker",
            "--data-dir",
            str(data_dir),
            "--parent-pid",
            str(os.getpid()),
        ]
        self.check_every_s = check_every_s
        self.restarts = 0
        self.process = subprocess.Popen(self.command)
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="worker-watch", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stopping.wait(self.check_every_s):
            code = self.process.poll()
            if code is not None and code != 0 and not self._stopping.is_set():
                console.print(f"The analysis worker ended with code {code}; starting it again.")
                # Replace the process before counting, so a reader that sees the
                # new count also sees the new process.
                self.process = subprocess.Popen(self.command)
                self.restarts += 1

    def stop(self) -> None:
        self._stopping.set()
        self._watcher.join()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def worker_alongside(data_dir: Path, *, check_every_s: float = 5.0) -> Iterator[WorkerProcess]:
    """A ``hipfirst worker`` child process for the duration of the block (used by ``serve``).

    A separate process, so analyses never run inside a web request and a
    crashing worker cannot take the web server down (nor the other way
    round: it is restarted). The environment (``DATABASE_URL`` …) is inherited.
    """
    worker = WorkerProcess(data_dir, check_every_s)
    try:
        yield worker
    finally:
        worker.stop()
