"""Alembic, driven from the app's settings: `flask --app tracker db upgrade` and friends."""

from __future__ import annotations

import click
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from flask import Flask

from tracker.core.config import PROJECT_ROOT
from tracker.core.context import current_flask_app
from tracker.core.db import check_connection, refresh_statistics
from tracker.language.commands import TranslatedGroup
from tracker.language.i18n import _

db_cli = TranslatedGroup("db", help="Database migrations (Alembic).")


def alembic_config(app: Flask) -> Config:
    """An Alembic config for the app's database, with the project's migrations folder."""
    config = Config()
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    """Bring the app's database up to a revision (head by default), then refresh SQLite's
    planner statistics so that new indexes are weighed from the start."""
    config = alembic_config(app)
    with app.extensions["engine"].begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    with app.extensions["engine"].begin() as conn:
        refresh_statistics(conn)


def downgrade(app: Flask, revision: str) -> None:
    """Take the app's database down to a revision ("base" empties it)."""
    config = alembic_config(app)
    with app.extensions["engine"].begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def _reachable() -> None:
    try:
        check_connection(current_flask_app())
    except ConnectionError as exc:
        raise click.ClickException(str(exc)) from None


def _has_fingerprints(app: Flask) -> bool:
    columns = sa.inspect(app.extensions["engine"]).get_columns("info_request")
    return any(c["name"] == "rules_fingerprint" for c in columns)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: head), then recompute the dates computed
    under other deadline rules."""
    from tracker.requests.cli import run_recompute

    _reachable()
    app = current_flask_app()
    upgrade(app, revision)
    click.echo(_("database at %(revision)s", revision=revision))
    if _has_fingerprints(app):
        click.echo(run_recompute().line())


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Revert migrations down to REVISION ("base" removes every table)."""
    _reachable()
    downgrade(current_flask_app(), revision)
    click.echo(_("database at %(revision)s", revision=revision))


@db_cli.command("current")
def current_command() -> None:
    """Show the revision the database is at."""
    _reachable()
    config = alembic_config(current_flask_app())
    command.current(config, verbose=False)


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@click.option("--autogenerate", is_flag=True, help="Compare the models with the database.")
def revision_command(message: str, autogenerate: bool) -> None:
    """Write a new migration file under migrations/versions/."""
    _reachable()
    config = alembic_config(current_flask_app())
    command.revision(config, message=message, autogenerate=autogenerate)


COMMANDS = [db_cli]
