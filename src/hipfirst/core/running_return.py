"""The graded return to running of a runner's plan (evidence.md §10; Esculier 2018).

The running steps are a chain of knowledge-base exercises: walk–run intervals of
1, 2 and 4 minutes of running, then continuous easy running, then speed and hills.
Each step is repeated on ``running_stage_sessions`` different days with pain in the
safe zone during and the next morning before the next; continuous running then builds
weekly distance by at most ``running_weekly_increase_max_pct`` a week (Nielsen 2014)
back to the weekly distance the runner ran before the pain (``patient.weekly_running_km``);
speed and hills come only after that distance is back (distance first). The progression
rules that enforce this live in :mod:`hipfirst.core.running_decisions`. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.plan import Reason, RunningReturn
from hipfirst.core.shown_number import shown
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.schema import Exercise

RUNNING_SOURCES = ["esculier_2018", "nielsen_2014"]


def running_return(
    steps: Sequence[Exercise], usual_weekly_km: float | None, kb: KnowledgeBase
) -> RunningReturn | None:
    """The return-to-running block of the plan, or None without running steps."""
    if not steps:
        return None
    runs = kb.measure("running_stage_sessions")
    rise = kb.measure("running_weekly_increase_max_pct")
    target = (
        f"your usual {usual_weekly_km:g} km a week"
        if usual_weekly_km is not None
        else "your usual weekly distance (not recorded: add patient.weekly_running_km)"
    )
    rules = [
        Reason(
            text=(
                f"repeat each step on {runs.value:g} different days ({runs.status}) with pain "
                "in the safe zone during the run and the next morning before the next step; "
                "run on non-consecutive days"
            ),
            sources=list(runs.sources),
        ),
        Reason(
            text=(
                f"once you run continuously, raise the weekly distance by no more than "
                f"{rise.value:g} {rise.unit} ({rise.status}) a week until you are back to "
                f"{target}; log the distance of each run "
                "(in km) so the rise can be checked"
            ),
            sources=list(rise.sources),
        ),
        Reason(
            text=(
                "distance first: speed work and hills only after the usual weekly distance is back"
            ),
            sources=["esculier_2018"],
        ),
    ]
    return RunningReturn(
        usual_weekly_km=usual_weekly_km,
        stages=[f"{step.name}: {step.dosage.load}" for step in steps],
        runs_per_stage=shown(runs),
        max_weekly_rise=shown(rise),
        rules=rules,
    )
