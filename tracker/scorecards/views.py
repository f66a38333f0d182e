"""Scorecard pages: tables per institution and per law, the chart as SVG, the numbers as CSV."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    get_template_attribute,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup

from tracker.core import clock, db
from tracker.core.display import reader_timezone
from tracker.core.models import ImportBatch, Project
from tracker.exports.service import write_csv
from tracker.projects import service as labels
from tracker.records import exemptions as records_exemptions
from tracker.scorecards import rendered, service
from tracker.scorecards.chart import days_late_chart
from tracker.scorecards.service import Score

bp = Blueprint("scorecards", __name__, url_prefix="/scorecards")


def _day(name: str) -> date | None:
    value = (request.args.get(name) or "").strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _source() -> ImportBatch | None:
    """The import the scorecard is restricted to (``?source=ID``), when it is the newsroom's."""
    value = (request.args.get("source") or "").strip()
    if not value.isdigit() or len(value) > 12:
        return None
    found = db.session().get(ImportBatch, int(value))
    return found if found is not None and found.newsroom_id == current_user.newsroom_id else None


def _project() -> Project | None:
    """The project the scorecard is restricted to (``?project=ID``), when it is the newsroom's."""
    value = (request.args.get("project") or "").strip()
    if not value.isdigit() or len(value) > 12:
        return None
    return labels.project_of(db.session(), current_user.newsroom_id, int(value))


def _tag() -> str | None:
    """The tag the scorecard is restricted to (``?tag=NAME``)."""
    return " ".join((request.args.get("tag") or "").split())[:100] or None


def _scorecard() -> rendered.Scorecard:
    source = _source()
    project = _project()
    return rendered.scorecard(
        db.session(),
        current_user.newsroom_id,
        clock.today(reader_timezone()),
        _day("from"),
        _day("to"),
        source.id if source is not None else None,
        project_id=project.id if project is not None else None,
        tag=_tag(),
    )


def _exemptions_scope() -> sa.Select[tuple[int]] | None:
    """The requests whose exemptions the scorecard counts: those its filters (received
    range, import, project, tag) leave; None when it has none (every request)."""
    source, project, tag = _source(), _project(), _tag()
    received_from, received_to = _day("from"), _day("to")
    if not any(v is not None for v in (source, project, tag, received_from, received_to)):
        return None
    scope = service.scoped(
        current_user.newsroom_id,
        clock.today(reader_timezone()),
        received_from,
        received_to,
        source.id if source is not None else None,
        project_id=project.id if project is not None else None,
        tag=tag,
    )
    return sa.select(scope.c.id)


def score_rows(scores: list[Score], institution_link: str | None = None) -> Markup:
    """The table's rows, rendered by the ``score_rows`` macro (kept per scorecard by
    ``rendered``, and each row under its figures: a newsroom has hundreds of institutions)."""
    macro = get_template_attribute("scorecards/_rows.html", "score_rows")
    return rendered.rows(scores, lambda some: macro(some, institution_link), institution_link)


def _range_args() -> dict[str, str]:
    args = {k: v.isoformat() for k, v in (("from", _day("from")), ("to", _day("to"))) if v}
    source = _source()
    if source is not None:
        args["source"] = str(source.id)
    project = _project()
    if project is not None:
        args["project"] = str(project.id)
    if _tag():
        args["tag"] = _tag() or ""
    return args


def _chart(card: rendered.Scorecard) -> Markup:
    name = current_user.newsroom.name
    return card.part("chart", lambda c: days_late_chart(c.institutions, c.today, name), name)


@bp.get("/")
@login_required
def index() -> str:
    """Which institutions answer on time, and how late the others are."""
    card = _scorecard()
    link = url_for("requests.index")
    return render_template(
        "scorecards/index.html",
        card=card,
        institution_rows=card.part(
            "institution rows", lambda c: score_rows(c.institutions, link), link
        ),
        law_rows=card.part("law rows", lambda c: score_rows(c.laws)),
        range_args=_range_args(),
        received_from=_day("from"),
        received_to=_day("to"),
        source=_source(),
        project=_project(),
        tag=_tag(),
        projects=labels.projects_of(db.session(), current_user.newsroom_id),
        chart=_chart(card),
        exemptions=records_exemptions.by_institution(
            db.session(), current_user.newsroom_id, requests=_exemptions_scope()
        ),
    )


@bp.get("/days-late.svg")
@login_required
def chart() -> Response:
    """The chart of days late per institution, as an SVG file."""
    card = _scorecard()
    svg = _chart(card)
    # The rendered SVG as plain text after the declaration (Markup + str would escape it).
    document = '<?xml version="1.0" encoding="UTF-8"?>\n' + str(svg)
    response = Response(document, mimetype="image/svg+xml")
    if request.args.get("download"):
        response.headers["Content-Disposition"] = (
            f'attachment; filename="days-late-{card.today.isoformat()}.svg"'
        )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _csv(cards: service.Scorecards, kind: str) -> str:
    scores = cards.institutions if kind == "institutions" else cards.laws
    return write_csv(service.CSV_COLUMNS, (service.csv_row(s) for s in scores))


@bp.get("/<kind>.csv")
@login_required
def numbers(kind: str) -> Response:
    """The scorecard per institution (institutions.csv) or per law (laws.csv)."""
    if kind not in ("institutions", "laws"):
        abort(404)
    card = _scorecard()
    body = card.part("csv", lambda c: _csv(c, kind), kind)
    response = Response(body, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="scorecard-{kind}-{card.today.isoformat()}.csv"'
    )
    return response
