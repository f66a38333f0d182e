"""The package's layout holds: packages only at the top (besides the factory and the command
list), and every command registered the one way (its module's COMMANDS)."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import click

import tracker
from tracker.cli import COMMAND_MODULES

TRACKER = Path(tracker.__file__).parent


def test_the_top_level_holds_packages_the_factory_and_the_command_list():
    loose = sorted(p.name for p in TRACKER.glob("*.py"))
    assert loose == ["__init__.py", "cli.py"]


def test_every_command_defined_is_listed_in_its_modules_commands():
    defined: dict[str, set[str]] = {}
    for info in pkgutil.walk_packages([str(TRACKER)], prefix="tracker."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, click.Command)
                and _defined_in(value) == info.name
                and (isinstance(value, click.Group) or not _in_a_group(module, value))
            ):
                defined.setdefault(info.name, set()).add(value.name)
    listed = {
        name: {command.name for command in importlib.import_module(name).COMMANDS}
        for name in COMMAND_MODULES
    }
    assert defined == listed


def _defined_in(command: click.Command) -> str | None:
    """The module whose function the command runs (a group: its subcommands' module)."""
    if command.callback is not None:
        return command.callback.__module__
    if isinstance(command, click.Group) and command.commands:
        return _defined_in(next(iter(command.commands.values())))
    return None


def _in_a_group(module, command: click.Command) -> bool:
    return any(
        isinstance(value, click.Group) and command.name in value.commands
        for value in vars(module).values()
    )


def test_the_app_has_every_listed_command(app):
    names = set(app.cli.list_commands(None))
    for module in COMMAND_MODULES:
        for command in importlib.import_module(module).COMMANDS:
            assert command.name in names
