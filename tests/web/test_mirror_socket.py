"""The live mirror's socket: who may stream, what it answers, reconnects, saving, freeing.

Frames are the three left-leg squats of ``video_skeleton`` (front-on, 25 frames/s), sent
as the browser sends them (fractions of the image). Personae: Alice treats Pat; Bob is
another clinician; Quinn another patient.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select
from starlette.testclient import WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from clinic_world import Client, World, build_world, close_world, make_settings
from hipfirst.storage.files import analysis_dir, patient_dir
from hipfirst.storage.models import VideoAnalysis
from hipfirst.web.mirror_messages import MAX_MESSAGE_BYTES
from hipfirst.web.mirror_socket import FOREIGN, MAX_BAD_MESSAGES, NOT_YOURS, SIGN_IN_FIRST
from video_skeleton import SIZE, n_frames, squat_landmarks

ORIGIN = {"origin": "http://testserver"}
START = {"type": "start", "task": "single-leg-squat", "side": "left", "model": "full"}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    world = build_world(make_settings(tmp_path, live_grace_s=0.3, live_max_fps=100_000))
    yield world
    close_world(world)


def socket_url(world: World, record: str = "pat") -> str:
    return f"/patients/{world.patients[record].id}/mirror/socket"


def frames(count: int | None = None, start_ms: float = 1000.0) -> list[dict[str, Any]]:
    """The squats as browser frames: x, y fractions of the image, z 0, visibility 1."""
    xy = squat_landmarks(count or n_frames())
    width, height = SIZE
    out = []
    for k, points in enumerate(xy):
        marks = [[x / width, y / height, 0.0, 1.0] for x, y in points]
        out.append(
            {
                "type": "frame",
                "t": start_ms + 40.0 * k,
                "w": width,
                "h": height,
                "landmarks": marks,
                "brightness": 0.5,
            }
        )
    return out


def refusal(client: Client, url: str, headers: dict[str, str]) -> WebSocketDisconnect:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(url, headers=headers) as socket,
    ):
        socket.receive_text()
    return refused.value


def send(socket: WebSocketTestSession, message: dict[str, Any]) -> dict[str, Any]:
    socket.send_text(json.dumps(message))
    answer: dict[str, Any] = socket.receive_json()
    return answer


def test_it_refuses_anonymous_other_clinicians_other_patients_and_other_sites(
    world: World,
) -> None:
    assert refusal(world.client(), socket_url(world), ORIGIN).reason == SIGN_IN_FIRST
    assert refusal(world.client("bob"), socket_url(world), ORIGIN).reason == NOT_YOURS
    assert refusal(world.client("quinn"), socket_url(world), ORIGIN).reason == NOT_YOURS
    assert refusal(world.client("ada"), socket_url(world), ORIGIN).reason == NOT_YOURS
    foreign = refusal(world.client("alice"), socket_url(world), {"origin": "http://evil.example"})
    assert foreign.code == 1008
    assert foreign.reason == FOREIGN.format(origin="http://evil.example")
    assert refusal(world.client("pat"), socket_url(world), {}).reason == FOREIGN.format(
        origin="no origin"
    )
    for unknown in ("999999", "99999999999999999999999", "-1", "x"):
        url = f"/patients/{unknown}/mirror/socket"
        assert refusal(world.client("alice"), url, ORIGIN).reason == NOT_YOURS, unknown


def test_it_lets_the_patient_stream_into_their_own_record(world: World) -> None:
    with world.client("pat").websocket_connect(socket_url(world), headers=ORIGIN) as socket:
        started = send(socket, START)
        assert started["type"] == "started" and started["resumed"] is False
        assert started["targets"]["fppa_deg"]["measure_id"] == "fppa_sls_flag_female"
        update = send(socket, frames(1)[0])
        assert update["type"] == "update" and update["tracked"] is True


def test_it_answers_values_cues_and_counts_the_reps_then_saves_them(world: World) -> None:
    alice = world.client("alice")
    with alice.websocket_connect(socket_url(world), headers=ORIGIN) as socket:
        send(socket, START)
        updates = [send(socket, frame) for frame in frames()]
        assert all(u["type"] == "update" for u in updates)
        deepest = max(updates, key=lambda u: u["values"]["fppa_deg"]["left"] or -99)
        assert deepest["values"]["fppa_deg"]["left"] > 13.5  # the squats' valgus passes the flag
        assert "Knee drifting in" in deepest["cues"] and deepest["passed"]["fppa_deg"] is True
        assert updates[-1]["count"] == 3
        saved = send(socket, {"type": "stop", "save": True})
    assert saved["type"] == "saved"
    with world.db() as db:
        analysis = db.get(VideoAnalysis, saved["analysis"])
        assert analysis is not None and analysis.source == "live"
        assert analysis.summary_json is not None
        reps = [rep for rep in analysis.summary_json["reps"] if rep["side"] == "left"]
        assert len(reps) == 3
    folder = analysis_dir(world.settings.data_dir, world.patients["pat"].id, saved["analysis"])
    assert sorted(p.name for p in folder.iterdir()) == [
        "frames.csv",
        "landmarks.trc",
        "summary.json",
    ]
    listing = alice.get(f"/patients/{world.patients['pat'].id}/videos").text
    assert f"/videos/{saved['analysis']}" in listing and "Live mirror" in listing
    shown = alice.get(f"/patients/{world.patients['pat'].id}/videos/{saved['analysis']}").text
    assert "Live mirror take, saved" in shown and "no video was recorded" in shown
    assert "Uploaded" not in shown
    assert any(row["label"] == "Knee valgus (FPPA)" for row in saved["rows"])


def test_it_compares_a_live_take_with_another_analysis_of_the_same_task(world: World) -> None:
    alice, ids = world.client("alice"), []
    for _ in range(2):
        with alice.websocket_connect(socket_url(world), headers=ORIGIN) as socket:
            send(socket, START)
            for frame in frames():
                send(socket, frame)
            ids.append(send(socket, {"type": "stop"})["analysis"])
    pat = world.patients["pat"].id
    page = alice.get(f"/patients/{pat}/videos/compare?before={ids[0]}&after={ids[1]}")
    assert page.status_code == 200
    assert "Knee valgus (FPPA)" in page.text


def test_it_carries_on_with_the_take_after_a_dropped_connection(world: World) -> None:
    alice, sent = world.client("alice"), frames()
    with alice:  # one event loop for both connections, as in the real server
        with alice.websocket_connect(socket_url(world), headers=ORIGIN) as socket:
            take = send(socket, START)["take"]
            for frame in sent[:60]:
                send(socket, frame)
        with alice.websocket_connect(socket_url(world), headers=ORIGIN) as socket:
            resumed = send(socket, {**START, "take": take})
            assert resumed["resumed"] is True and resumed["frames"] == 60
            for frame in sent[60:]:
                last = send(socket, frame)
            assert last["count"] == 3
        # someone else cannot take it over
        with world.client("pat").websocket_connect(socket_url(world), headers=ORIGIN) as socket:
            refused = send(socket, {**START, "take": take})
            assert refused["type"] == "error"
            assert refused["message"].startswith("this live take has ended")


def test_it_frees_the_take_once_the_page_is_closed(world: World) -> None:
    alice = world.client("alice")
    with alice:
        with alice.websocket_connect(socket_url(world), headers=ORIGIN) as socket:
            send(socket, START)
            send(socket, frames(1)[0])
            assert len(world.app.state.live_takes) == 1
        waited = 0
        while len(world.app.state.live_takes) and waited < 200:  # the grace period is 0.3 s
            alice.portal.call(_pause)
            waited += 1
        assert len(world.app.state.live_takes) == 0


async def _pause() -> None:
    import anyio

    await anyio.sleep(0.05)


def test_it_names_the_field_of_a_bad_message_and_closes_after_many(world: World) -> None:
    with world.client("alice").websocket_connect(socket_url(world), headers=ORIGIN) as socket:
        before = send(socket, frames(1)[0])
        assert before == {"type": "error", "message": "send 'start' before the first frame"}
        wrong = send(socket, {**START, "task": "running"})
        assert wrong["message"].startswith("task: Input should be 'single-leg-squat'")
        short = send(socket, {**frames(1)[0], "landmarks": [[0.5, 0.5, 0, 1]]})
        assert short["message"].startswith("landmarks: List should have at least 33 items")
        tilted = send(socket, {**START, "take": None})
        assert tilted["type"] == "started"
        leaning = send(socket, {**frames(1)[0], "tilt": 91})
        assert leaning["message"].startswith("tilt: Input should be less than or equal to 90")
        leaning = send(socket, {**frames(1)[0], "tilt": 12.5})
        assert leaning["messages"][0].startswith("The phone leans about 12° to the side")
        upright = send(socket, {**frames(2)[1], "tilt": 3.0})
        assert not any("leans" in text for text in upright["messages"])
        big = send(socket, {"type": "stop", "pad": "x" * MAX_MESSAGE_BYTES})
        assert big["message"].startswith("message of ")
        with pytest.raises(WebSocketDisconnect) as closed:
            for _ in range(MAX_BAD_MESSAGES):
                send(socket, {"type": "nonsense"})
        assert closed.value.code == 1008


def test_it_drops_frames_over_the_rate_limit_and_keeps_the_socket(tmp_path: Path) -> None:
    world = build_world(make_settings(tmp_path, live_max_fps=5))
    try:
        with world.client("alice").websocket_connect(socket_url(world), headers=ORIGIN) as socket:
            send(socket, START)
            answers = [send(socket, frame) for frame in frames(40)]
            assert any(a["type"] == "update" for a in answers)
            dropped = [a for a in answers if a["type"] == "error"]
            assert dropped and dropped[0]["message"] == (
                "too many frames: at most 5 a second are used"
            )
            assert send(socket, frames(1, start_ms=99_000)[0])["type"] in ("update", "error")
    finally:
        close_world(world)


def test_it_keeps_the_take_when_the_save_fails_and_saves_it_on_retry(world: World) -> None:
    pat = world.patients["pat"].id
    blocker = patient_dir(world.settings.data_dir, pat) / "analyses"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the analyses folder goes")
    with world.client("alice").websocket_connect(socket_url(world), headers=ORIGIN) as socket:
        send(socket, START)
        for frame in frames():
            send(socket, frame)
        failed = send(socket, {"type": "stop"})
        assert failed["type"] == "error" and failed["retry"] is True
        assert failed["message"].startswith("not saved: ")
        with world.db() as db:
            assert db.scalars(select(VideoAnalysis)).all() == []
        blocker.unlink()
        saved = send(socket, {"type": "stop"})
    assert saved["type"] == "saved"
    with world.db() as db:
        analysis = db.get(VideoAnalysis, saved["analysis"])
        assert analysis is not None and analysis.summary_json is not None
        assert len(analysis.summary_json["reps"]) == 3


def test_it_serves_the_page_with_webassembly_allowed_there_only(world: World) -> None:
    alice = world.client("alice")
    page = alice.get(f"/patients/{world.patients['pat'].id}/mirror")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "worker-src 'self' blob:" in policy
    for hook in (
        'select name="task"',
        'select name="side"',
        'data-action="start"',
        'data-action="stop"',
        "data-rep-count",
        "data-saved-analysis",
    ):
        assert hook in page.text
    assert 'data-metric="pelvic_drop_deg" data-side="right"' in page.text
    other = alice.get(f"/patients/{world.patients['pat'].id}/videos")
    assert "wasm-unsafe-eval" not in other.headers["content-security-policy"]


def test_it_says_how_to_install_the_pose_runtime_when_it_is_missing(tmp_path: Path) -> None:
    world = build_world(make_settings(tmp_path, mirror_runtime_dir=tmp_path / "nowhere"))
    try:
        page = world.client("alice").get(f"/patients/{world.patients['pat'].id}/mirror")
    finally:
        close_world(world)
    assert page.status_code == 503
    assert "Run scripts/setup.sh (it fetches it, pinned)" in page.text
    assert str(tmp_path / "nowhere") in page.text


def test_it_serves_the_pose_runtime_from_its_own_origin(world: World) -> None:
    runtime = world.settings.mirror_runtime_dir
    if not (runtime / "pose.js").is_file():
        pytest.skip("scripts/setup.sh has not fetched @mediapipe/pose")
    client = world.client("alice")
    script = client.get("/static/mediapipe/pose.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    wasm = client.get("/static/mediapipe/pose_solution_simd_wasm_bin.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    assert np.frombuffer(wasm.content[:4], dtype=np.uint8).tolist() == [0, 97, 115, 109]
