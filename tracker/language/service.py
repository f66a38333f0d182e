"""Keep a person's choice of language."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.i18n import normalize_locale
from tracker.models import User


def set_preference(session: Session, user: User, locale: str | None) -> str | None:
    """Store the account's language (None: no preference); an unknown one counts as none."""
    chosen = normalize_locale(locale)
    session.get(User, user.id).locale = chosen  # type: ignore[union-attr]
    return chosen
