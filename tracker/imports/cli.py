"""``flask --app tracker import-csv FILE --newsroom NAME``: the CSV import from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.core import clock, db
from tracker.core.models import Newsroom, User
from tracker.files.storage import LocalStorage
from tracker.imports import jobs, restore, service
from tracker.imports.csvfile import CsvFileError, open_csv
from tracker.imports.views import DELIMITER_NAMES
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _, ngettext

#: Files with more requests than this get a progress bar.
PROGRESS_FROM = 200
#: Rows named in a warning's summary line before "and N more".
ROWS_NAMED = 10


MAPPING_HELP = (
    "Column mapping as a JSON object or a file holding one. Keys naming a column of the file: "
    "%(columns)s. Other keys: default_institution (the institution of rows without one); "
    "default_law (a law code, also the law of institutions the import creates); date_format "
    "(%(formats)s); default_outcome (for completed rows whose decision is empty or unknown: "
    "%(outcomes)s); as_of (as --as-of); confirm_new_year (yes: 1 January dates are real, not "
    "placeholders); confirm_same_date_column (yes: one column holds both the received and the "
    "completed date). Keys not given are guessed from the column names; the export's own "
    "columns are recognised. E.g. "
    '\'{"received_on": "date_accepted", "default_institution": "City of Toronto", '
    '"default_law": "ca-on-mfippa"}\'.'
)


def _help_values() -> dict[str, str]:
    """The --mapping help's lists, in the language of the moment (the column labels)."""
    return {
        "columns": "; ".join(f"{key}: {label}" for key, label in service.COLUMN_FIELDS.items()),
        "formats": ", ".join(service.DATE_FORMATS),
        "outcomes": ", ".join(service.requests.RESPONSE_OUTCOMES),
    }


def _newsroom(name: str) -> Newsroom:
    session = db.session()
    found = session.scalar(sa.select(Newsroom).where(Newsroom.name == name)) or session.scalar(
        sa.select(Newsroom).where(sa.func.lower(Newsroom.name) == name.strip().lower())
    )
    if found is None:
        raise click.ClickException(_("No newsroom named %(name)s.", name=repr(name)))
    return found


def _owner(newsroom: Newsroom, email: str | None) -> User:
    session = db.session()
    if email:
        user = session.scalar(sa.select(User).where(User.email == email.strip().lower()))
        if user is None or user.newsroom_id != newsroom.id:
            raise click.ClickException(
                _(
                    "%(email)s is not a member of %(newsroom)s.",
                    email=email,
                    newsroom=repr(newsroom.name),
                )
            )
        return user
    user = session.scalar(
        sa.select(User)
        .where(
            User.newsroom_id == newsroom.id,
            User.active.is_(True),
            User.role.in_(("admin", "editor")),
        )
        .order_by(sa.case((User.role == "admin", 0), else_=1), User.id)
    )
    if user is None:
        raise click.ClickException(
            _(
                "%(newsroom)s has no active admin or editor to own the imported requests: "
                "pass --owner EMAIL.",
                newsroom=repr(newsroom.name),
            )
        )
    return user


def _mapping(value: str | None, headers: list[str]) -> service.Mapping:
    """The mapping given (JSON or a JSON file); keys it leaves out are guessed from the headers."""
    guessed = service.guess_mapping(headers).to_dict()
    if value is None:
        return service.Mapping.from_dict(guessed)
    text = value
    if not value.lstrip().startswith("{"):
        path = Path(value)
        if not path.is_file():
            raise click.BadParameter(
                _("give a JSON object or the path of a file holding one"), param_hint="--mapping"
            )
        text = path.read_text(encoding="utf-8")
    try:
        given = json.loads(text)
        if not isinstance(given, dict):
            raise service.MappingError(_("the mapping must be a JSON object"))
        service.Mapping.from_dict(given)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(
            _("not valid JSON: %(error)s", error=exc.msg), param_hint="--mapping"
        ) from None
    except service.MappingError as exc:
        raise click.BadParameter(str(exc), param_hint="--mapping") from None
    return service.Mapping.from_dict({**guessed, **given})


def _restore(data: bytes, name: str, room: Newsroom, user: User, dry_run: bool) -> None:
    """The tracker's own export: every request and its timeline, no mapping needed."""
    storage = LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    today = clock.today(room.timezone or current_app.config["TIMEZONE"])
    session = db.session()
    try:
        result = restore.restore_export(session, data, user, today, storage, source=name)
    except service.ImportFailure as exc:
        session.rollback()
        raise click.ClickException(str(exc)) from None
    except BaseException:
        session.rollback()
        raise
    if dry_run:
        session.rollback()
    else:
        session.commit()
    click.echo(_("%(file)s: the tracker's own export (no mapping needed).", file=name))
    said = {
        "requests": result.requests,
        "entries": result.entries,
        "newsroom": repr(room.name),
        "email": user.email,
    }
    click.echo(
        _(
            "Would restore %(requests)s requests with %(entries)s timeline entries into "
            "%(newsroom)s, owned by %(email)s.",
            **said,
        )
        if dry_run
        else _(
            "Restored %(requests)s requests with %(entries)s timeline entries into "
            "%(newsroom)s, owned by %(email)s.",
            **said,
        )
    )
    # The status codes stay as they are: the same words as the export's status column.
    click.echo(
        _(
            "Statuses: %(statuses)s",
            statuses="; ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items())),
        )
    )
    if result.institutions_created:
        click.echo(_("Institutions created:"))
        for institution in result.institutions_created:
            click.echo(f"  {institution}")
    if result.files_not_restored:
        click.echo(
            ngettext(
                "warning: %(num)s attached file is not in the export; the entry's note names it.",
                "warning: %(num)s attached files are not in the export; each entry's note "
                "names them.",
                result.files_not_restored,
            )
        )
    if dry_run:
        click.echo(_("Dry run: nothing was written."))


def _by_kind(problems: list[service.Problem]) -> dict[str, list[int]]:
    """Problem code -> the rows it was found on, in the order first found."""
    kinds: dict[str, list[int]] = {}
    for problem in problems:
        kinds.setdefault(problem.code, []).append(problem.row)
    return kinds


@click.command("import-csv", cls=TranslatedCommand)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--newsroom", required=True, help="The newsroom that receives the requests.")
@click.option(
    "--mapping",
    default=None,
    metavar="JSON",
    help=MAPPING_HELP,
)
@click.option(
    "--as-of",
    "as_of",
    default=None,
    metavar="DATE",
    help="The day the file's figures are measured against (YYYY-MM-DD): a request it "
    "leaves unanswered is imported as unanswered as of that day, not late and counting "
    "today. Default: the latest date in the file. 'today' keeps such requests open.",
)
@click.option(
    "--owner",
    default=None,
    metavar="EMAIL",
    help="Who owns the imported requests (default: the newsroom's first admin or editor).",
)
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Leave out the requests whose rows have errors and import the others "
    "(default: any error stops the whole import).",
)
@with_appcontext
def import_csv_command(
    file: Path,
    newsroom: str,
    mapping: str | None,
    owner: str | None,
    dry_run: bool,
    skip_invalid: bool,
    as_of: str | None,
) -> None:
    """Import existing requests from a CSV file, all or nothing, after checking every row."""
    room = _newsroom(newsroom)
    user = _owner(room, owner)
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    if file.stat().st_size > limit:
        raise click.ClickException(
            _(
                "%(file)s is larger than %(mb)s MB (TRACKER_MAX_UPLOAD_MB).",
                file=file.name,
                mb=current_app.config["MAX_UPLOAD_MB"],
            )
        )
    with file.open("rb") as handle:
        zipped = handle.read(4) == b"PK\x03\x04"
    if zipped:
        data = file.read_bytes()
        if restore.is_export(data):
            _restore(data, file.name, room, user, dry_run)
            return
        del data
    try:
        # Read in a stream (the plan keeps its rows on disk): memory does not grow with the file.
        table = open_csv(file)
    except CsvFileError as exc:
        raise click.ClickException(f"{file.name}: {exc}") from None
    chosen = _mapping(mapping, table.headers)
    if as_of is not None:
        chosen.as_of = as_of.strip()
    today = clock.today(room.timezone or current_app.config["TIMEZONE"])
    try:
        plan = service.build_plan(db.session(), room.id, table, chosen, today)
    except service.MappingError as exc:
        where = "--as-of" if exc.field == "as_of" else "--mapping"
        raise click.ClickException(
            _(
                "%(error)s (set it with %(option)s; columns: %(columns)s)",
                error=exc,
                option=where,
                columns=", ".join(table.headers),
            )
        ) from None

    severities = {"error": _("error"), "warning": _("warning")}
    separated = DELIMITER_NAMES.get(table.delimiter_name, table.delimiter_name)
    click.echo(
        _(
            "%(file)s: %(separated)s, UTF-8 with a byte-order mark.",
            file=file.name,
            separated=separated,
        )
        if table.had_bom
        else _("%(file)s: %(separated)s, UTF-8.", file=file.name, separated=separated)
    )
    click.echo(
        _(
            "Mapping: %(pairs)s",
            pairs=", ".join(f"{k}={v!r}" for k, v in chosen.to_dict().items() if v),
        )
    )
    click.echo(plan.grouping_text())
    click.echo(
        _(
            "Figures as of %(date)s: requests without a response are imported as unanswered "
            "as of that day.",
            date=plan.as_of.isoformat(),
        )
        if plan.as_of
        else _("Figures as of today: requests without a response stay open.")
    )
    # Errors row by row (each must be fixed or left out); warnings one line per kind.
    for problem in plan.errors:
        click.echo(
            _(
                "row %(row)s (%(number)s): %(severity)s: %(message)s",
                row=problem.row,
                number=problem.file_number,
                severity=severities["error"],
                message=problem.message,
            )
            if problem.file_number
            else _(
                "row %(row)s: %(severity)s: %(message)s",
                row=problem.row,
                severity=severities["error"],
                message=problem.message,
            )
        )
    for code, rows in _by_kind(plan.warnings).items():
        named = ", ".join(map(str, rows[:ROWS_NAMED]))
        if len(rows) > ROWS_NAMED:
            named = _("%(rows)s and %(more)s more", rows=named, more=len(rows) - ROWS_NAMED)
        first = next(p for p in plan.warnings if p.code == code)
        click.echo(
            ngettext(
                "warning: %(label)s: %(num)s row (%(rows)s), e.g. row %(row)s: %(message)s",
                "warning: %(label)s: %(num)s rows (%(rows)s), e.g. row %(row)s: %(message)s",
                len(rows),
                label=service.PROBLEM_LABELS.get(code, code),
                rows=named,
                row=first.row,
                message=first.message,
            )
        )
    for severity, label, n in plan.summary():
        click.echo(f"{n:>7} {severities.get(severity, severity)}: {label}")
    for notice in plan.notices:
        click.echo(_("warning: %(notice)s", notice=notice))
    if plan.unknown_decisions:
        click.echo(_("Decisions the tracker does not know:"))
        for wording, n in plan.unknown_decisions.items():
            click.echo(
                "  "
                + ngettext(
                    "%(wording)s: %(num)s row",
                    "%(wording)s: %(num)s rows",
                    n,
                    wording=repr(wording),
                )
            )
    if plan.institution_variants:
        click.echo(_("Spellings of one institution, imported under the first:"))
        for kept, others in plan.institution_variants.items():
            click.echo(f"  {kept}")
            for other in others:
                click.echo("    " + _("also written: %(name)s", name=other))
    click.echo(
        _(
            "%(ready)s requests ready, %(invalid)s with errors (%(rows)s rows), "
            "%(warnings)s warnings.",
            ready=plan.valid_count,
            invalid=plan.invalid_count,
            rows=len(plan.blocked_rows),
            warnings=len(plan.warnings),
        )
    )
    if plan.new_institutions:
        click.echo(_("New institutions:"))
        for name, law in plan.new_institutions.items():
            click.echo(f"  {name} ({law})")
    if dry_run:
        click.echo(_("Dry run: nothing was written."))
        return
    if plan.errors and not skip_invalid:
        raise click.ClickException(
            _(
                "Nothing was imported: %(n)s rows have errors. Fix them, or run again with "
                "--skip-invalid to leave those requests out.",
                n=len(plan.error_rows),
            )
        )

    running = jobs.active_job(db.session(), room.id)
    if running is not None:
        # One import at a time in a newsroom, from the web or from here.
        raise click.ClickException(
            _(
                "Nothing was imported: another import into %(newsroom)s is under way "
                "(%(file)s, %(status)s); run this one when it has ended.",
                newsroom=repr(room.name),
                file=running.filename,
                status=running.status,
            )
        )
    storage = LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    total = plan.valid_count
    try:
        with db.transaction() as session:
            if total >= PROGRESS_FROM:
                # Each request is checked, then written: two steps per request.
                with click.progressbar(
                    length=2 * total, label=_("Importing"), show_pos=True
                ) as bar:
                    done = [0]

                    def advance(phase: str, n: int) -> None:
                        step = n + (total if phase == "writing" else 0)
                        bar.update(step - done[0])
                        done[0] = step

                    result = service.run_import(
                        session,
                        plan,
                        user,
                        today,
                        storage,
                        source=file.name,
                        skip_invalid=skip_invalid,
                        progress=advance,
                    )
            else:
                result = service.run_import(
                    session, plan, user, today, storage, source=file.name, skip_invalid=skip_invalid
                )
    except service.ImportFailure as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        _(
            "Imported %(requests)s requests from %(rows)s rows into %(newsroom)s, owned by "
            "%(email)s.",
            requests=result.requests,
            rows=result.rows,
            newsroom=repr(room.name),
            email=user.email,
        )
    )
    if result.institutions_created:
        click.echo(_("Institutions created:"))
        for name in result.institutions_created:
            click.echo(f"  {name}")
    if result.skipped_rows:
        click.echo(
            ngettext(
                "Left out %(num)s row with errors.",
                "Left out %(num)s rows with errors.",
                len(result.skipped_rows),
            )
        )


import_csv_command.help_values = _help_values
COMMANDS = [import_csv_command]
