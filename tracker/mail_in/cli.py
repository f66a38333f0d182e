"""``flask --app tracker ingest-mail PATH... --newsroom NAME``: agency mail from files."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.core import clock, db
from tracker.core.models import Newsroom
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _
from tracker.mail_in import service


def context_for(newsroom_id: int, source: str) -> service.Context:
    """The pipeline's settings from the app's configuration."""
    config = current_app.config
    return service.Context(
        newsroom_id=newsroom_id,
        storage=LocalStorage(config["ATTACHMENTS_DIR"]),
        max_bytes=config["MAX_UPLOAD_MB"] * 1024 * 1024,
        timezone=config["TIMEZONE"],
        today=clock.today(config["TIMEZONE"]),
        source=source,
    )


@click.command("ingest-mail")
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--newsroom", required=True, help="The newsroom whose requests the mail is for.")
@with_appcontext
def ingest_mail_command(paths: tuple[Path, ...], newsroom: str) -> None:
    """Bring in .eml, .msg or .mbox files: one line per message (Message-ID, request id or
    ``unmatched``, how it was matched or why not)."""
    session = db.session()
    room = session.scalar(sa.select(Newsroom).where(Newsroom.name == newsroom))
    if room is None:
        raise click.ClickException(_("No newsroom named %(name)s.", name=repr(newsroom)))
    context = context_for(room.id, "cli")
    limit = context.max_bytes
    for path in paths:
        size = path.stat().st_size
        if size > limit * 20:
            click.echo(
                _("-\tunmatched\tskipped: %(name)s is too large to read", name=path.name),
                err=True,
            )
            continue
        with db.transaction() as session:
            results = service.ingest_file(session, context, path.name, path.read_bytes())
        for result in results:
            click.echo(result.line())


COMMANDS = [ingest_mail_command]
