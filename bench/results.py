"""Shared by the scale benchmarks: the machine's description and bench/RESULTS.md sections."""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    """The machine and Python the figures were measured on."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages // (1024 * 1024):,} MB RAM"
    except (ValueError, OSError, AttributeError):
        memory = "RAM n/a"
    return (
        f"machine: {platform.platform()}; {platform.machine()}; {os.cpu_count()} CPUs; "
        f"{memory}; Python {platform.python_version()} ({platform.python_implementation()}); "
        "load: other test runs may share the machine, so only ratios measured in the same run "
        "are compared"
    )


def server_label(engine: sa.Engine) -> str:
    """The database and its version, e.g. "PostgreSQL 15.20" or "SQLite 3.40.1"."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return "PostgreSQL " + str(conn.scalar(sa.text("SHOW server_version"))).split()[0]
        return "SQLite " + str(conn.scalar(sa.text("SELECT sqlite_version()")))


def write_section(section: str, key: str, lines: list[str], intro: Sequence[str] = ()) -> None:
    """Replace the ``### key`` block of a ``## section`` of RESULTS.md (other blocks stay)."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(text)
    blocks: dict[str, list[str]] = {}
    if found:
        current = None
        for line in found.group(0).splitlines()[1:]:
            if line.startswith("### "):
                current = line[4:].strip()
                blocks[current] = []
            elif current is not None and (line.strip() or blocks[current]):
                blocks[current].append(line)
    blocks[key] = lines
    body = [section, "", *intro, ""] if intro else [section, ""]
    for name in sorted(blocks):
        block = list(blocks[name])
        while block and not block[-1].strip():
            block.pop()
        body += [f"### {name}", "", *block, ""]
    new = "\n".join(body) + "\n"
    text = pattern.sub(lambda _m: new, text) if found else text.rstrip("\n") + "\n\n" + new
    RESULTS.write_text(text)


def replace_section(section: str, body: str) -> None:
    """Create or replace one whole ``## section`` of RESULTS.md (other sections stay)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    new = f"{section}\n\n{body.rstrip()}\n\n"
    if pattern.search(text):
        text = pattern.sub(lambda _m: new, text).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + new.rstrip("\n") + "\n"
    RESULTS.write_text(text, encoding="utf-8")
