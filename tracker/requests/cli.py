"""`flask --app tracker deadline LAW RECEIVED` (a due date and how it was reached) and
`recompute-deadlines` (requests stored under other deadline rules)."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.core import db
from tracker.deadlines import LAW_CODES, explain, french, reporter_windows
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _, get_locale
from tracker.requests import recompute


def _parse_date(value: str, what: str) -> date:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise click.UsageError(
            _(
                "%(what)s must be a date in ISO form YYYY-MM-DD, got %(value)s",
                what=what,
                value=repr(value),
            )
        ) from None
    return parsed


@click.command("deadline", cls=TranslatedCommand)
@click.argument("law")
@click.argument("received")
@click.option(
    "--extension",
    "extension",
    type=int,
    default=0,
    show_default=True,
    help="Extension in the law's own unit (calendar days for ca-atia, working days for us-foia/uk-foia).",
)
@click.option(
    "--province",
    default=None,
    help="Institution's province (federal laws) or the law's own subdivision.",
)
@click.option(
    "--pause",
    "pauses",
    multiple=True,
    metavar="START:END",
    help="A pause (inclusive), e.g. 2024-03-01:2024-03-10; repeatable.",
)
@click.option(
    "--acknowledged",
    default=None,
    metavar="DATE",
    help="NY FOIL: the date of the acknowledgement (the 20 business days run from it).",
)
@click.option(
    "--responded",
    default=None,
    metavar="DATE",
    help="The date the response was received, for the windows after it.",
)
@with_appcontext
def deadline_command(
    law: str,
    received: str,
    extension: int,
    province: str | None,
    pauses: tuple[str, ...],
    acknowledged: str | None,
    responded: str | None,
) -> None:
    """Print the due date for LAW (one of: %(laws)s) and a request RECEIVED on that date."""
    received_date = _parse_date(received, "RECEIVED")
    acknowledged_date = _parse_date(acknowledged, "--acknowledged") if acknowledged else None
    responded_date = _parse_date(responded, "--responded") if responded else None
    pause_pairs: list[tuple[date, date]] = []
    for item in pauses:
        start, sep, end = item.partition(":")
        if not sep:
            raise click.UsageError(
                _("--pause must look like START:END, got %(value)s", value=repr(item))
            )
        pause_pairs.append((_parse_date(start, "--pause start"), _parse_date(end, "--pause end")))
    try:
        result = explain(
            law,
            received_date,
            extension_days=extension,
            province=province,
            pauses=pause_pairs,
            acknowledged=acknowledged_date,
        )
        windows = reporter_windows(
            law, received=received_date, due=result.due, responded=responded_date, province=province
        )
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(result.due.isoformat())
    # In the command's language (TRACKER_DEFAULT_LOCALE): French from tracker.deadlines.french.
    french_steps = french.explanation_steps(result, _iso) if _french() else None
    if french_steps is None:
        click.echo(result.as_text())
    else:
        main = [s.text for s in french_steps if s.label not in ("Jours fériés", "Note")]
        extra = [s.text for s in french_steps if s.label in ("Jours fériés", "Note")]
        click.echo("\n".join([" ".join(main), *extra]))
    click.echo(_("Reporter's windows:"))
    for window in windows:
        if _french():
            text = french.window_text(result.law, window, _iso) or window.text
            citation = french.cited_as_given(result.law, window.citation)
        else:
            text, citation = window.text, window.citation
        click.echo(f"- {text} [{citation}]")


def _iso(value: date) -> str:
    return value.isoformat()


def _french() -> bool:
    return str(get_locale() or "en") == "fr"


deadline_command.help_values = lambda: {"laws": ", ".join(LAW_CODES)}


def run_recompute(dry_run: bool = False) -> recompute.Summary:
    """Recompute the requests stored under other deadline rules, printing what moved."""
    return recompute.recompute_stale(
        db.session(),
        current_app.config["TIMEZONE"],
        dry_run=dry_run,
        report=lambda move: click.echo(move.line()),
        refused=lambda request_id, why: click.echo(
            _("request %(id)s\tnot recomputed: %(why)s", id=request_id, why=why), err=True
        ),
    )


@click.command("recompute-deadlines", cls=TranslatedCommand)
@click.option("--dry-run", is_flag=True, help="Print what would move; write nothing.")
@with_appcontext
def recompute_deadlines_command(dry_run: bool) -> None:
    """Recompute the dates of every request computed under other deadline rules."""
    click.echo(run_recompute(dry_run).line())


COMMANDS = [deadline_command, recompute_deadlines_command]
