"""The live mirror's WebSocket: who may stream, the message loop, reconnects and the save.

Before the socket is accepted: the browser's ``Origin`` must be this site (a page elsewhere
cannot drive a signed-in browser's socket), the session cookie must name a signed-in user,
and the record must be theirs (:func:`~hipfirst.web.deps.may_open_record`); otherwise the
socket is closed with 1008 and a reason, and the refusal is audited. An accepted socket is
audited as a view of the record, a saved take as a change.

Then every message is validated (:mod:`hipfirst.web.mirror_messages`); a bad one gets an
``error`` answer naming the field, and :data:`MAX_BAD_MESSAGES` in a row close the socket.
At most ``live_max_fps`` frames a second (settings) are processed; more are answered
with an error and dropped, without counting as bad messages. A frame's stages run in a
worker thread so the event loop stays free.

A dropped socket leaves its take in the registry for ``live_grace_s``; a ``start`` naming
that take (same user, same record) carries on with it. A take that is not reattached is
freed when the grace period ends (a timer, and every later open), a saved or discarded one
at once.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from fastapi import WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from hipfirst.application.live_analyses import save_take
from hipfirst.application.live_takes import LiveTake, TakeRefusedError, TakeRegistry
from hipfirst.errors import HipfirstError
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.settings import Settings
from hipfirst.storage import sessions
from hipfirst.storage.audit import record
from hipfirst.storage.models import Patient, User, utcnow
from hipfirst.storage.record_ids import MAX_RECORD_ID
from hipfirst.video.live_session import LiveFrame
from hipfirst.video_io.settings import video_settings
from hipfirst.web.deps import SESSION_KEY, may_open_record
from hipfirst.web.mirror_messages import FrameMessage, StartMessage, StopMessage, parse_message
from hipfirst.web.video_view import metric_rows

ROUTE = "WS /patients/{patient_id}/mirror/socket"
POLICY_VIOLATION = 1008
MAX_BAD_MESSAGES = 20
SIGN_IN_FIRST = "sign in first: the live mirror streams into a patient's record"
NOT_YOURS = "no such patient record for this account"
FOREIGN = "this socket was opened from another site ({origin}); open hipfirst itself"


def registry_of(app: Any) -> TakeRegistry:
    """The app's take registry, made on first use from its settings."""
    registry: TakeRegistry | None = getattr(app.state, "live_takes", None)
    if registry is None:
        settings: Settings = app.state.settings
        registry = TakeRegistry(grace_s=settings.live_grace_s, max_takes=settings.live_max_takes)
        app.state.live_takes = registry
    return registry


def own_origins(websocket: WebSocket, settings: Settings) -> set[str]:
    """This site as the browser names it in ``Origin`` (http/https for ws/wss)."""
    host = websocket.headers.get("host", websocket.url.netloc).lower()
    schemes = {"https" if websocket.url.scheme in ("wss", "https") else "http"}
    if settings.secure_cookies:
        schemes.add("https")
    return {f"{scheme}://{host}" for scheme in schemes}


def _origin(value: str) -> str:
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else value


def _audit(app: Any, websocket: WebSocket, user: User | None, patient_id: int, action: str) -> None:
    with app.state.sessionmaker() as db:
        client = websocket.client.host if websocket.client else "unknown"
        record(db, user, patient_id, action, ROUTE, client, websocket.url.path)
        db.commit()


async def _refuse(websocket: WebSocket, reason: str, *, accepted: bool = False) -> None:
    """Close with 1008 and the reason (accepted first: a close before the handshake is a
    bare HTTP 403, whose reason the page could not show)."""
    if not accepted:
        await websocket.accept()
    await websocket.close(code=POLICY_VIOLATION, reason=reason[:120])


def _admitted(websocket: WebSocket, patient_id: int) -> tuple[int, int] | str:
    """(user id, patient id) of an allowed socket, or the reason it is refused."""
    app = websocket.app
    settings: Settings = app.state.settings
    claimed = websocket.headers.get("origin")
    if claimed is None or _origin(claimed) not in own_origins(websocket, settings):
        _audit(app, websocket, None, patient_id if patient_id <= MAX_RECORD_ID else 0, "refused")
        return FOREIGN.format(origin=(claimed or "no origin")[:60])
    with app.state.sessionmaker() as db:
        token = websocket.session.get(SESSION_KEY)
        user = sessions.user_of(db, token, utcnow()) if isinstance(token, str) else None
        if user is None:
            return SIGN_IN_FIRST
        patient = db.get(Patient, patient_id) if 1 <= patient_id <= MAX_RECORD_ID else None
        if patient is None or not may_open_record(user, patient):
            client = websocket.client.host if websocket.client else "unknown"
            record(db, user, None, "refused", ROUTE, client, websocket.url.path)
            db.commit()
            return NOT_YOURS
        client = websocket.client.host if websocket.client else "unknown"
        record(db, user, patient.id, "view", ROUTE, client, websocket.url.path)
        db.commit()
        return user.id, patient.id


def live_frame(message: FrameMessage) -> LiveFrame:
    """The browser's fractions of the image turned into its pixels."""
    xy = visibility = world = None
    if message.landmarks is not None:
        points = np.asarray(message.landmarks, dtype=np.float64)
        xy = points[:, :2] * np.array([message.w, message.h], dtype=np.float64)
        visibility = np.clip(points[:, 3], 0.0, 1.0)
    if message.world is not None:
        world = np.asarray(message.world, dtype=np.float64)
    return LiveFrame(
        message.t / 1000.0,
        (message.w, message.h),
        xy,
        visibility,
        world,
        message.brightness,
        message.tilt,
    )


class FrameDroppedError(ValueError):
    """A frame over the rate limit: answered and dropped, not a malformed message."""


class _Connection:
    """One accepted socket's state: its take, its frame times, its bad-message count."""

    def __init__(self, websocket: WebSocket, user_id: int, patient_id: int) -> None:
        self.websocket, self.user_id, self.patient_id = websocket, user_id, patient_id
        self.registry = registry_of(websocket.app)
        self.take: LiveTake | None = None
        self.recent: deque[float] = deque()
        self.bad = 0
        self.ended = False

    async def send(self, message: dict[str, Any]) -> None:
        await self.websocket.send_json(message)

    async def start(self, message: StartMessage) -> None:
        if self.take is not None:
            self.registry.detach(self.take)
        if message.take is not None:
            take = self.registry.reattach(
                message.take, user_id=self.user_id, patient_id=self.patient_id
            )
        else:
            take = self.registry.open(
                user_id=self.user_id,
                patient_id=self.patient_id,
                task=VideoTask(message.task),
                side=message.side,
                model=message.model,
                kb=knowledge_base(),
                settings=video_settings(),
            )
        self.take = take
        session = take.session
        await self.send(
            {
                "type": "started",
                "take": take.take_id,
                "resumed": message.take is not None,
                "task": session.task.value,
                "side": session.side,
                "frames": session.frames,
                "count": sum(1 for rep in session.reps if rep.side == session.side),
                "targets": session.targets(),
            }
        )

    async def frame(self, message: FrameMessage) -> None:
        take = self.take
        if take is None:
            raise ValueError("send 'start' before the first frame")
        now = time.monotonic()
        while self.recent and now - self.recent[0] > 1.0:
            self.recent.popleft()
        limit = self.websocket.app.state.settings.live_max_fps
        if len(self.recent) >= limit:
            raise FrameDroppedError(f"too many frames: at most {limit} a second are used")
        self.recent.append(now)
        frame = live_frame(message)

        def run() -> dict[str, Any]:
            with take.lock:
                return take.session.add(frame).as_message()

        await self.send(await run_in_threadpool(run))

    async def stop(self, message: StopMessage) -> None:
        take = self.take
        if take is None:
            raise ValueError("there is no take to stop: press Start first")
        if not message.save:
            self.registry.discard(take)
            self.take, self.ended = None, True
            await self.send({"type": "discarded"})
            return
        app = self.websocket.app

        def run() -> tuple[int, dict[str, Any]]:
            with take.lock, app.state.sessionmaker() as db:
                patient, user = db.get(Patient, self.patient_id), db.get(User, self.user_id)
                assert patient is not None and user is not None
                take.session.finish()
                analysis = save_take(db, app.state.settings, patient, user, take, knowledge_base())
                client = self.websocket.client.host if self.websocket.client else "unknown"
                record(db, user, patient.id, "change", ROUTE, client, self.websocket.url.path)
                db.commit()
                return analysis.id, analysis.summary_json or {}

        try:
            analysis_id, summary = await run_in_threadpool(run)
        except HipfirstError as error:  # the take stays: the page may try again
            await self.send({"type": "error", "message": f"not saved: {error}", "retry": True})
            return
        self.registry.discard(take)
        self.take, self.ended = None, True
        rows = [
            {
                "label": row.label,
                "side": row.side,
                "value": row.value,
                "verdict": row.verdict,
                "valid": row.valid,
                "reason": row.reason,
            }
            for row in metric_rows(summary)
        ]
        await self.send(
            {
                "type": "saved",
                "analysis": analysis_id,
                "url": f"/patients/{self.patient_id}/videos/{analysis_id}",
                "rows": rows,
                "warnings": list((summary.get("quality") or {}).get("warnings", [])),
            }
        )

    def dropped(self) -> None:
        """The socket is gone: keep the take for a reconnect, freed after the grace period."""
        if self.take is None:
            return
        self.registry.detach(self.take)
        grace = self.registry.grace_s
        asyncio.get_running_loop().call_later(grace + 0.05, self.registry.sweep)


async def take_socket(websocket: WebSocket) -> None:
    """The socket of ``/patients/{patient_id}/mirror`` (module doc)."""
    raw = str(websocket.path_params.get("patient_id", ""))
    patient_id = int(raw) if raw.isdigit() and len(raw) <= 12 else 0
    admitted = await run_in_threadpool(_admitted, websocket, patient_id)
    if isinstance(admitted, str):
        await _refuse(websocket, admitted)
        return
    await websocket.accept()
    connection = _Connection(websocket, *admitted)
    handlers = {
        StartMessage: connection.start,
        FrameMessage: connection.frame,
        StopMessage: connection.stop,
    }
    try:
        while not connection.ended:
            text = await websocket.receive_text()
            try:
                message = parse_message(text)
                await handlers[type(message)](message)  # type: ignore[operator]
                connection.bad = 0
            except (ValueError, TakeRefusedError) as error:
                connection.bad += 0 if isinstance(error, FrameDroppedError) else 1
                await connection.send({"type": "error", "message": str(error)})
                if connection.bad >= MAX_BAD_MESSAGES:
                    await _refuse(
                        websocket, "too many messages that could not be used", accepted=True
                    )
                    return
        await websocket.close()
    except WebSocketDisconnect:
        pass
    finally:
        connection.dropped()
