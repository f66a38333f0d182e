"""The language switch (works logged out, through a cookie) and the account's setting."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.auth.views import _safe_next
from tracker.core import db
from tracker.core.models import InfoRequest
from tracker.core.tenancy import load_owned_request_or_404
from tracker.language import service
from tracker.language.forms import LanguageForm, RequestLanguageForm, SwitchForm
from tracker.language.i18n import (
    COOKIE_NAME,
    LOCALES,
    _,
    force_locale,
    get_locale,
    normalize_locale,
)
from tracker.requests.service import RequestError, can_edit

bp = Blueprint("language", __name__)


def current_locale() -> str:
    """The language of this page."""
    return str(get_locale())


COOKIE_MAX_AGE = 365 * 24 * 3600


def _remember(response: Response, locale: str | None) -> Response:
    if locale:
        response.set_cookie(
            COOKIE_NAME,
            locale,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    else:
        response.delete_cookie(COOKIE_NAME)
    return response


@bp.post("/language")
def switch() -> Response:
    """The interface in the language clicked: the account's choice too when logged in."""
    form = SwitchForm()
    target = _safe_next(form.next.data) or url_for("home.dashboard")
    if not form.validate_on_submit():
        return redirect(target)  # an unknown language changes nothing
    locale = normalize_locale(form.locale.data)
    if current_user.is_authenticated:
        with db.transaction() as session:
            service.set_preference(session, current_user, locale)
    return _remember(redirect(target), locale)


@bp.route("/settings/language", methods=["GET", "POST"])
@login_required
def settings() -> str | Response:
    """The account's language, chosen from a list (or the browser's)."""
    form = LanguageForm(locale=current_user.locale or "")
    if request.method == "POST" and form.validate_on_submit():
        with db.transaction() as session:
            locale = service.set_preference(session, current_user, form.locale.data or None)
        shown = locale or request.accept_languages.best_match(LOCALES) or current_locale()
        with force_locale(shown):
            flash(_("Language saved."), "success")
        return _remember(redirect(url_for("language.settings")), locale)
    return render_template("language/settings.html", form=form)


@bp.app_context_processor
def request_language_helpers() -> dict[str, object]:
    """``packet_language(info_request)``: (the language chosen for its letters and packet or
    "", the default it would otherwise take), for the request page's selector."""

    def packet_language(info_request: InfoRequest) -> tuple[str, str]:
        default = current_app.config.get("DEFAULT_LOCALE", "en")
        chosen = normalize_locale(info_request.language) or ""
        return chosen, service.default_request_language(db.session(), info_request, default)

    return {"packet_language": packet_language}


@bp.post("/requests/<int:request_id>/language")
@login_required
def request_language(request_id: int) -> Response:
    """Choose the language of a request's letters, packet and alert mails."""
    info_request = load_owned_request_or_404(request_id)
    if not can_edit(current_user, info_request):
        abort(403)  # a colleague's request: read, not changed
    form = RequestLanguageForm()
    target = url_for("requests.show", request_id=request_id)
    if not form.validate_on_submit():
        flash(_("Choose a language from the list."), "error")
        return redirect(target)
    try:
        with db.transaction() as session:
            service.set_request_language(
                session, current_user, info_request, form.language.data or None
            )
    except RequestError as exc:
        flash(str(exc), "error")
        return redirect(target)
    flash(_("Letters and packet language saved."), "success")
    return redirect(target)
