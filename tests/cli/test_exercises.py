"""``hipfirst exercises`` and ``hipfirst explain``."""

from __future__ import annotations

from .runner import invoke


def test_it_lists_the_library_filtered_by_phase_and_muscle() -> None:
    result = invoke(["exercises", "--phase", "1", "--muscle", "quadriceps"])
    assert result.exit_code == 0, result.output
    assert "quadriceps_sets" in result.output
    assert "straight_leg_raise" in result.output
    assert "lateral_hops" not in result.output
    assert "clamshell" not in result.output


def test_it_rejects_an_unknown_phase_and_muscle_together() -> None:
    result = invoke(["exercises", "--phase", "4", "--muscle", "glutes"])
    assert result.exit_code == 2
    assert "Error: exercises: 2 errors" in result.output
    assert "--phase: must be 1, 2 or 3 (got 4)" in result.output
    assert "--muscle: unknown muscle" in result.output


def test_it_explains_an_exercise_with_its_evidence() -> None:
    result = invoke(["explain", "side_lying_hip_abduction"])
    assert result.exit_code == 0, result.output
    assert "Side-lying hip abduction (side_lying_hip_abduction)" in result.output
    assert "Lead with the heel and keep the toes pointing forward, not up." in result.output
    assert "Hip flexes so the leg drifts forward (TFL takes over)." in result.output
    assert "gluteus medius activity 81 ± 42 %MVIC (published; Distefano 2009)" in result.output
    assert "Default dosage: 3 × 12 reps each side" in result.output
    assert "Easier: Clamshell with band (clamshell_band)" in result.output
    assert "Distefano 2009" in result.output


def test_it_lists_close_matches_for_an_unknown_exercise() -> None:
    result = invoke(["explain", "clamshel"])
    assert result.exit_code == 2
    assert (
        "EXERCISE_ID: unknown exercise; close matches: clamshell, clamshell_band (got 'clamshel')"
        in result.output
    )
    assert "Traceback" not in result.output
