"""The ``flask --app tracker`` commands; each calls the same services as the pages."""

from __future__ import annotations

import secrets

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from tracker import db
from tracker.auth import service as accounts
from tracker.i18n import _
from tracker.requests import recompute


@click.command("create-user")
@click.argument("email")
@click.option("--newsroom", required=True, help="Newsroom name (created when missing).")
@click.option("--name", default="", help="The person's name.")
@click.option("--admin", is_flag=True, help="Make the user an admin of the newsroom.")
@click.option(
    "--password", default=None, help="The password (asked for when absent, without echo)."
)
@click.option(
    "--temporary",
    is_flag=True,
    help="Make up a temporary password and print it: its owner must change it at first login.",
)
@with_appcontext
def create_user_command(
    email: str, newsroom: str, name: str, admin: bool, password: str | None, temporary: bool
) -> None:
    """Create an account in a newsroom."""
    if temporary and password is None:
        password = secrets.token_urlsafe(12)
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with db.transaction() as session:
            user = accounts.create_user(
                session,
                accounts.NewUser(
                    email=email,
                    newsroom=newsroom,
                    password=password,
                    name=name,
                    role="admin" if admin else "reporter",
                    temporary=temporary,
                ),
            )
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    if user.role == "admin":
        created = _(
            "created admin %(email)s in newsroom %(newsroom)s",
            email=user.email,
            newsroom=repr(user.newsroom.name),
        )
    else:
        created = _(
            "created reporter %(email)s in newsroom %(newsroom)s",
            email=user.email,
            newsroom=repr(user.newsroom.name),
        )
    click.echo(created)
    if temporary:
        click.echo(
            _("temporary password (to change at first login): %(password)s", password=password)
        )


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


@click.command("recompute-deadlines")
@click.option("--dry-run", is_flag=True, help="Print what would move; write nothing.")
@with_appcontext
def recompute_deadlines_command(dry_run: bool) -> None:
    """Recompute the dates of every request computed under other deadline rules."""
    click.echo(run_recompute(dry_run).line())


def register(app: Flask) -> None:
    """Attach every command to the app's CLI."""
    from tracker.alerts.commands import sweep_command
    from tracker.backup import backup_command, restore_command
    from tracker.deadline_command import deadline_command
    from tracker.demo import demo_command
    from tracker.exports.cli import export_command
    from tracker.imports.cli import import_csv_command
    from tracker.mail_in.cli import ingest_mail_command
    from tracker.migrate import db_cli
    from tracker.packets.cli import packet_command
    from tracker.records.cli import extract_text_command
    from tracker.scheduler import scheduler_command
    from tracker.serve import serve_command

    app.cli.add_command(db_cli)
    app.cli.add_command(create_user_command)
    app.cli.add_command(recompute_deadlines_command)
    app.cli.add_command(deadline_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(packet_command)
    app.cli.add_command(serve_command)
    app.cli.add_command(sweep_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(import_csv_command)
    app.cli.add_command(export_command)
    app.cli.add_command(extract_text_command)
    app.cli.add_command(ingest_mail_command)
