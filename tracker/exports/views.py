"""Export pages: the filtered request list as CSV, and all of a newsroom's data as a ZIP."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user, login_required

from tracker import clock, db
from tracker.display import reader_timezone
from tracker.exports import service
from tracker.files.downloads import content_disposition
from tracker.requests.queries import RequestFilters

bp = Blueprint("exports", __name__, url_prefix="/exports")


def _download(body: str | bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@login_required
def index() -> str:
    """What can be exported."""
    return render_template("exports/index.html")


@bp.get("/requests.csv")
@login_required
def requests_csv() -> Response:
    """The request list with the same filters as the list page (every page), as CSV."""
    today = clock.today(reader_timezone())
    body = service.requests_csv(
        db.session(),
        current_user.newsroom_id,
        RequestFilters.from_args(request.args),
        today,
        current_app.config["BASE_URL"],
    )
    return _download(body, "text/csv; charset=utf-8", f"requests-{today.isoformat()}.csv")


@bp.get("/newsroom.zip")
@login_required
def newsroom_zip() -> Response:
    """Every request, timeline entry, institution, extension and complaint of the newsroom."""
    today = clock.today(reader_timezone())
    body = service.newsroom_zip(
        db.session(), current_user.newsroom, today, current_app.config["BASE_URL"]
    )
    return _download(body, "application/zip", f"tracker-export-{today.isoformat()}.zip")
