"""Defect 12 (band-walk order, session time) and the guideline content every plan carries:
education, expectations, adjuncts, knee loading ranges, gait retraining for runners."""

from __future__ import annotations

from pathlib import Path

from hipfirst.core.exercise_decisions import decide
from hipfirst.core.plan import Plan
from hipfirst.core.prescription import prescribe
from hipfirst.core.progress_report import SessionEntry
from hipfirst.core.reasoning import assess
from hipfirst.core.session_time import exercise_seconds
from hipfirst.io.assessment_file import load_assessment_file
from hipfirst.knowledge.base import KnowledgeBase
from hipfirst.knowledge.loader import knowledge_base

from .assessment_builders import a_plan, document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BAND_WALKS = ["lateral_band_walk_knees", "lateral_band_walk_ankles", "lateral_band_walk_forefeet"]


def _example_plan(name: str) -> Plan:
    kb = knowledge_base()
    loaded = load_assessment_file(EXAMPLES / name)
    result = prescribe(loaded.assessment, assess(loaded.assessment, kb, loaded.video), kb)
    assert isinstance(result, Plan)
    return result


def test_it_starts_band_walks_at_the_knees_and_progresses_them_in_order(kb: KnowledgeBase) -> None:
    # the band-walk progression skipped from nothing to the hardest (forefeet) position
    plan = a_plan(
        document(
            version=1,
            patient={"equipment": ["band"]},
            exam={"trendelenburg": {"right": "positive"}},
        )
    )
    walks = [[e.id for e in p.exercises if e.id in BAND_WALKS] for p in plan.phases]
    assert walks[1] == ["lateral_band_walk_knees"]
    assert "lateral_band_walk_forefeet" not in plan.exercise_ids()
    chain = []
    current = kb.exercise("lateral_band_walk_knees")
    for _ in range(2):
        log = [
            SessionEntry(
                date=f"2026-11-0{day}",
                exercise_id=current.id,
                sets=3,
                reps=20,
                pain_during=1,
                pain_next_morning=1,
                form_ok=True,
            )
            for day in (2, 4)
        ]
        result = decide(log, current, kb, equipment=["band"])
        chain.append(result.next_exercise_id)
        current = kb.exercise(result.next_exercise_id)
    assert chain == ["lateral_band_walk_ankles", "lateral_band_walk_forefeet"]


def test_it_estimates_the_session_time_from_sets_reps_holds_sides_and_rests(
    kb: KnowledgeBase,
) -> None:
    plan = a_plan(document(version=1, patient={"equipment": ["none"]}))
    clamshell = next(e for e in plan.phases[0].exercises if e.per_side and e.reps)
    # sets × 2 sides × reps × 3 s + (sets − 1) × 60 s rest + 30 s set-up
    expected = clamshell.sets * 2 * clamshell.reps * 3 + (clamshell.sets - 1) * 60 + 30
    assert exercise_seconds(clamshell, kb) == expected
    minutes = plan.phases[0].session_minutes
    assert minutes is not None and minutes == -(
        -sum(exercise_seconds(e, kb) for e in plan.phases[0].exercises) // 60
    )


def test_it_fits_a_10_minute_session_and_says_what_was_shortened(kb: KnowledgeBase) -> None:
    # a "10-minute" session was really 15–20 minutes
    plan = a_plan(document(version=1, patient={"equipment": ["none"], "minutes_per_session": 10}))
    for phase in plan.phases:
        assert phase.session_minutes is not None
        assert phase.shortened, phase
        assert all("10 minutes per session" in note for note in phase.shortened)
        if phase.session_minutes > 10:
            assert phase.shortened[-1].startswith("even shortened, the session takes about")
        ids = [kb.exercise(e.id) for e in phase.exercises]
        assert any(e.region == "knee" for e in ids)  # hip plus knee work kept
        assert any(e.region != "knee" for e in ids)
    assert any(note.startswith("left out ") for note in plan.phases[0].shortened)


def test_it_keeps_early_knee_loading_in_the_low_stress_range(kb: KnowledgeBase) -> None:
    plan = a_plan(
        document(version=1, patient={"equipment": ["step", "box"]}, symptoms={"worst_pain_nrs": 3})
    )
    for phase in plan.phases:
        for exercise in phase.exercises:
            item = kb.exercise(exercise.id)
            if not item.knee_bending or phase.number == 3:
                assert exercise.knee_range_deg is None
                continue
            expected = (0, 45) if item.chain == "closed" else (45, 90)
            assert exercise.knee_range_deg == expected
            assert any("loads the kneecap least" in r.text for r in exercise.why)
            assert "powers_2014" in exercise.sources
    ranged = [e for p in plan.phases[:2] for e in p.exercises if e.knee_range_deg]
    assert ranged, "no knee-bending exercise in phases 1-2"


def test_it_educates_and_sets_realistic_expectations_in_every_plan() -> None:
    plan = a_plan(document(version=1))
    assert [item.id for item in plan.education] == [
        "education_load",
        "education_pain",
        "education_pacing",
    ]
    texts = [reason.text for reason in plan.expectations]
    assert texts[0] == (
        "Many people improve within 6–8 weeks of regular exercise (web_article); this is a "
        "typical course, not a promise."
    )
    assert texts[1].startswith(
        "Kneecap pain often lasts longer than that: in trials about 40% still had not recovered "
        "well after 12 months (published) and about 57% after 5-8 years (secondary)."
    )


def test_it_lists_adjuncts_with_their_evidence_and_notes_a_pronated_foot() -> None:
    plan = a_plan(document(exam={"foot_posture_index": {"right": 9}}))
    adjuncts = {item.id: item for item in plan.adjuncts}
    assert list(adjuncts) == [
        "adjunct_foot_orthoses",
        "adjunct_patellar_taping",
        "adjunct_not_recommended",
    ]
    orthoses = adjuncts["adjunct_foot_orthoses"]
    assert orthoses.status == "published"
    assert orthoses.text.startswith(
        "The assessment found a pronated foot posture (foot_pronated_right)."
    )
    assert "uncertain" in adjuncts["adjunct_patellar_taping"].text


def test_it_retrains_running_gait_from_the_measured_cadence_and_the_video_findings() -> None:
    plan = _example_plan("runner-anterior-knee-pain.yaml")
    items = {item.id: item for item in plan.gait_retraining}
    # 164 steps/min measured: +5–10 % is 172–180
    assert items["gait_cadence"].text.startswith(
        "Your running video measured 164 steps a minute: aim for about 172-180, 5–10 % more "
        "(published)."
    )
    assert items["gait_cadence"].sources == ["heiderscheit_2011", "willy_2019"]
    assert items["gait_knee_valgus"].text.startswith(
        "The video analysis flagged video_single_leg_squat_fppa_deg_right_high."
    )
    assert set(items) == {"gait_cadence", "gait_knee_valgus"}
    walker = a_plan(document(version=1, patient={"activities": ["hiking"]}))
    assert walker.gait_retraining == [] and walker.running_return is None
