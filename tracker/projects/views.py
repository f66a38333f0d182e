"""Project pages and a request's projects and tags (thin: the service decides)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import Form

from tracker.core import clock, db
from tracker.core.display import reader_timezone
from tracker.core.models import InfoRequest
from tracker.core.tenancy import load_owned_request_or_404
from tracker.language.i18n import _
from tracker.projects import service
from tracker.projects.forms import LabelsForm, ProjectForm
from tracker.requests import queries
from tracker.requests import service as requests
from tracker.requests.describe import lateness

bp = Blueprint("projects", __name__)


def _today() -> date:
    return clock.today(reader_timezone())


def _refuse(form: Form, exc: service.LabelError) -> None:
    field = getattr(form, exc.field or "", None)
    if field is None:
        form.form_errors.append(str(exc))
    else:
        field.errors = [*field.errors, str(exc)]


@bp.route("/projects/", methods=["GET", "POST"])
@login_required
def index() -> str | Response:
    """The newsroom's projects, and a form to make one."""
    form = ProjectForm()
    if form.validate_on_submit():
        try:
            with db.transaction() as session:
                project = service.create_project(
                    session,
                    current_user,
                    service.ProjectData(form.name.data or "", form.description.data or ""),
                )
        except service.LabelError as exc:
            _refuse(form, exc)
        else:
            flash(_("Project “%(name)s” made.", name=project.name), "success")
            return redirect(url_for("projects.show", project_id=project.id))
    session = db.session()
    projects = service.projects_of(session, current_user.newsroom_id)
    return render_template(
        "projects/index.html",
        form=form,
        projects=projects,
        counts=service.project_counts(session, [p.id for p in projects], _today()),
    )


@bp.get("/projects/<int:project_id>")
@login_required
def show(project_id: int) -> str:
    """A project's requests with their deadlines at a glance, soonest first."""
    session = db.session()
    project = service.project_of(session, current_user.newsroom_id, project_id)
    if project is None:
        abort(404)
    filters = queries.RequestFilters(project_id=project.id, sort="days_late")
    today = _today()
    result = queries.list_requests(
        session, current_user.newsroom_id, filters, count_limit=queries.COUNT_LIMIT, today=today
    )
    return render_template(
        "projects/show.html",
        project=project,
        result=result,
        today=today,
        lateness={r.id: lateness(r, today) for r in result.items},
        counts=service.project_counts(session, [project.id], today).get(project.id),
    )


@bp.route("/requests/<int:request_id>/labels", methods=["GET", "POST"])
@login_required
def labels(request_id: int) -> str | Response:
    """Put a request in projects and give it tags."""
    info_request = load_owned_request_or_404(request_id)
    if not requests.can_edit(current_user, info_request):
        abort(403)
    session = db.session()
    form = LabelsForm()
    form.projects.choices = [
        (p.id, p.name) for p in service.projects_of(session, current_user.newsroom_id)
    ]
    if request.method == "GET":
        current = service.labels_of(session, info_request.id)
        form.projects.data = [p.id for p in current.projects]
        form.tags.data = ", ".join(t.name for t in current.tags)
    if form.validate_on_submit():
        try:
            with db.transaction() as tx:
                target = db.get_or_404(tx, InfoRequest, info_request.id)
                chosen = list(form.projects.data or [])
                if (form.new_project.data or "").strip():
                    made = service.create_project(
                        tx, current_user, service.ProjectData(form.new_project.data or "")
                    )
                    chosen.append(made.id)
                service.set_labels(tx, target, chosen, service.split_tags(form.tags.data or ""))
        except service.LabelError as exc:
            if exc.field == "name":
                exc.field = "new_project"
            _refuse(form, exc)
        else:
            flash(_("Projects and tags saved."), "success")
            return redirect(url_for("requests.show", request_id=info_request.id))
    return render_template("projects/labels.html", form=form, info_request=info_request)
