"""The clinic web app: FastAPI + Jinja2 + HTMX over :mod:`hipfirst.storage`.

Build it with :func:`hipfirst.web.app.create_app`; ``hipfirst serve`` runs it.
"""
