"""The fingerprint of the deadline rules: which rules and holiday data computed a stored date.

A short SHA-256 over the installed ``holidays`` version and the bytes of every file of this
package (its code and any data table beside it), so a change to a law, a calendar or the
holiday data gives a new fingerprint, and nothing else does. Each request stores the one that
computed its dates; ``flask --app tracker recompute-deadlines`` recomputes those stored under
another. Computed on first use, once per process (never at import).
"""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
LENGTH = 16  # hex digits kept: 64 bits, plenty to tell versions of the rules apart
_SKIPPED_DIRS = {"__pycache__"}
_SKIPPED_SUFFIXES = {".pyc", ".pyo"}


def rule_files(root: Path) -> list[tuple[str, Path]]:
    """Every file under ``root`` that the fingerprint reads, as (relative path, path), sorted
    by relative path; compiled files, hidden files and this module are left out."""
    files = []
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if (
            not path.is_file()
            or _SKIPPED_DIRS.intersection(relative.parts)
            or path.suffix in _SKIPPED_SUFFIXES
            or path.name.startswith(".")  # editors' swap and backup files
            or relative.as_posix() == Path(__file__).name
        ):
            continue
        files.append((relative.as_posix(), path))
    return sorted(files)


def compute_fingerprint(root: Path, holidays_version: str) -> str:
    """The fingerprint of the rules in ``root`` with this version of ``holidays``."""
    digest = hashlib.sha256()
    digest.update(f"holidays=={holidays_version}\n".encode())
    for relative, path in rule_files(root):
        content = path.read_bytes()
        # Name and length before the bytes: moving bytes between files changes the digest.
        digest.update(f"{relative}\n{len(content)}\n".encode())
        digest.update(content)
    return digest.hexdigest()[:LENGTH]


@functools.cache
def rules_fingerprint() -> str:
    """The fingerprint of the rules this process runs (computed once, on first use)."""
    return compute_fingerprint(PACKAGE_DIR, metadata.version("holidays"))
