"""Measures of the format-v2 examination items, and the absolute hip rotation range.

Ids (added to the ``hipfirst assess --json`` measures; none replaces an older id):

* ``hip_internal_rotation_deg_{side}``: passive internal rotation (deg), judged against
  the ACR limit (``hip_internal_rotation_limited_deg``), so limited range on *both* sides
  shows, not only a side difference;
* ``hop_{single|triple|crossover}_cm_{side}`` and ``side_hop_count_{side}``: hop tests;
* ``hop_{single|triple|crossover|side}_lsi_pct``: involved / uninvolved × 100 (Gokeler
  2017 definition; with symptoms on both sides, the weaker side is the involved one);
* ``step_down_score_{side}``: lateral step-down quality, 0 (best) to 6;
* ``foot_posture_index_{side}``: FPI-6 total, −12 to +12.

Pure: no I/O. Nothing here judges a value (see the findings).
"""

from __future__ import annotations

from hipfirst.core import strength
from hipfirst.core.assessment import Assessment
from hipfirst.core.measure_table import MeasureTable
from hipfirst.knowledge.vocabulary import SIDES, HopTest, Side

HOP_LABELS: dict[HopTest, str] = {
    "single": "Single hop for distance",
    "triple": "Triple hop for distance",
    "crossover": "Crossover hop for distance",
    "side": "Side hop (30 s)",
}
HOP_SOURCES = ["gokeler_2017", "madsen_2020"]


def hop_lsi_id(test: HopTest) -> str:
    """``hop_single_lsi_pct`` … ``hop_side_lsi_pct``."""
    return f"hop_{test}_lsi_pct"


def add_performance_measures(assessment: Assessment, table: MeasureTable) -> None:
    """Every measure the v2 examination items (and the absolute hip rotation) allow."""
    _internal_rotation(assessment, table)
    _hops(assessment, table)
    exam = assessment.exam
    if exam.step_down_score is not None:
        for side in SIDES:
            score = getattr(exam.step_down_score, side)
            if score is not None:
                table.add(
                    f"step_down_score_{side}",
                    "Lateral step-down quality score (0 best - 6)",
                    score,
                    "points",
                    side=side,
                    measure_ref="step_down_poor_score",
                    status="published",
                    sources=["piva_2006"],
                )
    if exam.foot_posture_index is not None:
        for side in SIDES:
            score = getattr(exam.foot_posture_index, side)
            if score is not None:
                table.add(
                    f"foot_posture_index_{side}",
                    "Foot Posture Index (FPI-6, -12 supinated to +12 pronated)",
                    score,
                    "points",
                    side=side,
                    measure_ref="foot_posture_pronated",
                    status="published",
                    sources=["redmond_2006"],
                )


def _internal_rotation(assessment: Assessment, table: MeasureTable) -> None:
    rom = assessment.exam.hip_rom_deg
    if rom is None or rom.internal_rotation is None:
        return
    for side in SIDES:
        degrees = getattr(rom.internal_rotation, side)
        if degrees is not None:
            table.add(
                f"hip_internal_rotation_deg_{side}",
                "Hip internal rotation (passive)",
                degrees,
                "deg",
                side=side,
                measure_ref="hip_internal_rotation_limited_deg",
                status="published",
                sources=["altman_1991"],
            )


def _hops(assessment: Assessment, table: MeasureTable) -> None:
    exam = assessment.exam
    results: dict[HopTest, dict[Side, float]] = {}
    if exam.hop_distance_cm is not None:
        for test in ("single", "triple", "crossover"):
            pair = getattr(exam.hop_distance_cm, test)
            if pair is None:
                continue
            for side in SIDES:
                value = getattr(pair, side)
                if value is not None:
                    results.setdefault(test, {})[side] = value
                    table.add(
                        f"hop_{test}_cm_{side}",
                        HOP_LABELS[test],
                        value,
                        "cm",
                        side=side,
                        sources=HOP_SOURCES,
                    )
    if exam.side_hop_count is not None:
        for side in SIDES:
            count = getattr(exam.side_hop_count, side)
            if count is not None:
                results.setdefault("side", {})[side] = count
                table.add(
                    f"side_hop_count_{side}",
                    HOP_LABELS["side"],
                    count,
                    "hops",
                    side=side,
                    sources=HOP_SOURCES,
                )
    for test, values in results.items():
        if len(values) < 2:
            table.missing.append(f"hop test {test}: needs both sides for a symmetry index")
            continue
        involved, other, lsi = strength.side_symmetry(assessment.symptoms.side, values)
        if lsi is None:
            table.missing.append(f"hop test {test}: 0 on the {other} side, so no symmetry index")
            continue
        table.add(
            hop_lsi_id(test),
            f"{HOP_LABELS[test]} limb symmetry index ({involved} / {other})",
            lsi,
            "%",
            side=involved,
            measure_ref="rts_hop_lsi_pass",
            status="published",
            sources=["gokeler_2017"],
        )
