"""The language switch (works logged out, through a cookie) and the account's setting."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker import db
from tracker.auth.views import _safe_next
from tracker.i18n import COOKIE_NAME, LOCALES, _, force_locale, get_locale, normalize_locale
from tracker.language import service
from tracker.language.forms import LanguageForm, SwitchForm

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
