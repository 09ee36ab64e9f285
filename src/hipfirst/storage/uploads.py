"""Storing an uploaded file: typed by its content, copied in chunks, under a generated name.

The copy goes to a ``.partial-…`` file first and is renamed into place only
when complete, so a refused or broken upload leaves nothing behind.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import BinaryIO

from hipfirst.errors import FileFormatError
from hipfirst.storage.files import generated_upload_name
from hipfirst.storage.upload_type import ALLOWED_DESCRIPTION, HEAD_BYTES, detect_upload_type

CHUNK = 1024 * 1024
"""Bytes copied at a time (1 MiB)."""


def store_upload(stream: BinaryIO, shown_name: str | None, folder: Path, limit: int) -> str:
    """Copy ``stream`` to ``folder`` and return the generated name of the copy.

    The type (and so the suffix) is judged from the first bytes; a file over
    ``limit`` bytes is refused while copying. ``shown_name`` is the name the
    user gave the file, used in messages only. Raises
    :class:`~hipfirst.errors.FileFormatError` with a message for the user.
    """
    head = stream.read(HEAD_BYTES)
    if not head:
        raise FileFormatError("the file is empty; choose a video or photo to upload")
    kind = detect_upload_type(head)
    if kind is None:
        shown = shown_name or "the file"
        raise FileFormatError(
            f"{shown!r} is not a file hipfirst can analyse; allowed: {ALLOWED_DESCRIPTION}"
        )
    folder.mkdir(parents=True, exist_ok=True)
    name = generated_upload_name(kind.suffix)
    partial = folder / f".partial-{secrets.token_hex(8)}"
    size = len(head)
    try:
        with partial.open("wb") as out:
            out.write(head)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    break
                out.write(chunk)
        if size > limit:
            raise FileFormatError(
                f"the file is larger than the limit of {limit // (1024 * 1024)} MB"
            )
        partial.replace(folder / name)
    finally:
        partial.unlink(missing_ok=True)
    return name
