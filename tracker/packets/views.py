"""The packet download: GET /requests/<id>/packet.zip."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, current_app, render_template, send_file
from flask_login import login_required
from werkzeug.wrappers import Response

from tracker.core import clock, db
from tracker.core.models import InfoRequest
from tracker.core.tenancy import load_owned_request_or_404
from tracker.files.storage import LocalStorage
from tracker.language.i18n import force_locale
from tracker.language.service import request_language
from tracker.packets.dossier import newsroom_timezone
from tracker.packets.service import PacketError, dossier_for, missing_files, write_archive

bp = Blueprint("packets", __name__)


def _spool_dir() -> Path:
    """Packets are built on disk beside the instance (never in memory, never in a tmpfs)."""
    folder = Path(current_app.config["INSTANCE_PATH"]) / "packets"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@bp.get("/requests/<int:request_id>/packet.zip")
@login_required
def download(request_id: int) -> Response | tuple[str, int]:
    """Build the request's evidence packet and send it as a download."""
    info_request = load_owned_request_or_404(request_id)
    # In the language chosen for the request (default: French under Québec's laws, else its
    # reporter's); the page around it stays in the reader's.
    language = request_language(db.session(), info_request, current_app.config["DEFAULT_LOCALE"])
    with force_locale(language):
        return _download(info_request, request_id)


def _download(info_request: InfoRequest, request_id: int) -> Response | tuple[str, int]:
    tz = newsroom_timezone(info_request, current_app.config["TIMEZONE"])
    dossier = dossier_for(info_request, generated_at=clock.now(), today=clock.today(tz), tz=tz)
    storage = LocalStorage(current_app.config["ATTACHMENTS_DIR"])
    missing = missing_files(dossier, storage)
    if missing:
        current_app.logger.error(
            "packet for request %s not built: %d file(s) missing", request_id, len(missing)
        )
        return render_template(
            "packets/not_built.html", info_request=info_request, missing=missing, message=""
        ), 409
    # An anonymous temporary file: the whole archive is written before a byte is sent, so a
    # failure shows an error page instead of a truncated download.
    spool = tempfile.TemporaryFile(dir=_spool_dir())  # noqa: SIM115 (send_file closes it)
    try:
        write_archive(dossier, storage, spool)
    except PacketError as exc:
        spool.close()
        current_app.logger.error("packet for request %s not built: %s", request_id, exc)
        return render_template(
            "packets/not_built.html", info_request=info_request, missing=[], message=str(exc)
        ), 409
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = send_file(
        spool,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"request-{request_id}-evidence-packet.zip",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
