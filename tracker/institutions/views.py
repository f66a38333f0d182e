"""Institution pages: list, create, edit, and one institution with its requests."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.core import clock, db
from tracker.core.models import Institution
from tracker.core.tenancy import get_owned_or_404
from tracker.institutions import service
from tracker.institutions.forms import ArchiveForm, InstitutionForm
from tracker.language.i18n import _

bp = Blueprint("institutions", __name__, url_prefix="/institutions")


def _data(form: InstitutionForm) -> service.InstitutionData:
    return service.InstitutionData(
        name=form.name.data or "",
        law_code=form.law_code.data or "",
        province=form.province.data or None,
        access_email=form.access_email.data or None,
    )


def _refused(form: InstitutionForm, exc: service.InstitutionError) -> None:
    field = getattr(form, exc.field or "", None) or form.name
    field.errors = [*field.errors, str(exc)]


@bp.get("/")
@login_required
def index() -> str:
    """Every institution of the newsroom with its number of requests."""
    search = request.args.get("q", "", type=str)[:300]
    rows = service.list_institutions(db.session(), current_user.newsroom_id, search)
    return render_template("institutions/index.html", rows=rows, search=search)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    """Add an institution."""
    form = InstitutionForm()
    if form.validate_on_submit():
        try:
            with db.transaction() as session:
                institution = service.create_institution(
                    session, current_user.newsroom_id, _data(form)
                )
        except service.InstitutionError as exc:
            _refused(form, exc)
        else:
            flash(_("%(name)s added.", name=institution.name), "success")
            return redirect(url_for("institutions.show", institution_id=institution.id))
    return render_template("institutions/form.html", form=form, institution=None)


@bp.get("/<int:institution_id>")
@login_required
def show(institution_id: int) -> str:
    """One institution and its requests."""
    institution = get_owned_or_404(Institution, institution_id)
    requests = service.requests_of(db.session(), institution)
    archive_form = ArchiveForm(archived="0" if institution.archived_at else "1")
    return render_template(
        "institutions/show.html",
        institution=institution,
        requests=requests,
        archive_form=archive_form,
    )


@bp.route("/<int:institution_id>/edit", methods=["GET", "POST"])
@login_required
def edit(institution_id: int) -> str | Response:
    """Change an institution's name, law, province or e-mail."""
    institution = get_owned_or_404(Institution, institution_id)
    form = InstitutionForm(obj=institution)
    if form.validate_on_submit():
        try:
            with db.transaction() as session:
                service.update_institution(session, institution, _data(form))
        except service.InstitutionError as exc:
            _refused(form, exc)
        else:
            flash(_("Institution saved."), "success")
            return redirect(url_for("institutions.show", institution_id=institution.id))
    return render_template("institutions/form.html", form=form, institution=institution)


@bp.post("/<int:institution_id>/archive")
@login_required
def archive(institution_id: int) -> Response:
    """Archive or restore an institution (its requests and their history stay)."""
    institution = get_owned_or_404(Institution, institution_id)
    form = ArchiveForm()
    if form.validate_on_submit():
        archived = form.archived.data == "1"
        with db.transaction():
            service.set_archived(institution, archived, clock.now())
        flash(
            _("%(name)s archived.", name=institution.name)
            if archived
            else _("%(name)s restored.", name=institution.name),
            "success",
        )
    return redirect(url_for("institutions.show", institution_id=institution.id))
