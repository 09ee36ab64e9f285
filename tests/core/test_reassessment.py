"""Re-assessment against baseline: changes judged by their MCID / MDC."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from hipfirst.core.assessment import parse_assessment
from hipfirst.core.reasoning import assess
from hipfirst.core.reassessment import Change, change_verdict, compare_reports
from hipfirst.core.report import AssessmentReport
from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import minimal


def _report(worst: float, akps: list[int] | None, abduction: tuple[int, int]) -> AssessmentReport:
    document: dict[str, Any] = minimal()
    document["symptoms"]["worst_pain_nrs"] = worst
    if akps is not None:
        document["questionnaires"] = {"akps": akps}
    document["exam"] = {
        "strength_n": {"hip_abduction": {"left": abduction[0], "right": abduction[1]}}
    }
    return assess(parse_assessment(document, "test"), knowledge_base())


def _changes() -> dict[str, Change]:
    # AKPS: 70 → 85 (+15 ≥ MCID 10); pain 6 → 5.5 (−0.5 < MCID 1.16);
    # abduction LSI (right / left): 100/200 = 50% → 160/200 = 80% (+30 ≥ MDC 27)
    before = _report(6, [5, 5, 5, 5, 3, 6, 7, 4, 6, 10, 6, 5, 3], (200, 100))
    after = _report(5.5, [5, 5, 5, 8, 3, 6, 7, 8, 8, 10, 10, 5, 5], (200, 160))
    return {change.id: change for change in compare_reports(before, after, knowledge_base())}


def test_it_counts_a_change_that_reaches_the_mcid_as_improvement() -> None:
    akps = _changes()["akps"]
    assert (akps.before, akps.after, akps.change) == (70, 85, 15)
    assert (akps.verdict, akps.needed, akps.status, akps.sources) == (
        "improved",
        "MCID 10 points",
        "published",
        ["crossley_2004"],
    )


def test_it_does_not_call_a_change_below_the_mcid_progress() -> None:
    pain = _changes()["worst_pain_nrs"]
    assert pain.change == pytest.approx(-0.5)
    assert pain.verdict == "no_meaningful_change"
    assert pain.needed == "MCID 1.16 points"


def test_it_judges_strength_symmetry_against_the_mdc() -> None:
    abduction = _changes()["hip_abduction_lsi_pct"]
    assert abduction.before == pytest.approx(50.0)
    assert abduction.after == pytest.approx(80.0)
    assert abduction.verdict == "improved"
    assert abduction.needed == "MDC 27 %"


def test_it_marks_measures_missing_on_either_side_as_not_comparable() -> None:
    changes = _changes()
    assert changes["lefs"].verdict == "not_comparable"
    assert changes["lefs"].change is None
    assert changes["knee_extension_lsi_pct"].verdict == "not_comparable"


def test_it_calls_a_large_rise_in_pain_worse() -> None:
    before = _report(2, None, (200, 200))
    after = _report(5, None, (200, 200))
    pain = {c.id: c for c in compare_reports(before, after, knowledge_base())}["worst_pain_nrs"]
    assert (pain.change, pain.verdict) == (3, "worse")


@pytest.mark.parametrize(
    ("difference", "better", "verdict"),
    [
        (10.0, "up", "improved"),  # exactly the MCID counts
        (9.99, "up", "no_meaningful_change"),
        (-10.0, "up", "worse"),
        (-10.0, "down", "improved"),  # pain: lower is better
        (12.0, "down", "worse"),
        (0.0, "down", "no_meaningful_change"),
    ],
)
def test_change_verdict_needs_the_whole_mcid_in_either_direction(
    difference: float, better: Literal["up", "down"], verdict: str
) -> None:
    assert change_verdict(difference, 10.0, better) == verdict
