"""Keep the pose model's C++ log lines off the user's terminal.

MediaPipe and TensorFlow Lite write start-up notes straight to file
descriptor 2 ("Created TensorFlow Lite XNNPACK delegate", "W0000 …
Feedback manager requires …"): harmless, but they look like errors in the
middle of the progress bar and the results. While the analysis runs,
:func:`native_stderr_captured` points descriptor 2 at a temporary file and
keeps Python's own ``sys.stderr`` (the progress bar, error messages) on the
terminal. If the command fails unexpectedly, the captured lines are shown
after all, since they may say why.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import IO

from hipfirst.errors import HipfirstError

STDERR_FD = 2
SHOWN_ON_FAILURE_BYTES = 4000  # the tail of the captured log shown when a run fails


def _is_descriptor_2(stream: IO[str]) -> bool:
    try:
        return stream.fileno() == STDERR_FD
    except (AttributeError, OSError, ValueError):  # a test runner's buffer, a closed stream
        return False


@contextlib.contextmanager
def native_stderr_captured() -> Iterator[None]:
    """Send what native code writes to descriptor 2 to a temporary file for the block."""
    python_stderr = sys.stderr
    python_stderr.flush()
    terminal = os.dup(STDERR_FD)
    with tempfile.TemporaryFile() as log:
        os.dup2(log.fileno(), STDERR_FD)
        if _is_descriptor_2(python_stderr):
            sys.stderr = open(  # noqa: SIM115 - closed in the finally below
                terminal,
                "w",
                encoding=python_stderr.encoding,
                errors=python_stderr.errors,
                closefd=False,
                buffering=1,
            )
        failed = False
        try:
            yield
        except HipfirstError:
            raise  # explained by its own message; the native notes add nothing
        except Exception:
            failed = True
            raise
        finally:
            if sys.stderr is not python_stderr:
                sys.stderr.close()
                sys.stderr = python_stderr
            os.dup2(terminal, STDERR_FD)
            os.close(terminal)
            if failed:
                log.seek(max(0, log.seek(0, os.SEEK_END) - SHOWN_ON_FAILURE_BYTES))
                text = log.read().decode("utf-8", errors="replace").strip()
                if text:
                    python_stderr.write(f"Native log of the pose model (last lines):\n{text}\n")
