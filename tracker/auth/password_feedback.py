"""zxcvbn's feedback in the reader's language.

zxcvbn (the Python port) writes its warnings and suggestions in English through the standard
library's ``gettext`` and ships no catalogue. Its sentences are fixed (zxcvbn/feedback.py), so
each one is listed here through the tracker's gettext: the catalogues translate them like any
other message, and tests/test_password_feedback.py fails when an upgrade of zxcvbn brings a
sentence this table does not know. An unknown sentence is never shown in English to a French
reader: ``translate`` returns None and the caller uses its own wording.
"""

from __future__ import annotations

from collections.abc import Iterable

from tracker.language.i18n import _


def _table() -> dict[str, str]:
    """Each zxcvbn sentence and its translation in the reader's language (built per call:
    the language is the request's)."""
    return {
        "Use a few words, avoid common phrases.": _("Use a few words, avoid common phrases."),
        "No need for symbols, digits, or uppercase letters.": _(
            "No need for symbols, digits, or uppercase letters."
        ),
        "Add another word or two. Uncommon words are better.": _(
            "Add another word or two. Uncommon words are better."
        ),
        "Straight rows of keys are easy to guess.": _("Straight rows of keys are easy to guess."),
        "Short keyboard patterns are easy to guess.": _(
            "Short keyboard patterns are easy to guess."
        ),
        "Use a longer keyboard pattern with more turns.": _(
            "Use a longer keyboard pattern with more turns."
        ),
        'Repeats like "aaa" are easy to guess.': _('Repeats like "aaa" are easy to guess.'),
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _(
            'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
        ),
        "Avoid repeated words and characters.": _("Avoid repeated words and characters."),
        'Sequences like "abc" or "6543" are easy to guess.': _(
            'Sequences like "abc" or "6543" are easy to guess.'
        ),
        "Avoid sequences.": _("Avoid sequences."),
        "Recent years are easy to guess.": _("Recent years are easy to guess."),
        "Avoid recent years.": _("Avoid recent years."),
        "Avoid years that are associated with you.": _("Avoid years that are associated with you."),
        "Dates are often easy to guess.": _("Dates are often easy to guess."),
        "Avoid dates and years that are associated with you.": _(
            "Avoid dates and years that are associated with you."
        ),
        "This is a top-10 common password.": _("This is a top-10 common password."),
        "This is a top-100 common password.": _("This is a top-100 common password."),
        "This is a very common password.": _("This is a very common password."),
        "This is similar to a commonly used password.": _(
            "This is similar to a commonly used password."
        ),
        "A word by itself is easy to guess.": _("A word by itself is easy to guess."),
        "Names and surnames by themselves are easy to guess.": _(
            "Names and surnames by themselves are easy to guess."
        ),
        "Common names and surnames are easy to guess.": _(
            "Common names and surnames are easy to guess."
        ),
        "Capitalization doesn't help very much.": _("Capitalization doesn't help very much."),
        "All-uppercase is almost as easy to guess as all-lowercase.": _(
            "All-uppercase is almost as easy to guess as all-lowercase."
        ),
        "Reversed words aren't much harder to guess.": _(
            "Reversed words aren't much harder to guess."
        ),
        "Predictable substitutions like '@' instead of 'a' don't help very much.": _(
            "Predictable substitutions like '@' instead of 'a' don't help very much."
        ),
    }


def known_sentences() -> frozenset[str]:
    """zxcvbn's sentences this module translates (in English, as zxcvbn writes them)."""
    return frozenset(_table())


def translate(sentence: str | None) -> str | None:
    """One zxcvbn sentence in the reader's language; None for an empty or unknown one."""
    if not sentence:
        return None
    return _table().get(sentence)


def feedback(warning: str | None, suggestions: Iterable[str]) -> tuple[str | None, list[str]]:
    """zxcvbn's warning and suggestions in the reader's language, unknown ones left out."""
    table = _table()
    said = [table[s] for s in suggestions if s in table]
    return (table.get(warning) if warning else None), said
