"""The programme to take home: the handout PDF (by its text, pictures and pages) and the
session calendar (parsed back as iCalendar)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import icalendar
import numpy as np
import pytest
from clinic import TODAY, with_programme
from PIL import Image

from clinic_world import World, make_settings
from hipfirst.application.handouts import dosage_words
from hipfirst.application.records import stored_plan
from hipfirst.core.plan import Plan
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.settings import Settings
from hipfirst.storage.models import Programme

CLINIC = "Riverside Physiotherapy"
CONTACT = "020 7946 0000 · desk@riverside.example"
POPPLER = ("pdftotext", "pdfinfo", "pdftoppm")
needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in POPPLER),
    reason="poppler-utils is not installed (scripts/test-deps.sh installs it)",
)
BODY_SHADE = (0x68, 0x87, 0xAC)
"""The mid shade of the mannequin's body in every exercise picture (core/figures/svg.py)."""
MM = 72 / 25.4
"""Points per millimetre."""
CSS_PX_PER_MM = 96 / 25.4
"""WeasyPrint writes a figure's tagged /BBox in CSS pixels (96 per inch)."""


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, clinic_name=CLINIC, clinic_contact=CONTACT)


def the_plan(world: World) -> Plan:
    with world.db() as db:
        programme = db.query(Programme).one()
        plan = stored_plan(programme, knowledge_base())
    assert plan is not None
    return plan


def poppler(tool: str, pdf: Path, *args: str) -> str:
    out = ["-"] if tool == "pdftotext" else []  # pdftotext writes to standard output when told
    command = [tool, *args, str(pdf), *out]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return done.stdout


def flat(text: str) -> str:
    """pdftotext's text with line breaks and repeated spaces as one space."""
    return re.sub(r"\s+", " ", text)


def handout(world: World, persona: str, tmp_path: Path, query: str = "") -> Path:
    response = world.client(persona).get(
        f"/patients/{world.patients['pat'].id}/programme/handout.pdf{query}"
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    path = tmp_path / f"handout-{persona}{query.replace('?', '-').replace('=', '-')}.pdf"
    path.write_bytes(response.content)
    return path


def pages(pdf: Path) -> int:
    found = re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", pdf), re.MULTILINE)
    assert found
    return int(found.group(1))


def figures(pdf: Path) -> list[tuple[float, float]]:
    """Width and height (CSS px) of every tagged Figure (one per picture) in the PDF."""
    boxes = re.findall(
        r"/BBox \[([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\]", poppler("pdfinfo", pdf, "-struct-text")
    )
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


def drawn_pictures(pdf: Path, tmp_path: Path) -> int:
    """Pictures drawn on the rendered pages (72 dpi, 1 px = 1 pt): each picture's frame is a
    run of 80–95 grey rows down the left margin (33 mm tall), and inside it the mannequin's
    body shade must appear (a blank or missing picture has none)."""
    prefix = tmp_path / f"{pdf.stem}-page"
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(prefix)], check=True)
    left, right = int(14 * MM), int(58 * MM)  # the page margin and the picture's right edge
    count = 0
    for page in sorted(tmp_path.glob(f"{prefix.name}-*.png")):
        pixels = np.asarray(Image.open(page).convert("RGB"), dtype=int)
        rows = np.flatnonzero((pixels[:, left] != 255).any(axis=1))
        frames: list[list[int]] = []
        for y in rows.tolist():
            if frames and y - frames[-1][1] <= 1:
                frames[-1][1] = y
            else:
                frames.append([y, y])
        for top, bottom in frames:
            if 80 <= bottom - top + 1 <= 95:
                inside = pixels[top + 2 : bottom - 2, left + 2 : right - 2]
                shade = (np.abs(inside - np.array(BODY_SHADE)) <= 24).all(axis=2)
                count += bool(shade.any())
    return count


@needs_poppler
def test_it_hands_the_patient_their_current_phase_on_two_a4_pages(
    world: World, tmp_path: Path
) -> None:
    with_programme(world, world.client("alice"))
    plan = the_plan(world)
    current, later = plan.phases[0], plan.phases[1:]
    pdf = handout(world, "pat", tmp_path)

    text = flat(poppler("pdftotext", pdf))
    assert 1 <= pages(pdf) <= 2
    a4 = r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)$"
    assert re.search(a4, poppler("pdfinfo", pdf), re.MULTILINE)
    assert CLINIC in text and CONTACT in text
    assert "For Pat Patient" in text
    review = TODAY + dt.timedelta(days=7 * current.weeks[1])
    assert f"Next review: {review:%A} {review.day} {review:%B %Y}, at the end of phase 1." in text
    assert f"Phase 1: {current.name}" in text
    for exercise in current.exercises:
        assert exercise.name in text
        assert flat(f"{dosage_words(exercise)} · {exercise.load}") in text
        assert len(exercise.cues) >= 2
        for cue in exercise.cues[:3]:
            assert flat(cue) in text
    for phase in later:
        assert f"Phase {phase.number}:" not in text
        for exercise in phase.exercises:
            if exercise.id not in {e.id for e in current.exercises}:
                assert exercise.name not in text
    # the pain rule and when to move on, in plain words with the knowledge base's numbers
    assert "0–3/10: fine. Carry on, and build up as planned." in text
    assert "4–5/10: acceptable. Keep the exercise as it is; do not add more yet." in text
    assert "Above 5/10: too much. Do less, or the easier version, and tell your physio" in text
    assert "Your knee pain stays at 0–3/10 during the exercises and the next morning." in text
    assert (
        "You can do every exercise for all its sets, 20 repetitions each (or the full hold), "
        "with good form and without tiring, on 2 different days."
    ) in text
    # nothing for the clinician only: no ids, citation keys or evidence labels
    kb = knowledge_base()
    assert "_" not in text
    for word in ("web_article", "secondary", "published", "unconfirmed", "derived", "seed"):
        assert word not in text.lower()
    assert not any(reference.lower() in text.lower() for reference in kb.references)
    # one picture per exercise: tagged as a figure of the picture's size, and drawn
    size = pytest.approx((44 * CSS_PX_PER_MM, 33 * CSS_PX_PER_MM), abs=1.5)
    assert figures(pdf) == [size] * len(current.exercises)
    assert drawn_pictures(pdf, tmp_path) == len(current.exercises)


@needs_poppler
def test_it_prints_every_phase_for_the_clinician(world: World, tmp_path: Path) -> None:
    with_programme(world, world.client("alice"))
    plan = the_plan(world)
    pdf = handout(world, "alice", tmp_path, "?phases=all")

    text = flat(poppler("pdftotext", pdf))
    for phase in plan.phases:
        assert f"Phase {phase.number}: {phase.name}" in text
    assert "Phase 1: Isolated hip activation (your phase now)" in text
    assert "Running, on its own day" in text
    assert "_" not in text
    every = [e for p in plan.phases for e in [*p.exercises, *([p.running] if p.running else [])]]
    assert len(figures(pdf)) == len(every)
    assert drawn_pictures(pdf, tmp_path) == len(every)
    assert pages(pdf) <= 2 * len(plan.phases)


def test_it_keeps_other_phases_and_bad_choices_from_the_patient(world: World) -> None:
    with_programme(world, world.client("alice"))
    url = f"/patients/{world.patients['pat'].id}/programme/handout.pdf"
    pat = world.client("pat")

    every = pat.get(f"{url}?phases=all")
    assert every.status_code == 403
    assert "Only your physiotherapist prints every phase" in every.text
    wrong = world.client("alice").get(f"{url}?phases=2")
    assert wrong.status_code == 400
    assert "phases: must be &#39;current&#39; or &#39;all&#39; (got &#39;2&#39;)" in wrong.text


def test_it_says_there_is_nothing_to_take_home_without_a_programme(world: World) -> None:
    pat = world.client("pat")
    base = f"/patients/{world.patients['pat'].id}/programme"
    for name in ("handout.pdf", "calendar.ics"):
        response = pat.get(f"{base}/{name}")
        assert response.status_code == 404
        assert "There is no programme yet" in response.text


def test_it_puts_every_planned_session_in_a_calendar_the_phone_can_read(world: World) -> None:
    with_programme(world, world.client("alice"))
    plan = the_plan(world)
    response = world.client("pat").get(
        f"/patients/{world.patients['pat'].id}/programme/calendar.ics"
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "knee-exercise-sessions.ics" in response.headers["content-disposition"]
    assert b"\r\n" in response.content

    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["version"] == "2.0"
    assert str(calendar["x-wr-calname"]) == "Knee exercise sessions"
    events = list(calendar.walk("VEVENT"))
    home = [e for e in events if str(e["summary"]).startswith("Knee exercises")]
    runs = [e for e in events if str(e["summary"]).startswith("Run: ")]
    weeks = {p.number: p.weeks[1] - p.weeks[0] + 1 for p in plan.phases}
    assert len(home) == sum(weeks[p.number] * p.exercises[0].sessions_per_week for p in plan.phases)
    assert len(runs) == sum(
        weeks[p.number] * p.running.sessions_per_week for p in plan.phases if p.running
    )
    first = min(home, key=lambda e: e.decoded("dtstart"))
    assert first.decoded("dtstart") == TODAY  # the programme was generated today
    assert first.decoded("dtend") == TODAY + dt.timedelta(days=1)
    description = str(first["description"])
    assert description.startswith(f"Phase 1: {plan.phases[0].name}")
    for exercise in plan.phases[0].exercises:
        assert f"- {exercise.name}: {dosage_words(exercise)} ({exercise.load})" in description
    assert "_" not in description
    last_week = [e for e in home if e.decoded("dtstart") >= TODAY + dt.timedelta(weeks=7)]
    assert all(str(e["description"]).startswith("Phase 3:") for e in last_week)
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert {int(e["sequence"]) for e in events} == {1}
