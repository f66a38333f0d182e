"""Scorecards brought up to date by recomputing only the institutions a change touched.

Every figure of a scorecard is a sum, a maximum or a median over the requests of one
institution or one law. A *group* holds a newsroom's requests of one (institution, law) pair:
their counts and two histograms (days to answer, days late: days -> requests). An
institution's score is its groups summed, a law's the groups of that law summed; the worst
delay is the histogram's highest day, a median is read from the summed histogram (the mean
of the two middle values, as ``statistics.median``, PostgreSQL's ``percentile_cont(0.5)``
and ``service.compute``).

A stored scorecard keeps its groups (``scorecard_snapshot.groups``). Each data revision
records which institutions it touched (``scorecard_change``, written by
``tracker.revisions.bump`` in the same transaction), so a scorecard whose revision is behind
is brought up to date by computing the groups of those institutions alone and keeping the
others: one request changed costs its institution's requests, not the newsroom's. Any
revision that cannot name its institutions (a bulk statement, an import of many), a gap in
the record, or another day, range or formula, and the scorecard is computed whole.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import clock, deadlines
from tracker.models import Institution
from tracker.scorecards import service
from tracker.scorecards.service import Score, Scorecards


@dataclass
class Group:
    """The figures of a newsroom's requests of one institution under one law."""

    institution_id: int
    law_code: str
    filed: int = 0
    answered: int = 0
    on_time: int = 0
    extended: int = 0
    complaints: int = 0
    well_founded: int = 0
    to_answer: dict[int, int] = field(default_factory=dict)
    late_by: dict[int, int] = field(default_factory=dict)


def groups(
    db: Session,
    newsroom_id: int,
    today: date,
    received_from: date | None = None,
    received_to: date | None = None,
    institutions: Collection[int] | None = None,
) -> list[Group]:
    """The groups of the newsroom's requests in scope (of some institutions only, or all)."""
    requests = service.scoped(
        newsroom_id, today, received_from, received_to, institutions=institutions
    )
    q = requests.c
    keys = (q.institution_id, q.law_code)
    found: dict[tuple[int, str], Group] = {}

    def group(institution_id: int, law_code: str) -> Group:
        key = (institution_id, law_code)
        if key not in found:
            found[key] = Group(institution_id, law_code)
        return found[key]

    answers = sa.select(*keys, q.to_answer, sa.func.count(), sa.func.sum(q.on_time)).group_by(
        *keys, q.to_answer
    )
    for institution_id, law_code, days, n, on_time in db.execute(answers):
        g = group(institution_id, law_code)
        g.filed += n
        g.on_time += int(on_time or 0)
        if days is not None:
            g.answered += n
            g.to_answer[int(days)] = n
    lateness = (
        sa.select(*keys, q.late_by, sa.func.count())
        .where(q.late_by.is_not(None))
        .group_by(*keys, q.late_by)
    )
    for institution_id, law_code, days, n in db.execute(lateness):
        group(institution_id, law_code).late_by[int(days)] = n
    extended = (
        sa.select(*keys, sa.func.count()).where(q.id.in_(service.extended_ids())).group_by(*keys)
    )
    for institution_id, law_code, n in db.execute(extended):
        group(institution_id, law_code).extended = n
    per_request = service.complaints_per_request()
    complaints = (
        sa.select(*keys, sa.func.sum(per_request.c.n), sa.func.sum(per_request.c.well_founded))
        .select_from(per_request)
        .join(requests, q.id == per_request.c.request_id)
        .group_by(*keys)
    )
    for institution_id, law_code, n, well_founded in db.execute(complaints):
        g = group(institution_id, law_code)
        g.complaints, g.well_founded = int(n or 0), int(well_founded or 0)
    return list(found.values())


def median(histogram: dict[int, int]) -> float | None:
    """The median of the values a histogram (value -> count) counts."""
    total = sum(histogram.values())
    if not total:
        return None
    middle: list[int] = []  # the lower middle value, then the upper one
    upto = 0
    for days in sorted(histogram):
        upto += histogram[days]
        if not middle and 2 * upto >= total:
            middle.append(days)
        if 2 * upto > total:
            middle.append(days)
            break
    return (middle[0] + middle[-1]) / 2.0


def _score(key: str, name: str, law_code: str, members: Iterable[Group]) -> Score:
    to_answer: dict[int, int] = defaultdict(int)
    late_by: dict[int, int] = defaultdict(int)
    filed = answered = on_time = extended = complaints = well_founded = 0
    for g in members:
        filed += g.filed
        answered += g.answered
        on_time += g.on_time
        extended += g.extended
        complaints += g.complaints
        well_founded += g.well_founded
        for days, n in g.to_answer.items():
            to_answer[days] += n
        for days, n in g.late_by.items():
            late_by[days] += n
    late = sum(late_by.values())
    return Score(
        key=key,
        name=name,
        law_code=law_code,
        filed=filed,
        answered=answered,
        judged=on_time + late,
        on_time=on_time,
        late=late,
        with_extension=extended,
        complaints=complaints,
        well_founded=well_founded,
        median_days_to_answer=median(to_answer),
        median_days_late=median(late_by),
        worst_days_late=max(late_by) if late_by else None,
    )


def cards(
    db: Session, all_groups: list[Group], today: date, computed_at: datetime | None = None
) -> Scorecards:
    """The scorecards per institution and per law summed from the groups (the institutions'
    names and laws read now)."""
    by_institution: dict[int, list[Group]] = defaultdict(list)
    by_law: dict[str, list[Group]] = defaultdict(list)
    for g in all_groups:
        if g.filed:
            by_institution[g.institution_id].append(g)
            by_law[g.law_code].append(g)
    names = {
        i: (name, law)
        for i, name, law in db.execute(
            sa.select(Institution.id, Institution.name, Institution.law_code).where(
                Institution.id.in_(sorted(by_institution))
            )
        )
    }
    institutions = [
        _score(str(i), names[i][0], names[i][1], members)
        for i, members in by_institution.items()
        if i in names
    ]
    laws = [_score(law, deadlines.LAWS[law].name, law, members) for law, members in by_law.items()]
    institutions.sort(key=lambda s: (s.name.lower(), s.key))
    laws.sort(key=lambda s: s.name.lower())
    return Scorecards(today, institutions, laws, computed_at or clock.now())


def encode(all_groups: list[Group]) -> str:
    """The groups as JSON text (kept beside a snapshot)."""
    return json.dumps(
        [
            [
                g.institution_id,
                g.law_code,
                g.filed,
                g.answered,
                g.on_time,
                g.extended,
                g.complaints,
                g.well_founded,
                sorted(g.to_answer.items()),
                sorted(g.late_by.items()),
            ]
            for g in all_groups
        ],
        separators=(",", ":"),
    )


def decode(text: str) -> list[Group]:
    """The groups kept as JSON text."""
    return [
        Group(i, law, filed, answered, on_time, extended, complaints, founded, dict(a), dict(b))
        for i, law, filed, answered, on_time, extended, complaints, founded, a, b in json.loads(
            text
        )
    ]


def updated(
    db: Session,
    newsroom_id: int,
    today: date,
    received_from: date | None,
    received_to: date | None,
    kept: list[Group],
    institutions: Collection[int],
) -> list[Group]:
    """The kept groups with those of ``institutions`` computed afresh."""
    touched = set(institutions)
    fresh = groups(db, newsroom_id, today, received_from, received_to, touched) if touched else []
    return [g for g in kept if g.institution_id not in touched] + fresh
