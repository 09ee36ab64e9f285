"""``hipfirst serve``: run the clinic web app (and set up a fresh data folder with demo data).

The demo accounts' passwords are printed once, on the start that creates them;
later starts say where they are kept (``<data dir>/demo-logins.txt``, mode 0600),
so they do not end up in every log of a service manager.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer

from hipfirst.application.demo import LOGINS_FILE, demo_logins, seed_demo
from hipfirst.cli.app import app, report_errors, say
from hipfirst.cli.db import DataDirOption
from hipfirst.cli.native_logs import native_stderr_captured
from hipfirst.settings import Settings, load_settings
from hipfirst.storage.database import make_engine
from hipfirst.storage.migrate import is_empty, upgrade
from hipfirst.worker.process import worker_alongside


def uvicorn_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    """How uvicorn runs the app: forwarded headers are trusted only from configured proxies.

    With ``HIPFIRST_FORWARDED_ALLOW_IPS`` unset, ``X-Forwarded-For`` and
    ``X-Forwarded-Proto`` are ignored whoever sends them (uvicorn's own default
    trusts them from 127.0.0.1, so a client behind a local proxy could change its
    address, and with it the per-address sign-in limit, at will).
    """
    trusted = settings.forwarded_allow_ips
    return {
        "host": host,
        "port": port,
        "log_level": "info",
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": ",".join(trusted) if trusted else None,
        "server_header": False,
    }


@app.command()
@report_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    data_dir: DataDirOption = None,
) -> None:
    """Start the web app. A fresh database is created, migrated and filled with demo data."""
    import uvicorn

    # The one command that imports the web edge (hipfirst.web); imported late, so
    # the other commands never load FastAPI.
    from hipfirst.web.app import create_app

    settings = load_settings(data_dir)
    engine = make_engine(settings.database_url)
    first_start = is_empty(engine)
    if first_start:
        upgrade(engine)
        say(f"Created a new database in {settings.data_dir}.")
        with native_stderr_captured():  # the demo video's analysis: no model start-up notes
            seeded = seed_demo(settings, engine, progress=say)
        for line in seeded:
            say(line)
    engine.dispose()
    web_app = create_app(settings)  # refuses an out-of-date schema
    logins = demo_logins(settings)
    if logins and first_start:
        say("Demo logins (also in demo-logins.txt in the data folder; shown this once):")
        for line in logins:
            say(f"  {line}")
    elif logins:
        say(f"Demo logins: see {settings.data_dir / LOGINS_FILE}")
    say(f"hipfirst at http://{host}:{port}  (Ctrl+C stops it)")
    # uvicorn shuts down gracefully on SIGTERM and then raises the signal again
    # with the handler that was there before it: make that handler unwind this
    # function, so the worker child below is stopped too instead of orphaned.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with worker_alongside(settings.data_dir, log=say):  # analyses: own process
        uvicorn.run(web_app, **uvicorn_options(settings, host, port))


def _exit_on_sigterm(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)
