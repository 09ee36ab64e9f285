"""The live mirror in a real browser: a fake camera playing the shared lab video.

Chromium's fake camera plays a Y4M file written here from the lab video (every third frame,
540×960, declared at 1 frame/s: headless Chromium with software WebGL manages about a
frame a second, so the video is slowed down and the page sees a fair share of its frames).
The page runs the real @mediapipe/pose full model from this server, streams the landmarks
over the real socket to the real server, and saves the take. It must find the same holds as
``hipfirst analyze`` on the same frames, with per-side means within 3° (and each hold the
page saw in three frames or more within 3°): the clip frame each live frame
was is found from its pose (nearest lower-body landmarks), and that sequence, at the page's
own times, is written as a video for the CLI.

Only angles that do not depend on the camera's roll are compared (FPPA and hip
adduction): ``hipfirst analyze`` levels a front-on picture by the roll it estimates from the
scene, which the live mirror cannot know (no picture reaches the server; see
docs/mirror.md). The page's screenshot goes to test-artifacts/screenshots/ (docs/images/mirror.png
is one).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
import pytest
from liveserver import Server
from test_e2e_flows import sign_in

from conftest import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.video]
LAB_VIDEO = "lab-single-leg-balance-oblique.mp4"
SIZE = (540, 960)
EVERY = 3
FPS = 1
TAKE_TIMEOUT_S = 900
SCREENSHOT = REPO_ROOT / "test-artifacts" / "screenshots" / "mirror.png"  # docs/images/ copy
ROLL_FREE = ("fppa_deg", "hip_adduction_deg")


def lab_frames(shared_videos: Path) -> list[np.ndarray]:
    """Every third frame of the lab video, as BGR at 540×960."""
    frames = []
    with av.open(str(shared_videos / LAB_VIDEO)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index % EVERY == 0:
                image = frame.to_ndarray(format="bgr24")
                frames.append(cv2.resize(image, SIZE, interpolation=cv2.INTER_AREA))
    return frames


def write_y4m(frames: list[np.ndarray], path: Path) -> Path:
    """A raw I420 Y4M file: what Chromium's fake camera plays (and loops)."""
    width, height = SIZE
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for image in frames:
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420).tobytes())
    return path


def write_mp4(frames: list[np.ndarray], path: Path) -> Path:
    """The same frames at the same rate, as a video for ``hipfirst analyze``."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        stream.codec_context.time_base = Fraction(1, FPS)
        stream.options = {"crf": "12"}
        for k, image in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(image, format="bgr24")
            frame.pts = k
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture(scope="module")
def clips(shared_videos: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("mirror")
    frames = lab_frames(shared_videos)
    return {
        "y4m": write_y4m(frames, folder / "lab.y4m"),
        "mp4": write_mp4(frames, folder / "lab-2fps.mp4"),
        "folder": folder,
        "frames": frames,
    }


@pytest.fixture
def camera_page(browser: Any, clips: dict[str, Any]) -> Iterator[Any]:
    """A page of a Chromium whose camera is the Y4M clip."""
    fake_camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={clips['y4m']}",
        "--enable-unsafe-swiftshader",
    ]
    chromium = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *fake_camera], headless=True
    )
    try:
        context = chromium.new_context(viewport={"width": 540, "height": 1400})
        page = context.new_page()
        page.set_default_timeout(60_000)
        yield page
    finally:
        chromium.close()


def waited_for(page: Any, expression: str, timeout_s: float) -> Any:
    """Poll a JavaScript expression until it is truthy; returns its value (no in-page eval)."""
    waited = 0.0
    while not (value := page.evaluate(expression)):
        assert waited < timeout_s, f"still false after {timeout_s} s: {expression}"
        page.wait_for_timeout(1000)
        waited += 1.0
    return value


def frames_csv(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Times and the lower-body landmark pixels of a ``frames.csv``."""
    rows = list(csv.DictReader(io.StringIO(text)))
    names = [key[: -len("_x_px")] for key in rows[0] if key.endswith("_x_px")]
    times = np.array([float(row["time_s"]) for row in rows])
    points = np.array(
        [
            [[float(row[f"{n}_x_px"] or "nan"), float(row[f"{n}_y_px"] or "nan")] for n in names]
            for row in rows
        ]
    )
    return times, points


def same_frames(live_csv: str, clip_csv: str) -> list[int]:
    """Which frame of the clip each live frame was: the nearest lower-body pose."""
    _, live = frames_csv(live_csv)
    _, clip = frames_csv(clip_csv)
    chosen = []
    for pose in live:
        distance = np.nanmean(np.linalg.norm(clip - pose[None], axis=2), axis=1)
        chosen.append(int(np.nanargmin(np.where(np.isfinite(distance), distance, np.inf))))
    return chosen


def write_sequence(
    frames: list[np.ndarray], order: list[int], times: np.ndarray, path: Path
) -> Path:
    """The frames the page analysed, in its order, at its times (variable frame rate)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        stream.codec_context.time_base = Fraction(1, 1000)
        stream.options = {"crf": "12"}
        for index, time_s in zip(order, times, strict=True):
            frame = av.VideoFrame.from_ndarray(frames[index], format="bgr24")
            frame.pts, frame.time_base = round(1000 * time_s), Fraction(1, 1000)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def analyze_cli(video: Path, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-c", "from hipfirst.cli import main; main()", "analyze"]
    command += [str(video), "--task", "single-leg-stance", "--side", "left", "--no-video"]
    subprocess.run([*command, "--out", str(out)], check=True, capture_output=True, timeout=600)
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return summary


def test_it_mirrors_a_live_take_and_saves_values_that_agree_with_the_cli(
    camera_page: Any, server: Server, clips: dict[str, Any]
) -> None:
    page = camera_page
    sign_in(page, server, "clinician")
    page.goto(f"{server.url}/patients")
    links = page.evaluate(
        "Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))"
    )
    records = [link for link in links if link and re.fullmatch(r"/patients/\d+", link)]
    assert records, links
    patient_url = f"{server.url}{records[0]}"
    page.goto(f"{patient_url}/mirror")
    page.select_option("select[name=task]", "single-leg-stance")
    page.select_option("select[name=side]", "left")
    page.select_option("select[name=model]", "full")
    page.click("[data-action=start]")
    value = "document.querySelector('[data-metric=fppa_deg][data-side=left]').textContent"
    shown = waited_for(page, f"/^-?[0-9]+[.][0-9]$/.test({value}) && {value}", TAKE_TIMEOUT_S)
    assert -90.0 < float(shown) < 90.0
    count = "Number(document.querySelector('[data-rep-count]').textContent)"
    assert waited_for(page, f"{count} >= 3 && {count}", TAKE_TIMEOUT_S) >= 3
    assert page.inner_text("[data-fps]").endswith("frames/s")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.click("[data-action=stop]")
    link = "document.querySelector('[data-saved-analysis]').getAttribute('href')"
    saved_url = waited_for(page, f"({link} || '').includes('/videos/') && {link}", 300)
    page.goto(f"{server.url}{saved_url}")
    assert "Single-leg stance" in page.inner_text("main")
    saved = page.request.get(f"{server.url}{saved_url}/files/summary.json").json()
    live_csv = page.request.get(f"{server.url}{saved_url}/files/frames.csv").text()
    # the same frames: which clip frame each live frame was, then that sequence at the
    # page's own times through `hipfirst analyze`
    analyze_cli(clips["mp4"], clips["folder"] / "all")
    clip_csv = (clips["folder"] / "all" / "frames.csv").read_text(encoding="utf-8")
    times, _ = frames_csv(live_csv)
    order = same_frames(live_csv, clip_csv)
    sequence = write_sequence(clips["frames"], order, times, clips["folder"] / "same.mp4")
    cli = analyze_cli(sequence, clips["folder"] / "same")
    live_holds = [r for r in saved["reps"] if r["side"] == "left" and r["kind"] == "hold"]
    cli_holds = [r for r in cli["reps"] if r["side"] == "left" and r["kind"] == "hold"]
    assert live_holds and cli_holds
    pairs = []
    for hold in live_holds:
        twin = min(cli_holds, key=lambda other: abs(other["peak_s"] - hold["peak_s"]))
        if abs(twin["peak_s"] - hold["peak_s"]) <= 0.25:
            pairs.append((hold, twin))
    # one geometry: the same frames give the same holds. At this test's ~1 frame/s the feet
    # split each hold into pieces of one or two frames (docs/mirror.md, "Limits"), and the
    # two runtimes' landmarks differ a little, so a piece at the foot-off threshold may
    # appear in one of them only: at least three holds each, most of them paired
    assert len(live_holds) >= 3 and len(cli_holds) >= 3, (live_holds, cli_holds)
    assert len(pairs) >= 3, (live_holds, cli_holds)
    assert 2 * len(pairs) >= max(len(live_holds), len(cli_holds)), (live_holds, cli_holds)
    for metric in ROLL_FREE:
        both = [(a["values"][metric], b["values"][metric]) for a, b in pairs]
        both = [(a, b) for a, b in both if a is not None and b is not None]
        assert both, (metric, pairs)
        # per side: the mean over the holds
        live_mean, batch_mean = np.mean([a for a, _ in both]), np.mean([b for _, b in both])
        assert abs(live_mean - batch_mean) <= 3.0, (metric, live_mean, batch_mean, pairs)
        # per hold: holds the page saw in three frames or more (one frame of a hold is one
        # frame of each runtime's landmarks, which differ by several degrees in this oblique
        # clip; see docs/mirror.md, "Limits")
        for hold, twin in pairs:
            if hold["end_frame"] - hold["start_frame"] + 1 >= 3:
                live, batch = hold["values"][metric], twin["values"][metric]
                assert live is not None and batch is not None, (metric, hold, twin)
                assert abs(live - batch) <= 3.0, (metric, live, batch, hold, twin)
    page.goto(f"{patient_url}/videos")
    assert "Live mirror take" in page.inner_text("main")
