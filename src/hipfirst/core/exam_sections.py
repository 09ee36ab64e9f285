"""The optional sections format v2 adds to the assessment (every v1 file still loads).

Where each lives in the document (all optional; a v1 file may not use them):

* ``patient.goal``: what the person returns to (``daily_life``, ``walking``, ``stairs``,
  ``running``, ``sport``); derived from the activities when missing;
* ``symptoms.pain_during.walking`` / ``.cutting``: 0–10 like the other activities;
* ``symptoms.tender_site``: where the knee is tender, when the clinician palpated it;
* ``symptoms.patellar_instability``: history of the kneecap dislocating or subluxing;
* ``exam.hip_rom_deg.internal_rotation_painful``: pain on passive hip internal rotation;
* ``exam.patellar_apprehension``: the patellar apprehension test per side;
* ``exam.hop_distance_cm`` (single, triple, crossover hop for distance, cm, 0–1000) and
  ``exam.side_hop_count`` (30-second side hop, 0–150 hops);
* ``exam.step_down_score``: lateral step-down quality score 0–6 per side (higher is worse);
* ``exam.flexibility``: Ober, Thomas and hamstring-length tests, ``normal`` or ``tight``;
* ``exam.foot_posture_index``: FPI-6 total per side, −12 (supinated) to +12 (pronated);
* ``exam.precautions_cleared``: precautions a clinician has examined and cleared
  (``patellar_instability``, ``hip_joint_pathology``);
* ``questionnaires.koos_pf``: the 11 KOOS-PF items, 0–4 each.

The bounds hipfirst chose where no source gives one are stated beside each field.
Pure: no I/O.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StrictBool

from hipfirst.core.format_fields import Section, between

KOOS_PF_ITEM_COUNT = 11
KOOS_PF_ITEM_MAX = 4
"""KOOS-PF: 11 items scored 0 (no problem) to 4 (extreme), Crossley 2018."""

TenderSite = Literal[
    "around_kneecap",
    "lower_pole_of_kneecap",
    "tibial_tubercle",
    "patellar_tendon",
    "outer_knee",
    "joint_line",
]
"""Where the knee is tender to the clinician's touch."""

Tightness = Literal["normal", "tight"]
TestResult = Literal["negative", "positive"]


class SidedFlags(Section):
    left: StrictBool = False
    right: StrictBool = False


class PatellarInstability(Section):
    """History: the kneecap has dislocated (at least once) or subluxes (slips partly out)."""

    dislocation: StrictBool = False
    subluxation: StrictBool = False


class SidedTest(Section):
    left: TestResult | None = None
    right: TestResult | None = None


HopCm = Annotated[float, between(0, 1000)]
"""Hop distance, cm; 1000 is hipfirst's bound (a triple hop rarely passes 7 m)."""


class HopPair(Section):
    left: HopCm | None = None
    right: HopCm | None = None


class HopDistances(Section):
    """Best distance of each hop test per side (cm)."""

    single: HopPair | None = None
    triple: HopPair | None = None
    crossover: HopPair | None = None


SideHops = Annotated[int, between(0, 150, whole=True)]
"""Hops over two lines 40 cm apart in 30 s; 150 is hipfirst's bound (5 per second)."""


class SideHopCount(Section):
    left: SideHops | None = None
    right: SideHops | None = None


STEP_DOWN_WORST = 6
"""The worst lateral step-down quality score (Piva 2006 scoring: 0 best)."""
StepDownScore = Annotated[int, between(0, STEP_DOWN_WORST, whole=True)]


class StepDownScores(Section):
    """Lateral step-down quality (Piva 2006 scoring): 0 best, 6 worst."""

    left: StepDownScore | None = None
    right: StepDownScore | None = None


class TightnessPair(Section):
    left: Tightness | None = None
    right: Tightness | None = None


class Flexibility(Section):
    """Ober (ITB/TFL), Thomas (hip flexors) and hamstring-length tests."""

    ober: TightnessPair | None = None
    thomas: TightnessPair | None = None
    hamstring_length: TightnessPair | None = None


FootPostureScore = Annotated[int, between(-12, 12, whole=True)]


class FootPosture(Section):
    """Foot Posture Index (FPI-6) total per side, −12 to +12 (Redmond 2006)."""

    left: FootPostureScore | None = None
    right: FootPostureScore | None = None


V2_FIELDS: tuple[str, ...] = (
    "patient.goal",
    "symptoms.pain_during.walking",
    "symptoms.pain_during.cutting",
    "symptoms.tender_site",
    "symptoms.patellar_instability",
    "exam.hip_rom_deg.internal_rotation_painful",
    "exam.patellar_apprehension",
    "exam.hop_distance_cm",
    "exam.side_hop_count",
    "exam.step_down_score",
    "exam.flexibility",
    "exam.foot_posture_index",
    "exam.precautions_cleared",
    "questionnaires.koos_pf",
)
"""Dotted locations that only a ``version: 2`` document may use."""


def v2_fields_used(document: dict[str, object]) -> list[str]:
    """The format-v2 locations present in a decoded document (for a v1 document: errors)."""
    used: list[str] = []
    for location in V2_FIELDS:
        node: object = document
        for part in location.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is not None:
            used.append(location)
    return used
