"""``flask --app tracker extract-text``: read the queued files now, or wait for the scheduler."""

from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.core import db
from tracker.core.models import InfoRequest, RecordFile
from tracker.records import jobs


def _counts(request_id: int | None) -> dict[str, int]:
    session = db.session()
    query = sa.select(RecordFile.status, sa.func.count()).group_by(RecordFile.status)
    if request_id is not None:
        query = query.where(RecordFile.request_id == request_id)
    counts = {status: int(n) for status, n in session.execute(query)}
    session.rollback()
    return counts


@click.command("extract-text")
@click.option("--request", "request_id", type=int, default=None, help="Only this request's files.")
@click.option(
    "--wait",
    is_flag=True,
    help="Do not read here: wait until the scheduler has read the queued files.",
)
@click.option("--again", is_flag=True, help="Read the request's files again (with --request).")
@click.option(
    "--timeout", type=float, default=None, help="With --wait: give up after this many seconds."
)
@with_appcontext
def extract_text_command(
    request_id: int | None, wait: bool, again: bool, timeout: float | None
) -> None:
    """Read the text of attached files (PDF text, OCR, e-mail bodies), one file at a time."""
    session = db.session()
    if request_id is not None and session.get(InfoRequest, request_id) is None:
        raise click.ClickException(f"no request {request_id}")
    if again:
        if request_id is None:
            raise click.ClickException("--again needs --request")
        click.echo(f"{jobs.requeue(session, request_id)} file(s) queued again")
    queued = jobs.queue_missing(session, request_id)
    if queued:
        click.echo(f"{queued} file(s) queued")
    if wait:
        started = time.monotonic()
        while True:
            counts = _counts(request_id)
            left = counts.get("queued", 0) + counts.get("reading", 0)
            if not left:
                break
            if timeout is not None and time.monotonic() - started > timeout:
                raise click.ClickException(f"{left} file(s) still waiting after {timeout:g} s")
            time.sleep(1)
    else:

        def report(file_id: int, ok: bool) -> None:
            row = db.session().get(RecordFile, file_id, populate_existing=True)
            if row is not None:
                what = f"{row.pages_done} page(s)" if ok else f"failed: {row.reason}"
                click.echo(f"file {row.attachment_id} of request {row.request_id}: {what}")

        jobs.work(session, current_app.config, request_id=request_id, on_file=report)
    counts = _counts(request_id)
    click.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no files")


COMMANDS = [extract_text_command]
