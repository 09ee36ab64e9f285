"""The JSON document of ``hipfirst progress --json``.

The progress report's own keys (``decisions``, ``phases``, ``current_phase`` …),
plus ``return_to_sport`` (the checklist and whether it is ``ready``) when a
re-assessment was given, and ``changes`` (each measure's change since the
baseline) when a baseline was given too.
"""

from __future__ import annotations

from typing import Any

from hipfirst.core.progress_report import ProgressReport
from hipfirst.core.reassessment import Change
from hipfirst.core.return_to_sport import RtsChecklist


def progress_to_json(
    report: ProgressReport,
    checklist: RtsChecklist | None = None,
    changes: list[Change] | None = None,
) -> dict[str, Any]:
    """The progress report (and checklist and changes, if any) as plain JSON types."""
    document = report.model_dump(mode="json")
    if checklist is not None:
        document["return_to_sport"] = {
            **checklist.model_dump(mode="json"),
            "ready": checklist.ready,
        }
    if changes is not None:
        document["changes"] = [change.model_dump(mode="json") for change in changes]
    return document
