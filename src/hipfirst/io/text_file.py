"""Guarded reading of the small text files hipfirst accepts (assessments, logs, plans).

One place decides what an unusable file is told: missing, not a file, larger than
its limit (checked before the file is read whole), unreadable, not UTF-8 (a BOM is
accepted, as spreadsheet programs write one), or empty; and how a JSON syntax error
is reported (line and column).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hipfirst.errors import FileFormatError, OutputFileError
from hipfirst.io.documents import decode_json

__all__ = [
    "MEGABYTE",
    "check_output_path",
    "decode_json",
    "read_text_file",
    "write_text_atomically",
]

MEGABYTE = 1024 * 1024


def read_text_file(path: Path, *, what: str, content: str, expected: str, max_bytes: int) -> str:
    """Return the text of ``path`` or raise :class:`FileFormatError` naming the problem.

    ``what`` names the kind of file with its article ("a session log"), ``content``
    the text format for the not-UTF-8 message ("UTF-8 CSV or JSON") and ``expected``
    what an empty file should have held ("a CSV or JSON session log").
    """
    if not path.exists():
        raise FileFormatError(f"{path}: file not found")
    if not path.is_file():
        raise FileFormatError(f"{path}: not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileFormatError(
            f"{path}: file is {size / MEGABYTE:.0f} MB; {what} must be at most "
            f"{max_bytes / MEGABYTE:g} MB (is this the right file?)"
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FileFormatError(f"{path}: cannot be read ({error.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileFormatError(f"{path}: not a text file (expected {content})") from None
    if not text.strip():
        raise FileFormatError(f"{path}: the file is empty; expected {expected}")
    return text


def check_output_path(path: Path, *, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse an output ``path`` that cannot be a new file, before any work is done.

    A folder, a missing parent folder, and any of ``inputs`` (writing a plan over
    the assessment it was made from would destroy it) raise :class:`OutputFileError`.
    """
    if path.is_dir():
        raise OutputFileError(
            f"{path}: is a folder; give a file name, such as {path / 'plan.json'}"
        )
    if not path.parent.is_dir():
        what = "is not a folder" if path.parent.exists() else "does not exist"
        raise OutputFileError(f"{path}: cannot be written: the folder {path.parent} {what}")
    for source in inputs:
        if path.exists() and source.exists() and path.samefile(source):
            raise OutputFileError(
                f"{path}: is the input file {source}; writing there would replace it. "
                "Choose another file name."
            )


def _file_mode() -> int:
    """What a new file gets with this process's umask (mkstemp would make it 0600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so it is either complete or untouched.

    The text goes to a temporary file in the same folder, is flushed to disk,
    and is then renamed over ``path`` (atomic on POSIX). If anything fails (a
    full or read-only disk) the temporary file is removed, ``path`` keeps what it
    had, and :class:`OutputFileError` says why.
    """
    check_output_path(path)
    data = text.encode("utf-8")
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise OutputFileError(f"{path}: cannot be written ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        staged = Path(temporary)
        staged.chmod(path.stat().st_mode & 0o777 if path.exists() else _file_mode())
        staged.replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputFileError(
            f"{path}: cannot be written ({error.strerror}); nothing was written"
        ) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
