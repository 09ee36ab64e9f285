"""Strength, Y-Balance and questionnaire formulas against hand-computed worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hipfirst.core import balance, scoring, strength

forces = st.floats(min_value=1, max_value=1500, allow_nan=False)


def test_it_normalises_force_to_mass_torque_and_body_weight() -> None:
    # 150 N, 60 kg, lever 0.8 m, height 167 cm:
    # 150 / 60 = 2.5 N/kg; 150 * 0.8 / 60 = 2.0 N·m/kg;
    # 150 / (60 * 9.81) * 100 = 150 / 588.6 * 100 = 25.4842 % BW;
    # 120 N·m / (588.6 N * 1.67 m) * 100 = 120 / 982.962 * 100 = 12.2080 % BW·h.
    assert strength.newtons_per_kg(150, 60) == pytest.approx(2.5)
    assert strength.newton_metres_per_kg(150, 0.8, 60) == pytest.approx(2.0)
    assert strength.percent_body_weight(150, 60) == pytest.approx(25.4842, abs=1e-4)
    assert strength.percent_body_weight_height(150, 0.8, 60, 167) == pytest.approx(
        12.2080, abs=1e-4
    )


def test_it_computes_the_limb_symmetry_index() -> None:
    # involved 150 N, uninvolved 200 N: 150 / 200 * 100 = 75 %.
    assert strength.limb_symmetry_index(150, 200) == pytest.approx(75.0)
    assert strength.limb_symmetry_index(130, 170) == pytest.approx(76.4706, abs=1e-4)
    assert strength.limb_symmetry_index(10, 0) is None


def test_it_picks_the_involved_side() -> None:
    assert strength.involved_and_other("left", 100, 50) == ("left", "right")
    assert strength.involved_and_other("right", 50, 100) == ("right", "left")
    assert strength.involved_and_other("both", 150, 120) == ("right", "left")
    assert strength.involved_and_other("both", 60, 66) == ("left", "right")


def test_it_indexes_the_involved_side_against_the_other() -> None:
    # painful right leg 150 N, left 200 N: 150 / 200 * 100 = 75 %; a zero other side: no index.
    assert strength.side_symmetry("right", {"left": 200, "right": 150}) == ("right", "left", 75.0)
    assert strength.side_symmetry("left", {"left": 80, "right": 0}) == ("left", "right", None)


@given(forces, forces)
def test_it_keeps_lsi_reciprocal_and_symmetric(a: float, b: float) -> None:
    forward = strength.limb_symmetry_index(a, b)
    backward = strength.limb_symmetry_index(b, a)
    assert forward is not None and backward is not None
    assert forward * backward == pytest.approx(10_000)
    assert strength.limb_symmetry_index(a, a) == pytest.approx(100)


@given(forces, forces)
def test_it_never_reports_a_bilateral_lsi_above_100(left: float, right: float) -> None:
    involved, other, lsi = strength.side_symmetry("both", {"left": left, "right": right})
    assert {involved, other} == {"left", "right"}
    assert lsi is not None and lsi <= 100 + 1e-9


def test_it_normalises_y_balance_reaches() -> None:
    # leg 88 cm: anterior 64 cm -> 64 / 88 * 100 = 72.7273 %;
    # composite (62 + 96 + 92) / (3 * 88) * 100 = 250 / 264 * 100 = 94.6970 %.
    assert balance.normalised_reach(64, 88) == pytest.approx(72.7273, abs=1e-4)
    assert balance.composite_reach(62, 96, 92, 88) == pytest.approx(94.6970, abs=1e-4)
    assert balance.anterior_asymmetry(64.0, 58.5) == pytest.approx(5.5)
    assert balance.anterior_asymmetry(58.5, 64.0) == pytest.approx(5.5)


reaches = st.floats(min_value=0, max_value=200, allow_nan=False)


@given(reaches, reaches, reaches, st.floats(min_value=40, max_value=130))
def test_it_puts_the_composite_between_the_directions(
    ant: float, pm: float, pl: float, leg: float
) -> None:
    composite = balance.composite_reach(ant, pm, pl, leg)
    normalised = [balance.normalised_reach(r, leg) for r in (ant, pm, pl)]
    assert min(normalised) - 1e-9 <= composite <= max(normalised) + 1e-9


def test_it_sums_complete_questionnaires_only() -> None:
    akps = [5, 5, 5, 8, 3, 6, 7, 8, 8, 10, 10, 5, 5]
    lefs = [3, 2, 4, 4, 4, 2, 3, 4, 3, 4, 4, 3, 2, 3, 3, 2, 1, 1, 1, 4]
    # 5+5+5+8+3+6+7+8+8+10+10+5+5 = 85; LEFS running total ends at 57.
    assert scoring.akps_total(akps) == 85
    assert scoring.lefs_total(lefs) == 57
    assert scoring.akps_total(akps[:12]) is None
    assert scoring.lefs_total(lefs[:19]) is None
    assert scoring.akps_total(None) is None
