"""One router per feature; a new page adds its module here (see docs/web.md)."""

from __future__ import annotations

from fastapi import APIRouter

from hipfirst.web.routes import admin, auth, me, patients

ROUTERS: list[APIRouter] = [auth.router, admin.router, patients.router, me.router]
