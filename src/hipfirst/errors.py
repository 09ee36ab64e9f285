"""The exception tree of hipfirst, drawn once.

::

    HipfirstError                 base of everything we raise on purpose
    ├── InputError                the user's input cannot be used (CLI exit code 2)
    │   ├── InputValidationError  one or more field errors, reported together
    │   ├── FileFormatError       unreadable, empty, too large or malformed file
    │   ├── OutputFileError       an output file cannot be written where asked
    │   ├── VideoInputError       not a video, corrupt, zero frames, unusable
    │   ├── DatabaseUrlError      DATABASE_URL names a database hipfirst cannot use
    │   └── SignInError           wrong e-mail or password, or (``blocked``) too many tries
    ├── KnowledgeBaseError        a shipped data file is broken (a bug in hipfirst)
    ├── SchemaOutOfDateError      the database schema is not the one this code needs
    ├── AnalysisError             processing failed; ``permanent`` says if a retry can help
    ├── AnalysisCancelledError    an analysis was cancelled while it ran (stops the run)
    └── LoginRequiredError        a web page needs a signed-in user (sends to sign-in)

Messages name the field, the value and what is allowed; callers print
``str(error)`` and never a traceback. The last two are signals, not failures:
the worker and the web app catch them and never show them as errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class HipfirstError(Exception):
    """Base class for errors hipfirst raises deliberately."""


class InputError(HipfirstError):
    """The user's input cannot be used as given."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field.

    ``location`` is a dotted path such as ``exam.strength_n.hip_abduction.left``.
    """

    location: str
    message: str
    value: object = None

    def __str__(self) -> str:
        shown = "" if self.value is None else f" (got {_cut(repr(self.value))})"
        return f"{_cut(self.location)}: {_cut(self.message, MAX_MESSAGE_CHARS)}{shown}"


MAX_SHOWN_ERRORS = 20
"""An error message lists this many field errors, then says how many more there are."""
MAX_VALUE_CHARS = 200
"""An echoed value (or location) is cut to this many characters, with its length said."""
MAX_MESSAGE_CHARS = 400


def _cut(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


class InputValidationError(InputError):
    """Several field errors reported together, so the user fixes them in one go.

    ``errors`` keeps every one; the message lists the first :data:`MAX_SHOWN_ERRORS`
    and then "… and N more", so a file with thousands of mistakes stays readable.
    """

    def __init__(self, source: str, errors: Sequence[FieldError]) -> None:
        self.source = source
        self.errors = list(errors)
        count = len(self.errors)
        lines = [f"  - {error}" for error in self.errors[:MAX_SHOWN_ERRORS]]
        if count > MAX_SHOWN_ERRORS:
            lines.append(f"  … and {count - MAX_SHOWN_ERRORS:,} more")
        noun = "error" if count == 1 else "errors"
        super().__init__(f"{_cut(source, 200)}: {count:,} {noun}\n" + "\n".join(lines))


class FileFormatError(InputError):
    """A file is missing, empty, too large or not in the expected format."""


class OutputFileError(InputError):
    """An output file cannot be written where the user asked: the path is a folder, its
    folder is missing, it is the input itself, or the disk is full or read-only."""


class VideoInputError(InputError):
    """A video or image file cannot be used for analysis."""


class SignInError(InputError):
    """A sign-in was refused; ``blocked`` when it was because of too many failed attempts.

    The message never says whether the account exists.
    """

    def __init__(self, message: str, *, blocked: bool = False) -> None:
        self.blocked = blocked
        super().__init__(message)


class KnowledgeBaseError(HipfirstError):
    """A knowledge-base data file shipped with hipfirst is invalid."""


class AnalysisError(HipfirstError):
    """Processing failed after the input was accepted.

    ``permanent`` is True when retrying the same input cannot succeed. The
    background worker runs a non-permanent failure again, up to its attempts
    limit (:data:`hipfirst.storage.jobs.MAX_ATTEMPTS`); a permanent one is
    shown on the analysis page at once.
    """

    def __init__(self, message: str, *, permanent: bool = True) -> None:
        self.permanent = permanent
        super().__init__(message)


class DatabaseUrlError(InputError):
    """``DATABASE_URL`` names a database hipfirst cannot use (unsupported scheme)."""


class SchemaOutOfDateError(HipfirstError):
    """The database schema is behind (or ahead of) what this version of hipfirst needs.

    The message says which revision the database is at and what to run
    (``hipfirst db upgrade``, or the newer hipfirst that wrote it).
    """


class AnalysisCancelledError(HipfirstError):
    """The analysis was cancelled (or its patient deleted) while it ran.

    Raised by the progress callback inside the analysis process, so the
    pipeline unwinds and removes its partial output; never shown to a user.
    """


class LoginRequiredError(HipfirstError):
    """A web page needs a signed-in user; the web app answers with the sign-in page."""
