"""Settings page where a user makes and revokes personal API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.api import service
from tracker.api.forms import NewTokenForm, RevokeTokenForm
from tracker.core import clock, db
from tracker.language.i18n import _

bp = Blueprint("api_tokens", __name__)


def _page(form: NewTokenForm, secret: str | None = None, new_name: str | None = None) -> str:
    return render_template(
        "api/tokens.html",
        form=form,
        secret=secret,
        new_name=new_name,
        tokens=service.tokens_of(db.session(), current_user),
        revoke=RevokeTokenForm(),
    )


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> str | Response:
    """The user's tokens; POST makes one and shows its secret this once."""
    form = NewTokenForm()
    if form.validate_on_submit():
        try:
            with db.transaction() as session:
                token, secret = service.create_token(session, current_user, form.name.data or "")
        except service.TokenError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            response = Response(
                _page(NewTokenForm(formdata=None), secret, token.name), mimetype="text/html"
            )
            response.headers["Cache-Control"] = "no-store"
            return response
    return _page(form)


@bp.post("/settings/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    """Revoke one of the user's tokens: calls with it answer 401 from now on."""
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    with db.transaction() as session:
        token = service.revoke_token(session, current_user, token_id, clock.now())
    if token is None:
        abort(404)
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("api_tokens.tokens"))
