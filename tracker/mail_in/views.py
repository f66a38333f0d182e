"""Mail pages: the inbox (review queue and drop zone), a message, its files, the one-click
attach, and the drop zone of a request page. Thin: the service does the work."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.core import db
from tracker.core.models import InfoRequest, MailAttachment, MailMessage
from tracker.core.tenancy import load_owned_request_or_404
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _
from tracker.mail_in import parsing, reasons, service
from tracker.mail_in.cli import context_for
from tracker.requests import service as requests

bp = Blueprint("mail_in", __name__)

# Requests offered in the review queue's "attach to" list.
ATTACH_CHOICES = 500


@bp.app_template_filter("mail_why")
def mail_why(why: object) -> str:
    """A message's match reason (codes and parameters) in the reader's language."""
    return reasons.render(why if isinstance(why, list) else [])


def _message_or_404(mail_id: int) -> MailMessage:
    message = db.session().get(MailMessage, mail_id)
    if message is None or message.newsroom_id != current_user.newsroom_id:
        abort(404)
    return message


def _ingest_uploads(target: InfoRequest | None) -> list[service.Ingested]:
    files = [f for f in request.files.getlist("files") if f and f.filename]
    results: list[service.Ingested] = []
    context = context_for(current_user.newsroom_id, "upload")
    for upload in files:
        data = upload.stream.read(context.max_bytes * 20 + 1)
        with db.transaction() as session:
            results.extend(
                service.ingest_file(
                    session, context, upload.filename or "message.eml", data, target
                )
            )
    return results


def _report(results: list[service.Ingested]) -> None:
    if not results:
        flash(_("Choose one or more .eml, .msg or .mbox files."), "error")
        return
    for result in results:
        if result.skipped:
            flash(_("Not stored: %(why)s", why=result.words), "error")
        elif result.duplicate:
            flash(_("Already in the tracker: %(id)s", id=result.message_id), "info")
        elif result.request_id is None:
            flash(_("In the review queue: %(why)s", why=result.words), "info")
        else:
            flash(
                _("Attached to request %(id)s: %(how)s", id=result.request_id, how=result.how),
                "success",
            )


@bp.get("/mail/")
@login_required
def inbox() -> str:
    """The review queue: messages not matched (with why) or not stored, and the drop zone."""
    session = db.session()
    queue = service.review_queue(session, current_user.newsroom_id)
    choices = session.execute(
        sa.select(InfoRequest.id, InfoRequest.title, InfoRequest.file_number)
        .where(InfoRequest.newsroom_id == current_user.newsroom_id)
        .order_by(InfoRequest.id.desc())
        .limit(ATTACH_CHOICES)
    ).all()
    return render_template(
        "mail_in/inbox.html",
        queue=queue,
        choices=choices,
        auth={m.id: parsing.auth_summary(m.auth_results) for m in queue},
        poll=service.poll_status(session, current_user.newsroom_id),
        auto_acknowledge=current_user.newsroom.mail_auto_acknowledge,
    )


@bp.post("/mail/settings")
@login_required
def settings() -> Response:
    """Editors: whether acknowledgements read in mail go into the timeline without a click."""
    if not current_user.is_editor:
        abort(403)
    with db.transaction() as session:
        service.set_auto_acknowledge(
            session, current_user.newsroom_id, request.form.get("auto_acknowledge") == "1"
        )
    flash(_("Saved."), "success")
    return redirect(url_for("mail_in.inbox"))


@bp.post("/mail/upload")
@login_required
def upload() -> Response:
    """Files dropped on the inbox: each message matched or queued."""
    _report(_ingest_uploads(None))
    return redirect(url_for("mail_in.inbox"))


@bp.post("/requests/<int:request_id>/mail")
@login_required
def upload_to_request(request_id: int) -> Response:
    """Files dropped on a request page: attached to that request."""
    info_request = load_owned_request_or_404(request_id)
    if not requests.can_edit(current_user, info_request):
        abort(403)
    _report(_ingest_uploads(info_request))
    return redirect(url_for("requests.show", request_id=request_id) + "#mail")


@bp.get("/mail/<int:mail_id>")
@login_required
def show(mail_id: int) -> str:
    """One message: who, when, the authentication results, its text, files and proposal."""
    message = _message_or_404(mail_id)
    return render_template(
        "mail_in/show.html",
        message=message,
        auth=parsing.auth_summary(message.auth_results),
        kind_labels=requests.KIND_LABELS,
    )


@bp.post("/mail/<int:mail_id>/attach")
@login_required
def attach(mail_id: int) -> Response:
    """The one-click attach from the review queue."""
    message = _message_or_404(mail_id)
    raw = request.form.get("request_id", "")
    target = db.session().get(InfoRequest, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if target is None or target.newsroom_id != current_user.newsroom_id:
        flash(_("Pick one of your newsroom's requests."), "error")
        return redirect(url_for("mail_in.inbox"))
    try:
        with db.transaction() as session:
            service.attach(session, current_user, message, target)
    except service.MailError as exc:
        flash(str(exc), "error")
        return redirect(url_for("mail_in.inbox"))
    flash(_("Attached to “%(title)s”.", title=target.title), "success")
    return redirect(url_for("requests.show", request_id=target.id) + "#mail")


def _send(sha256: str, name: str, content_type: str) -> Response:
    files = LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    if not files.exists(sha256):
        abort(
            410,
            description=_("The file %(name)s is missing from the tracker's storage.", name=name),
        )
    response = send_file(
        files.path_for(sha256),
        mimetype=content_type or "application/octet-stream",
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@bp.get("/mail/<int:mail_id>/original")
@login_required
def original(mail_id: int) -> Response:
    """The message as it came, byte for byte."""
    message = _message_or_404(mail_id)
    if message.status == "skipped":
        abort(404)
    name = message.original_name
    if message.content_type == "message/rfc822" and not name.lower().endswith(".eml"):
        name += ".eml"
    return _send(message.sha256, name, message.content_type)


@bp.get("/mail/files/<int:attachment_id>")
@login_required
def attachment(attachment_id: int) -> Response:
    """A file taken out of a message."""
    part = db.session().get(MailAttachment, attachment_id)
    if part is None or part.message.newsroom_id != current_user.newsroom_id:
        abort(404)
    return _send(part.sha256, part.filename, part.content_type)
