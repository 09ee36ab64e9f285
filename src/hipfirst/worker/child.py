"""The analysis process: one per job, so a crash of the pose model fails only that job.

It starts with :func:`child_entry`, which ties the process to its worker and
lowers its priority before the analysis begins:

* **dies with its worker.** On Linux the kernel sends it SIGKILL when the worker
  process ends, however the worker ends (``kill -9`` included), through
  ``prctl(PR_SET_PDEATHSIG)``; if the worker was already gone before that was
  set, it exits at once. Elsewhere the lease (:mod:`hipfirst.storage.jobs`) still
  keeps an orphan from recording anything once a re-run has taken its job over.
* **runs below the web server.** ``os.nice(ANALYSIS_NICENESS)``: pages stay quick
  while a video is analysed on the same cores; the analysis takes the CPU time
  the web process leaves.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from hipfirst.application.analyses import run_analysis
from hipfirst.storage.database import make_engine

ANALYSIS_NICENESS = 10
"""Added to the worker's niceness for the analysis (0 = normal, 19 = lowest)."""
PR_SET_PDEATHSIG = 1
"""``prctl`` option from ``<linux/prctl.h>``: the signal sent when the parent dies."""

ChildTarget = Callable[[str, str, int, str | None], None]
"""What the child process runs: (data dir, database URL, analysis id, lease)."""


def die_with_parent() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; False where that is unavailable.

    Exits at once when the parent has already gone (the request would never fire).
    """
    parent = multiprocessing.parent_process()
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # orphaned before the request took hold: the worker is gone
    return True


def child_entry(
    target: ChildTarget, data_dir: str, database_url: str, analysis_id: int, lease: str | None
) -> None:
    """Process entry point: die with the worker, lower the priority, then run ``target``."""
    die_with_parent()
    os.nice(ANALYSIS_NICENESS)
    target(data_dir, database_url, analysis_id, lease)


def analysis_child(
    data_dir: str, database_url: str, analysis_id: int, lease: str | None = None
) -> None:
    """Analyse one upload and record the result, while ``lease`` is still this run's.

    Takes plain strings (it is started with multiprocessing's ``spawn``). Ctrl+C
    is left to the worker (which re-queues the job), so the child ignores it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    engine = make_engine(database_url)
    try:
        run_analysis(engine, Path(data_dir), analysis_id, lease=lease)
    finally:
        engine.dispose()
