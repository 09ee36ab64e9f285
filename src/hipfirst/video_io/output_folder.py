"""Where one analysis writes its files: checked before the pose model runs, swapped in at the end.

An analysis writes into a hidden staging folder beside ``--out``
(``.NAME.tmp-XXXXXXXX``) and renames it into place when every file is complete,
so a failed run leaves no partial folder and an earlier run's results stay as
they were. This module:

* **checks the location first** (:func:`open_staging`, called before the model):
  the parent must be a folder we can write in, with room for the outputs
  (:func:`needed_bytes`); the staging folder is created then, so a parent that is
  a file, a read-only folder or a full disk is found in milliseconds, not after
  minutes of pose estimation;
* **follows a symbolic link** given as ``--out`` when it points to a folder (the
  results replace that folder, the link stays valid and :attr:`Staging.followed`
  says so); a link to nothing or to a file is refused;
* **cleans up after killed runs**: each staging folder holds a lock file locked
  (``flock``) by its run for as long as the run lives; the kernel drops the lock
  when the process dies, even by ``kill -9``. A later run removes every staging
  (or retired ``.NAME.old-…``) folder beside it whose lock nobody holds and that
  holds nothing but hipfirst outputs;
* **maps ``OSError`` to clear messages** (:func:`output_error`): a place we may not
  write to is the user's input (:class:`~hipfirst.errors.InputValidationError`,
  exit code 2); a full disk is an :class:`~hipfirst.errors.AnalysisError` with
  ``permanent=False``, which the web worker retries.

Locking uses ``fcntl`` (Linux, macOS), like the rest of the set-up.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from hipfirst.errors import AnalysisError, FieldError, HipfirstError, InputValidationError
from hipfirst.knowledge.vocabulary import OUTPUT_FILES

LOCK_NAME = ".hipfirst-run.lock"
"""Lock file inside a staging folder; removed before the folder is moved into place."""
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?:tmp|old)-[0-9a-f]{8}$")
_OURS = OUTPUT_FILES | {f"{name}.part" for name in OUTPUT_FILES} | {LOCK_NAME}
UNLOCKED_GRACE_S = 60.0
"""A leftover folder without a lock file is removed only once it is this old."""
FIXED_BYTES = 4_000_000
"""Room for the two figures and the summary (each well under 1 MB) with a margin."""
BYTES_PER_FRAME = 2_000
"""``frames.csv`` and ``landmarks.trc`` take about 700 bytes a frame each."""
VIDEO_BYTES_PER_S = 1_000_000
"""``annotated.mp4`` (at most 1280 px, CRF 23) takes well under 1 MB a second."""
FULL_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
REFUSED_ERRNOS = frozenset(
    {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG}
)


def _refuse(out_dir: Path, message: str) -> InputValidationError:
    return InputValidationError("analyze", [FieldError("out", message, str(out_dir))])


def output_error(error: OSError, out_dir: Path) -> HipfirstError:
    """The clear message for an ``OSError`` met while preparing or writing ``out_dir``."""
    reason = error.strerror or type(error).__name__
    where = error.filename if error.filename else out_dir.parent
    if error.errno in FULL_DISK_ERRNOS:
        return AnalysisError(
            f"the disk holding {str(out_dir)!r} is full ({reason}); free some space and run "
            "the analysis again. Earlier results there are unchanged.",
            permanent=False,
        )
    if error.errno in REFUSED_ERRNOS:
        return _refuse(
            out_dir,
            f"cannot write the results there ({reason}: {str(where)!r}); "
            "give a folder you may write to",
        )
    return AnalysisError(
        f"could not write the results to {str(out_dir)!r} ({reason}); "
        "earlier results there are unchanged",
        permanent=False,
    )


def resolve_out(out_dir: Path) -> tuple[Path, Path | None]:
    """``out_dir`` made absolute, a symbolic link followed: (folder, the link followed or None).

    A link to a folder is followed (the results replace the folder it points
    to); a link to nothing or to a file is refused, naming its target.
    """
    out_dir = Path(out_dir).absolute()
    if not out_dir.is_symlink():
        return out_dir, None
    target = out_dir.resolve()
    if target.is_dir():
        return target, out_dir
    what = "a file" if target.exists() else "nothing (the link is broken)"
    raise _refuse(
        out_dir,
        f"is a symbolic link to {str(target)!r}, which is {what}; give a folder (or a link to one)",
    )


def check_output_folder(out_dir: Path) -> None:
    """Refuse to replace a file, or a folder that holds anything but an earlier analysis."""
    if out_dir.exists() and not out_dir.is_dir():
        raise _refuse(out_dir, "must be a folder, not a file")
    if not out_dir.is_dir():
        return
    try:
        entries = [entry.name for entry in out_dir.iterdir()]
    except OSError as error:
        raise output_error(error, out_dir) from None
    foreign = sorted(name for name in entries if name not in _OURS)
    if foreign:
        raise _refuse(
            out_dir,
            "folder holds other files ("
            + ", ".join(foreign[:5])
            + "); give a new or empty folder, or one from an earlier analysis",
        )


def needed_bytes(frames: int, duration_s: float, *, make_video: bool) -> int:
    """A generous estimate of the space the outputs of one analysis take."""
    video = VIDEO_BYTES_PER_S * max(duration_s, 1.0) if make_video else 0
    return int(FIXED_BYTES + BYTES_PER_FRAME * max(frames, 1) + video)


@dataclass
class Staging:
    """A staging folder in use: created and locked by :func:`open_staging`.

    ``out_dir``: where the results go (a followed link resolved); ``followed``:
    the ``--out`` link that was followed, or None; ``folder``: the staging folder.
    """

    out_dir: Path
    folder: Path
    followed: Path | None
    _lock: int | None

    def commit(self) -> None:
        """Move the complete staging folder into place (``summary.json`` must be in it)."""
        try:
            (self.folder / LOCK_NAME).unlink(missing_ok=True)
            _swap_into_place(self.folder, self.out_dir)
        except OSError as error:
            raise output_error(error, self.out_dir) from None
        finally:
            self._release()

    def discard(self) -> None:
        """Remove the staging folder (a failed or interrupted run)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor drops the flock
            self._lock = None


def open_staging(out_dir: Path, *, needed: int = 0) -> Staging:
    """Check ``out_dir``'s location, remove stale staging folders, create and lock a new one.

    Called before the pose model runs. ``needed``: bytes the outputs will take
    (:func:`needed_bytes`); a disk with less room is reported as full now.
    """
    target, followed = resolve_out(out_dir)
    check_output_folder(target)
    parent = target.parent
    try:
        if parent.exists() and not parent.is_dir():
            raise _refuse(target, f"its parent {str(parent)!r} is a file, not a folder")
        parent.mkdir(parents=True, exist_ok=True)
        remove_stale(parent)
    except OSError as error:
        raise output_error(error, target) from None
    folder = parent / f".{target.name}.tmp-{uuid.uuid4().hex[:8]}"
    try:  # from here on, any failure or interrupt removes the folder again
        folder.mkdir()  # first: a read-only or forbidden place is reported as such
        free = shutil.disk_usage(parent).free
        if needed and free < needed:
            raise AnalysisError(
                f"the disk holding {str(target)!r} is nearly full: {free / 1e6:.1f} MB free, "
                f"the results need about {needed / 1e6:.0f} MB; free some space and run the "
                "analysis again",
                permanent=False,
            )
        lock = os.open(folder / LOCK_NAME, os.O_CREAT | os.O_WRONLY, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(lock, f"{os.getpid()}\n".encode())
    except BaseException as error:
        shutil.rmtree(folder, ignore_errors=True)
        if isinstance(error, OSError):
            raise output_error(error, target) from None
        raise
    return Staging(target, folder, followed, lock)


def remove_stale(parent: Path) -> list[Path]:
    """Remove leftover staging/retired folders in ``parent`` whose run is gone; returns them.

    A folder is left alone while its lock is held (a run in progress) or when it
    holds anything hipfirst does not write.
    """
    removed: list[Path] = []
    with contextlib.suppress(OSError):
        for entry in parent.iterdir():
            leftover = _LEFTOVER.match(entry.name) and entry.is_dir() and not entry.is_symlink()
            if leftover and _is_abandoned(entry):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


def _is_abandoned(folder: Path) -> bool:
    try:
        names = {entry.name for entry in folder.iterdir()}
    except OSError:
        return False
    if not names <= _OURS:
        return False
    if LOCK_NAME not in names:
        # a run creates its lock right after the folder: give it a minute before judging
        with contextlib.suppress(OSError):
            return time.time() - folder.stat().st_mtime > UNLOCKED_GRACE_S
        return False
    try:
        handle = os.open(folder / LOCK_NAME, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: its run is alive
    finally:
        os.close(handle)
    return True


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` with ``staging`` (renames on one filesystem)."""
    if out_dir.exists():
        retired = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
        out_dir.rename(retired)
        try:
            staging.rename(out_dir)
        except OSError:
            retired.rename(out_dir)
            raise
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(out_dir)
