"""`flask --app tracker serve`: the development server, no reloader, and ONE scheduler beside it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from types import FrameType

import click
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from tracker.core.context import current_flask_app
from tracker.core.db import check_connection
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _


def start_scheduler(base_url: str | None = None) -> subprocess.Popen[bytes]:
    """The scheduler in its own process (never inside the web server), same settings; its
    mails link to ``base_url`` when TRACKER_BASE_URL is unset."""
    command = [sys.executable, "-m", "flask", "--app", "tracker", "scheduler"]
    env = dict(os.environ)
    if base_url and not env.get("TRACKER_BASE_URL"):
        env["TRACKER_BASE_URL"] = base_url
    # Fixed arguments, no shell (bandit B603).
    return subprocess.Popen(command, env=env)  # nosec B603


def served_url(host: str, port: int) -> str:
    """The address a browser reaches the development server at."""
    if host in ("0.0.0.0", "::", ""):  # nosec B104: only naming the address, not binding
        host = socket.getfqdn()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def stop_scheduler(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the scheduler finishes its running job), then kill after 15 seconds."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _exit_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


@click.command("serve", cls=TranslatedCommand)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option(
    "--scheduler/--no-scheduler",
    default=True,
    show_default=True,
    help="Also run the scheduler (overdue sweep, alert e-mails) in a second process.",
)
@with_appcontext
def serve_command(host: str, port: int, scheduler: bool) -> None:
    """Serve the tracker for one machine (production uses gunicorn, see the README)."""
    app = current_flask_app()
    try:
        check_connection(app)
    except ConnectionError as exc:
        raise click.ClickException(str(exc)) from None
    served = served_url(host, port)
    # Links in mails and feeds name where the tracker really is (TRACKER_BASE_URL wins).
    app.config["SERVED_URL"] = served
    process = start_scheduler(served) if scheduler else None
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    click.echo(_("ATI tracker on %(url)s/  (Ctrl-C stops it)", url=served))
    try:
        # No reloader: it would start the app (and any scheduler) twice.
        run_simple(host, port, app, use_reloader=False, threaded=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process is not None:
            stop_scheduler(process)


COMMANDS = [serve_command]
