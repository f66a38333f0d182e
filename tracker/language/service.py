"""Keep a person's choice of language."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.core.models import InfoRequest, User
from tracker.language.i18n import _, normalize_locale
from tracker.requests.service import RequestError, can_edit


def set_preference(session: Session, user: User, locale: str | None) -> str | None:
    """Store the account's language (None: no preference); an unknown one counts as none."""
    chosen = normalize_locale(locale)
    session.get_one(User, user.id).locale = chosen
    return chosen


def request_language(session: Session, request: InfoRequest, default: str) -> str:
    """The language of a request's letters, packet and alert mails: the one chosen for it,
    else its default (``default_request_language``)."""
    return normalize_locale(request.language) or default_request_language(session, request, default)


def default_request_language(session: Session, request: InfoRequest, default: str) -> str:
    """What a request's language is when none is chosen: French under a Québec law (Québec's
    bodies work in French), else its reporter's language, else the newsroom's ``default``."""
    if request.law_code.startswith("ca-qc-"):
        return "fr"
    owner = session.get(User, request.owner_id)
    return normalize_locale(owner.locale if owner is not None else None) or (
        normalize_locale(default) or "en"
    )


def set_request_language(
    session: Session, user: User, request: InfoRequest, language: str | None
) -> str | None:
    """Choose the language of a request's letters and packet (None: the default)."""
    if not can_edit(user, request):
        raise RequestError(_("Only the request’s owner or an editor can change it."))
    request.language = normalize_locale(language)
    session.flush()
    return request.language
