"""The types of the video pipeline's processing parameters (``video/settings.yaml``).

These are engineering choices (filter cut-off, tracking continuity, what the
quality checks accept), not clinical numbers; they live in a versioned data
file beside this module so a change is reviewed like data and shows up in
``summary.json`` (``settings_version``). Each section is passed as it is to the
stage that uses it. The file is read by :func:`hipfirst.video_io.settings.video_settings`;
this module only defines and validates the shape (no YAML, no I/O).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FilterSettings(_Strict):
    """Zero-lag Butterworth low-pass (Winter's usual choice for gait landmarks)."""

    cutoff_hz: float = Field(gt=0, description="nominal cut-off; lowered below Nyquist if needed")
    order: int = Field(ge=2, le=8, description="order of the combined forward-backward filter")
    max_cutoff_fraction_of_nyquist: float = Field(gt=0, lt=1)
    max_gap_s: float = Field(ge=0, description="dropouts up to this long are interpolated")
    outlier_mad_factor: float = Field(gt=0, description="reject jumps beyond k × MAD")
    min_visibility: float = Field(ge=0, le=1, description="landmarks below count as missing")


class DecodeSettings(_Strict):
    max_model_side_px: int = Field(ge=256, description="larger frames are downscaled for the model")
    min_side_px: int = Field(ge=16, description="smaller frames are refused")
    image_extensions: list[str]


class TrackingSettings(_Strict):
    max_jump_torso_per_s: float = Field(gt=0, description="hip-centre speed seen as identity jump")
    max_jump_torso_per_frame: float = Field(gt=0)
    max_scale_ratio: float = Field(gt=1, description="bbox height ratio between frames")
    recount_every_s: float = Field(gt=0, description="how often to look for other people")
    reacquire_margin: float = Field(ge=0, description="crop margin around the subject's last box")
    reacquire_for_s: float = Field(
        ge=0, description="how long after a drift to look for the subject"
    )


class QualitySettings(_Strict):
    min_fps: float = Field(gt=0)
    max_fps_for_realtime: float = Field(gt=0)
    min_tracking_fraction: float = Field(ge=0, le=1)
    min_mean_visibility: float = Field(ge=0, le=1)
    min_frontal_width_ratio: float = Field(
        gt=0, description="shoulder width / torso height below this: oblique view"
    )
    max_frontal_yaw_deg: float = Field(
        gt=0, lt=90, description="pelvis/shoulders turned more than this from the camera: oblique"
    )
    min_side_on_yaw_deg: float = Field(
        gt=0, le=90, description="turned at least this far from the camera: side-on"
    )
    edge_margin_fraction: float = Field(ge=0, lt=0.5)
    min_landmark_visibility: float = Field(
        ge=0, le=1, description="a landmark less visible than this counts as hidden"
    )
    max_out_of_frame_fraction: float = Field(ge=0, le=1)
    min_valid_reps: int = Field(ge=1)


class EventSettings(_Strict):
    min_rep_depth_fraction: float = Field(gt=0, description="hip descent / leg length for a rep")
    min_rep_duration_s: float = Field(gt=0)
    foot_lift_fraction: float = Field(gt=0, description="ankle height / leg length: foot off")
    min_stance_s: float = Field(gt=0, description="shortest running stance phase")
    max_stance_s: float = Field(gt=0, description="longest running stance (longer: not running)")
    min_hold_s: float = Field(gt=0, description="shortest single-leg hold")
    baseline_max_drift_deg: float = Field(
        gt=0, description="pelvic obliquity drifting more while standing: not at rest"
    )


class ContactSettings(_Strict):
    """When a foot is on the ground (:mod:`hipfirst.video.contacts`); lengths in leg lengths."""

    still_speed: float = Field(gt=0, description="legs/s: a slower foot may be standing")
    still_step: float = Field(
        gt=0, description="legs: a foot that moved more between two pictures is not standing"
    )
    settle_s: float = Field(gt=0, description="still this long before a foot counts as down")
    settle_min_frames: int = Field(
        ge=1, description="and still in at least this many pictures (low frame rates)"
    )
    release_fraction: float = Field(gt=0, description="moved this far from where it stood: off")
    min_off_s: float = Field(ge=0, description="shorter excursions that come back are glitches")
    min_off_min_frames: int = Field(ge=1, description="and those within this many pictures")
    lift_fraction: float = Field(gt=0, description="held this far above the ground: lifted")
    bent_knee_ratio: float = Field(
        gt=0, lt=1, description="hip-ankle / (thigh + shank) below this: the knee is bent"
    )
    median_s: float = Field(ge=0, description="running median on the foot point (glitches)")
    median_min_frames: int = Field(ge=1, description="over at least this many pictures")
    bridge_max_frames: int = Field(
        ge=0, description="a foot lost this many pictures or fewer keeps its state"
    )
    ground_band_fraction: float = Field(gt=0, description="running: this near its lowest: down")
    ground_window_s: float = Field(gt=0, description="running: window of the lowest position")


class LabelSettings(_Strict):
    """Left/right label repair (:mod:`hipfirst.video.label_swaps`); lengths in torso lengths."""

    min_pair_separation: float = Field(
        ge=0, description="a left/right pair closer than this carries no evidence"
    )
    decide_margin: float = Field(
        gt=0, lt=2, description="continuity evidence (-2..2) needed to keep or swap a group"
    )
    max_gap_s: float = Field(gt=0, description="longer without a resolved frame: new segment")
    max_twist_deg: float = Field(
        gt=0, le=180, description="shoulder line vs hip line beyond this: labels inconsistent"
    )
    max_unresolved_fraction: float = Field(
        gt=0, le=1, description="more tracked frames unresolved than this: every metric doubtful"
    )


class PlausibilitySettings(_Strict):
    """A limb may not jump (:mod:`hipfirst.video.plausibility`); lengths in torso lengths."""

    max_segment_ratio: float = Field(
        gt=1, description="a segment stretched this much past its own full length: a jump"
    )
    max_speed: float = Field(gt=0, description="torso lengths per second a landmark may move")
    min_history_frames: int = Field(ge=1, description="frames needed before judging a segment")


class PostureSettings(_Strict):
    """Is the person upright in the picture (:mod:`hipfirst.video.posture`)?"""

    max_upright_tilt_deg: float = Field(
        gt=0, lt=90, description="trunk tilted further from image-up: not upright (lying)"
    )
    min_upright_fraction: float = Field(ge=0, le=1)
    roll_crosscheck_deg: float = Field(
        gt=0, description="standing trunk tilt after the roll correction accepted as posture"
    )


class LiveSettings(_Strict):
    """The live mirror (:mod:`hipfirst.video.live_session`): causal filter, events, messages.

    The filter is a One-Euro filter (Casiez, Roussel & Vogel, CHI 2012): a low-pass whose
    cut-off rises with the landmark's speed, so a still pose is steady and a fast one lags
    little; it takes each frame's own interval, as a live camera's rate varies.
    """

    min_cutoff_hz: float = Field(gt=0, description="One-Euro cut-off of a still landmark")
    beta: float = Field(ge=0, description="cut-off increase per (torso length/s) of speed")
    derivative_cutoff_hz: float = Field(gt=0, description="low-pass of the speed estimate")
    max_gap_s: float = Field(gt=0, description="longer without the person: the filter restarts")
    events_every_s: float = Field(
        gt=0, description="session time between two runs of the event detection"
    )
    events_final_after_s: float = Field(
        gt=0, description="a rep or hold that ended longer ago is kept as found"
    )
    events_context_s: float = Field(
        ge=0, description="the detection also looks this far back before that (context)"
    )
    max_session_s: float = Field(gt=0, description="a take ends (and may be saved) after this")
    dark_below: float = Field(
        ge=0, le=1, description="mean frame brightness (0 black .. 1 white) below: too dark"
    )
    min_key_visibility: float = Field(
        ge=0,
        le=1,
        description="a key landmark (shoulders, hips, knees, ankles) less visible: "
        "out of the picture",
    )
    max_jump_torso: float = Field(
        gt=0, description="hip centre moving further between frames (torso lengths): someone else"
    )


class VideoSettings(_Strict):
    version: int = Field(ge=1)
    filter: FilterSettings
    decode: DecodeSettings
    tracking: TrackingSettings
    quality: QualitySettings
    events: EventSettings
    contacts: ContactSettings
    labels: LabelSettings
    plausibility: PlausibilitySettings
    posture: PostureSettings
    live: LiveSettings
