"""``flask --app tracker extract-text``: read the queued files now, or wait for the scheduler."""

from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.core import db
from tracker.core.models import InfoRequest, RecordFile
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _
from tracker.records import jobs


def _counts(request_id: int | None) -> dict[str, int]:
    session = db.session()
    query = sa.select(RecordFile.status, sa.func.count()).group_by(RecordFile.status)
    if request_id is not None:
        query = query.where(RecordFile.request_id == request_id)
    counts = {status: int(n) for status, n in session.execute(query)}
    session.rollback()
    return counts


@click.command("extract-text", cls=TranslatedCommand)
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
        raise click.ClickException(_("no request %(id)s", id=request_id))
    if again:
        if request_id is None:
            raise click.ClickException(_("--again needs --request"))
        click.echo(_("%(num)s file(s) queued again", num=jobs.requeue(session, request_id)))
    queued = jobs.queue_missing(session, request_id)
    if queued:
        click.echo(_("%(num)s file(s) queued", num=queued))
    if wait:
        started = time.monotonic()
        while True:
            counts = _counts(request_id)
            left = counts.get("queued", 0) + counts.get("reading", 0)
            if not left:
                break
            if timeout is not None and time.monotonic() - started > timeout:
                seconds = format(timeout, "g")
                raise click.ClickException(
                    _(
                        "%(num)s file(s) still waiting after %(seconds)s s",
                        num=left,
                        seconds=seconds,
                    )
                )
            time.sleep(1)
    else:

        def report(file_id: int, ok: bool) -> None:
            row = db.session().get(RecordFile, file_id, populate_existing=True)
            if row is not None:
                what = (
                    _("%(num)s page(s)", num=row.pages_done)
                    if ok
                    else _("failed: %(reason)s", reason=row.reason)
                )
                click.echo(
                    _(
                        "file %(file)s of request %(request)s: %(what)s",
                        file=row.attachment_id,
                        request=row.request_id,
                        what=what,
                    )
                )

        jobs.work(session, current_app.config, request_id=request_id, on_file=report)
    counts = _counts(request_id)
    click.echo(
        ", ".join(_status_count(status, n) for status, n in sorted(counts.items())) or _("no files")
    )


def _status_count(status: str, n: int) -> str:
    """How many files are in a reading status, as the command prints it ("3 done")."""
    if status == "queued":
        return _("%(num)s queued", num=n)
    if status == "reading":
        return _("%(num)s reading", num=n)
    if status == "done":
        return _("%(num)s done", num=n)
    if status == "failed":
        return _("%(num)s failed", num=n)
    return f"{n} {status}"


COMMANDS = [extract_text_command]
