"""The translation catalogues: extract the messages, update and compile them, check them.

``python -m tracker.language.catalogues update`` (``make messages``) extracts every message of the code
and templates (babel.cfg), merges them into each ``tracker/translations/<lang>/.../messages.po``
and compiles; ``python -m tracker.language.catalogues check`` (``make lint``, tests/test_catalogues.py)
lists the messages a catalogue lacks, leaves untranslated or fuzzy, keeps although no code uses
them any more (stale), and translations that drop or invent a ``%(name)s`` placeholder.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from tracker.core.config import PROJECT_ROOT
from tracker.language.i18n import TRANSLATIONS, compile_catalogues

KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def extract() -> Catalog:
    """Every message of the code and templates, as babel.cfg says where to look."""
    with (PROJECT_ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="ati-tracker", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("NOTE:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    # The commands' --help texts (docstrings and help=), shown through the catalogues.
    from tracker.cli import COMMAND_MODULES
    from tracker.language.commands import help_messages

    for message, path, lineno in help_messages(COMMAND_MODULES):
        where = os.path.relpath(path, PROJECT_ROOT) if path else "tracker/cli.py"
        catalog.add(message, None, [(where, lineno)])
    return catalog


def catalogue_paths() -> dict[str, Path]:
    """Each translated language and its ``.po`` file."""
    return {p.parent.parent.name: p for p in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))}


def read(path: Path) -> Catalog:
    """A ``.po`` file as a Catalog."""
    with path.open("rb") as source:
        return read_po(source, locale=path.parent.parent.name)


def placeholders(text: str) -> set[str]:
    """The ``%(name)s`` (and bare ``%s``) placeholders of a message."""
    return {m.group(1) or m.group(0) for m in PLACEHOLDER.finditer(text.replace("%%", ""))}


def problems(template: Catalog, catalog: Catalog) -> list[str]:
    """What is wrong with one language's catalogue against the extracted messages."""
    found: list[str] = []
    for message in template:
        if not message.id:
            continue
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        have = catalog.get(message.id, message.context)
        strings = list(have.string) if have and isinstance(have.string, tuple | list) else None
        if have is None or not (strings or have.string) or (strings and not all(strings)):
            found.append(f"untranslated: {message.id!r} ({where})")
            continue
        if have.fuzzy:
            found.append(f"fuzzy: {message.id!r} ({where})")
        ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
        wanted = set().union(*(placeholders(i) for i in ids))
        for text in strings or ([have.string] if isinstance(have.string, str) else []):
            got = placeholders(text)
            # A plural form may leave out %(n)s ("un jour"); it may never invent one.
            if got - wanted or (wanted - got - {"num", "n", "count"}):
                found.append(f"placeholders differ: {message.id!r} -> {text!r} ({where})")
    for message in catalog:
        if message.id and template.get(message.id, message.context) is None:
            found.append(f"stale: {message.id!r} (no code uses it: `make messages`)")
    return found


def update() -> None:
    """Extract, merge into each catalogue (new messages empty, gone ones dropped), compile."""
    template = extract()
    for path in catalogue_paths().values():
        catalog = read(path)
        template.creation_date = catalog.creation_date  # a header that changes makes conflicts
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as target:
            # Sorted and without line numbers: branches adding messages merge without conflicts.
            write_po(target, catalog, width=100, no_location=True, sort_output=True)
    compile_catalogues()


def main(argv: list[str]) -> int:
    """``update``, ``compile`` or ``check`` (exit status 1 when a catalogue has problems)."""
    command = argv[0] if argv else "check"
    if command == "update":
        update()
        return 0
    if command == "compile":
        compile_catalogues()
        return 0
    template = extract()
    status = 0
    for locale, path in catalogue_paths().items():
        for line in problems(template, read(path)):
            print(f"{locale}: {line}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
