"""Import pages: upload a CSV, map its columns on a preview, check it (dry run), import it."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker import clock, db
from tracker.display import reader_timezone
from tracker.exports.service import safe_cell
from tracker.files.downloads import content_disposition
from tracker.files.storage import LocalStorage
from tracker.i18n import _, lazy_gettext, ngettext
from tracker.imports import restore, service
from tracker.imports.csvfile import CsvFileError, CsvTable, parse_csv
from tracker.imports.forms import ImportForm, MappingForm, UploadForm
from tracker.imports.store import StoredUpload, UploadStore
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
    """Step 4: import every request in one transaction, or nothing."""
    upload, table = _upload(token)
    if not upload.meta.get("mapping"):
        abort(404)
    form = ImportForm()
    if not form.validate_on_submit():
        abort(400)
    storage = LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    try:
        plan = _plan(upload, table)
        with db.transaction() as session:
            result = service.run_import(
                session,
                plan,
                current_user,
                _today(),
                storage,
                source=upload.meta.get("filename") or "a CSV file",
                skip_invalid=bool(form.skip_invalid.data),
            )
    except service.ImportFailure as exc:
        flash(str(exc), "error")
        return redirect(url_for("imports.check", token=token))
    _store().delete(token)
    message = _(
        "Imported %(requests)s requests from %(rows)s rows.",
        requests=result.requests,
        rows=result.rows,
    )
    if result.institutions_created:
        names = "; ".join(f"“{name}”" for name in result.institutions_created)
        message += " " + ngettext(
            "%(num)s new institution: %(names)s.",
            "%(num)s new institutions: %(names)s.",
            len(result.institutions_created),
            names=names,
        )
    if result.skipped_rows:
        message += " " + ngettext(
            "Left out %(num)s row with errors.",
            "Left out %(num)s rows with errors.",
            len(result.skipped_rows),
        )
    flash(message, "success")
    return redirect(url_for("requests.index", sort="received"))


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
