"""The ``flask --app tracker`` commands, registered one way: each module below defines its
commands beside the services they call and lists them in ``COMMANDS``. Each is a
``tracker.language.commands.TranslatedCommand`` (``@click.command(NAME,
cls=TranslatedCommand)``), its ``--help`` read in TRACKER_DEFAULT_LOCALE."""

from __future__ import annotations

import importlib

from flask import Flask

from tracker.language.commands import TranslatedCommand, TranslatedGroup, registered_commands

COMMAND_MODULES = (
    "tracker.core.migrate",  # db upgrade|downgrade|current|revision
    "tracker.auth.cli",  # create-user
    "tracker.requests.cli",  # deadline, recompute-deadlines
    "tracker.alerts.cli",  # sweep
    "tracker.imports.cli",  # import-csv
    "tracker.exports.cli",  # export
    "tracker.packets.cli",  # packet
    "tracker.records.cli",  # extract-text
    "tracker.mail_in.cli",  # ingest-mail
    "tracker.operations.backup",  # backup, restore
    "tracker.operations.demo",  # demo
    "tracker.operations.serve",  # serve
    "tracker.operations.scheduler",  # scheduler
)


def register(app: Flask) -> None:
    """Attach every module's ``COMMANDS`` to the app's CLI; a command whose help would not
    be translated is refused (a programming error, seen at start-up)."""
    for command in registered_commands(COMMAND_MODULES):
        if not isinstance(command, TranslatedCommand | TranslatedGroup):
            raise TypeError(f"command {command.name!r} must be a TranslatedCommand")
    for name in COMMAND_MODULES:
        for command in importlib.import_module(name).COMMANDS:
            app.cli.add_command(command)
