"""Calendar feed settings page and the secret feed address itself."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.core import clock, db
from tracker.core.urls import base_url
from tracker.feeds import service
from tracker.feeds.forms import IssueFeedForm, RevokeFeedForm
from tracker.language.i18n import _

bp = Blueprint("feeds", __name__)


def feed_url(secret: str) -> str:
    """The public address of a feed, built on the tracker's BASE_URL."""
    return base_url() + url_for("feeds.feed", secret=secret)


def _page(secret: str | None = None) -> str:
    feed = service.active_feed(db.session(), current_user)
    url = feed_url(secret) if secret else None
    webcal = "webcal://" + url.split("://", 1)[1] if url else None
    return render_template(
        "feeds/settings.html",
        feed=feed,
        url=url,
        webcal=webcal,
        issue=IssueFeedForm(),
        revoke=RevokeFeedForm(),
    )


@bp.get("/settings/calendar")
@login_required
def settings() -> str:
    """Whether a feed is on, and the buttons to make, replace or turn it off."""
    return _page()


@bp.post("/settings/calendar/new")
@login_required
def issue() -> str | Response:
    """Make a new feed address (the old one stops) and show it this once."""
    if not IssueFeedForm().validate_on_submit():
        abort(400)
    with db.transaction() as session:
        secret = service.issue_feed(session, current_user)
    response = Response(_page(secret), mimetype="text/html")
    # The page carries the secret: keep it out of caches and referrers.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/settings/calendar/revoke")
@login_required
def revoke() -> Response:
    """Turn the feed off: its address answers 404 from now on."""
    if not RevokeFeedForm().validate_on_submit():
        abort(400)
    with db.transaction() as session:
        revoked = service.revoke_feed(session, current_user)
    flash(
        _("The calendar feed is off; its address no longer works.")
        if revoked
        else _("There was no calendar feed to turn off."),
        "success" if revoked else "info",
    )
    return redirect(url_for("feeds.settings"))


@bp.get("/calendar/<secret>.ics")
def feed(secret: str) -> Response:
    """The owner's deadlines as an iCalendar file; an unknown or revoked secret is 404."""
    with db.transaction() as session:
        user = service.feed_owner(session, secret)
        if user is None:
            abort(404)
        zone = user.timezone or user.newsroom.timezone or current_app.config["TIMEZONE"]
        body = service.build_calendar(
            user,
            service.requests_in_feed(session, user),
            clock.today(zone),
            base_url(),
            clock.now(),
        )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="ati-deadlines.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
