"""`flask --app tracker serve`: the development server, no reloader."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from tracker.db import check_connection


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    """Serve the tracker for one machine (production uses gunicorn, see the README)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        check_connection(app)
    except ConnectionError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"ATI tracker on http://{host}:{port}/  (Ctrl-C stops it)")
    run_simple(host, port, app, use_reloader=False, threaded=True)
