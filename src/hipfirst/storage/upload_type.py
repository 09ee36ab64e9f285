"""What kind of file an upload is, judged from its first bytes (never from its name).

A phone or a browser may send any file name and any declared content type;
only the container signature tells whether the analysis can read the file.
The suffix returned is the one hipfirst gives the stored copy, because the
decoder picks its reader (video container or still image) from the suffix.
"""

from __future__ import annotations

from dataclasses import dataclass

# Bytes needed to recognise every signature below (AVI needs 12, ftyp brands 12).
HEAD_BYTES = 16

ALLOWED_DESCRIPTION = (
    "a video (MP4, MOV, M4V, WebM, MKV or AVI) or a still image (JPEG or PNG), "
    "recognised by the file's content"
)

# QuickTime files written by older cameras may start with another top-level atom.
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})


@dataclass(frozen=True)
class UploadType:
    """A recognised container: a readable name and the suffix the stored copy gets."""

    label: str
    suffix: str


def detect_upload_type(head: bytes) -> UploadType | None:
    """The container of a file starting with ``head`` (its first bytes), or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return UploadType("QuickTime video", ".mov")
        if brand.startswith(b"M4V"):
            return UploadType("M4V video", ".m4v")
        return UploadType("MP4 video", ".mp4")
    if len(head) >= 8 and head[4:8] in _QUICKTIME_ATOMS:
        return UploadType("QuickTime video", ".mov")
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        # WebM is Matroska with a "webm" doctype; the decoder reads both the same way.
        return UploadType("WebM/Matroska video", ".webm")
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return UploadType("AVI video", ".avi")
    if head.startswith(b"\xff\xd8\xff"):
        return UploadType("JPEG image", ".jpg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return UploadType("PNG image", ".png")
    return None
