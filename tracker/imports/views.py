"""Import pages: upload a CSV, map its columns on a preview, check it (dry run), import it."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.core import clock, db
from tracker.core.display import reader_timezone
from tracker.core.models import ImportJob, User
from tracker.exports.service import safe_cell
from tracker.files.downloads import content_disposition
from tracker.files.storage import LocalStorage
from tracker.imports import jobs, restore, service
from tracker.imports.csvfile import CsvFileError, CsvTable, parse_csv
from tracker.imports.forms import CancelForm, ImportForm, MappingForm, UploadForm
from tracker.imports.store import StoredUpload, UploadStore
from tracker.language.i18n import _, lazy_gettext, ngettext
from tracker.requests.service import safe_display_name
from tracker.scorecards.service import import_sources
from tracker.timeline.kinds import CLOSURES

bp = Blueprint("imports", __name__, url_prefix="/imports")

DELIMITER_NAMES = {
    "comma": lazy_gettext("comma-separated"),
    "semicolon": lazy_gettext("semicolon-separated"),
    "tab": lazy_gettext("tab-separated"),
}
SEVERITY_NAMES = {"error": lazy_gettext("error"), "warning": lazy_gettext("warning")}


@bp.context_processor
def import_words() -> dict[str, object]:
    """The words the import pages show for the service's codes."""
    return {
        "delimiter_names": DELIMITER_NAMES,
        "severity_names": SEVERITY_NAMES,
        "closures": CLOSURES,
    }


PREVIEW_ROWS = 5
SOURCES_SHOWN = 20
REPORT_ROWS_SHOWN = 500
# How often a running import's page reloads itself.
JOB_REFRESH_SECONDS = 2


def _store() -> UploadStore:
    return UploadStore(Path(current_app.instance_path) / "imports")


def _today() -> date:
    return clock.today(reader_timezone())


def _upload(token: str) -> tuple[StoredUpload, CsvTable]:
    """The current user's upload under this token (anyone else's is 404) and its table."""
    upload = _store().load(token)
    if upload is None or upload.meta.get("user_id") != current_user.id:
        abort(404)
    try:
        table = parse_csv(upload.data)
    except CsvFileError:  # checked at upload; only a changed file could fail here
        abort(404)
    return upload, table


def _plan(upload: StoredUpload, table: CsvTable) -> service.ImportPlan:
    mapping = service.Mapping.from_dict(upload.meta.get("mapping") or {})
    return service.build_plan(db.session(), current_user.newsroom_id, table, mapping, _today())


@bp.route("/", methods=["GET", "POST"])
@login_required
def upload() -> str | Response:
    """Step 1: upload a CSV file of existing requests."""
    form = UploadForm()
    if form.validate_on_submit():
        limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
        data = form.file.data.stream.read(limit + 1)
        if len(data) > limit:
            form.file.errors.append(
                _(
                    "The file is larger than %(size)s MB, the most the tracker accepts. "
                    "Split it in parts.",
                    size=current_app.config["MAX_UPLOAD_MB"],
                )
            )
        elif restore.is_export(data):
            token = _store().save(
                data,
                {
                    "user_id": current_user.id,
                    "newsroom_id": current_user.newsroom_id,
                    "filename": safe_display_name(form.file.data.filename or "export.zip"),
                    "kind": "export",
                },
            )
            return redirect(url_for("imports.restore_check", token=token))
        else:
            try:
                parse_csv(data)
            except CsvFileError as exc:
                form.file.errors.append(str(exc))
            else:
                token = _store().save(
                    data,
                    {
                        "user_id": current_user.id,
                        "newsroom_id": current_user.newsroom_id,
                        "filename": safe_display_name(form.file.data.filename or "upload.csv"),
                    },
                )
                return redirect(url_for("imports.preview", token=token))
    return render_template(
        "imports/upload.html",
        form=form,
        active=jobs.active_job(db.session(), current_user.newsroom_id),
        sources=import_sources(db.session(), current_user.newsroom_id)[:SOURCES_SHOWN],
    )


@bp.route("/<token>", methods=["GET", "POST"])
@login_required
def preview(token: str) -> str | Response:
    """Step 2: the first rows, and which column holds what."""
    upload, table = _upload(token)
    form = MappingForm(table.headers)
    if not form.is_submitted():
        saved = upload.meta.get("mapping")
        form.fill(
            service.Mapping.from_dict(saved) if saved else service.guess_mapping(table.headers)
        )
    elif form.validate():
        mapping = form.mapping()
        try:
            mapping.check(table.headers)
            service.resolve_as_of(mapping, table, _today())
        except service.MappingError as exc:
            target = getattr(form, exc.field or "", None)
            (target.errors if target is not None else form.form_errors).append(str(exc))
        else:
            _store().update_meta(token, mapping=mapping.to_dict())
            return redirect(url_for("imports.check", token=token))
    return render_template(
        "imports/preview.html",
        form=form,
        upload=upload,
        table=table,
        preview=table.rows[:PREVIEW_ROWS],
        token=token,
    )


@bp.get("/<token>/check")
@login_required
def check(token: str) -> str | Response:
    """Step 3: the dry run, every row's problems, nothing written."""
    upload, table = _upload(token)
    if not upload.meta.get("mapping"):
        return redirect(url_for("imports.preview", token=token))
    try:
        plan = _plan(upload, table)
    except service.MappingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("imports.preview", token=token))
    return render_template(
        "imports/check.html",
        plan=plan,
        upload=upload,
        token=token,
        form=ImportForm(),
        shown=plan.problems[:REPORT_ROWS_SHOWN],
        labels=service.PROBLEM_LABELS,
        sample=plan.valid_requests[:10],
        active=jobs.active_job(db.session(), current_user.newsroom_id),
        background=len(table.rows) > current_app.config["IMPORT_INLINE_ROWS"],
    )


@bp.get("/<token>/report.csv")
@login_required
def report(token: str) -> Response:
    """The dry run's problems as a CSV, one line per problem."""
    upload, table = _upload(token)
    if not upload.meta.get("mapping"):
        abort(404)
    try:
        plan = _plan(upload, table)
    except service.MappingError:
        abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "file_number", "severity", "problem", "message"])
    for p in plan.problems:
        writer.writerow(
            [
                p.row,
                safe_cell(p.file_number),
                p.severity,
                service.PROBLEM_LABELS.get(p.code, p.code),
                safe_cell(p.message),
            ]
        )
    name = Path(upload.meta.get("filename") or "import").stem
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": content_disposition(f"{name}-problems.csv")},
    )


@bp.post("/<token>/import")
@login_required
def run(token: str) -> str | Response:
    """Step 4: import every request in one transaction, or nothing: at once for a small
    file, else in the background (the job's page shows its progress)."""
    upload, table = _upload(token)
    if not upload.meta.get("mapping"):
        abort(404)
    form = ImportForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session()
    try:
        job = jobs.queue_import(
            session,
            current_user,
            token=token,
            filename=upload.meta.get("filename") or "a CSV file",
            mapping=service.Mapping.from_dict(upload.meta["mapping"]),
            skip_invalid=bool(form.skip_invalid.data),
            today=_today(),
            rows=len(table.rows),
        )
    except jobs.ImportBusy as exc:
        flash(str(exc), "error")
        return redirect(url_for("imports.check", token=token))
    if len(table.rows) <= current_app.config["IMPORT_INLINE_ROWS"] and jobs.claim(session, job.id):
        status = jobs.run_job(session, current_app.config, job.id)
        session.refresh(job)
        report = job.report or {}
        if status != "done":
            flash(report.get("message") or job.error or _("Nothing was imported."), "error")
            return redirect(url_for("imports.check", token=token))
        flash(_done_message(report), "success")
    return redirect(url_for("imports.job", job_id=job.id))


def _done_message(report: dict[str, Any]) -> str:
    """The flash after an import: what came in, what was created, what was left out."""
    parts = [report.get("message", "")]
    created = report.get("institutions_created") or []
    if created:
        parts.append(
            ngettext(
                "%(num)s new institution: %(names)s.",
                "%(num)s new institutions: %(names)s.",
                len(created),
                names="; ".join(f"“{name}”" for name in created),
            )
        )
    if report.get("left_out_rows"):
        parts.append(
            ngettext(
                "Left out %(num)s row with errors.",
                "Left out %(num)s rows with errors.",
                report["left_out_rows"],
            )
        )
    return " ".join(p for p in parts if p)


def _job(job_id: int) -> ImportJob:
    """An import job of the current user's newsroom (anyone else's is 404)."""
    job = db.session().get(ImportJob, job_id, populate_existing=True)
    if job is None or job.newsroom_id != current_user.newsroom_id:
        abort(404)
    return job


@bp.get("/jobs/<int:job_id>")
@login_required
def job(job_id: int) -> str:
    """An import's page: its progress while it runs (the page refreshes itself), then its
    row-by-row report."""
    found = _job(job_id)
    session = db.session()
    report = found.report or {}
    problems = report.get("problems") or []
    asker = session.get(User, found.requested_by_id) if found.requested_by_id else None
    return render_template(
        "imports/job.html",
        job=found,
        report=report,
        shown=problems[:REPORT_ROWS_SHOWN],
        problems=len(problems),
        asker=asker,
        can_cancel=_can_cancel(found),
        upload_kept=found.status != "done" and _store().exists(found.token),
        refresh_seconds=JOB_REFRESH_SECONDS,
    )


def _can_cancel(job: ImportJob) -> bool:
    return job.status in jobs.ACTIVE and (
        current_user.is_editor or job.requested_by_id == current_user.id
    )


@bp.post("/jobs/<int:job_id>/cancel")
@login_required
def cancel(job_id: int) -> Response:
    """Cancel a queued import, or stop a running one at its next batch (nothing written)."""
    found = _job(job_id)
    if not CancelForm().validate_on_submit() or not _can_cancel(found):
        abort(400 if found.status in jobs.ACTIVE else 409)
    try:
        status = jobs.request_cancel(db.session(), found)
    except sa.exc.OperationalError:
        # SQLite: the import holds the database's write lock for longer than we wait.
        db.session().rollback()
        flash(_("The import is writing and the database is busy: try again in a moment."), "error")
        return redirect(url_for("imports.job", job_id=job_id))
    if status == "cancelled":
        flash(_("The import was cancelled: nothing was imported."), "success")
    elif status == "running":
        flash(_("The import stops after the batch it is writing: nothing will be imported."))
    else:
        flash(_("The import had already ended before it could be cancelled."), "error")
    return redirect(url_for("imports.job", job_id=job_id))


@bp.get("/jobs/<int:job_id>/report.csv")
@login_required
def job_report(job_id: int) -> Response:
    """A finished import's problems as a CSV, one line per problem."""
    found = _job(job_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "file_number", "severity", "problem", "message"])
    for p in (found.report or {}).get("problems") or []:
        writer.writerow(
            [
                p["row"],
                safe_cell(p["file_number"]),
                p["severity"],
                service.PROBLEM_LABELS.get(p["code"], p["code"]),
                safe_cell(p["message"]),
            ]
        )
    name = Path(found.filename or "import").stem
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": content_disposition(f"{name}-report.csv")},
    )


def _export_upload(token: str) -> StoredUpload:
    """The current user's uploaded export under this token (anyone else's is 404)."""
    upload = _store().load(token)
    if upload is None or upload.meta.get("user_id") != current_user.id:
        abort(404)
    if upload.meta.get("kind") != "export" or not restore.is_export(upload.data):
        abort(404)
    return upload


def _restore(upload: StoredUpload) -> restore.RestoreResult:
    storage = LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    return restore.restore_export(
        db.session(),
        upload.data,
        current_user,
        _today(),
        storage,
        source=upload.meta.get("filename") or "export.zip",
    )


@bp.get("/<token>/restore")
@login_required
def restore_check(token: str) -> str:
    """The tracker's own export: what importing it would write (the same code, rolled back)."""
    upload = _export_upload(token)
    session = db.session()
    try:
        result, error = _restore(upload), None
    except service.ImportFailure as exc:
        result, error = None, str(exc)
    finally:
        session.rollback()
    return render_template(
        "imports/restore.html", upload=upload, result=result, error=error, form=ImportForm()
    )


@bp.post("/<token>/restore")
@login_required
def restore_run(token: str) -> Response:
    """Import the export: every request and its timeline, in one transaction, or nothing."""
    upload = _export_upload(token)
    if not ImportForm().validate_on_submit():
        abort(400)
    try:
        with db.transaction():
            result = _restore(upload)
    except service.ImportFailure as exc:
        flash(str(exc), "error")
        return redirect(url_for("imports.restore_check", token=token))
    _store().delete(token)
    flash(
        _(
            "Restored %(requests)s requests with %(entries)s timeline entries.",
            requests=result.requests,
            entries=result.entries,
        ),
        "success",
    )
    return redirect(url_for("requests.index", sort="received"))
