"""Request pages: list, log, edit, the request with its deadline and timeline, entries, files."""

from __future__ import annotations

from datetime import date, timedelta

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
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from tracker import clock, db, deadlines
from tracker.display import format_date, id_links, reader_timezone
from tracker.files.storage import LocalStorage
from tracker.i18n import _
from tracker.institutions.service import InstitutionData, InstitutionError, create_institution
from tracker.models import Attachment, InfoRequest, TimelineEvent
from tracker.requests import queries, reading, service, timeline
from tracker.requests.describe import describe, lateness
from tracker.requests.forms import RequestForm, event_form
from tracker.requests.state import CLOSURES
from tracker.tenancy import load_owned_request_or_404
from tracker.timeline import kinds

bp = Blueprint("requests", __name__)


def today() -> date:
    """Today in the reader's time zone."""
    return clock.today(reader_timezone())


def storage() -> LocalStorage:
    """Where original files live."""
    return LocalStorage(current_app.config["ATTACHMENTS_DIR"])


def _add_error(form: object, name: str | None, message: str) -> None:
    field = getattr(form, name or "", None)
    if field is None or not hasattr(field, "errors"):
        form.form_errors.append(message)  # type: ignore[attr-defined]
    else:
        field.errors = [*field.errors, message]


@bp.get("/requests/")
@login_required
def index() -> str:
    """The newsroom's requests, filtered, searched, sorted and paged."""
    session = db.session()
    filters = queries.RequestFilters.from_args(request.args)
    now = today()
    result = queries.list_requests(
        session, current_user.newsroom_id, filters, count_limit=queries.COUNT_LIMIT, today=now
    )
    args = queries.list_params(request.args)

    def link(params: dict[str, object] | None) -> str | None:
        return url_for("requests.index", **args, **params) if params else None

    return render_template(
        "requests/index.html",
        result=result,
        prev_url=link(result.prev_params),
        next_url=link(result.next_params),
        filters=filters,
        sorts=queries.SORTS,
        lateness={r.id: lateness(r, now) for r in result.items},
        institutions=queries.institution_options(session, current_user.newsroom_id),
        owners=queries.owners(session, current_user.newsroom_id),
        laws=[(code, law.name) for code, law in deadlines.LAWS.items()],
        args=args,
    )


def _request_data(form: RequestForm, institution_id: int) -> service.RequestData:
    return service.RequestData(
        institution_id=institution_id,
        title=form.title.data or "",
        received_on=form.received_on.data,
        law_code=form.law_code.data or None,
        text=form.text.data or "",
        sent_on=form.sent_on.data,
        file_number=form.file_number.data or None,
    )


def _their_version(form: RequestForm, current: InfoRequest) -> dict[str, str]:
    """The saved value of each field where it differs from what the form sent, as shown."""
    saved = {
        "institution_id": (str(current.institution_id), current.institution.name),
        "law_code": (
            "" if current.law_code == current.institution.law_code else current.law_code,
            deadlines.LAWS[current.law_code].name,
        ),
        "title": (current.title, current.title),
        "text": (current.text, current.text or "(empty)"),
        "sent_on": (current.sent_on, current.sent_on.isoformat() if current.sent_on else "(none)"),
        "received_on": (current.received_on, current.received_on.isoformat()),
        "file_number": (current.file_number or "", current.file_number or "(none)"),
    }
    sent = {name: getattr(form, name).data for name in saved}
    sent["text"] = (sent["text"] or "").strip()
    sent["title"] = (sent["title"] or "").strip()
    sent["file_number"] = (sent["file_number"] or "").strip()
    return {name: shown for name, (value, shown) in saved.items() if sent[name] != value}


def _expected_version() -> int | None:
    """The version the edit form was opened at (None when the post carries none; 0, which no
    request has, when it is not a number)."""
    raw = request.form.get("version")
    if raw is None:
        return None
    return int(raw) if raw.isdigit() and len(raw) <= 9 else 0


def _save_request(
    form: RequestForm, existing: InfoRequest | None
) -> InfoRequest | dict[str, str] | None:
    """Create or update from a validated form; put refusals beside their fields. An edit of a
    request changed meanwhile gives the saved values of the fields that differ."""
    expected = _expected_version() if existing is not None else None
    try:
        with db.transaction() as session:
            if form.institution_id.data:
                institution_id = int(form.institution_id.data)
            else:
                institution_id = create_institution(
                    session,
                    current_user.newsroom_id,
                    InstitutionData(
                        name=form.new_institution.data or "",
                        law_code=form.law_code.data or "",
                        province=form.new_institution_province.data or None,
                    ),
                ).id
            data = _request_data(form, institution_id)
            if existing is None:
                return service.create_request(session, current_user, data, today())
            service.update_request(
                session, current_user, existing, data, today(), expected_version=expected
            )
            return existing
    except service.ConflictError as exc:
        _add_error(form, None, str(exc))
        form.version.data = str(exc.current.version)
        return _their_version(form, exc.current)
    except InstitutionError as exc:
        _add_error(form, "new_institution", str(exc))
    except service.RequestError as exc:
        _add_error(form, exc.field, str(exc))
    return None


@bp.route("/requests/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    """Log a request; its deadline is computed from the law."""
    options = queries.institution_options(db.session(), current_user.newsroom_id)
    form = RequestForm(options)
    if request.method == "GET" and request.args.get("institution", "").isdigit():
        form.institution_id.data = request.args["institution"]
    if form.validate_on_submit():
        saved = _save_request(form, None)
        if isinstance(saved, InfoRequest):
            flash(_("Request logged. Due %(date)s.", date=format_date(saved.due_on)), "success")
            return redirect(url_for("requests.show", request_id=saved.id))
    return render_template("requests/form.html", form=form, info_request=None)


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@login_required
def edit(request_id: int) -> str | Response:
    """Change a request's facts (the change is noted in its timeline)."""
    info_request = load_owned_request_or_404(request_id)
    if not service.can_edit(current_user, info_request):
        abort(403)
    options = queries.institution_options(
        db.session(), current_user.newsroom_id, info_request.institution_id
    )
    form = RequestForm(options, obj=info_request)
    if request.method == "GET":
        form.institution_id.data = str(info_request.institution_id)
        form.version.data = str(info_request.version)
        if info_request.law_code == info_request.institution.law_code:
            form.law_code.data = ""
    theirs: dict[str, str] = {}
    if form.validate_on_submit():
        saved = _save_request(form, info_request)
        if isinstance(saved, dict):
            theirs = saved
        elif saved is not None:
            flash(_("Request saved."), "success")
            return redirect(url_for("requests.show", request_id=info_request.id))
    return render_template(
        "requests/form.html", form=form, info_request=info_request, theirs=theirs
    )


@bp.get("/requests/<int:request_id>")
@login_required
def show(request_id: int) -> str:
    """The request: its deadline explained, status, complaint window, and timeline."""
    info_request = reading.request_page(db.session(), request_id, current_user.newsroom_id)
    if info_request is None:
        abort(404)
    now = today()
    events = info_request.events
    corrected_by = {e.corrects_id: e for e in events if e.corrects_id is not None}
    can_edit = service.can_edit(current_user, info_request)
    return render_template(
        "requests/show.html",
        info_request=info_request,
        deadline=describe(info_request, now),
        today=now,
        entries=timeline.entries(events, corrected_by, can_edit=can_edit),
        kinds=service.REPORTER_KINDS,
        closures=CLOSURES,
        can_edit=can_edit,
        one_day=timedelta(days=1),
        complaints=[e for e in events if e.kind == "complaint_filed" and e.id not in corrected_by],
        correct_url=id_links("requests.correct_event", "event_id", request_id=info_request.id),
        download_url=id_links("requests.download", "attachment_id"),
    )


def _uploads(files: list[FileStorage]) -> tuple[service.Upload, ...]:
    return tuple(
        service.Upload(
            filename=f.filename or "file", content_type=f.mimetype or "", stream=f.stream
        )
        for f in files
        if f and f.filename
    )


def _event_page(
    info_request: InfoRequest, kind: str, original: TimelineEvent | None
) -> str | Response:
    if kind not in service.REPORTER_KINDS:
        abort(404)
    if not service.can_edit(current_user, info_request):
        abort(403)
    form = event_form(kind, info_request.law_code, info_request.received_on)
    declared = kinds.get(kind)
    law = deadlines.law_in_force(info_request.law_code, info_request.received_on)
    if request.method == "GET" and declared is not None:
        form.occurred_on.data = original.occurred_on if original is not None else today()
        for f in declared.fields:
            if f.name not in form:
                continue
            if original is not None:
                value = (original.details or {}).get(f.name)
                if value not in (None, ""):
                    form[f.name].data = date.fromisoformat(value) if f.type == "date" else value
            elif f.initial is not None:
                form[f.name].data = f.initial(law)
    if form.validate_on_submit():
        data = service.EventData(
            kind=kind,
            occurred_on=form.occurred_on.data,
            note=form.note.data or "",
            details=form.details(),
            uploads=_uploads(form.files.data or []),
        )
        try:
            with db.transaction() as session:
                service.add_event(
                    session,
                    current_user,
                    info_request,
                    data,
                    today(),
                    storage(),
                    current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
                    corrects=original,
                )
        except service.RequestError as exc:
            _add_error(form, exc.field, str(exc))
        else:
            flash(
                _("Correction added to the timeline.") if original else _("Added to the timeline."),
                "success",
            )
            return redirect(url_for("requests.show", request_id=info_request.id) + "#timeline")
    return render_template(
        "requests/event_form.html",
        form=form,
        info_request=info_request,
        kind=kind,
        kind_label=service.KIND_LABELS[kind],
        kind_help=declared.help(law) if declared is not None and declared.help else "",
        original=original,
        law=deadlines.LAWS[info_request.law_code],
    )


@bp.route("/requests/<int:request_id>/events/new", methods=["GET", "POST"])
@login_required
def add_event(request_id: int) -> str | Response:
    """Add a letter, notice or fact to the timeline (?kind=extension, final_response, ...)."""
    info_request = load_owned_request_or_404(request_id)
    return _event_page(info_request, request.args.get("kind", "note"), None)


@bp.route("/requests/<int:request_id>/events/<int:event_id>/correct", methods=["GET", "POST"])
@login_required
def correct_event(request_id: int, event_id: int) -> str | Response:
    """Correct an entry: a new entry that points to it; both stay visible."""
    info_request = load_owned_request_or_404(request_id)
    original = db.session().get(TimelineEvent, event_id)
    if original is None or original.request_id != info_request.id:
        abort(404)
    if original.kind not in service.REPORTER_KINDS:
        abort(404)
    return _event_page(info_request, original.kind, original)


@bp.get("/files/<int:attachment_id>")
@login_required
def download(attachment_id: int) -> Response:
    """An original file, always as a download (never rendered inline)."""
    attachment = db.session().get(Attachment, attachment_id)
    if attachment is None or attachment.event.request.newsroom_id != current_user.newsroom_id:
        abort(404)
    files = storage()
    if not files.exists(attachment.sha256):
        current_app.logger.error(
            "attachment %s missing from disk (sha256 %s)", attachment.id, attachment.sha256
        )
        abort(
            410,
            description=f"The file {attachment.original_name} is missing from the "
            "tracker's storage. Restore it from a backup.",
        )
    response = send_file(
        files.path_for(attachment.sha256),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
