"""zxcvbn's warnings and suggestions reach the reader in their language (issue 20): every fixed
sentence of zxcvbn goes through the catalogues (tracker.auth.password_feedback)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import zxcvbn.feedback
from flask import Flask

from tracker.auth import password_feedback
from tracker.auth.service import password_problem
from tracker.language.i18n import force_locale


def _zxcvbn_sentences() -> set[str]:
    """Every sentence zxcvbn's feedback module passes to gettext, read from its source."""
    tree = ast.parse(Path(zxcvbn.feedback.__file__).read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
            argument = node.args[0]
            assert isinstance(argument, ast.Constant), ast.dump(argument)
            found.add(argument.value)
    return found


def test_every_zxcvbn_sentence_is_in_the_table() -> None:
    sentences = _zxcvbn_sentences()
    assert len(sentences) >= 25  # the parse found zxcvbn's calls
    assert sentences <= password_feedback.known_sentences()


def test_every_zxcvbn_sentence_has_french(app: Flask) -> None:
    with app.test_request_context(), force_locale("fr"):
        for sentence in _zxcvbn_sentences():
            french = password_feedback.translate(sentence)
            assert french and french != sentence, sentence
    with app.test_request_context(), force_locale("en"):
        assert password_feedback.translate("Avoid sequences.") == "Avoid sequences."
    assert password_feedback.translate("A sentence zxcvbn never wrote.") is None


@pytest.mark.parametrize(
    ("password", "english", "french"),
    [
        (
            "asdfghjkl;",
            "Straight rows of keys are easy to guess.",
            "Une rangée de touches du clavier se devine facilement.",
        ),
        (
            "aaaaaaaaaaaa",
            'Repeats like "aaa" are easy to guess.',
            "Les répétitions comme « aaa » se devinent facilement.",
        ),
        (
            "abcdefghijk",
            'Sequences like "abc" or "6543" are easy to guess.',
            "Les suites comme « abc » ou « 6543 » se devinent facilement.",
        ),
        (
            "19701970197",
            'Repeats like "abcabcabc" are only slightly harder to guess than "abc".',
            "Les répétitions comme « abcabcabc » sont à peine plus difficiles à deviner que « abc ».",
        ),
        (
            "password1234",
            "This is a very common password.",
            "C’est un mot de passe très courant.",
        ),
    ],
)
def test_password_problem_speaks_the_readers_language(
    app: Flask, password: str, english: str, french: str
) -> None:
    with app.test_request_context(), force_locale("fr"):
        problem = password_problem(password, "marie.tremblay@lapresse.ca", "Marie Tremblay")
    assert problem is not None and french in problem
    assert "Choisissez un mot de passe moins courant" in problem
    assert english not in problem and "Add another word" not in problem
    with app.test_request_context(), force_locale("en"):
        problem = password_problem(password, "marie.tremblay@lapresse.ca", "Marie Tremblay")
    assert problem is not None and english in problem and "less common" in problem
