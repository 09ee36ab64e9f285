"""Guarded reading of the small text files hipfirst accepts (assessments, logs, plans).

One place decides what an unusable file is told: missing, not a file, larger than
its limit (checked before the file is read whole), unreadable, not UTF-8 (a BOM is
accepted, as spreadsheet programs write one), or empty; and how a JSON syntax error
is reported (line and column).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hipfirst.errors import FileFormatError

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


def decode_json(path: Path, text: str) -> Any:
    """Parse JSON ``text`` read from ``path``; a syntax error names its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FileFormatError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
