"""Running-specific progression rules (the graded return of :mod:`hipfirst.core.running_return`).

* **Weekly rise**: the distance of the last 7 days (ending on the latest run) against
  the 7 days before; a rise above ``running_weekly_increase_max_pct`` holds the step and
  says next week's limit. Needs ``distance_km`` in the log for both weeks.
* **Distance before speed**: a step marked ``after_usual_running_distance`` (speed and
  hills) is reached only once the last 7 days' distance is back to the usual weekly
  distance of the assessment; unknown usual distance or no logged distance: not yet.

Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hipfirst.core.mastery import ProgressionNumbers, kb_value
from hipfirst.core.plan import Reason
from hipfirst.core.progress_report import SessionEntry
from hipfirst.core.shown_number import with_status
from hipfirst.knowledge.schema import Exercise

WEEK = dt.timedelta(days=7)


def _is_run(entry: SessionEntry, numbers: ProgressionNumbers) -> bool:
    exercise = numbers.kb.exercises.get(entry.exercise_id)
    return exercise is not None and exercise.load_type == "running"


def weekly_distances(
    log: Sequence[SessionEntry], numbers: ProgressionNumbers
) -> tuple[float | None, float | None]:
    """(this week's, last week's) logged running distance in km; None when none logged."""
    runs = [entry for entry in log if _is_run(entry, numbers)]
    if not runs:
        return None, None
    end = max(entry.date for entry in runs)

    def total(start: dt.date, stop: dt.date) -> float | None:
        found = [
            entry.distance_km
            for entry in runs
            if start < entry.date <= stop and entry.distance_km is not None
        ]
        return sum(found) if found else None

    return total(end - WEEK, end), total(end - 2 * WEEK, end - WEEK)


def running_hold(
    exercise: Exercise,
    log: Sequence[SessionEntry],
    usual_weekly_km: float | None,
    numbers: ProgressionNumbers,
) -> tuple[str, Reason] | None:
    """The weekly-rise hold for a running step, or None."""
    this_week, last_week = weekly_distances(log, numbers)
    limit = kb_value(numbers.weekly_rise.value)
    if this_week is None or not last_week:
        return None
    rise = (this_week / last_week - 1) * 100
    if rise <= limit:
        return None
    cap = last_week * (1 + limit / 100)
    return (
        f"keep next week's running at about {cap:.1f} km",
        Reason(
            text=(
                f"weekly running distance rose from {last_week:g} to {this_week:g} km "
                f"(+{rise:.0f}%), more than {with_status(numbers.weekly_rise)} a week"
            ),
            sources=list(numbers.weekly_rise.sources),
        ),
    )


def distance_gate(
    harder: Exercise,
    log: Sequence[SessionEntry],
    usual_weekly_km: float | None,
    numbers: ProgressionNumbers,
) -> Reason | None:
    """Why the runner may not move on to ``harder`` yet (speed and hills), or None."""
    if not harder.after_usual_running_distance:
        return None
    this_week, _ = weekly_distances(log, numbers)
    if usual_weekly_km is not None and this_week is not None and this_week >= usual_weekly_km:
        return None
    usual = f"{usual_weekly_km:g} km" if usual_weekly_km is not None else "not recorded"
    logged = f"{this_week:g} km" if this_week is not None else "no distance logged"
    return Reason(
        text=(
            f"{harder.name.lower()} waits until your usual weekly distance is back "
            f"(usual: {usual}; last 7 days: {logged}): distance first, then speed and hills"
        ),
        sources=["esculier_2018"],
    )
