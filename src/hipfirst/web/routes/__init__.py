"""One router per feature; a new page adds its module here (see docs/web.md)."""

from __future__ import annotations

from fastapi import APIRouter

from hipfirst.web.routes import admin, auth, me, patients, programme_files, questionnaires
from hipfirst.web.routes import assessments as assessment_pages
from hipfirst.web.routes import charts as chart_pages
from hipfirst.web.routes import exercises as exercise_pictures
from hipfirst.web.routes import logs as log_pages
from hipfirst.web.routes import mirror as mirror_page
from hipfirst.web.routes import programmes as programme_pages
from hipfirst.web.routes import references as reference_pages
from hipfirst.web.routes import return_to_sport as return_pages
from hipfirst.web.routes import videos as video_pages

ROUTERS: list[APIRouter] = [auth.router, admin.router, patients.router, me.router]
ROUTERS.append(assessment_pages.router)
ROUTERS.append(programme_pages.router)
ROUTERS.append(log_pages.router)
ROUTERS.append(video_pages.router)
ROUTERS.append(exercise_pictures.router)
ROUTERS.append(programme_files.router)
ROUTERS.append(questionnaires.router)
ROUTERS.append(reference_pages.router)
ROUTERS.append(return_pages.router)
ROUTERS.append(chart_pages.router)
ROUTERS.append(mirror_page.router)
