"""``flask --app tracker ingest-mail PATH... --newsroom NAME``: agency mail from files."""

from __future__ import annotations

import os
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.core import clock, db
from tracker.core.models import Newsroom
from tracker.files.storage import LocalStorage
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import LOCALES, _, force_locale, normalize_locale
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


@click.command("ingest-mail", cls=TranslatedCommand)
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--newsroom", required=True, help="The newsroom whose requests the mail is for.")
@click.option(
    "--language",
    type=click.Choice(LOCALES),
    default=None,
    help="The language of the lines printed and of the notes kept with each message (its "
    "problems, its proposed entry's why) (default: LC_ALL, LC_MESSAGES or LANG when it is one "
    "the tracker speaks, else TRACKER_DEFAULT_LOCALE).",
)
@with_appcontext
def ingest_mail_command(paths: tuple[Path, ...], newsroom: str, language: str | None) -> None:
    """Bring in .eml, .msg or .mbox files: one line per message (Message-ID, request id or
    ``unmatched``, how it was matched or why not, in the reader's language)."""
    locale = language or _environment_locale() or current_app.config.get("DEFAULT_LOCALE") or "en"
    with force_locale(locale):
        _ingest(paths, newsroom)


def _ingest(paths: tuple[Path, ...], newsroom: str) -> None:
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


def _environment_locale() -> str | None:
    """The shell's language (``fr_CA.UTF-8`` -> ``fr``), when the tracker speaks it."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return normalize_locale(value.split(".")[0].replace("_", "-"))
    return None


COMMANDS = [ingest_mail_command]
