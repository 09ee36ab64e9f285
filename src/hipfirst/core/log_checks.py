"""Checks on a session log before progression reads it.

* **Future dates** are refused: a session cannot be logged before it happens; the
  file edge (:mod:`hipfirst.io.session_log`) reports them as field errors.
* **Same-day rows** for one exercise are combined into one session with the worst of
  everything: the highest pain during and next morning, form OK only if every row was,
  the fewest sets and repetitions, the highest effort, the summed distance; a row with
  an unknown next-morning pain keeps it unknown unless another row knows it. The log
  notes say which rows were combined.

Pure: no I/O (today is passed in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hipfirst.core.progress_report import SessionEntry

FUTURE_DATE = "must not be after today ({today}): a session is logged after it happens"


def future_date_problem(date: dt.date, today: dt.date) -> str | None:
    """The message for a session dated after ``today``, else None."""
    return FUTURE_DATE.format(today=today.isoformat()) if date > today else None


def _worst(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return max(known) if known else None


def combine_same_day(entries: Sequence[SessionEntry]) -> tuple[list[SessionEntry], list[str]]:
    """One entry per exercise and day (oldest first), and a note per combined group."""
    groups: dict[tuple[str, dt.date], list[SessionEntry]] = {}
    for entry in entries:
        groups.setdefault((entry.exercise_id, entry.date), []).append(entry)
    combined: list[SessionEntry] = []
    notes: list[str] = []
    for (exercise_id, date), rows in groups.items():
        if len(rows) == 1:
            combined.append(rows[0])
            continue
        distances = [row.distance_km for row in rows if row.distance_km is not None]
        merged = SessionEntry(
            date=date,
            exercise_id=exercise_id,
            sets=min(row.sets for row in rows),
            reps=min(row.reps for row in rows),
            load="; ".join(dict.fromkeys(row.load for row in rows if row.load)),
            pain_during=max(row.pain_during for row in rows),
            pain_next_morning=_worst([row.pain_next_morning for row in rows]),
            form_ok=all(row.form_ok for row in rows),
            effort=_worst([row.effort for row in rows]),
            notes="; ".join(row.notes for row in rows if row.notes),
            distance_km=sum(distances) if distances else None,
        )
        combined.append(merged)
        form = "OK" if merged.form_ok else "not OK"
        notes.append(
            f"{exercise_id} on {date.isoformat()}: {len(rows)} rows combined into one session "
            f"with the worst of them (pain {merged.pain_during:g}/10, form {form}, "
            f"{merged.sets} sets of {merged.reps})"
        )
    combined.sort(key=lambda entry: entry.date)
    return combined, notes
