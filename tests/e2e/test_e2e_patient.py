"""The patient's side in a real browser, at phone and desktop sizes, against the real server.

The demo patient (the runner example's assessment and programme, seeded by the first
``hipfirst serve``) takes their handout PDF and session calendar home, fills in the AKPS on
the phone, and logs a whole session in one form, then adds next-morning pain and edits an
exercise the next day; the clinician sees the questionnaire change against the MCID and
prints every phase. The demo programme is moved back in time in the server's database so
yesterday's session can be logged. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import pytest
from liveserver import Server
from sqlalchemy import update
from test_e2e_flows import sign_in

from hipfirst.storage.database import make_engine
from hipfirst.storage.models import Programme, utcnow

pytestmark = pytest.mark.browser
Shoot = Callable[[Any, str], None]
VIEWPORTS = {"phone": {"width": 412, "height": 915}, "desktop": {"width": 1280, "height": 900}}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TODAY = dt.date.today()


@pytest.fixture(params=sorted(VIEWPORTS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Any]]:
    """(size name, a fresh page of that size)."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield request.param, page
    finally:
        context.close()


@pytest.fixture
def clinician_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="module")
def demo_patient(server: Server) -> int:
    """The demo patient's record id, with its programme made 10 days ago."""
    engine = make_engine(f"sqlite:///{server.data_dir / 'hipfirst.db'}")
    try:
        with engine.begin() as connection:
            connection.execute(
                update(Programme).values(created_at=utcnow() - dt.timedelta(days=10))
            )
            patient_id = connection.execute(Programme.__table__.select()).first().patient_id
    finally:
        engine.dispose()
    return int(patient_id)


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip("poppler-utils is not installed (scripts/test-deps.sh installs it)")
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=True)
    return done.stdout


def test_the_patient_takes_the_handout_and_the_calendar_home(
    sized: tuple[str, Any],
    server: Server,
    demo_patient: int,
    tmp_path: Path,
    screenshot: Shoot,
) -> None:
    size, page = sized
    sign_in(page, server, "patient")
    page.goto(f"{server.url}/patients/{demo_patient}/today")
    names = page.locator("section.exercise h2").all_inner_texts()
    assert names
    screenshot(page, f"20-today-{size}")

    href = page.locator("text=My handout (PDF)").get_attribute("href")
    response = page.request.get(f"{server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(response.body())
    text = re.sub(r"\s+", " ", poppler("pdftotext", str(pdf), "-"))
    assert "Your exercise programme" in text and "Your physiotherapy clinic" in text
    assert "Phase 1: Isolated hip activation" in text and "Phase 2:" not in text
    assert all(name in text for name in names)
    assert "_" not in text
    pages = re.search(r"Pages:\s+(\d+)", poppler("pdfinfo", str(pdf)))
    assert pages is not None and 1 <= int(pages.group(1)) <= 2
    figures = poppler("pdfinfo", "-struct-text", str(pdf)).count("Figure")
    assert figures == len(names)  # one picture per exercise
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    poppler(
        "pdftoppm",
        "-r",
        "60",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(pdf),
        str(SCREENSHOTS / f"21-handout-page-1-{size}"),
    )

    with page.expect_download() as download:
        page.click("text=Add my sessions to my calendar")
    assert download.value.suggested_filename == "knee-exercise-sessions.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("dtstart"))
    assert len(events) >= 8 * 3  # 3 sessions a week over the 8 weeks of the programme
    assert events[0].decoded("dtstart") == TODAY - dt.timedelta(days=10)
    assert all(f"- {name}: " in str(events[0]["description"]) for name in names)


def test_the_clinician_prints_every_phase(
    clinician_page: Any, server: Server, demo_patient: int, tmp_path: Path, screenshot: Shoot
) -> None:
    page = clinician_page
    sign_in(page, server, "clinician")
    page.goto(f"{server.url}/patients/{demo_patient}/programme")
    href = page.locator("text=Handout, all phases (PDF)").get_attribute("href")
    response = page.request.get(f"{server.url}{href}")
    assert response.status == 200
    pdf = tmp_path / "all.pdf"
    pdf.write_bytes(response.body())
    text = re.sub(r"\s+", " ", poppler("pdftotext", str(pdf), "-"))
    for number in (1, 2, 3):
        assert f"Phase {number}: " in text
    patient = page.request.get(f"{server.url}/patients/{demo_patient}/programme/handout.pdf")
    assert patient.status == 200


def test_the_patient_fills_in_the_akps_and_the_clinician_sees_the_change(
    sized: tuple[str, Any],
    clinician_page: Any,
    server: Server,
    demo_patient: int,
    screenshot: Shoot,
) -> None:
    size, page = sized
    sign_in(page, server, "patient")
    page.goto(f"{server.url}/me")
    page.click("text=My questionnaires")
    page.click("#history-akps >> text=Fill it in now")
    questions = page.locator("fieldset.answers")
    assert questions.count() == 13
    for index in range(1, 13):  # leave question 1 out first
        questions.nth(index).locator("label").first.click()
    page.click("text=Save my answers")
    assert page.locator("#e-item-0").inner_text() == "please choose an answer"
    assert questions.nth(5).locator("input").first.is_checked()  # the others are kept
    screenshot(page, f"22-questionnaire-error-{size}")
    questions.nth(0).locator("label", has_text="Slight or now and then").click()
    page.click("text=Save my answers")
    page.wait_for_url(re.compile(r"/questionnaires$"))
    assert "Saved your Anterior Knee Pain Scale (AKPS): 98 of 0–100." in page.inner_text("main")
    screenshot(page, f"23-questionnaires-{size}")

    sign_in(clinician_page, server, "clinician")
    clinician_page.goto(f"{server.url}/patients/{demo_patient}/questionnaires")
    akps = clinician_page.locator("#history-akps").inner_text()
    assert "Change that counts: 10 points (MCID)" in akps
    assert "85 of 0–100" in akps and "clinic assessment" in akps  # the demo assessment
    assert "+13 points: improved" in akps
    screenshot(clinician_page, "24-questionnaires-clinician")


def test_the_patient_logs_a_session_in_one_form_and_completes_it_the_next_day(
    sized: tuple[str, Any], server: Server, demo_patient: int, screenshot: Shoot
) -> None:
    size, page = sized
    day = TODAY - dt.timedelta(days=1 if size == "phone" else 2)
    sign_in(page, server, "patient")
    page.goto(f"{server.url}/patients/{demo_patient}/logs")
    rows = page.locator("fieldset.session-exercise")
    assert rows.count() >= 4
    first, second = rows.nth(0), rows.nth(1)
    names = [row.locator(":scope > legend").inner_text() for row in (first, second)]
    planned_sets = first.locator('input[name$=".sets"]').input_value()
    assert planned_sets.isdigit()  # the dosage is prefilled
    screenshot(page, f"25-log-form-{size}")

    # a session dated tomorrow is refused next to the date, and what was typed stays
    page.fill('input[name="date"]', (TODAY + dt.timedelta(days=1)).isoformat())
    for row, pain in ((first, "2"), (second, "3")):
        row.get_by_label("Done", exact=True).check()
        row.locator('input[name$=".pain_during"]').fill(pain)
    first.locator("summary").click()  # weight, effort, next-morning pain, notes fold away
    first.locator('input[name$=".effort"]').fill("6")
    second.locator("label", has_text="Form broke down").click()
    page.click("text=Save the session")
    assert "must not be after today" in page.locator("#e-date").inner_text()
    assert first.locator('input[name$=".pain_during"]').input_value() == "2"
    screenshot(page, f"26-log-error-{size}")

    page.fill('input[name="date"]', day.isoformat())
    page.click("text=Save the session")
    page.wait_for_selector(f"#day-{day.isoformat()}")
    logged = page.locator(f"#day-{day.isoformat()}")
    assert logged.locator("h3").inner_text() == long_date(day)
    listed = logged.locator("ul.logged").inner_text()
    assert names[0] in listed and names[1] in listed
    assert "_" not in listed  # names, never ids
    assert "pain during 2/10" in listed and "effort 6/10" in listed and "form broke down" in listed
    assert "next morning not given yet" in listed

    # the next morning: one pain rating for the whole session, then an edit
    logged.locator('input[name="pain_next_morning"]').fill("1")
    logged.locator("text=Add to this session").click()
    assert f"Added next-morning pain 1/10 to the session of {long_date(day)}." in page.inner_text(
        "main"
    )
    logged = page.locator(f"#day-{day.isoformat()}")
    assert logged.locator("ul.logged").inner_text().count("next morning 1/10") == 2
    logged.locator("ul.logged li").first.get_by_role("link", name="Edit").click()
    page.wait_for_url(re.compile(r"/logs/\d+$"))
    assert page.locator("h1").inner_text() == f"Edit {names[0]}"
    page.fill('input[name="effort"]', "eleven")
    page.click("text=Save changes")
    assert page.locator("#e-effort").inner_text() == "must be between 0 and 10 (got 'eleven')"
    page.fill('input[name="effort"]', "4")
    page.click("text=Save changes")
    page.wait_for_selector(f"#day-{day.isoformat()}")
    first_entry = page.locator(f"#day-{day.isoformat()} ul.logged li").first.inner_text()
    assert "effort 4/10" in first_entry and "edited" in first_entry
    screenshot(page, f"27-logged-sessions-{size}")
