"""Scorecards per institution and per law, computed with SQL aggregates.

A request is *judged* once it is answered or its due date has passed unanswered: requests
still within their period, and requests withdrawn before an answer, are counted as filed but
neither on time nor late. Days are calendar days (the primary measure in RULES.md).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from tracker import deadlines
from tracker.models import Complaint, Extension, InfoRequest, Institution


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
    """Scorecards per institution and per law, as of a day."""

    today: date
    institutions: list[Score]
    laws: list[Score]


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


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def compute(
    db: Session,
    newsroom_id: int,
    today: date,
    received_from: date | None = None,
    received_to: date | None = None,
) -> Scorecards:
    """Scorecards of a newsroom's requests (optionally those received in a date range)."""
    r = InfoRequest
    scope: list[ColumnElement[bool]] = [r.newsroom_id == newsroom_id]
    if received_from is not None:
        scope.append(r.received_on >= received_from)
    if received_to is not None:
        scope.append(r.received_on <= received_to)

    answered = r.responded_on.is_not(None)
    on_time = sa.and_(answered, r.responded_on <= r.due_on)
    # Unanswered past the due date is late (a deemed refusal) unless withdrawn ("closed").
    late_open = sa.and_(r.responded_on.is_(None), r.due_on < today, r.status != "closed")
    late = sa.or_(sa.and_(answered, r.responded_on > r.due_on), late_open)
    days_late = days_between(sa.func.coalesce(r.responded_on, sa.literal(today, sa.Date)), r.due_on)
    extended = sa.select(Extension.request_id).where(Extension.superseded.is_(False)).distinct()
    complaint_counts = (
        sa.select(
            Complaint.request_id,
            sa.func.count().label("n"),
            sa.func.sum(sa.case((Complaint.finding == "well_founded", 1), else_=0)).label(
                "well_founded"
            ),
        )
        .where(Complaint.superseded.is_(False))
        .group_by(Complaint.request_id)
        .subquery()
    )

    def count(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    aggregates = (
        sa.func.count(r.id),
        count(answered),
        count(sa.or_(on_time, late)),
        count(on_time),
        count(late),
        count(r.id.in_(extended)),
        sa.func.coalesce(sa.func.sum(complaint_counts.c.n), 0),
        sa.func.coalesce(sa.func.sum(complaint_counts.c.well_founded), 0),
        sa.func.max(sa.case((late, days_late))),
    )

    def scores(keys: list[Any]) -> list[tuple[Any, ...]]:
        query = (
            sa.select(*keys, *aggregates)
            .select_from(r)
            .join(Institution, Institution.id == r.institution_id)
            .outerjoin(complaint_counts, complaint_counts.c.request_id == r.id)
            .where(*scope)
            .group_by(*keys)
        )
        return [tuple(row) for row in db.execute(query)]

    # Medians over one column each, in Python (SQLite has no percentile function).
    to_answer: dict[tuple[str, Any], list[int]] = defaultdict(list)
    lateness: dict[tuple[str, Any], list[int]] = defaultdict(list)
    for inst_id, law_code, answer_days, late_days, is_late in db.execute(
        sa.select(
            r.institution_id,
            r.law_code,
            sa.case((answered, days_between(r.responded_on, r.received_on))),
            days_late,
            sa.case((late, 1), else_=0),
        ).where(*scope)
    ):
        for key in (("institution", inst_id), ("law", law_code)):
            if answer_days is not None:
                to_answer[key].append(int(answer_days))
            if is_late:
                lateness[key].append(int(late_days))

    def make(kind: str, key: Any, name: str, law_code: str, values: tuple[Any, ...]) -> Score:
        filed, n_answered, judged, n_on_time, n_late, extended_n, complaints, founded, worst = (
            values
        )
        return Score(
            key=str(key),
            name=name,
            law_code=law_code,
            filed=int(filed),
            answered=int(n_answered),
            judged=int(judged),
            on_time=int(n_on_time),
            late=int(n_late),
            with_extension=int(extended_n),
            complaints=int(complaints),
            well_founded=int(founded),
            median_days_to_answer=_median(to_answer[(kind, key)]),
            median_days_late=_median(lateness[(kind, key)]),
            worst_days_late=int(worst) if worst is not None else None,
        )

    institutions = [
        make("institution", row[0], row[1], row[2], row[3:])
        for row in scores([Institution.id, Institution.name, Institution.law_code])
    ]
    laws = [
        make("law", row[0], deadlines.LAWS[row[0]].name, row[0], row[1:])
        for row in scores([r.law_code])
    ]
    institutions.sort(key=lambda s: (s.name.lower(), s.key))
    laws.sort(key=lambda s: s.name.lower())
    return Scorecards(today=today, institutions=institutions, laws=laws)
