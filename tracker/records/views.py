"""Records: the search page across a newsroom's records, and a PDF or image opened at a page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.core import db
from tracker.core.models import Attachment
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _
from tracker.records import search as records_search

bp = Blueprint("records", __name__)

# What may be shown in the browser rather than downloaded: checked by the file's first bytes.
_INLINE = {b"%PDF-": "application/pdf", b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg"}


@bp.get("/search")
@login_required
def search_page() -> str:
    """One box searching the newsroom's requests, notes and every page of every record."""
    query = request.args.get("q", "").strip()[:200]
    before = request.args.get("before", "")
    results, error = None, None
    if query:
        try:
            results = records_search.search(
                db.session(),
                current_user.newsroom_id,
                query,
                before=int(before) if before.isdigit() and len(before) < 12 else None,
            )
        except records_search.SearchError as exc:
            error = str(exc)
    elif "q" in request.args:
        error = _("Type at least one word to search for.")
    return render_template("records/search.html", query=query, results=results, error=error)


@bp.get("/records/files/<int:attachment_id>")
@login_required
def view_file(attachment_id: int) -> Response:
    """A PDF or image shown in the browser (a search hit opens it at its page, #page=N);
    any other file is downloaded as the timeline offers it."""
    attachment = db.session().get(Attachment, attachment_id)
    if attachment is None or attachment.event.request.newsroom_id != current_user.newsroom_id:
        abort(404)
    storage = LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    if not storage.exists(attachment.sha256):
        return redirect(url_for("requests.download", attachment_id=attachment_id))
    with storage.open(attachment.sha256) as handle:
        head = handle.read(8)
    mimetype = next((kind for magic, kind in _INLINE.items() if head.startswith(magic)), None)
    if mimetype is None:
        return redirect(url_for("requests.download", attachment_id=attachment_id))
    response = current_app.response_class(
        storage.open(attachment.sha256), mimetype=mimetype, direct_passthrough=True
    )
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
