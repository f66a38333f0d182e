"""Export pages: the filtered request list as CSV, and all of a newsroom's data as a ZIP
(at once for a small newsroom, prepared in the background for a large one)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from tracker.core import clock, db
from tracker.core.display import reader_timezone
from tracker.core.urls import base_url
from tracker.exports import jobs, service
from tracker.files.downloads import content_disposition
from tracker.requests.queries import RequestFilters

bp = Blueprint("exports", __name__, url_prefix="/exports")


def _headers(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@login_required
def index() -> str:
    """What can be exported, and the state of a background export."""
    session = db.session()
    large = jobs.is_large(session, current_user.newsroom_id, current_app.config)
    job = jobs.latest_job(session, current_user.newsroom_id)
    if (
        job is not None
        and job.status == "ready"
        and (job.expires_at is None or job.expires_at <= clock.now())
    ):
        job = None
    return render_template(
        "exports/index.html",
        large=large,
        job=job,
        threshold=f"{current_app.config['EXPORT_BACKGROUND_REQUESTS']:,}",
    )


@bp.get("/requests.csv")
@login_required
def requests_csv() -> Response:
    """The request list with the same filters as the list page (every page), as CSV, sent
    as its rows are read."""
    today = clock.today(reader_timezone())
    newsroom_id = current_user.newsroom_id
    filters = RequestFilters.from_args(request.args)
    links = base_url()
    # The page's session is closed once the view returns: the rows are read through a
    # session of the response's own, open while it is sent.
    sessions = current_app.extensions["sessionmaker"]

    def encoded() -> Iterator[bytes]:
        with sessions() as session:
            for piece in service.requests_csv_chunks(session, newsroom_id, filters, today, links):
                yield piece.encode("utf-8")

    response = Response(
        stream_with_context(encoded()), mimetype="text/csv", content_type="text/csv; charset=utf-8"
    )
    return _headers(response, f"requests-{today.isoformat()}.csv")


def _spool_dir() -> Path:
    """ZIPs are written on disk in the instance folder, never in memory."""
    return jobs.exports_dir(current_app.config)


@bp.get("/newsroom.zip")
@login_required
def newsroom_zip() -> BaseResponse:
    """Every request, timeline entry, institution, extension and complaint of the newsroom;
    a newsroom too large for one page view is sent to the Export page to prepare it."""
    session = db.session()
    if jobs.is_large(session, current_user.newsroom_id, current_app.config):
        return redirect(url_for("exports.index"), 303)
    today = clock.today(reader_timezone())
    # An anonymous temporary file: the whole archive is written before a byte is sent, so a
    # failure shows an error page instead of a truncated download.
    spool = tempfile.TemporaryFile(dir=_spool_dir())  # noqa: SIM115 (send_file closes it)
    try:
        service.write_newsroom_zip(session, current_user.newsroom, today, base_url(), spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = send_file(spool, mimetype="application/zip", max_age=0)
    return _headers(response, f"tracker-export-{today.isoformat()}.zip")


@bp.post("/newsroom")
@login_required
def prepare() -> BaseResponse:
    """Queue the newsroom's export in the background (or join the one under way)."""
    with db.transaction() as session:
        jobs.request_export(session, current_user, clock.today(reader_timezone()))
    return redirect(url_for("exports.index"), 303)


@bp.get("/jobs/<int:job_id>/download")
@login_required
def job_download(job_id: int) -> Response:
    """A prepared export, for the users of its newsroom while it is kept."""
    session = db.session()
    path = jobs.downloadable(session, current_user.newsroom_id, job_id, current_app.config)
    if path is None:
        abort(404)
    job = session.get(jobs.ExportJob, job_id)
    if job is None:
        abort(404)
    response = send_file(path, mimetype="application/zip", max_age=0, conditional=True)
    return _headers(response, f"tracker-export-{job.day.isoformat()}.zip")
