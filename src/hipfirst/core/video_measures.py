"""Video metrics as assessment measures: ``video_{task}_{metric}_{side}``, in degrees.

Each frontal-plane metric of an analysed video becomes a measure judged against
the threshold its summary carries; a video that failed the quality checks, or a
metric marked invalid, is shown as doubtful and never used as evidence.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from hipfirst.core.measure_table import MeasureTable
from hipfirst.core.video_metrics import VideoMetrics
from hipfirst.knowledge.vocabulary import FRONTAL_METRICS, SIDES

VIDEO_METRIC_LABELS = {
    "fppa_deg": "knee frontal plane projection angle (valgus +)",
    "hip_adduction_deg": "hip adduction",
    "pelvic_drop_deg": "contralateral pelvic drop",
    "trunk_lean_deg": "trunk lateral lean",
}
VIDEO_METRIC_SOURCES = {
    "fppa_deg": ["herrington_2014", "munro_2012"],
    "hip_adduction_deg": ["nakagawa_2012"],
    "pelvic_drop_deg": ["bramah_2018", "nakagawa_2012"],
    "trunk_lean_deg": ["nakagawa_2012"],
}
"""Where each video angle's definition comes from, for metrics without a threshold."""


def video_measure_id(task: str, metric: str, side: str) -> str:
    """``video_single_leg_squat_fppa_deg_left`` for task ``single-leg-squat``."""
    return f"video_{task.replace('-', '_')}_{metric}_{side}"


def add_video_measures(video: Sequence[VideoMetrics], table: MeasureTable) -> None:
    """Add each measured frontal-plane metric of each video (ids made unique with ``_2`` …),
    and the step rate of a running video (``video_running_cadence_spm``, steps/min)."""
    for analysis in video:
        if analysis.cadence_steps_per_min is not None:
            table.add(
                f"video_{analysis.task.replace('-', '_')}_cadence_spm",
                f"Video {analysis.task}: step rate",
                analysis.cadence_steps_per_min,
                "steps/min",
                status="derived",
                sources=["heiderscheit_2011"],
                doubtful=not analysis.quality_valid,
                note="steps counted over the clip",
            )
        if not analysis.quality_valid:
            table.missing.append(
                f"video {analysis.source}: failed the quality checks; its values are shown as "
                "doubtful and not used as evidence"
            )
        for side in SIDES:
            metrics = analysis.per_side.get(side, {})
            for metric in FRONTAL_METRICS:
                summary = metrics.get(metric)
                if summary is None:
                    continue
                if summary.mean is None:
                    table.missing.append(
                        f"video {analysis.source}: {metric} ({side}) not measured"
                        + (f": {summary.reason}" if summary.reason else "")
                    )
                    continue
                measure_id = video_measure_id(analysis.task, metric, side)
                suffix = 2
                while measure_id in table.measures:
                    measure_id = f"{video_measure_id(analysis.task, metric, side)}_{suffix}"
                    suffix += 1
                threshold = summary.threshold
                doubtful = not (summary.valid and analysis.quality_valid)
                spread = f"mean of {summary.n}" + (
                    f", SD {summary.sd:.1f}" if summary.sd is not None else ""
                )
                table.add(
                    measure_id,
                    f"Video {analysis.task}: {VIDEO_METRIC_LABELS[metric]}",
                    summary.mean,
                    "deg",
                    side=side,
                    measure_ref=threshold.measure_id if threshold is not None else None,
                    status=threshold.status if threshold is not None else "derived",
                    sources=(
                        threshold.sources
                        if threshold is not None and threshold.sources
                        else VIDEO_METRIC_SOURCES[metric]
                    ),
                    doubtful=doubtful,
                    note=(
                        f"doubtful: {summary.reason or 'failed quality checks'}; {spread}"
                        if doubtful
                        else spread
                    ),
                )
