"""``hipfirst serve``: run the clinic web app (and set up a fresh data folder with demo data).

The demo accounts' passwords are printed once, on the start that creates them;
later starts say where they are kept (``<data dir>/demo-logins.txt``, mode 0600),
so they do not end up in every log of a service manager.
"""

from __future__ import annotations

import signal
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer

from hipfirst.application.demo import LOGINS_FILE, demo_logins, seed_demo
from hipfirst.cli.app import app, report_errors, say
from hipfirst.cli.db import DataDirOption
from hipfirst.cli.native_logs import native_stderr_captured
from hipfirst.errors import FieldError, InputValidationError
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


def tls_options(certfile: Path | None, keyfile: Path | None) -> dict[str, str]:
    """uvicorn's TLS options: both files or neither, each a readable file.

    A browser gives a page the camera only on https or on localhost; the live mirror on a
    phone in the clinic needs one of the two (docs/mirror.md).
    """
    if certfile is None and keyfile is None:
        return {}
    errors = []
    if certfile is None or keyfile is None:
        missing = "--ssl-keyfile" if keyfile is None else "--ssl-certfile"
        errors.append(FieldError(missing, "give the certificate and its key together"))
    for name, path in (("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        if path is not None and not path.is_file():
            errors.append(FieldError(name, "no such file", str(path)))
    if errors:
        raise InputValidationError("serve", errors)
    assert certfile is not None and keyfile is not None
    return {"ssl_certfile": str(certfile), "ssl_keyfile": str(keyfile)}


@app.command()
@report_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    data_dir: DataDirOption = None,
    ssl_certfile: Annotated[
        Path | None,
        typer.Option(help="TLS certificate (PEM): serve https, so a phone may use its camera."),
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option(help="The certificate's private key (PEM).")
    ] = None,
) -> None:
    """Start the web app. A fresh database is created, migrated and filled with demo data."""
    import uvicorn

    # The one command that imports the web edge (hipfirst.web); imported late, so
    # the other commands never load FastAPI.
    from hipfirst.web.app import create_app

    tls = tls_options(ssl_certfile, ssl_keyfile)
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
    scheme = "https" if tls else "http"
    say(f"hipfirst at {scheme}://{host}:{port}  (Ctrl+C stops it)")
    # uvicorn shuts down gracefully on SIGTERM and then raises the signal again
    # with the handler that was there before it: make that handler unwind this
    # function, so the worker child below is stopped too instead of orphaned.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    with worker_alongside(settings.data_dir, log=say):  # analyses: own process
        uvicorn.run(web_app, **{**uvicorn_options(settings, host, port), **tls})


def _exit_on_sigterm(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)
