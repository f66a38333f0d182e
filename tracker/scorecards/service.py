"""Scorecards per institution and per law, computed with SQL aggregates.

A request is *judged* once it is answered or its due date has passed unanswered: requests
still within their period, and requests closed without an answer before their due date, are
counted as filed but neither on time nor late. A request closed without an answer after its
due date is late, by the days up to its closing (state.clock_end). Days are calendar days (the primary measure in RULES.md).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from tracker import deadlines
from tracker.core import clock
from tracker.core.models import (
    Complaint,
    Extension,
    ImportBatch,
    ImportedRequest,
    InfoRequest,
    Institution,
)
from tracker.projects import service as labels


class days_between(FunctionElement[int]):
    """``later - earlier`` in whole days, in SQL, for SQLite and PostgreSQL."""

    type = sa.Integer()
    inherit_cache = True


@compiles(days_between)
def _days_between_default(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


@dataclass
class Score:
    """One line of a scorecard."""

    key: str  # institution id or law code
    name: str
    law_code: str
    filed: int
    answered: int
    judged: int  # answered, or due date passed unanswered
    on_time: int
    late: int
    with_extension: int
    complaints: int
    well_founded: int
    median_days_to_answer: float | None = None
    median_days_late: float | None = None
    worst_days_late: int | None = None

    @property
    def on_time_pct(self) -> float | None:
        """Share of judged requests answered by the due date, in percent."""
        return round(100 * self.on_time / self.judged, 1) if self.judged else None

    @property
    def extension_pct(self) -> float | None:
        """Share of filed requests with an extension in force, in percent."""
        return round(100 * self.with_extension / self.filed, 1) if self.filed else None


@dataclass
class Scorecards:
    """Scorecards per institution and per law, as of a day, and when they were computed."""

    today: date
    institutions: list[Score]
    laws: list[Score]
    computed_at: datetime


CSV_COLUMNS: tuple[str, ...] = (
    "name",
    "law_code",
    "filed",
    "answered",
    "judged",
    "on_time",
    "on_time_pct",
    "late",
    "median_days_to_answer",
    "median_days_late",
    "worst_days_late",
    "with_extension",
    "extension_pct",
    "complaints",
    "well_founded",
)


def csv_row(score: Score) -> list[Any]:
    """A score as a CSV line, in ``CSV_COLUMNS`` order."""
    return [
        score.name,
        score.law_code,
        score.filed,
        score.answered,
        score.judged,
        score.on_time,
        score.on_time_pct,
        score.late,
        score.median_days_to_answer,
        score.median_days_late,
        score.worst_days_late,
        score.with_extension,
        score.extension_pct,
        score.complaints,
        score.well_founded,
    ]


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def scoped(
    newsroom_id: int,
    today: date,
    received_from: date | None = None,
    received_to: date | None = None,
    import_id: int | None = None,
    institutions: Collection[int] | None = None,
    project_id: int | None = None,
    tag: str | None = None,
) -> sa.Subquery:
    """The newsroom's requests in scope (a received range, one import, some institutions),
    one row each, with what the scorecard counts of them: id, institution, law, days to
    answer, days late, answered on time (1 or 0)."""
    r = InfoRequest
    scope: list[ColumnElement[bool]] = [r.newsroom_id == newsroom_id]
    if received_from is not None:
        scope.append(r.received_on >= received_from)
    if received_to is not None:
        scope.append(r.received_on <= received_to)
    if import_id is not None:
        scope.append(
            r.id.in_(
                sa.select(ImportedRequest.request_id).where(ImportedRequest.import_id == import_id)
            )
        )
    if institutions is not None:
        scope.append(r.institution_id.in_(sorted(institutions)))
    if project_id is not None:
        scope.append(labels.in_project(project_id))
    if tag is not None:
        scope.append(labels.tagged(newsroom_id, tag))

    answered = r.responded_on.is_not(None)
    on_time = sa.and_(answered, r.responded_on <= r.due_on)
    # Unanswered past the due date is late (a deemed refusal); a request closed without an
    # answer (withdrawn, abandoned, ...) stopped its clock that day: late only if it was
    # already past due then, and counted to that day (state.clock_end, in SQL).
    today_ = sa.literal(today, sa.Date)
    until = sa.func.coalesce(r.responded_on, r.closed_on, today_)
    late_open = sa.and_(r.responded_on.is_(None), r.due_on < sa.func.coalesce(r.closed_on, today_))
    late = sa.or_(sa.and_(answered, r.responded_on > r.due_on), late_open)
    days_late = days_between(until, r.due_on)
    # The covering index ix_info_request_scorecard (migrations 0005, 0011) holds every column
    # read here.
    return (
        sa.select(
            r.id,
            r.institution_id,
            r.law_code,
            sa.case((answered, days_between(r.responded_on, r.received_on))).label("to_answer"),
            sa.case((late, days_late)).label("late_by"),
            sa.case((on_time, 1), else_=0).label("on_time"),
        )
        .where(*scope)
        .subquery("scoped")
    )


def compute(
    db: Session,
    newsroom_id: int,
    today: date,
    received_from: date | None = None,
    received_to: date | None = None,
    import_id: int | None = None,
    project_id: int | None = None,
    tag: str | None = None,
) -> Scorecards:
    """Scorecards of a newsroom's requests (optionally those received in a date range, or
    those one import brought).

    One statement, which returns one row per institution and one per law: the counts and the
    medians are computed by the database (see ``_by_percentiles`` and ``_by_histograms``).
    """
    computed_at = clock.now()
    requests = scoped(
        newsroom_id,
        today,
        received_from,
        received_to,
        import_id,
        project_id=project_id,
        tag=tag,
    )
    build = _by_percentiles if db.get_bind().dialect.name == "postgresql" else _by_histograms
    institutions: list[Score] = []
    laws: list[Score] = []
    for row in db.execute(build(requests)):
        institution_id, name, law_code, *values = row
        if institution_id is None:
            laws.append(_score(law_code, deadlines.LAWS[law_code].name, law_code, values))
        else:
            institutions.append(_score(str(institution_id), name, law_code, values))
    institutions.sort(key=lambda s: (s.name.lower(), s.key))
    laws.sort(key=lambda s: s.name.lower())
    return Scorecards(today, institutions, laws, computed_at)


# Both builders return rows of: institution id, name and law (institution rows), or NULL, NULL
# and the law (law rows); then filed, answered, on time, late, with an extension, complaints,
# well-founded complaints, worst days late, median days to answer, median days late.


def extended_ids() -> sa.Select[int]:
    return sa.select(Extension.request_id).where(Extension.superseded.is_(False))


def complaints_per_request() -> sa.Subquery:
    return (
        sa.select(
            Complaint.request_id,
            sa.func.count().label("n"),
            _count(Complaint.finding == "well_founded").label("well_founded"),
        )
        .where(Complaint.superseded.is_(False))
        .group_by(Complaint.request_id)
        .subquery("complaints_per_request")
    )


def _by_percentiles(requests: sa.Subquery) -> sa.Select[Any]:
    """PostgreSQL: one pass over the requests, grouped by institution and by law at once
    (GROUPING SETS), medians by ``percentile_cont(0.5)`` (the mean of the two middle values
    for an even count, as ``statistics.median``)."""
    q = requests.c
    complaints = complaints_per_request()
    grouped = (
        sa.select(
            q.institution_id,
            q.law_code,
            sa.func.count().label("filed"),
            sa.func.count(q.to_answer).label("answered"),
            sa.func.sum(q.on_time).label("on_time"),
            sa.func.count(q.late_by).label("late"),
            _count(q.id.in_(extended_ids())).label("extended"),
            sa.func.sum(complaints.c.n).label("complaints"),
            sa.func.sum(complaints.c.well_founded).label("well_founded"),
            sa.func.max(q.late_by).label("worst"),
            sa.func.percentile_cont(0.5).within_group(q.to_answer).label("to_answer"),
            sa.func.percentile_cont(0.5).within_group(q.late_by).label("late_by"),
        )
        .select_from(requests.outerjoin(complaints, complaints.c.request_id == q.id))
        .group_by(sa.func.grouping_sets(sa.tuple_(q.institution_id), sa.tuple_(q.law_code)))
        .subquery("grouped")
    )
    g = grouped.c
    return sa.select(
        g.institution_id,
        Institution.name,
        sa.func.coalesce(Institution.law_code, g.law_code),
        *[c for c in g if c.key not in ("institution_id", "law_code")],
    ).select_from(grouped.outerjoin(Institution, Institution.id == g.institution_id))


def _by_histograms(requests: sa.Subquery) -> sa.CompoundSelect:
    """SQLite (no percentile function): the requests are read twice, as histograms per
    institution and law -- every request by days to answer (NULL: unanswered), the late ones
    by days late. Counts, worst and medians per institution and per law are sums, maxima and
    running counts over those histograms (``_median_days``). Extensions (an IN list) and
    complaints (counted per request first, then joined by id) are read from their own tables:
    a join probing them once per request of the newsroom takes twice as long."""
    q = requests.c
    keys = (q.institution_id, q.law_code)
    answers = (
        sa.select(
            *keys,
            q.to_answer.label("days"),
            sa.func.count().label("n"),
            sa.func.sum(q.on_time).label("on_time"),
        )
        .group_by(*keys, q.to_answer)
        .cte("answers")
    )
    lateness = (
        sa.select(*keys, q.late_by.label("days"), sa.func.count().label("n"))
        .where(q.late_by.is_not(None))
        .group_by(*keys, q.late_by)
        .cte("lateness")
    )
    extended = (
        sa.select(*keys, sa.func.count().label("n"))
        .where(q.id.in_(extended_ids()))
        .group_by(*keys)
        .cte("extended")
    )
    per_request = complaints_per_request()
    complaints = (
        sa.select(
            *keys,
            sa.func.sum(per_request.c.n).label("n"),
            sa.func.sum(per_request.c.well_founded).label("well_founded"),
        )
        .select_from(per_request)
        .join(requests, q.id == per_request.c.request_id)
        .group_by(*keys)
        .cte("complaints")
    )

    def per(key: str) -> tuple[sa.FromClause, list[ColumnElement[Any]]]:
        """The figures summed to one key column and joined on it; the key, then the figures."""

        def rolled_up(source: sa.CTE, *figures: ColumnElement[Any]) -> sa.Subquery:
            """A per-(institution, law) table's figures, summed to the key."""
            return sa.select(source.c[key], *figures).group_by(source.c[key]).subquery()

        totals = rolled_up(
            answers,
            sa.func.sum(answers.c.n).label("filed"),
            sa.func.sum(sa.case((answers.c.days.is_not(None), answers.c.n), else_=0)).label(
                "answered"
            ),
            sa.func.sum(answers.c.on_time).label("on_time"),
        )
        late = rolled_up(
            lateness,
            sa.func.sum(lateness.c.n).label("late"),
            sa.func.max(lateness.c.days).label("worst"),
        )
        extensions = rolled_up(extended, sa.func.sum(extended.c.n).label("n"))
        filed_complaints = rolled_up(
            complaints,
            sa.func.sum(complaints.c.n).label("n"),
            sa.func.sum(complaints.c.well_founded).label("well_founded"),
        )
        to_answer = _median_days(answers, key)
        late_by = _median_days(lateness, key)
        joined: sa.FromClause = totals
        for part in (late, extensions, filed_complaints, to_answer, late_by):
            joined = joined.outerjoin(part, part.c[key] == totals.c[key])
        return joined, [
            totals.c[key],
            totals.c.filed,
            totals.c.answered,
            totals.c.on_time,
            late.c.late,
            extensions.c.n,
            filed_complaints.c.n,
            filed_complaints.c.well_founded,
            late.c.worst,
            to_answer.c.median,
            late_by.c.median,
        ]

    by_institution, (institution_id, *institution_figures) = per("institution_id")
    by_law, (law_code, *law_figures) = per("law_code")
    return sa.union_all(
        sa.select(
            Institution.id, Institution.name, Institution.law_code, *institution_figures
        ).select_from(by_institution.join(Institution, Institution.id == institution_id)),
        sa.select(
            sa.cast(sa.null(), sa.Integer), sa.cast(sa.null(), sa.String), law_code, *law_figures
        ).select_from(by_law),
    )


def _median_days(histogram: sa.CTE, key: str) -> sa.Subquery:
    """Median of ``days`` per ``key`` from a histogram (``key``, ``days``, ``n``), in SQL.

    The counts are summed per key and day (NULL days left out), then a running count in day
    order finds the middle: the lower middle value is the first day whose running count
    reaches half the total (2 * upto >= total), the upper one the first that passes it
    (2 * upto > total). For an odd total both are the middle value; their mean is what
    ``statistics.median`` gives for the same values.
    """
    k, days = histogram.c[key], histogram.c.days
    per_day = (
        sa.select(k, days, sa.func.sum(histogram.c.n).label("n"))
        .where(days.is_not(None))
        .group_by(k, days)
        .subquery()
    )
    running = sa.select(
        per_day.c[key],
        per_day.c.days,
        sa.func.sum(per_day.c.n)
        .over(partition_by=per_day.c[key], order_by=per_day.c.days, rows=(None, 0))
        .label("upto"),
        sa.func.sum(per_day.c.n).over(partition_by=per_day.c[key]).label("total"),
    ).subquery()
    lower = sa.func.min(sa.case((2 * running.c.upto >= running.c.total, running.c.days)))
    upper = sa.func.min(sa.case((2 * running.c.upto > running.c.total, running.c.days)))
    return (
        sa.select(running.c[key], ((lower + upper) / 2.0).label("median"))
        .group_by(running.c[key])
        .subquery()
    )


def _score(key: str, name: str, law_code: str, values: list[Any]) -> Score:
    filed, answered, on_time, late, extended, complaints, founded, worst, to_answer, late_by = (
        values
    )
    on_time, late = int(on_time or 0), int(late or 0)
    return Score(
        key=key,
        name=name,
        law_code=law_code,
        filed=int(filed),
        answered=int(answered or 0),
        judged=on_time + late,
        on_time=on_time,
        late=late,
        with_extension=int(extended or 0),
        complaints=int(complaints or 0),
        well_founded=int(founded or 0),
        median_days_to_answer=float(to_answer) if to_answer is not None else None,
        median_days_late=float(late_by) if late_by is not None else None,
        worst_days_late=int(worst) if worst is not None else None,
    )


def import_sources(db: Session, newsroom_id: int) -> list[ImportBatch]:
    """The newsroom's imports, newest first: the sources a scorecard can be restricted to."""
    return list(
        db.scalars(
            sa.select(ImportBatch)
            .where(ImportBatch.newsroom_id == newsroom_id)
            .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
        )
    )
