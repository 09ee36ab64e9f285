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
    min_hold_s: float = Field(gt=0, description="shortest single-leg hold")


class VideoSettings(_Strict):
    version: int = Field(ge=1)
    filter: FilterSettings
    decode: DecodeSettings
    tracking: TrackingSettings
    quality: QualitySettings
    events: EventSettings
