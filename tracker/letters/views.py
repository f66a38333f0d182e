"""Letters pages: the offers of a request, a draft's editor with its preview, send, record,
downloads (PDF, .eml), and the reporter's details for letters."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.core import clock, db
from tracker.core.display import reader_timezone
from tracker.core.errors import validated
from tracker.core.models import InfoRequest, Letter
from tracker.core.tenancy import load_owned_request_or_404
from tracker.files.downloads import content_disposition
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _
from tracker.letters import service
from tracker.letters.forms import (
    DraftForm,
    LetterForm,
    OutsideReviewForm,
    ProfileForm,
    RecordForm,
    SendForm,
)
from tracker.letters.pdf import letter_pdf
from tracker.packets.dossier import newsroom_timezone
from tracker.requests.service import can_edit

bp = Blueprint("letters", __name__)


def _today(info_request: InfoRequest) -> date:
    return clock.today(newsroom_timezone(info_request, current_app.config["TIMEZONE"]))


def _storage() -> LocalStorage:
    return LocalStorage(current_app.config["ATTACHMENTS_DIR"])


def _max_bytes() -> int:
    return int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024


def _letter_or_404(letter_id: int) -> Letter:
    letter = db.session().get(Letter, letter_id)
    if letter is None or letter.newsroom_id != current_user.newsroom_id:
        abort(404)
    return letter


def _may_write(info_request: InfoRequest) -> None:
    """Colleagues read a request's letters; only its owner or an editor writes them (403)."""
    if not can_edit(current_user, info_request):
        abort(403)


@bp.app_template_global()
def letters_due() -> list[service.Reminder]:
    """The reader's newsroom's letters due soonest (the dashboard's include)."""
    if not current_user.is_authenticated:
        return []
    return service.reminders(db.session(), current_user.newsroom_id, clock.today(reader_timezone()))


@bp.route("/requests/<int:request_id>/letters", methods=["GET", "POST"])
@login_required
def index(request_id: int) -> str | Response | tuple[str, int]:
    """The letters the request's state offers now, and the letters already drafted or sent."""
    info_request = load_owned_request_or_404(request_id)
    today = _today(info_request)
    form = DraftForm()
    error = None
    if request.method == "POST":
        _may_write(info_request)
    if form.validate_on_submit():
        try:
            with db.transaction() as session:
                letter = service.create_draft(
                    session,
                    current_user,
                    info_request,
                    validated(form.key.data),
                    form.language.data,
                    today,
                )
                letter_id = letter.id
        except service.LetterError as exc:
            error = str(exc)
        else:
            return redirect(url_for("letters.edit", letter_id=letter_id))
    return _render_index(info_request, today, form, error)


def _render_index(
    info_request: InfoRequest,
    today: date,
    form: DraftForm,
    error: str | None = None,
    review_form: OutsideReviewForm | None = None,
) -> tuple[str, int]:
    session = db.session()
    offers = service.offered(session, info_request, today)
    letters = service.letters_of(session, info_request)
    reviewed = any(x.kind == "review" and x.status == "sent" for x in letters)
    invalid = review_form is not None
    if review_form is None:
        review_form = OutsideReviewForm(formdata=None, data={"sent_on": today})
    return render_template(
        "letters/index.html",
        info_request=info_request,
        offers=offers,
        letters=letters,
        form=form,
        error=error,
        today=today,
        review_form=review_form
        if service.has_review_step(info_request)
        and not reviewed
        and can_edit(current_user, info_request)
        else None,
        profile_complete=bool(current_user.mailing_address and current_user.telephone),
    ), (422 if error or invalid else 200)


@bp.post("/requests/<int:request_id>/letters/review")
@login_required
def outside_review(request_id: int) -> Response | tuple[str, int]:
    """Record an internal review asked for outside the tracker (UK FOIA, FOISA)."""
    info_request = load_owned_request_or_404(request_id)
    _may_write(info_request)
    today = _today(info_request)
    review_form = OutsideReviewForm()
    if review_form.validate_on_submit():
        try:
            with db.transaction() as session:
                service.record_outside_review(
                    session,
                    current_user,
                    info_request,
                    validated(review_form.sent_on.data),
                    review_form.note.data or "",
                    today,
                    _storage(),
                    _max_bytes(),
                    current_app.config,
                )
        except service.LetterError as exc:
            review_form.sent_on.errors = [*review_form.sent_on.errors, str(exc)]
        else:
            flash(_("The internal review is recorded."), "success")
            return redirect(url_for("letters.index", request_id=request_id))
    db.session().expire_all()
    info_request = load_owned_request_or_404(request_id)
    return _render_index(info_request, today, DraftForm(formdata=None), None, review_form)


def _render_edit(letter: Letter, form: LetterForm, status: int = 200) -> tuple[str, int]:
    info_request = load_owned_request_or_404(letter.request_id)
    return render_template(
        "letters/edit.html",
        letter=letter,
        info_request=info_request,
        form=form,
        send_form=SendForm(formdata=None),
        record_form=RecordForm(formdata=None, data={"sent_on": _today(info_request)}),
        can_send=service.can_send(current_app.config),
    ), status


@bp.route("/letters/<int:letter_id>", methods=["GET", "POST"])
@login_required
def edit(letter_id: int) -> Response | tuple[str, int]:
    """Edit a draft with its live preview; a sent letter is shown as it was sent."""
    letter = _letter_or_404(letter_id)
    form = LetterForm(obj=letter)
    if request.method == "POST":
        _may_write(load_owned_request_or_404(letter.request_id))
    if form.validate_on_submit():
        try:
            with db.transaction() as session:
                service.update_draft(
                    session,
                    current_user,
                    db.get_or_404(session, Letter, letter_id),
                    recipient_name=form.recipient_name.data or "",
                    recipient_email=form.recipient_email.data or "",
                    subject=form.subject.data or "",
                    body=form.body.data or "",
                )
        except service.LetterError as exc:
            target = getattr(form, exc.field or "", None)
            if target is not None:
                target.errors = [*target.errors, str(exc)]
            else:
                form.form_errors.append(str(exc))
            return _render_edit(letter, form, 422)
        flash(_("The draft is saved."), "success")
        return redirect(url_for("letters.edit", letter_id=letter_id))
    return _render_edit(letter, form, 422 if form.errors else 200)


@bp.post("/letters/<int:letter_id>/send")
@login_required
def send(letter_id: int) -> Response | tuple[str, int]:
    """Send the saved draft by e-mail, only once and only with the box ticked."""
    letter = _letter_or_404(letter_id)
    info_request = load_owned_request_or_404(letter.request_id)
    _may_write(info_request)
    send_form = SendForm()
    form = LetterForm(formdata=None, obj=letter)
    if not send_form.validate_on_submit():
        return render_template(
            "letters/edit.html",
            letter=letter,
            info_request=info_request,
            form=form,
            send_form=send_form,
            record_form=RecordForm(formdata=None, data={"sent_on": _today(info_request)}),
            can_send=service.can_send(current_app.config),
        ), 422
    try:
        service.send(
            current_user,
            letter_id,
            current_app.config,
            _storage(),
            _today(info_request),
            _max_bytes(),
            transaction=db.transaction,
        )
    except service.LetterError as exc:
        db.session().expire_all()
        letter = _letter_or_404(letter_id)
        form = LetterForm(formdata=None, obj=letter)
        target = getattr(form, exc.field or "", None)
        if target is not None:
            target.errors = [str(exc)]
        else:
            form.form_errors.append(str(exc))
        return _render_edit(letter, form, 409 if letter.status != "draft" else 422)
    flash(_("The letter is sent; its copy is on the request's timeline."), "success")
    return redirect(url_for("letters.edit", letter_id=letter_id))


@bp.post("/letters/<int:letter_id>/record")
@login_required
def record(letter_id: int) -> Response | tuple[str, int]:
    """Record a letter sent another way on the date given."""
    letter = _letter_or_404(letter_id)
    info_request = load_owned_request_or_404(letter.request_id)
    _may_write(info_request)
    record_form = RecordForm()
    form = LetterForm(formdata=None, obj=letter)
    error = None
    if record_form.validate_on_submit():
        try:
            with db.transaction() as session:
                service.record_sent(
                    session,
                    current_user,
                    db.get_or_404(session, Letter, letter_id),
                    validated(record_form.sent_on.data),
                    _today(info_request),
                    _storage(),
                    _max_bytes(),
                    current_app.config,
                )
        except service.LetterError as exc:
            error = str(exc)
        else:
            flash(_("The letter is recorded as sent."), "success")
            return redirect(url_for("letters.edit", letter_id=letter_id))
    if error:
        record_form.sent_on.errors = [*record_form.sent_on.errors, error]
    db.session().expire_all()
    letter = _letter_or_404(letter_id)
    return render_template(
        "letters/edit.html",
        letter=letter,
        info_request=info_request,
        form=form,
        send_form=SendForm(formdata=None),
        record_form=record_form,
        can_send=service.can_send(current_app.config),
    ), 422


def _download(data: bytes, mimetype: str, name: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(name)
    return response


@bp.get("/letters/<int:letter_id>.pdf")
@login_required
def pdf(letter_id: int) -> Response:
    """The letter as a PDF."""
    letter = _letter_or_404(letter_id)
    return _download(letter_pdf(letter), "application/pdf", f"letter-{letter.id}.pdf")


@bp.get("/letters/<int:letter_id>.eml")
@login_required
def eml(letter_id: int) -> Response:
    """The letter as an .eml message, to send from one's own mail program."""
    with db.transaction() as session:
        letter = _letter_or_404(letter_id)
        data = service.eml_bytes(
            db.get_or_404(session, Letter, letter_id), current_user, current_app.config
        )
    return _download(data, "message/rfc822", f"letter-{letter.id}.eml")


@bp.route("/settings/letters", methods=["GET", "POST"])
@login_required
def profile() -> str | Response:
    """The reporter's mailing address and telephone, for letters and complaint forms."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        with db.transaction():
            service.save_profile(
                current_user._get_current_object(),
                form.mailing_address.data or "",
                form.telephone.data or "",
            )
        flash(_("Your details for letters are saved."), "success")
        return redirect(url_for("letters.profile"))
    return render_template("letters/profile.html", form=form)
