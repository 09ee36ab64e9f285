"""Use case: progress a plan file with a session log (``hipfirst progress PLAN LOG``).

Optionally with a re-assessment (its return-to-sport checklist decides the last
phase's criterion) and a baseline assessment (which changes since it reach their
MCID / MDC; needs the re-assessment to compare with).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hipfirst.application.assessment_files import assess_with
from hipfirst.core.progress_report import ProgressReport
from hipfirst.core.progression import evaluate_progress
from hipfirst.core.reassessment import Change, compare_reports
from hipfirst.core.return_to_sport import Goal, RtsChecklist, return_to_sport_checklist
from hipfirst.errors import FieldError, InputValidationError
from hipfirst.io.plan_file import read_plan
from hipfirst.io.session_log import read_session_log
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import GOALS


def parse_goal(goal: str) -> Goal:
    """A goal id (``running``, ``sport``, ``daily_life``, ``walking``, ``stairs``), else an
    input error naming ``--goal``."""
    for known in GOALS:
        if goal == known:
            return known
    raise InputValidationError(
        "progress", [FieldError("--goal", f"must be one of: {', '.join(GOALS)}", goal)]
    )


@dataclass(frozen=True)
class Progress:
    """The progress report, with the checklist and changes when they were asked for."""

    report: ProgressReport
    checklist: RtsChecklist | None = None
    changes: list[Change] | None = None


def progress_files(
    plan_path: Path,
    log_path: Path,
    *,
    reassessment: Path | None = None,
    baseline: Path | None = None,
    goal: str | None = None,
) -> Progress:
    """Decide each logged exercise and check each phase's criteria.

    ``goal`` is the goal of the return checklist; default the plan's goal (plans written
    before goals existed: ``running``). Raises an input error for an unknown goal,
    unusable files (a session dated after today among them), or a baseline without a
    re-assessment.
    """
    kb = knowledge_base()
    chosen = parse_goal(goal) if goal is not None else None
    if baseline is not None and reassessment is None:
        raise InputValidationError(
            "progress", [FieldError("--baseline", "needs --reassessment to compare with")]
        )
    plan = read_plan(plan_path, kb)
    log = read_session_log(log_path, kb)
    goal_value: Goal = chosen or plan.goal or "running"
    checklist = None
    changes: list[Change] | None = None
    if reassessment is not None:
        follow_up = assess_with(reassessment, kb).report
        checklist = return_to_sport_checklist(follow_up, kb, goal=goal_value)
        if baseline is not None:
            changes = compare_reports(assess_with(baseline, kb).report, follow_up, kb)
    report = evaluate_progress(plan, log, kb, reassessment=checklist)
    return Progress(report, checklist, changes)
