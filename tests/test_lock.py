"""The lock files hold every dependency setup.cfg asks for, at a version its range allows.

`make run` and `make test` install only from requirements/*.txt (with --require-hashes, then the
tracker itself with --no-deps), so a dependency added to setup.cfg without `make lock` would be
missing on a fresh machine while every developer's older virtualenv still has it.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.M)


def _requirements(*sections: tuple[str, str]) -> list[Requirement]:
    """The requirements listed under setup.cfg's (section, option) pairs."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    found: list[Requirement] = []
    for section, option in sections:
        for line in config.get(section, option).splitlines():
            if line.strip():
                found.append(Requirement(line.strip()))
    return found


def _pins(lock: str) -> dict[str, str]:
    """{canonical name: pinned version} of one lock file."""
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


@pytest.mark.parametrize(
    ("lock", "sections"),
    [
        ("run.txt", [("options", "install_requires")]),
        ("deploy.txt", [("options", "install_requires"), ("options.extras_require", "deploy")]),
        (
            "test.txt",
            [
                ("options", "install_requires"),
                ("options.extras_require", "test"),
                ("options.extras_require", "deploy"),
            ],
        ),
    ],
)
def test_every_dependency_is_locked_within_its_range(
    lock: str, sections: list[tuple[str, str]]
) -> None:
    pins = _pins(lock)
    for requirement in _requirements(*sections):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in setup.cfg but not in {lock}: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock} pins {requirement.name}=={pins[name]}, outside setup.cfg's {requirement}"
        )


def test_every_lock_pins_with_hashes() -> None:
    for lock in ("run.txt", "test.txt", "deploy.txt"):
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        pinned = PIN.findall(text)
        assert pinned, lock
        assert text.count("--hash=sha256:") >= len(pinned), lock
