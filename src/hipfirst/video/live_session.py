"""One live mirror take, frame by frame: the video pipeline's stages run incrementally (pure).

The browser runs the pose model and sends one frame's landmarks at a time (never an
image); :meth:`LiveSession.add` runs, for that frame, the same stages as
:func:`hipfirst.video.analysis.analyze_landmarks` runs over a whole video, in their causal
form:

1. the left/right labels: :class:`~hipfirst.video.label_swaps.SwapTracker` ``update``
   (the model's mirrored labels undone as they happen);
2. landmarks below the filter's visibility treated as unseen, then the causal One-Euro
   filter (:mod:`hipfirst.video.live_filter`) in place of the zero-lag one;
3. upright frames (:mod:`hipfirst.video.posture`); the same angle functions
   (:mod:`hipfirst.video.kinematics`), pelvic drop against the standing baseline once one
   was seen;
4. every ``events_every_s`` of take time, the task's events from the feet
   (:func:`hipfirst.video.events.detect`: reps, holds, the standing baseline) and the
   per-rep values (:func:`hipfirst.video.summary.with_values`) over a trailing window: a
   rep or hold that ended more than ``events_final_after_s`` ago is kept as it was found,
   and the detection looks back to ``events_context_s`` before that (further, to the start
   of a rep or hold still going on), so a take's cost per frame does not grow with its
   length; once the take has ended, :meth:`LiveSession.finish` detects over all of it;
5. plain messages from the frame's quality: nobody, part of the body out of the picture,
   a jump to someone else, too dark (the browser's measured brightness, one number),
   labels unresolved, body turned from the camera, the phone leaning sideways (its motion
   sensor's tilt, one number, past the knowledge base's ``camera_roll_frontal_limit``).

No picture reaches the server, so the camera's roll is not estimated from the scene as for
an upload, and angles are read against the picture's own horizontal: the phone must stand
level. Where the phone has a motion sensor the page sends how far it leans (a magnitude:
the sign of the sensor's axes differs between devices, so nothing is turned by it), and the
page says so when that passes the limit. :meth:`LiveSession.track` gives
the landmarks as received, for the whole-take analysis that is saved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.vocabulary import SIDES, FrontalMetric, Side, VideoTask
from hipfirst.video import events, kinematics, quality, summary
from hipfirst.video.event_parts import numbered
from hipfirst.video.label_swaps import LabelFrame, SwapTracker, relabel
from hipfirst.video.landmarks import HIP, LOWER_BODY, N_LANDMARKS, Landmark
from hipfirst.video.live_buffer import TakeBuffer
from hipfirst.video.live_cues import LiveCue, live_cues
from hipfirst.video.live_filter import OneEuroFilter
from hipfirst.video.posture import upright_frames
from hipfirst.video.settings import VideoSettings
from hipfirst.video.types import FloatArray, LandmarkTrack, RepEvent, angle_key

LIVE_TASKS: tuple[VideoTask, ...] = (
    VideoTask.SINGLE_LEG_SQUAT,
    VideoTask.STEP_DOWN,
    VideoTask.SINGLE_LEG_STANCE,
)
"""The movements the live mirror measures."""
LIVE_METRICS: tuple[FrontalMetric, ...] = ("fppa_deg", "pelvic_drop_deg", "trunk_lean_deg")
"""The angles shown live (hip adduction is saved with the take, not shown)."""

NOBODY = "No one in the picture: step into view, head to feet."
TOO_DARK = "Too dark to see the joints: turn on a light or face a window."
SOMEONE_ELSE = (
    "The camera may have jumped to someone else: only the person measured should be in view."
)
UNRESOLVED = "Left and right could not be told apart in this frame: face the camera and hold still."
OUT_OF_PICTURE = "Part of the body is out of the picture ({parts}): step back or move the phone."
TURNED = "Turn to face the camera: these angles need a front-on view (turned about {deg:.0f}°)."
TAKE_FULL = "This take has reached its {minutes:g}-minute limit: stop to save it."
TILTED = (
    "The phone leans about {deg:.0f}° to the side: stand it upright "
    "(pelvic drop and trunk lean are read against the picture's level)."
)
ROLL_LIMIT = "camera_roll_frontal_limit"
"""Knowledge-base measure: the tilt past which the page asks for an upright phone."""


@dataclass(frozen=True)
class LiveFrame:
    """One frame from the browser, in pixels of its own image.

    ``xy`` ``(33, 2)`` pixels (None: the model found nobody); ``visibility`` ``(33,)`` 0..1;
    ``world`` ``(33, 3)`` the model's metric 3D landmarks or None; ``size`` the image's
    (width, height); ``brightness`` the mean of the frame, 0 black .. 1 white (None: not
    measured); ``tilt_deg`` how far the phone leans sideways from upright, degrees, 0..90
    (None: no motion sensor).
    """

    time_s: float
    size: tuple[int, int]
    xy: FloatArray | None
    visibility: FloatArray | None = None
    world: FloatArray | None = None
    brightness: float | None = None
    tilt_deg: float | None = None


@dataclass(frozen=True)
class LiveUpdate:
    """What the page shows after one frame (see :meth:`as_message` for the wire form).

    ``values``: per live metric and side, degrees (None: not measurable in this frame);
    ``passed``: per metric, whether the chosen side's value is past its cue's bar;
    ``count``: reps or holds found so far on the chosen side; ``points``: the repaired,
    filtered landmarks as fractions of the image (None where unseen), for the skeleton.
    """

    frame: int
    time_s: float
    tracked: bool
    values: dict[str, dict[Side, float | None]]
    passed: dict[str, bool]
    cues: tuple[str, ...]
    count: int
    messages: tuple[str, ...]
    points: list[list[float] | None] = field(default_factory=list)

    def as_message(self) -> dict[str, Any]:
        """Strict JSON for the socket (rounded; no NaN)."""
        return {
            "type": "update",
            "frame": self.frame,
            "time_s": round(self.time_s, 3),
            "tracked": self.tracked,
            "values": {
                metric: {s: None if v is None else round(v, 1) for s, v in sides.items()}
                for metric, sides in self.values.items()
            },
            "passed": self.passed,
            "cues": list(self.cues),
            "count": self.count,
            "messages": list(self.messages),
            "points": self.points,
        }


def _torso(xy: FloatArray) -> float:
    shoulders = (xy[Landmark.LEFT_SHOULDER] + xy[Landmark.RIGHT_SHOULDER]) / 2
    hips = (xy[Landmark.LEFT_HIP] + xy[Landmark.RIGHT_HIP]) / 2
    length = float(np.linalg.norm(shoulders - hips))
    return length if math.isfinite(length) and length > 0 else float("nan")


def _hip_centre(xy: FloatArray) -> FloatArray:
    return np.asarray((xy[HIP["left"]] + xy[HIP["right"]]) / 2)


def _shifted(rep: RepEvent, frames: int) -> RepEvent:
    """A rep found in a window starting at frame ``frames``, in frames of the whole take."""
    return replace(
        rep,
        start_index=rep.start_index + frames,
        peak_index=rep.peak_index + frames,
        end_index=rep.end_index + frames,
    )


def _part_name(landmark: Landmark) -> str:
    side, joint = landmark.name.lower().split("_", 1)
    return f"{side} {joint}"


class LiveSession:
    """A live take of ``task`` on the stance leg ``side`` (module doc)."""

    def __init__(
        self, task: VideoTask, side: Side, *, kb: KnowledgeBase, settings: VideoSettings
    ) -> None:
        if task not in LIVE_TASKS:
            raise ValueError(
                f"the live mirror measures {[t.value for t in LIVE_TASKS]}, not {task}"
            )
        self.task, self.side, self._settings = task, side, settings
        self.cues: dict[FrontalMetric, LiveCue] = live_cues(kb)
        limit = kb.measure(ROLL_LIMIT).value
        self._tilt_limit = math.inf if limit is None else float(limit)
        self._labels = SwapTracker(settings.labels)
        self._filter = OneEuroFilter(settings.live)
        self._buffer = TakeBuffer()
        self._baseline: dict[Side, float] = {}
        self._reps: tuple[RepEvent, ...] = ()
        self._final: list[RepEvent] = []  # ended before the window: kept as found
        self._final_until_s = -math.inf
        self._window_from = 0  # the first frame the next event detection looks at
        self._looked_at = 0
        self._events_at = -math.inf
        self._last_hips: tuple[float, FloatArray, float] | None = None  # time, centre, torso
        self._started_s: float | None = None

    @property
    def frames(self) -> int:
        return len(self._buffer)

    @property
    def events_window_frames(self) -> int:
        """How many frames the last event detection looked at (the trailing window)."""
        return self._looked_at

    @property
    def reps(self) -> tuple[RepEvent, ...]:
        """Reps or holds found so far (all sides the task looked at), values filled in."""
        return self._reps

    def targets(self) -> dict[str, dict[str, Any]]:
        """Each live metric's cue bar, for the page."""
        return {
            metric: self.cues[metric].target() for metric in LIVE_METRICS if metric in self.cues
        }

    def add(self, frame: LiveFrame) -> LiveUpdate:
        """Run the stages on one more frame (times must increase) and say what to show."""
        settings = self._settings
        if self._started_s is None:
            self._started_s = frame.time_s
        if len(self._buffer) and frame.time_s <= self._buffer.last_time():
            raise ValueError(f"frame time {frame.time_s} s is not after the last frame's")
        messages: list[str] = []
        if frame.brightness is not None and frame.brightness < settings.live.dark_below:
            messages.append(TOO_DARK)
        if frame.tilt_deg is not None and frame.tilt_deg > self._tilt_limit:
            messages.append(TILTED.format(deg=frame.tilt_deg))
        if frame.time_s - self._started_s > settings.live.max_session_s:
            return self._update(
                frame, False, [TAKE_FULL.format(minutes=settings.live.max_session_s / 60)]
            )
        if frame.xy is None or not np.isfinite(frame.xy).any():
            self._labels.update(None)
            self._buffer.append_nobody(frame.time_s, frame.size)
            return self._update(frame, False, [*messages, NOBODY])
        visibility = (
            np.ones(N_LANDMARKS) if frame.visibility is None else np.asarray(frame.visibility)
        )
        decision = self._labels.update(LabelFrame(frame.time_s, frame.xy, visibility, frame.world))
        repaired = relabel(frame.xy, decision.swapped) if decision.swapped else frame.xy.copy()
        seen = relabel(visibility, decision.swapped) if decision.swapped else visibility
        world = frame.world
        if world is not None and decision.swapped:
            world = relabel(world, decision.swapped)
        if not decision.resolved:
            messages.append(UNRESOLVED)
        turned = float("nan")
        if world is not None:
            turned = float(quality.turned_from_camera(world[None])[0])
        messages.extend(self._frame_messages(frame, repaired, seen, turned))
        usable = np.nan_to_num(seen, nan=0.0) >= settings.filter.min_visibility
        masked = np.where(usable[:, None], repaired, np.nan)
        filtered = self._filter.update(frame.time_s, masked, _torso(repaired))
        upright = bool(upright_frames(filtered[None], settings.posture)[0])
        valid = decision.resolved and upright
        self._buffer.append(frame.time_s, frame.size, frame, repaired, filtered, valid, turned)
        if frame.time_s - self._events_at >= settings.live.events_every_s:
            self._detect_events()
            self._events_at = frame.time_s
        return self._update(frame, valid, messages, filtered)

    def _frame_messages(
        self, frame: LiveFrame, xy: FloatArray, visibility: FloatArray, turned: float
    ) -> list[str]:
        """``turned``: degrees the body is turned from the camera (NaN: no 3D landmarks)."""
        live, messages = self._settings.live, []
        width, height = frame.size
        margin = self._settings.quality.edge_margin_fraction
        outside = [
            mark
            for mark in LOWER_BODY
            if not np.isfinite(xy[mark]).all()
            or float(np.nan_to_num(visibility[mark], nan=0.0)) < live.min_key_visibility
            or not (margin * width <= xy[mark][0] <= (1 - margin) * width)
            or not (margin * height <= xy[mark][1] <= (1 - margin) * height)
        ]
        if outside:
            messages.append(OUT_OF_PICTURE.format(parts=", ".join(map(_part_name, outside))))
        centre, torso = _hip_centre(xy), _torso(xy)
        if self._last_hips is not None and math.isfinite(torso):
            before_s, before, before_torso = self._last_hips
            if frame.time_s - before_s <= live.max_gap_s:
                jump = float(np.linalg.norm(centre - before)) / max(torso, before_torso)
                if jump > live.max_jump_torso:
                    messages.append(SOMEONE_ELSE)
                    self._filter.reset()  # the filter must not blend two people
        if np.isfinite(centre).all() and math.isfinite(torso):
            self._last_hips = (frame.time_s, centre, torso)
        if math.isfinite(turned) and turned > self._settings.quality.max_frontal_yaw_deg:
            messages.append(TURNED.format(deg=turned))
        return messages

    def _detect_events(self, *, whole: bool = False) -> None:
        """Reps/holds, the standing baseline and the per-rep values over the trailing window
        (module doc), or over the whole take."""
        settings, take = self._settings, self._buffer
        first = 0 if whole else self._window_from
        xy, time_s = take.filtered()[first:], take.times()[first:]
        valid, turned = take.valid()[first:], take.turned()[first:]
        views = quality.view_checks(
            take.repaired()[first:],
            take.tracked()[first:],
            turned if np.isfinite(turned).any() else None,
            settings.quality,
        )
        found = events.detect(
            self.task,
            xy,
            time_s,
            valid,
            self.side,
            settings.events,
            settings.contacts,
            frontal=views[0].value == "front-on",
        )
        if found.baseline.any() or whole:  # a window without level standing keeps the last
            self._baseline = kinematics.pelvis_baseline(
                xy, found.baseline, settings.events.baseline_max_drift_deg
            )
        angles = kinematics.all_angles(xy, self._baseline)
        for name in list(angles):
            angles[name] = np.where(valid, angles[name], np.nan)
        if views[0].value != "side-on":  # as in the video pipeline: the bend is no flexion
            for leg in SIDES:
                angles[angle_key("knee_flexion_deg", leg)] = np.full(time_s.shape, np.nan)
        found_reps = [_shifted(rep, first) for rep in summary.with_values(angles, found.reps)]
        self._looked_at = int(time_s.size)
        if whole:
            self._final, self._reps = [], tuple(numbered(found_reps))
            return
        live = settings.live
        horizon = float(time_s[-1]) - live.events_final_after_s
        self._final += [r for r in found_reps if self._final_until_s <= r.end_s < horizon]
        self._final_until_s = max(self._final_until_s, horizon)
        pending = [rep for rep in found_reps if rep.end_s >= horizon]
        back_to = first + int(np.searchsorted(time_s, horizon - live.events_context_s))
        self._window_from = min([back_to, *(rep.start_index for rep in pending)])
        self._reps = tuple(numbered([*self._final, *pending]))

    def _update(
        self,
        frame: LiveFrame,
        valid: bool,
        messages: list[str],
        filtered: FloatArray | None = None,
    ) -> LiveUpdate:
        values: dict[str, dict[Side, float | None]] = {
            m: dict.fromkeys(SIDES) for m in LIVE_METRICS
        }
        points: list[list[float] | None] = []
        if filtered is not None:
            width, height = frame.size
            points = [
                [round(float(x) / width, 4), round(float(y) / height, 4)]
                if math.isfinite(x) and math.isfinite(y)
                else None
                for x, y in filtered
            ]
            if valid:
                angles = kinematics.all_angles(filtered[None], self._baseline)
                for metric in LIVE_METRICS:
                    for side in SIDES:
                        value = float(angles[angle_key(metric, side)][0])
                        values[metric][side] = value if math.isfinite(value) else None
        passed: dict[str, bool] = {
            metric: metric in self.cues and self.cues[metric].passed(values[metric][self.side])
            for metric in LIVE_METRICS
        }
        return LiveUpdate(
            frame=len(self._buffer),
            time_s=frame.time_s - (self._started_s or frame.time_s),
            tracked=filtered is not None,
            values=values,
            passed=passed,
            cues=tuple(self.cues[m].words for m in LIVE_METRICS if passed[m]),
            count=sum(1 for rep in self._reps if rep.side == self.side),
            messages=tuple(dict.fromkeys(messages)),
            points=points,
        )

    def finish(self) -> None:
        """The last events over the whole take (call once it has ended)."""
        if len(self._buffer):
            self._detect_events(whole=True)

    def track(self) -> LandmarkTrack:
        """The landmarks as the browser sent them (NaN where nobody), for the saved analysis."""
        return self._buffer.track()

    def image_size(self) -> tuple[int, int]:
        """The (width, height) of the take's first frame."""
        return self._buffer.size()
