"""The ``hipfirst worker`` child of ``hipfirst serve``, started again if it ends with an error.

A separate process, so analyses never run inside a web request and a
crashing worker cannot take the web server down (nor the other way round:
it is restarted). The environment (``DATABASE_URL`` …) is inherited.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

Log = Callable[[str], object]
STOP_TIMEOUT_S = 15
"""How long a stopping worker may take (it re-queues its job) before it is killed."""


class WorkerProcess:
    """A ``hipfirst worker`` subprocess, started again if it ends with an error.

    A clean exit (code 0, e.g. after Ctrl+C reached the whole process group)
    is not restarted. ``restarts`` counts the restarts so far. The worker is
    told this process's id, so it stops when this process is gone.
    """

    def __init__(self, data_dir: Path, check_every_s: float, log: Log = print) -> None:
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
        self.log = log
        self.restarts = 0
        self.process = subprocess.Popen(self.command)
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="worker-watch", daemon=True)
        self._watcher.start()

    def _watch(self) -> None:
        while not self._stopping.wait(self.check_every_s):
            code = self.process.poll()
            if code is not None and code != 0 and not self._stopping.is_set():
                self.log(f"The analysis worker ended with code {code}; starting it again.")
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
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def worker_alongside(
    data_dir: Path, *, check_every_s: float = 5.0, log: Log = print
) -> Iterator[WorkerProcess]:
    """A ``hipfirst worker`` subprocess for the duration of the block (used by ``serve``)."""
    worker = WorkerProcess(data_dir, check_every_s, log)
    try:
        yield worker
    finally:
        worker.stop()
