"""``flask --app tracker packet REQUEST_ID --output PATH.zip``: the packet from the command line."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.core import clock, db
from tracker.files.storage import LocalStorage
from tracker.language.i18n import force_locale
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
            f"{value!r} is not an ISO 8601 date and time, e.g. 2026-11-22T15:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment.astimezone(UTC).year < 1980:
        raise click.BadParameter("ZIP archives cannot hold dates before 1980.")
    return moment.astimezone(UTC)


@click.command("packet")
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
        raise click.ClickException(f"There is no request #{request_id}.")
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
        f"wrote {packet.path} ({packet.size:,} bytes, {len(packet.dossier.files)} original "
        f"file{'s' if len(packet.dossier.files) != 1 else ''})"
    )


COMMANDS = [packet_command]
