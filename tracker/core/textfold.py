"""Text as the search compares it: without accents or case ("Sûreté" and "surete" are alike).

The same folding on both databases: on SQLite this function is registered on every
connection as ``tracker_fold()`` and fills the search index (migration 0016); PostgreSQL has
``tracker_unaccent()`` (its ``unaccent`` extension) under ``lower()`` in its trigram indexes.
The letters ``unaccent`` spells out without a combining mark are spelled out here alike.
"""

from __future__ import annotations

import functools
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent, and typographic
# quotes, spelled as PostgreSQL's unaccent.rules spells them.
_SPELLED = str.maketrans(
    {
        "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ß": "ss",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
        "ı": "i", "ħ": "h", "Ħ": "H", "ŧ": "t", "Ŧ": "T",
        # Typographic quotes, as French text writes them: l’accès is found for l'acces.
        "’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "«": "<<", "»": ">>",
    }
)  # fmt: skip


@functools.lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    if decomposed.isascii():
        # No combining mark to drop ("…" decomposes to "...", as a title cut short ends):
        # the same result without a look at each character.
        return decomposed.lower()
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def fold(text: str | None) -> str | None:
    """``text`` without accents, in lower case; None stays None (SQL NULL)."""
    if text is None:
        return None
    if text.isascii():
        return text.lower()
    return _fold(text) if len(text) <= 300 else _fold.__wrapped__(text)
