"""Does the movement fit the task it was analysed as? A mismatch makes every number doubtful.

Each task's events are only meaningful when the person did that task: a balance video
analysed as ``running`` must not give stance phases and a cadence, nor two landings as
``landing``. From the events found (:class:`~hipfirst.video.events.TaskEvents`):

- **single-leg stance**: at least one hold (single-leg support of ``min_hold_s``);
- **single-leg squat / step-down**: at least one hip descent done on one leg; descents
  with both feet down are a double-leg squat;
- **landing**: a flight (both feet off the ground) followed by the contact;
- **running**: at least two contacts of each foot, and the stance phases it found.
"""

from __future__ import annotations

from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.events import TaskEvents
from hipfirst.video.types import QualityCheck

MIN_CONTACTS_PER_FOOT = 2
"""Running: fewer contacts of a foot than this is not a run (one step is not running)."""


def task_fit_check(task: VideoTask, found: TaskEvents, tracked: bool) -> QualityCheck:
    """``task_fit``: ``fits`` or ``does not fit`` with what was seen instead."""
    if not tracked:
        return QualityCheck("task_fit", None, True)
    reason = ""
    if task is VideoTask.SINGLE_LEG_STANCE and not found.reps:
        reason = (
            "no single-leg hold was found: one foot never stayed off the ground long enough "
            "while the other carried the body"
        )
    elif task in (VideoTask.SINGLE_LEG_SQUAT, VideoTask.STEP_DOWN) and not found.reps:
        reason = (
            f"the hips went down {found.descents} time(s) but never on one leg (both feet "
            "were on the ground): a double-leg squat does not fit this task"
            if found.descents
            else "no squat was found: the hips never went down far enough on one leg"
        )
    elif task is VideoTask.LANDING and not found.reps:
        reason = "both feet never left the ground together: there was no landing"
    elif task is VideoTask.RUNNING:
        fewest = min(found.contacts.values(), default=0)
        if fewest < MIN_CONTACTS_PER_FOOT or not found.reps:
            counts = ", ".join(f"{side} {count}" for side, count in found.contacts.items())
            reason = (
                f"the feet did not alternate as in running (foot contacts: {counts}; "
                f"{len(found.reps)} stance phase(s) of running length)"
            )
    if reason:
        return QualityCheck(
            "task_fit",
            "does not fit",
            False,
            f"the movement does not look like {task.value!r}: {reason}; check the task",
        )
    return QualityCheck("task_fit", "fits", True)
