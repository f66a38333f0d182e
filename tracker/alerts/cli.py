"""`flask --app tracker sweep`: every scheduled job once (cron can stand in for the scheduler)."""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.alerts import service
from tracker.core import clock, db
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _, command_context


def _parse_day(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        # Option callbacks run before with_appcontext: word the error in the app's language.
        with command_context(_ctx):
            message = _(
                "%(value)s is not a date; write it as YYYY-MM-DD, e.g. 2026-11-22.",
                value=repr(value),
            )
        raise click.BadParameter(message) from None


@click.command("sweep", cls=TranslatedCommand)
@click.option(
    "--today",
    callback=_parse_day,
    metavar="YYYY-MM-DD",
    help="Run as if today were this date (in every newsroom).",
)
@click.option("--dry-run", is_flag=True, help="Count what would happen; write and send nothing.")
@with_appcontext
def sweep_command(today: date | None, dry_run: bool) -> None:
    """Flag overdue requests, queue the day's alerts and send the outbox, once."""
    with clock.frozen(today) if today is not None else nullcontext():
        summary = service.run_all(db.session(), current_app.config, dry_run=dry_run)
    for line in summary.lines():
        click.echo(line)


COMMANDS = [sweep_command]
