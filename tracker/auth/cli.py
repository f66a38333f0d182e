"""`flask --app tracker create-user EMAIL --newsroom NAME`: an account from the command line."""

from __future__ import annotations

import secrets

import click
from flask.cli import with_appcontext

from tracker.auth import service as accounts
from tracker.core import db
from tracker.language.commands import TranslatedCommand
from tracker.language.i18n import _


@click.command("create-user", cls=TranslatedCommand)
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


COMMANDS = [create_user_command]
