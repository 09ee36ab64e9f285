"""The signed-in patient's own overview (their programme, logs and videos)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from hipfirst.application.sessions import logged_days
from hipfirst.knowledge.loader import knowledge_base
from hipfirst.web.dates import long_date
from hipfirst.web.deps import OwnRecord
from hipfirst.web.templating import render

router = APIRouter(prefix="/me")


@router.get("")
def my_record(request: Request, patient: OwnRecord) -> Response:
    context = {"patient": patient, "days": logged_days(patient, knowledge_base()), "day": long_date}
    return render(request, "me/overview.html", context)
