"""The main flows in a real browser against the real server and worker.

A clinician signs in, creates a patient, enters an assessment, uploads the
real lab video, waits for the worker's analysis and generates the
programme; a patient signs in, logs a session and sees the progress chart.
Screenshots of the main pages go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from liveserver import Server

pytestmark = [pytest.mark.browser, pytest.mark.video]
LAB_VIDEO = "lab-single-leg-balance-oblique.mp4"
ANALYSIS_TIMEOUT_MS = 300_000
Shoot = Callable[[Any, str], None]


def wait_until(page: Any, expression: str, timeout_s: float = 15.0) -> None:
    """Poll a JavaScript expression from here until it is true.

    Not ``page.wait_for_function``: its in-page polling evaluates strings,
    which the app's Content-Security-Policy (no unsafe-eval) rightly blocks.
    """
    waited = 0.0
    while not page.evaluate(expression):
        assert waited < timeout_s, f"still false after {timeout_s} s: {expression}"
        page.wait_for_timeout(200)
        waited += 0.2


def sign_in(page: Any, server: Server, role: str) -> None:
    email, password = server.logins[role]
    page.goto(f"{server.url}/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', password)
    page.click('form[action="/login"] button[type="submit"]')
    page.wait_for_url(lambda url: "/login" not in url)


def test_it_takes_a_clinician_from_a_new_patient_to_a_programme(
    page: Any, server: Server, shared_videos: Path, screenshot: Shoot
) -> None:
    page.goto(f"{server.url}/login")
    screenshot(page, "01-login")
    sign_in(page, server, "clinician")
    page.goto(f"{server.url}/patients/new")
    page.fill('input[name="display_name"]', "Sam Runner")
    page.click('form[action="/patients"] button[type="submit"]')
    page.wait_for_url(re.compile(r"/patients/\d+$"))
    patient_url = page.url
    assert page.locator("h1").first.inner_text() == "Sam Runner"
    screenshot(page, "02-patient-timeline")

    # The assessment: the required patient and symptom fields, one strength test.
    page.goto(f"{patient_url}/assessments/new")
    page.fill('[name="patient.age_years"]', "34")
    page.select_option('[name="patient.sex"]', "female")
    page.fill('[name="patient.body_mass_kg"]', "62")
    page.fill('[name="patient.height_cm"]', "168")
    page.select_option('[name="symptoms.side"]', "left")
    page.select_option('[name="symptoms.location"]', "anterior")
    page.fill('[name="symptoms.duration_weeks"]', "10")
    page.fill('[name="symptoms.worst_pain_nrs"]', "6")
    screenshot(page, "03-assessment-form")
    page.click('form.assessment button[type="submit"]')
    page.wait_for_url(re.compile(r"/assessments/\d+$"))
    report_url = page.url
    assert page.locator("h1").first.inner_text().startswith("Assessment of ")
    screenshot(page, "04-assessment-report")

    # The video: upload, live progress, then the result from the worker.
    page.goto(patient_url)
    page.click("text=Upload a video")
    page.set_input_files('input[name="video"]', str(shared_videos / LAB_VIDEO))
    page.select_option('select[name="task"]', "single-leg-stance")
    page.click("text=Upload and analyse")
    page.wait_for_url(re.compile(r"/videos/\d+$"))
    assert page.locator("#analysis").count() == 1
    screenshot(page, "05-video-progress")
    page.wait_for_selector("text=Angles per side", timeout=ANALYSIS_TIMEOUT_MS)
    assert page.locator("#analysis progress").count() == 0
    video = page.locator("video.result")
    assert video.get_attribute("src", timeout=1000).endswith("/files/annotated.mp4")
    # Chromium fetched the annotated video's metadata through the scoped route.
    wait_until(page, "document.querySelector('video.result').readyState >= 1")
    assert page.locator("table.metrics tbody tr").count() >= 2
    assert page.locator(".warnings li").count() >= 1
    screenshot(page, "06-video-result")

    # The programme, generated from the assessment.
    page.goto(report_url)
    page.click("text=Generate the programme")
    page.wait_for_url(re.compile(r"/programme$"))
    assert page.locator("h1").first.inner_text().startswith("Programme")
    screenshot(page, "07-programme")


def test_it_lets_a_patient_log_a_session_and_see_the_chart(
    page: Any, server: Server, screenshot: Shoot
) -> None:
    sign_in(page, server, "patient")
    page.goto(f"{server.url}/me")
    screenshot(page, "08-patient-overview")
    href = page.locator('a[href$="/videos/new"]').first.get_attribute("href")
    found = re.match(r"/patients/(\d+)/", href or "")
    assert found, href
    base = f"{server.url}/patients/{found.group(1)}"
    page.goto(f"{base}/today")
    screenshot(page, "09-today")
    page.goto(f"{base}/logs")
    # today's session in one form: tick the first exercise (its dosage is prefilled)
    first = page.locator("fieldset.session-exercise").first
    name = first.locator(":scope > legend").inner_text()
    first.locator('input[name$=".done"]').check()
    first.locator('input[name$=".sets"]').fill("3")
    first.locator('input[name$=".reps"]').fill("12")
    first.locator('input[name$=".pain_during"]').fill("2")
    first.locator("summary").click()
    first.locator('input[name$=".pain_next_morning"]').fill("1")
    page.click('form[action$="/logs"] button[type="submit"]')
    page.wait_for_selector("#log-list ul.logged")
    row = page.locator("#log-list ul.logged li").first.inner_text()
    assert name in row and "3 sets × 12" in row
    screenshot(page, "10-session-log")
    page.goto(f"{base}/progress")
    wait_until(
        page,
        "document.querySelector('#chart-pain img').complete && "
        "document.querySelector('#chart-pain img').naturalWidth > 0",
    )
    screenshot(page, "11-progress-charts")
