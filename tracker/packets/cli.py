"""``flask --app tracker packet REQUEST_ID --output PATH.zip``: the packet from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.core import clock, db
from tracker.files.storage import LocalStorage
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _, force_locale, format_decimal, ngettext
from tracker.language.service import request_language
from tracker.packets.dossier import newsroom_timezone
from tracker.packets.service import PacketError, build_packet
from tracker.requests.service import load_request


def parse_generated_at(value: str) -> datetime:
    """An ISO 8601 instant; one without an offset is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            _(
                "%(value)s is not an ISO 8601 date and time, e.g. 2026-11-22T15:00:00Z",
                value=repr(value),
            )
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment.astimezone(UTC).year < 1980:
        raise click.BadParameter(_("ZIP archives cannot hold dates before 1980."))
    return moment.astimezone(UTC)


@click.command("packet", cls=TranslatedCommand)
@click.argument("request_id", type=int)
@click.option(
    "--output", "-o", required=True, type=click.Path(dir_okay=False), help="Where to write the ZIP."
)
@click.option(
    "--generated-at",
    "generated_at",
    default=None,
    metavar="ISO-TIMESTAMP",
    help="Generation time to record (also fixes 'today'); the same data and time "
    "give a byte-identical ZIP. Default: now.",
)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@with_appcontext
def packet_command(request_id: int, output: str, generated_at: str | None, force: bool) -> None:
    """Build a request's complaint evidence packet (PDF, letter, CSV, files, manifest)."""
    moment = parse_generated_at(generated_at) if generated_at else None
    session = db.session()
    request = load_request(session, request_id)
    if request is None:
        raise click.ClickException(_("There is no request #%(id)s.", id=request_id))
    tz = newsroom_timezone(request, current_app.config["TIMEZONE"])
    if moment is None:
        moment, today = clock.now(), clock.today(tz)
    else:
        today = moment.astimezone(ZoneInfo(tz)).date()
    language = request_language(session, request, current_app.config["DEFAULT_LOCALE"])
    try:
        with force_locale(language):
            packet = build_packet(
                request,
                LocalStorage(current_app.config["ATTACHMENTS_DIR"]),
                output,
                generated_at=moment,
                today=today,
                tz=tz,
                force=force,
            )
    except PacketError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        session.rollback()
    click.echo(
        ngettext(
            "wrote %(path)s (%(size)s bytes, %(num)s original file)",
            "wrote %(path)s (%(size)s bytes, %(num)s original files)",
            len(packet.dossier.files),
            path=packet.path,
            size=format_decimal(packet.size),
        )
    )


COMMANDS = [packet_command]
