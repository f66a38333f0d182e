"""The commands' ``--help`` in the newsroom's language (issue 20).

A command's help texts (its docstring or ``help=``, its options' ``help=``) are written in
English in the code, as click wants them at definition, and are the catalogues' message ids:
:func:`help_messages` hands them to ``python -m tracker.language.catalogues`` (so a help
without its French fails ``make lint``), and :class:`TranslatedCommand` puts them into
TRACKER_DEFAULT_LOCALE only when help is shown (``flask --app tracker --help``, ``flask
--app tracker CMD --help``), in the application's context like the commands' messages.

Every command of ``tracker.cli.COMMAND_MODULES`` is a :class:`TranslatedCommand` (or a
:class:`TranslatedGroup`'s); ``tracker.cli.register`` refuses any other. Flask's own
commands (``run``, ``shell``, ``routes``) and click's headings ("Usage:", "Options:") are
not ours and stay in English.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup

from tracker.language.i18n import command_context, gettext


def help_id(text: str) -> str:
    """A help text as click shows it (indentation removed, cut at a form feed): its msgid."""
    return inspect.cleandoc(text).partition("\f")[0].strip()


def _context() -> AbstractContextManager[object]:
    ctx = click.get_current_context(silent=True)
    return command_context(ctx) if ctx is not None else nullcontext()


class _Translated:
    """Help texts translated while help is formatted, then put back as they were."""

    #: The values of the ``%(name)s`` placeholders of its help texts (the command's and its
    #: options'), asked for when help is shown: e.g. the list of law codes.
    help_values: Callable[[], Mapping[str, Any]] | None = None

    @contextmanager
    def _translated(self) -> Iterator[None]:
        command: Any = self
        saved: list[tuple[Any, str, str]] = []
        owners: list[Any] = [command, *command.params]
        values = dict(command.help_values()) if command.help_values else {}
        try:
            for owner in owners:
                for attr in ("help", "short_help"):
                    text = getattr(owner, attr, None)
                    if text:
                        saved.append((owner, attr, text))
                        setattr(owner, attr, gettext(help_id(text), **values))
            yield
        finally:
            for owner, attr, text in saved:
                setattr(owner, attr, text)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with command_context(ctx), self._translated():
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _context(), self._translated():
            return str(super().get_short_help_str(limit))  # type: ignore[misc]


class TranslatedCommand(_Translated, click.Command):
    """A click command whose help reads in TRACKER_DEFAULT_LOCALE."""


class TranslatedGroup(_Translated, AppGroup):
    """A Flask command group (its subcommands in the app's context) whose help and whose
    subcommands' help read in TRACKER_DEFAULT_LOCALE."""

    command_class = TranslatedCommand


def _walk(command: click.Command) -> Iterator[click.Command]:
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _walk(sub)


def registered_commands(modules: tuple[str, ...]) -> Iterator[click.Command]:
    """Every command (and subcommand) the modules list in their ``COMMANDS``."""
    for name in modules:
        for command in importlib.import_module(name).COMMANDS:
            yield from _walk(command)


def help_messages(modules: tuple[str, ...]) -> Iterator[tuple[str, str, int]]:
    """(msgid, file, line) of each help text of the modules' commands, for the catalogues."""
    for command in registered_commands(modules):
        callback = command.callback
        target = inspect.unwrap(callback) if callback is not None else None
        try:
            path = Path(inspect.getsourcefile(target) or "") if target else Path()
            line = inspect.getsourcelines(target)[1] if target else 0
        except (OSError, TypeError):
            path, line = Path(), 0
        owners: list[Any] = [command, *command.params]
        for owner in owners:
            for attr in ("help", "short_help"):
                text = getattr(owner, attr, None)
                if text:
                    yield help_id(text), str(path), line
