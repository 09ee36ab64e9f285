"""A limb may not jump: landmarks whose segment lengths or speed leave the subject's own range.

When the pose model is confused (a bystander, an occlusion) it can put a wrist on someone
else's head or a knee on the other leg's shadow for a few frames; the person selection
follows the hip centre and does not see it. Each limb segment (upper arm, forearm, thigh,
shank) is compared with its own full length, the 90th percentile of its lengths over the
subject's frames, in torso lengths: stretched more than ``max_segment_ratio`` times past
it, its far end (and everything beyond it on that limb: forearm, hand; shank, foot) is
implausible in that frame. Only stretching counts: a segment pointing at the camera looks
short, which is not a jump. A landmark that moves faster than ``max_speed`` torso lengths
per second (relative to the hip centre) into a frame and out of it again is implausible
too. Implausible landmarks are treated as not seen (short gaps are then bridged by the
filter, longer ones stay missing); they are never moved. Parameters: ``plausibility``
section of ``settings.yaml``; a segment needs ``min_history_frames`` frames to be judged.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from hipfirst.knowledge.vocabulary import SIDES, Side
from hipfirst.video.landmarks import N_LANDMARKS, Landmark
from hipfirst.video.person import hip_centre, torso_length
from hipfirst.video.settings import PlausibilitySettings
from hipfirst.video.types import BoolArray, FloatArray


def _limbs(side: Side) -> tuple[tuple[tuple[Landmark, ...], tuple[Landmark, ...]], ...]:
    name = side.upper()
    hand = tuple(Landmark[f"{name}_{part}"] for part in ("PINKY", "INDEX", "THUMB"))
    foot = (Landmark[f"{name}_HEEL"], Landmark[f"{name}_FOOT_INDEX"])
    return (
        (tuple(Landmark[f"{name}_{part}"] for part in ("SHOULDER", "ELBOW", "WRIST")), hand),
        (tuple(Landmark[f"{name}_{part}"] for part in ("HIP", "KNEE", "ANKLE")), foot),
    )


LONG_PERCENTILE = 90.0
"""A segment's own full length: the 90th percentile of its projected lengths (a segment
pointing at the camera looks short, so only a stretch past its full length is a jump)."""
LIMBS = tuple(limb for side in SIDES for limb in _limbs(side))
"""Each limb's chain from the body outwards (upper arm, forearm; thigh, shank) and the
hand or foot points it carries. A jump at one joint takes what lies beyond it; hands and
feet are not judged by length (their projected length changes with how they point)."""


def implausible_landmarks(
    xy: FloatArray, time_s: FloatArray, selected: BoolArray, settings: PlausibilitySettings
) -> BoolArray:
    """``(n, 33)`` True where a landmark breaks the subject's segment lengths or speed."""
    n = xy.shape[0]
    bad = np.zeros((n, N_LANDMARKS), dtype=bool)
    if int(selected.sum()) < settings.min_history_frames:
        return bad
    torso = torso_length(xy)
    scale = float(np.nanmedian(torso[selected])) if np.isfinite(torso[selected]).any() else 0.0
    if not scale > 0:
        return bad
    ratio = settings.max_segment_ratio
    for chain, carried in LIMBS:
        for near, far in pairwise(chain):
            length = np.linalg.norm(xy[:, far] - xy[:, near], axis=1) / scale
            usable = selected & np.isfinite(length)
            if usable.sum() < settings.min_history_frames:
                continue
            longest = float(np.percentile(length[usable], LONG_PERCENTILE))
            if longest <= 0:
                continue
            with np.errstate(invalid="ignore"):
                off = usable & (length > longest * ratio)
            beyond = [*chain[chain.index(far) :], *carried]
            bad[np.ix_(off, beyond)] = True
    centre = hip_centre(xy)
    relative = xy - centre[:, None, :]
    dt = np.diff(time_s)
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.linalg.norm(np.diff(relative, axis=0), axis=2) / dt[:, None] / scale
    both = selected[1:] & selected[:-1]
    fast = np.zeros((n, N_LANDMARKS), dtype=bool)
    fast[1:] = both[:, None] & (np.nan_to_num(speed, nan=0.0) > settings.max_speed)
    # a jump is away and back: the frame that differs from both neighbours is the bad one
    away = fast[1:-1] & fast[2:] if n >= 3 else np.zeros((0, N_LANDMARKS), dtype=bool)
    if n >= 3:
        bad[1:-1] |= away
    return bad
