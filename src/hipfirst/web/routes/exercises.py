"""Exercise pictures: ``GET /exercises/{exercise_id}.svg`` for any signed-in user.

The picture is the same for everyone (it shows the library's exercise, nothing of a
patient), so it is not audited; it may be cached privately for a day and revalidated
with its ETag.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from hipfirst.application.exercise_pictures import exercise_picture
from hipfirst.web.deps import CurrentUser

router = APIRouter(prefix="/exercises")

SVG = "image/svg+xml"
CACHE_CONTROL = "private, max-age=86400"


@router.get("/{exercise_id}.svg")
def picture(exercise_id: str, request: Request, _user: CurrentUser) -> Response:
    found = exercise_picture(exercise_id)
    if found is None:
        raise HTTPException(status_code=404, detail="No such exercise.")
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": found.etag}
    if request.headers.get("if-none-match") == found.etag:
        return Response(status_code=304, headers=headers)
    return Response(found.svg, media_type=SVG, headers=headers)
