"""Read a session log (CSV or JSON) into validated :class:`SessionEntry` records.

One entry per exercise per session with the columns / keys ``date``,
``exercise_id``, ``sets``, ``reps`` (seconds for a timed hold), ``load``,
``pain_during`` (0–10), ``pain_next_morning`` (0–10, may be empty),
``form_ok`` (yes/no), and optionally ``effort`` (0–10), ``notes`` and ``distance_km``
(a run's distance). A date after today is refused (a session is logged after it happens).

JSON is either a list of entries or ``{"version": 1, "entries": [...]}``.
Rows are numbered from 1 (the first entry; the CSV header is not counted).
Every bad row and field is reported at once, e.g.
``row 3, pain_during: must be between 0 and 10 (got 12)`` (the message lists the
first few; "did you mean" hints are looked up for those only, so a log of 60,000
wrong rows is judged in about a second). A column named twice in a CSV header, or
a key twice in a JSON entry, is an error naming both places: one of the two
values would otherwise be lost without a word.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hipfirst.core.log_checks import future_date_problem
from hipfirst.core.progress_report import LOG_BOUNDS, SessionEntry
from hipfirst.errors import MAX_SHOWN_ERRORS, FieldError, FileFormatError, InputValidationError
from hipfirst.io.documents import decode_json, shorten
from hipfirst.io.text_file import MEGABYTE, read_text_file
from hipfirst.knowledge.base import KnowledgeBase

MAX_LOG_BYTES = 5 * MEGABYTE
"""A year of daily logging is well under 1 MB; anything above 5 MB is the wrong file."""

REQUIRED = ("date", "exercise_id", "sets", "reps", "pain_during", "form_ok")
OPTIONAL = ("load", "pain_next_morning", "effort", "notes", "distance_km")
COLUMNS = REQUIRED + OPTIONAL
TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0"})


def close_matches(word: str, choices: Sequence[str], most: int = 3) -> list[str]:
    """Known ids that look like ``word`` (for 'did you mean' messages)."""
    return difflib.get_close_matches(word, list(choices), n=most, cutoff=0.5)


def _number(
    raw: object, field: str, where: str, problems: list[FieldError], *, whole: bool
) -> float | None:
    low, high = LOG_BOUNDS[field]
    kind = "a whole number " if whole else ""
    message = f"must be {kind}between {low:g} and {high:g}"
    if isinstance(raw, bool):
        problems.append(FieldError(f"{where}, {field}", message, raw))
        return None
    value: float
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip())
        except ValueError:
            problems.append(FieldError(f"{where}, {field}", message, raw))
            return None
    else:
        problems.append(FieldError(f"{where}, {field}", message, raw))
        return None
    if not math.isfinite(value) or not (low <= value <= high) or (whole and not value.is_integer()):
        shown: object = raw if not isinstance(raw, str) else _as_number(raw)
        problems.append(FieldError(f"{where}, {field}", message, shown))
        return None
    return value


def _as_number(text: str) -> object:
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() else value


def _empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _entry(
    raw: Mapping[str, Any],
    row: int,
    kb: KnowledgeBase,
    problems: list[FieldError],
    today: dt.date,
) -> SessionEntry | None:
    where = f"row {row}"
    before = len(problems)
    for key in raw:
        if key not in COLUMNS:
            problems.append(
                FieldError(f"{where}, {key}", f"unknown field; allowed: {', '.join(COLUMNS)}")
            )
    for key in REQUIRED:
        if _empty(raw.get(key)) and not (key == "form_ok" and isinstance(raw.get(key), bool)):
            problems.append(FieldError(f"{where}, {key}", "required field is missing"))
    date_raw = raw.get("date")
    date: dt.date | None = None
    if not _empty(date_raw):
        try:
            date = dt.date.fromisoformat(str(date_raw).strip())
        except ValueError:
            problems.append(
                FieldError(f"{where}, date", "must be an ISO date such as 2026-11-20", date_raw)
            )
        future = None if date is None else future_date_problem(date, today)
        if future is not None:
            problems.append(FieldError(f"{where}, date", future, str(date_raw).strip()))
    exercise_id = str(raw.get("exercise_id") or "").strip()
    if exercise_id and exercise_id not in kb.exercises:
        # hints only for the errors the message will show: difflib is slow on thousands
        shown = len(problems) < MAX_SHOWN_ERRORS
        similar = close_matches(exercise_id, sorted(kb.exercises)) if shown else []
        hint = f"; did you mean {', '.join(similar)}?" if similar else ""
        problems.append(
            FieldError(
                f"{where}, exercise_id",
                f"unknown exercise{hint} (see 'hipfirst exercises')",
                exercise_id,
            )
        )
    numbers: dict[str, float | None] = {}
    for key, whole in (
        ("sets", True),
        ("reps", True),
        ("pain_during", False),
        ("pain_next_morning", False),
        ("effort", False),
        ("distance_km", False),
    ):
        value = raw.get(key)
        numbers[key] = None if _empty(value) else _number(value, key, where, problems, whole=whole)
    form_raw = raw.get("form_ok")
    form_ok: bool | None = None
    if isinstance(form_raw, bool):
        form_ok = form_raw
    elif not _empty(form_raw):
        word = str(form_raw).strip().lower()
        if word in TRUE_WORDS:
            form_ok = True
        elif word in FALSE_WORDS:
            form_ok = False
        else:
            problems.append(FieldError(f"{where}, form_ok", "must be yes or no", form_raw))
    if len(problems) > before:
        return None
    assert date is not None and form_ok is not None
    sets, reps, during = numbers["sets"], numbers["reps"], numbers["pain_during"]
    assert sets is not None and reps is not None and during is not None
    return SessionEntry(
        date=date,
        exercise_id=exercise_id,
        sets=int(sets),
        reps=int(reps),
        load=str(raw.get("load") or "").strip(),
        pain_during=during,
        pain_next_morning=numbers["pain_next_morning"],
        form_ok=form_ok,
        effort=numbers["effort"],
        notes=str(raw.get("notes") or "").strip(),
        distance_km=numbers["distance_km"],
    )


def parse_session_log(
    records: Sequence[Mapping[str, Any]],
    source: str,
    kb: KnowledgeBase,
    today: dt.date | None = None,
) -> list[SessionEntry]:
    """Validate decoded rows; every problem of every row is reported together.

    ``today`` (default: the system date) is the latest date a session may have.
    """
    limit = today if today is not None else dt.date.today()
    problems: list[FieldError] = []
    entries: list[SessionEntry] = []
    if not records:
        raise InputValidationError(source, [FieldError("(log)", "has no entries")])
    for index, raw in enumerate(records, start=1):
        if not isinstance(raw, Mapping):
            problems.append(FieldError(f"row {index}", "must be a mapping of fields"))
            continue
        entry = _entry(raw, index, kb, problems, limit)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise InputValidationError(source, problems)
    return entries


def _listed(names: Sequence[str], most: int = 10) -> str:
    """``['a', 'b']``, cut after ``most`` names ("… and 299,990 more")."""
    shown = ", ".join(repr(shorten(name, 40)) for name in names[:most])
    more = f", … and {len(names) - most:,} more" if len(names) > most else ""
    return f"[{shown}{more}]"


def _csv_records(path: Path, text: str) -> list[dict[str, Any]]:
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")  # old Mac line endings (CR only), as Excel may write
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [row for row in reader if row]  # blank lines are skipped, as csv.DictReader does
    except csv.Error as error:
        problem = (
            f"a cell is longer than {csv.field_size_limit():,} characters"
            if "field limit" in str(error)
            else f"not a readable CSV file ({error})"
        )
        raise FileFormatError(f"{path}: line {reader.line_num}: {problem}") from None
    header = [name.strip() for name in rows[0]] if rows else []
    _check_header(path, header)
    records: list[dict[str, Any]] = []
    for cells in rows[1:]:
        record: dict[str, Any] = dict(zip(header, cells, strict=False))
        if len(cells) > len(header):
            record["(extra cells)"] = cells[len(header) :]
        records.append(record)
    return records


def _check_header(path: Path, header: list[str]) -> None:
    problems: list[FieldError] = []
    first_column: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        if name in first_column:
            problems.append(
                FieldError(
                    "header",
                    f"column {shorten(name, 40)!r} appears twice (columns {first_column[name]} "
                    f"and {number}); keep one, or one of the two values is lost",
                )
            )
        first_column.setdefault(name, number)
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if unknown:
        problems.append(
            FieldError(
                "header", f"unknown columns {_listed(unknown)}; allowed: {', '.join(COLUMNS)}"
            )
        )
    if missing:
        problems.append(FieldError("header", f"missing required columns {_listed(missing)}"))
    if problems:
        raise InputValidationError(str(path), problems)


def read_session_log(
    path: Path, kb: KnowledgeBase, today: dt.date | None = None
) -> list[SessionEntry]:
    """Read ``path`` (``.csv``, or ``.json``/a JSON document) and validate every entry
    (``today``: the latest allowed date, default the system date)."""
    text = read_text_file(
        path,
        what="a session log",
        content="UTF-8 CSV or JSON",
        expected="a CSV or JSON session log",
        max_bytes=MAX_LOG_BYTES,
    )
    document: Any
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in {"[", "{"}:
        document = decode_json(path, text)
        if isinstance(document, dict):
            unknown = sorted(set(document) - {"version", "entries"})
            if (
                unknown
                or document.get("version") != 1
                or not isinstance(document.get("entries"), list)
            ):
                raise InputValidationError(
                    str(path),
                    [
                        FieldError(
                            "(top level)",
                            'must be a list of entries or {"version": 1, "entries": [...]}',
                        )
                    ],
                )
            document = document["entries"]
        if not isinstance(document, list):
            raise InputValidationError(
                str(path), [FieldError("(top level)", "must be a list of entries")]
            )
        return parse_session_log(document, str(path), kb, today)
    return parse_session_log(_csv_records(path, text), str(path), kb, today)
