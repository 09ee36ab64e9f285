"""The live mirror: ``/patients/{id}/mirror`` (the page) and its landmark socket.

The page runs BlazePose in the browser (``@mediapipe/pose``, served from this origin under
``/static/mediapipe/``) and sends each frame's landmarks, never an image, over the socket
``/patients/{id}/mirror/socket``. The server runs the video pipeline's stages on them
(:class:`~hipfirst.video.live_session.LiveSession`) and answers every frame with the
values, cues, counter and messages to show. Stop saves the take to the record
(:func:`~hipfirst.application.live_analyses.save_take`).

The socket is refused (closed with 1008 before it is accepted, and audited) when the
browser names another origin, nobody is signed in, or the record is not the user's
(:func:`~hipfirst.web.deps.may_open_record`, the rule every record page uses). Only this
page's Content-Security-Policy allows WebAssembly (``'wasm-unsafe-eval'``) and blob:
workers, which the pose runtime needs; every other page keeps the strict policy.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.routing import WebSocketRoute

from hipfirst.application.live_analyses import BROWSER_RUNTIME
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.knowledge.vocabulary import VideoTask
from hipfirst.video.live_cues import live_cues
from hipfirst.video.live_session import LIVE_METRICS, LIVE_TASKS
from hipfirst.web.deps import AppSettings, CurrentUser, PatientRecord
from hipfirst.web.headers import CONTENT_SECURITY_POLICY
from hipfirst.web.mirror_socket import take_socket
from hipfirst.web.routes.videos import TASK_LABELS
from hipfirst.web.templating import render

router = APIRouter(prefix="/patients/{patient_id}/mirror")
# A plain Starlette route: the app-wide dependencies (the CSRF check of forms) take a
# Request, which a socket is not; the socket checks its origin and session itself.
router.routes.append(WebSocketRoute(f"{router.prefix}/socket", take_socket, name="mirror_socket"))

MIRROR_CSP = (
    CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
    + "; worker-src 'self' blob:; connect-src 'self'"
)
"""The strict policy plus what the pose runtime needs: compiling its WebAssembly, and the
blob: worker it may start. ``connect-src 'self'`` covers the page's own socket (ws/wss)."""
METRIC_LABELS = {
    "fppa_deg": "Knee (FPPA)",
    "pelvic_drop_deg": "Pelvic drop",
    "trunk_lean_deg": "Trunk lean",
}
RUNTIME_MISSING = (
    "The live mirror's pose runtime (the npm package {runtime}) is not installed on this "
    "server, at {path}. Run scripts/setup.sh (it fetches it, pinned), or set "
    "HIPFIRST_MIRROR_RUNTIME to the folder of that package, and restart hipfirst."
)


@router.get("")
def mirror_page(
    request: Request, settings: AppSettings, user: CurrentUser, patient: PatientRecord
) -> Response:
    runtime = settings.mirror_runtime_dir
    missing = not (runtime / "pose.js").is_file()
    cues = live_cues(knowledge_base())
    context: dict[str, Any] = {
        "patient": patient,
        "back": "/me" if user.role.value == "patient" else f"/patients/{patient.id}",
        "tasks": {task.value: TASK_LABELS[task.value] for task in LIVE_TASKS},
        "default_task": VideoTask.SINGLE_LEG_SQUAT.value,
        "default_side": patient_side(patient),
        "metrics": {metric: METRIC_LABELS[metric] for metric in LIVE_METRICS},
        "targets": {metric: cues[metric].target() for metric in LIVE_METRICS if metric in cues},
        "runtime_error": RUNTIME_MISSING.format(runtime=BROWSER_RUNTIME, path=runtime)
        if missing
        else "",
    }
    response = render(request, "mirror/mirror.html", context, status_code=503 if missing else 200)
    response.headers["content-security-policy"] = MIRROR_CSP
    return response


def patient_side(patient: Any) -> str:
    """The involved side from the record when it names one, else left."""
    side = getattr(patient, "involved_side", None)
    return side if side in ("left", "right") else "left"
