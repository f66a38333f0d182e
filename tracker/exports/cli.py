"""``flask --app tracker export NEWSROOM --output PATH.zip``: the newsroom's full export."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.alerts.cli import _parse_day
from tracker.core import clock, db
from tracker.core.models import Newsroom
from tracker.core.urls import base_url
from tracker.exports import jobs, service
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _


@click.command("export", cls=TranslatedCommand)
@click.argument("newsroom")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The ZIP to write (written under a temporary name, checked, then renamed).",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option(
    "--today",
    default=None,
    callback=_parse_day,
    help="Count days late to this day (YYYY-MM-DD; default: today in the newsroom's zone).",
)
@with_appcontext
def export_command(newsroom: str, output: Path, force: bool, today: date | None) -> None:
    """Write all of a newsroom's data as a ZIP of CSVs, with a progress bar."""
    session = db.session()
    room = session.scalar(sa.select(Newsroom).where(Newsroom.name == newsroom))
    if room is None:
        raise click.ClickException(_("No newsroom named %(name)s.", name=repr(newsroom)))
    if output.exists() and not force:
        raise click.ClickException(_("%(path)s exists; use --force to replace it.", path=output))
    day = today or clock.today(room.timezone or current_app.config["TIMEZONE"])
    total = service.newsroom_row_count(session, room.id)
    part = output.with_name(output.name + ".part")
    done = [0]
    with click.progressbar(
        length=total, label=_("Exporting %(name)s", name=room.name), file=sys.stderr
    ) as bar:

        def progress(rows: int) -> None:
            done[0] += rows
            bar.update(rows)

        try:
            with part.open("wb") as handle:
                service.write_newsroom_zip(session, room, day, base_url(), handle, progress)
            jobs.check_zip(part, done[0])
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    os.replace(part, output)
    click.echo(
        _(
            "%(path)s: %(lines)s lines, %(size)s bytes",
            path=output,
            lines=done[0],
            size=output.stat().st_size,
        )
    )


COMMANDS = [export_command]
