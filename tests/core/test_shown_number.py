"""A number is always shown with its evidence status (and, where cited, its sources)."""

from __future__ import annotations

from hipfirst.core.plan import ShownNumber
from hipfirst.core.shown_number import shown, with_status, with_status_and_sources
from hipfirst.core.video_metrics import VideoThreshold
from hipfirst.knowledge.base import KnowledgeBase


def test_it_puts_the_status_next_to_the_number(kb: KnowledgeBase) -> None:
    assert (
        with_status(kb.measure("programme_sessions_per_week")) == "3–5 sessions/week (web_article)"
    )
    assert with_status(kb.measure("pain_zone_unacceptable")) == "> 5 /10 (secondary)"


def test_it_labels_a_video_threshold_the_same_way() -> None:
    threshold = VideoThreshold(
        measure_id="fppa_sls_high", value=13.5, direction="above", status="published"
    )
    assert with_status(threshold) == "> 13.5 deg (published)"


def test_it_cites_the_sources_when_asked(kb: KnowledgeBase) -> None:
    assert (
        with_status_and_sources(kb.measure("programme_sets")) == "2–3 sets (web_article, seed_003)"
    )
    assert with_status_and_sources(kb.measure("programme_isometric_hold_s")) == (
        "15–45 s (derived, josr_2020_itbs_pilot, ijspt_2022_hip_rts)"
    )


def test_it_lists_a_measure_as_a_shown_number(kb: KnowledgeBase) -> None:
    assert shown(kb.measure("programme_reps")) == ShownNumber(
        measure_id="programme_reps",
        label="Repetitions per set",
        text="8–20 reps",
        status="web_article",
        sources=["seed_003"],
    )
