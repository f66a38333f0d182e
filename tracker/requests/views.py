"""Request pages: list, log, edit, the request with its deadline and timeline, entries, files."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

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
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response
from wtforms import Form

from tracker import deadlines
from tracker.core import clock, db
from tracker.core.display import format_date, id_links, reader_timezone
from tracker.core.errors import validated
from tracker.core.models import (
    LINK_KINDS,
    NUMBER_KINDS,
    Attachment,
    InfoRequest,
    TimelineEvent,
    User,
)
from tracker.core.tenancy import load_owned_request_or_404
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, InstitutionError, create_institution
from tracker.language.i18n import _, ngettext
from tracker.mail_in import service as mail_in
from tracker.projects import service as labels
from tracker.records import exemptions as records_exemptions
from tracker.records import jobs as records_jobs
from tracker.requests import numbers, people, queries, reading, service, timeline
from tracker.requests.describe import describe, lateness
from tracker.requests.forms import (
    AttachFilesForm,
    BulkForm,
    LinkForm,
    NumberForm,
    ReassignForm,
    RemoveForm,
    RequestForm,
    WatcherForm,
    event_form,
)
from tracker.requests.state import CLOSURES
from tracker.timeline import kinds

bp = Blueprint("requests", __name__)


def today() -> date:
    """Today in the reader's time zone."""
    return clock.today(reader_timezone())


def storage() -> LocalStorage:
    """Where original files live."""
    return LocalStorage(current_app.config["ATTACHMENTS_DIR"])


def _add_error(form: Form, name: str | None, message: str) -> None:
    field = getattr(form, name or "", None)
    if field is None or not hasattr(field, "errors"):
        form.form_errors.append(message)
    else:
        field.errors = [*field.errors, message]


def _bulk_form() -> BulkForm:
    session = db.session()
    form = BulkForm(prefix="b")
    form.project.choices = [
        (0, _("— choose —")),
        *[(p.id, p.name) for p in labels.projects_of(session, current_user.newsroom_id)],
    ]
    form.owner.choices = [
        (0, _("— choose —")),
        *[(u.id, u.name) for u in people.colleagues(session, current_user.newsroom_id)],
    ]
    return form


def _list_page(bulk: BulkForm, chosen: set[int] | None = None) -> str:
    session = db.session()
    filters = queries.RequestFilters.from_args(request.args)
    now = today()
    result = queries.list_requests(
        session, current_user.newsroom_id, filters, count_limit=queries.COUNT_LIMIT, today=now
    )
    args = queries.list_params(request.args)

    def link(params: dict[str, object] | None) -> str | None:
        if not params:
            return None
        values: dict[str, Any] = {**args, **params}
        return url_for("requests.index", **values)

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
        projects=[(p.id, p.name) for p in labels.projects_of(session, current_user.newsroom_id)],
        tags=[t.name for t in labels.tags_of(session, current_user.newsroom_id)],
        args=args,
        bulk=bulk,
        chosen=chosen or set(),
    )


@bp.get("/requests/")
@login_required
def index() -> str:
    """The newsroom's requests, filtered, searched, sorted and paged."""
    return _list_page(_bulk_form())


@bp.post("/requests/bulk")
@login_required
def bulk() -> str | Response:
    """Tag, add to a project, reassign or export the list's chosen rows."""
    form = _bulk_form()
    chosen = set(queries.parse_ids(",".join(request.form.getlist("ids"))))
    kept: dict[str, Any] = queries.list_params(request.args)
    back = url_for("requests.index", **kept)
    if not form.validate_on_submit():
        return _list_page(form, chosen)
    if not chosen:
        _add_error(form, "action", _("Tick at least one request in the list."))
        return _list_page(form, chosen)
    action = form.action.data
    if action == "export":
        return redirect(url_for("exports.requests_csv", ids=",".join(map(str, sorted(chosen)))))
    try:
        with db.transaction() as session:
            mine = [
                r
                for r in session.scalars(
                    sa.select(InfoRequest).where(
                        InfoRequest.newsroom_id == current_user.newsroom_id,
                        InfoRequest.id.in_(chosen),
                    )
                )
            ]
            editable = [r for r in mine if service.can_edit(current_user, r)]
            if len(editable) < len(mine):
                raise people.PeopleError(
                    _("You can change only your own requests: untick the others."), "action"
                )
            ids = [r.id for r in editable]
            if action == "tag":
                names = labels.split_tags(form.tags.data or "")
                if not names:
                    raise labels.LabelError(_("Type the tags to add."), "tags")
                labels.add_tags(session, current_user.newsroom_id, names, ids)
                message = _("Tagged %(n)s requests.", n=len(ids))
            elif action == "project":
                project = labels.project_of(
                    session, current_user.newsroom_id, form.project.data or 0
                )
                if project is None:
                    raise labels.LabelError(_("Choose a project."), "project")
                labels.add_to_project(session, current_user.newsroom_id, project, ids)
                message = _("%(n)s requests are in %(name)s.", n=len(ids), name=project.name)
            else:
                if not current_user.is_editor:
                    raise people.PeopleError(_("Only an editor can reassign a request."), "action")
                count = 0
                for r in editable:
                    if r.owner_id != form.owner.data:
                        people.reassign(session, current_user, r, form.owner.data, today())
                        count += 1
                message = _("Reassigned %(n)s requests.", n=count)
    except (labels.LabelError, people.PeopleError) as exc:
        field = {"user": "owner"}.get(exc.field or "", exc.field)
        _add_error(form, field, str(exc))
        return _list_page(form, chosen)
    flash(message, "success")
    return redirect(back)


def _request_data(form: RequestForm, institution_id: int) -> service.RequestData:
    return service.RequestData(
        institution_id=institution_id,
        title=form.title.data or "",
        received_on=validated(form.received_on.data),
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
    mail_in.ensure_token(db.session(), request_id, current_user.newsroom_id)
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
        labels=labels.labels_of(db.session(), info_request.id),
        numbers=numbers.numbers_of(db.session(), info_request),
        links=numbers.links_of(db.session(), info_request),
        watchers=people.watchers_of(db.session(), info_request.id),
        owner=db.session().get(User, info_request.owner_id),
        deadline=describe(info_request, now),
        today=now,
        entries=timeline.entries(events, corrected_by, can_edit=can_edit),
        kinds=service.REPORTER_KINDS,
        closures=CLOSURES,
        can_edit=can_edit,
        one_day=timedelta(days=1),
        complaints=[e for e in events if e.kind == "complaint_filed" and e.id not in corrected_by],
        correct_url=id_links("requests.correct_event", "event_id", request_id=info_request.id),
        attach_url=id_links("requests.attach_files", "event_id", request_id=info_request.id),
        download_url=id_links("requests.download", "attachment_id"),
        view_url=id_links("records.view_file", "attachment_id"),
        records=records_jobs.progress(db.session(), info_request.id),
        exemptions=records_exemptions.for_request(db.session(), info_request.id),
        mail=mail_in.request_panel(
            db.session(), info_request, current_app.config.get("IMAP_ADDRESS")
        ),
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
    # A proposal read from agency mail (?mail=ID): it fills the form, its files come along.
    from_mail = (
        mail_in.message_for_entry(db.session(), request.args.get("mail", ""), info_request)
        if original is None
        else None
    )
    if request.method == "GET" and declared is not None:
        form.occurred_on.data = original.occurred_on if original is not None else today()
        if original is not None:
            # A correction starts from the entry's current values, its note included.
            form.note.data = original.note
        for f in declared.fields:
            if f.name not in form:
                continue
            if original is not None:
                value = (original.details or {}).get(f.name)
                if value not in (None, ""):
                    form[f.name].data = date.fromisoformat(value) if f.type == "date" else value
            elif f.initial is not None:
                form[f.name].data = f.initial(law)
        if from_mail is not None:
            filled = mail_in.prefill(from_mail)
            form.occurred_on.data = date.fromisoformat(filled["occurred_on"])
            form.note.data = filled["note"]
            for f in declared.fields:
                value = filled["details"].get(f.name)
                if f.name in form and value not in (None, ""):
                    form[f.name].data = date.fromisoformat(value) if f.type == "date" else value
    if form.validate_on_submit():
        uploads = _uploads(form.files.data or [])
        if from_mail is not None:
            uploads += mail_in.entry_uploads(storage(), from_mail)
        data = service.EventData(
            kind=kind,
            occurred_on=validated(form.occurred_on.data),
            note=form.note.data or "",
            details=form.details(),
            uploads=uploads,
        )
        try:
            with db.transaction() as session:
                event = service.add_event(
                    session,
                    current_user,
                    info_request,
                    data,
                    today(),
                    storage(),
                    current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
                    corrects=original,
                )
                if from_mail is not None:
                    mail_in.confirm(session, from_mail, event)
        except service.RequestError as exc:
            _add_error(form, exc.field, str(exc))
        else:
            flash(
                _("Correction added to the timeline.") if original else _("Added to the timeline."),
                "success",
            )
            return redirect(url_for("requests.show", request_id=info_request.id) + "#timeline")
    chosen = [f.filename for f in request.files.getlist("files") if f and f.filename]
    return render_template(
        "requests/event_form.html",
        # Browsers never keep the files of a form that comes back: say which to choose again.
        files_dropped=chosen if request.method == "POST" else [],
        form=form,
        info_request=info_request,
        kind=kind,
        kind_label=service.KIND_LABELS[kind],
        kind_help=declared.help(law) if declared is not None and declared.help else "",
        original=original,
        law=deadlines.LAWS[info_request.law_code],
        from_mail=from_mail,
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


@bp.route("/requests/<int:request_id>/events/<int:event_id>/files", methods=["GET", "POST"])
@login_required
def attach_files(request_id: int, event_id: int) -> str | Response:
    """Attach more files to an entry without correcting it."""
    info_request = load_owned_request_or_404(request_id)
    entry = db.session().get(TimelineEvent, event_id)
    if entry is None or entry.request_id != info_request.id:
        abort(404)
    if not service.can_edit(current_user, info_request):
        abort(403)
    form = AttachFilesForm()
    if form.validate_on_submit():
        try:
            with db.transaction() as session:
                count = service.attach_files(
                    session,
                    current_user,
                    db.get_or_404(session, TimelineEvent, event_id),
                    _uploads(form.files.data or []),
                    storage(),
                    current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
                )
        except service.RequestError as exc:
            _add_error(form, exc.field, str(exc))
        else:
            flash(
                ngettext("%(n)s file attached.", "%(n)s files attached.", count, n=count), "success"
            )
            return redirect(
                url_for("requests.show", request_id=info_request.id) + f"#entry-{event_id}"
            )
    return render_template(
        "requests/attach_files.html",
        form=form,
        info_request=info_request,
        entry=entry,
        kind_label=service.KIND_LABELS.get(entry.kind, entry.kind),
    )


def _numbers_page(info_request: InfoRequest, number_form: NumberForm, link_form: LinkForm) -> str:
    session = db.session()
    return render_template(
        "requests/numbers.html",
        info_request=info_request,
        numbers=numbers.numbers_of(session, info_request),
        links=numbers.links_of(session, info_request),
        number_form=number_form,
        link_form=link_form,
        remove=RemoveForm(),
    )


def _number_forms() -> tuple[NumberForm, LinkForm]:
    number_form = NumberForm(prefix="n")
    number_form.kind.choices = [(k, str(numbers.NUMBER_LABELS[k])) for k in NUMBER_KINDS]
    link_form = LinkForm(prefix="l")
    link_form.kind.choices = [(k, str(numbers.LINK_LABELS[k][0])) for k in LINK_KINDS]
    return number_form, link_form


def _editable(request_id: int) -> InfoRequest:
    info_request = load_owned_request_or_404(request_id)
    if not service.can_edit(current_user, info_request):
        abort(403)
    return info_request


@bp.route("/requests/<int:request_id>/numbers", methods=["GET", "POST"])
@login_required
def file_numbers(request_id: int) -> str | Response:
    """The request's file numbers and links to other requests, with forms to add them."""
    info_request = _editable(request_id)
    number_form, link_form = _number_forms()
    if request.method == "POST":
        posted = number_form if "n-submit" in request.form else link_form
        if posted.validate_on_submit():
            try:
                with db.transaction() as session:
                    target = db.get_or_404(session, InfoRequest, info_request.id)
                    if posted is number_form:
                        numbers.add_number(
                            session, target, number_form.kind.data, number_form.number.data or ""
                        )
                        message = _("File number added.")
                    else:
                        other = numbers.resolve_request(
                            session, current_user.newsroom_id, link_form.other.data or ""
                        )
                        numbers.link_requests(
                            session, current_user, target, link_form.kind.data, other
                        )
                        message = _("Requests linked.")
            except numbers.NumberError as exc:
                _add_error(posted, exc.field, str(exc))
            else:
                flash(message, "success")
                return redirect(url_for("requests.file_numbers", request_id=info_request.id))
    return _numbers_page(info_request, number_form, link_form)


@bp.post("/requests/<int:request_id>/numbers/<int:number_id>/remove")
@login_required
def remove_number(request_id: int, number_id: int) -> Response:
    """Forget one of the request's other file numbers."""
    info_request = _editable(request_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    with db.transaction() as session:
        if not numbers.remove_number(session, info_request, number_id):
            abort(404)
    flash(_("File number removed."), "success")
    return redirect(url_for("requests.file_numbers", request_id=request_id))


@bp.post("/requests/<int:request_id>/links/<int:link_id>/remove")
@login_required
def remove_link(request_id: int, link_id: int) -> Response:
    """Remove a link between the request and another."""
    info_request = _editable(request_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    with db.transaction() as session:
        if not numbers.unlink(session, info_request, link_id):
            abort(404)
    flash(_("Link removed."), "success")
    return redirect(url_for("requests.file_numbers", request_id=request_id))


def _people_forms(info_request: InfoRequest) -> tuple[ReassignForm, WatcherForm]:
    everyone = people.colleagues(db.session(), current_user.newsroom_id)
    reassign = ReassignForm(prefix="r")
    reassign.owner.choices = [(u.id, u.name) for u in everyone if u.id != info_request.owner_id]
    watcher = WatcherForm(prefix="w")
    watcher.user.choices = [(u.id, u.name) for u in everyone if u.id != info_request.owner_id]
    return reassign, watcher


@bp.route("/requests/<int:request_id>/people", methods=["GET", "POST"])
@login_required
def request_people(request_id: int) -> str | Response:
    """The request's reporter (editors reassign it) and the colleagues watching it."""
    info_request = _editable(request_id)
    reassign_form, watcher_form = _people_forms(info_request)
    if request.method == "POST":
        posted = reassign_form if "r-submit" in request.form else watcher_form
        if posted.validate_on_submit():
            try:
                with db.transaction() as session:
                    target = db.get_or_404(session, InfoRequest, info_request.id)
                    if posted is reassign_form:
                        people.reassign(
                            session, current_user, target, reassign_form.owner.data, today()
                        )
                        message = _("Request reassigned.")
                    else:
                        added = people.add_watcher(
                            session, current_user, target, watcher_form.user.data
                        )
                        message = _("%(name)s now receives this request's alerts.", name=added.name)
            except people.PeopleError as exc:
                _add_error(posted, exc.field, str(exc))
            else:
                flash(message, "success")
                return redirect(url_for("requests.request_people", request_id=request_id))
    return render_template(
        "requests/people.html",
        info_request=info_request,
        watchers=people.watchers_of(db.session(), info_request.id),
        reassign_form=reassign_form,
        watcher_form=watcher_form,
        remove=RemoveForm(),
    )


@bp.post("/requests/<int:request_id>/watchers/<int:user_id>/remove")
@login_required
def remove_watcher(request_id: int, user_id: int) -> Response:
    """Stop a colleague watching the request."""
    info_request = load_owned_request_or_404(request_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    try:
        with db.transaction() as session:
            removed = people.remove_watcher(session, current_user, info_request, user_id)
    except people.PeopleError:
        abort(403)
    if not removed:
        abort(404)
    flash(_("Watcher removed."), "success")
    return redirect(url_for("requests.show", request_id=request_id))


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
            description=_(
                "The file %(name)s is missing from the tracker’s storage. Restore it from a "
                "backup.",
                name=attachment.original_name,
            ),
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
