"""The README stays true: every setting documented, the two commands present."""

from __future__ import annotations

import re
from pathlib import Path

from tracker.core.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme():
    missing = [name for name in SETTINGS if f"`TRACKER_{name}`" not in README]
    assert missing == []


def test_readme_names_the_two_commands_and_ci_runs_the_test_one():
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("make test")


def test_every_flask_command_in_the_readme_exists(app):
    names = set(re.findall(r"flask --app tracker ([a-z][a-z-]*)", README))
    assert names - set(app.cli.commands) == set()


def test_the_readme_lists_every_law_offered_and_no_other():
    from tracker.deadlines import LAW_CODES

    line = README[README.index("Law codes offered:") : README.index("The database already allows")]
    assert re.findall(r"`([a-z-]+)`", line) == list(LAW_CODES)
