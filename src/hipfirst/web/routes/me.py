"""The signed-in patient's own overview (their programme, logs and videos)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hipfirst.web.deps import OwnRecord
from hipfirst.web.templating import render

router = APIRouter(prefix="/me")


@router.get("")
def my_record(request: Request, patient: OwnRecord) -> Response:
    return render(request, "me/overview.html", {"patient": patient})
