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
``tracker.core.revisions.bump`` in the same transaction), so a scorecard whose revision is behind
is brought up to date by computing the groups of those institutions alone and keeping the
others: one request changed costs its institution's requests, not the newsroom's. Any
revision that cannot name its institutions (a bulk statement, an import of many), a gap in
the record, or another day, range or formula, and the scorecard is computed whole.
"""

from __future__ import annotations

import base64
import json
import sys
from array import array
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core import clock
from tracker.core.models import Complaint, Extension, Institution
from tracker.scorecards import service
from tracker.scorecards.service import Score, Scorecards

# Up to this many institutions, ``groups`` looks up each request's extension and complaints
# by its id (``_few``); beyond, it reads those tables whole, as for the whole newsroom.
FEW = 16


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

    if institutions is not None and len(institutions) <= FEW:
        _few(db, requests, group)
        return list(found.values())
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


def _few(db: Session, requests: sa.Subquery, group: Callable[[int, str], Group]) -> None:
    """``groups`` of a few institutions (a change brought up to date): their requests read
    twice, not four times, through the institution's index; each request's extension and
    complaints looked up by its id (``service.compute`` and the whole-newsroom ``groups``
    read those tables whole, cheaper for every request of a newsroom, not for a few
    thousand). The same figures: a request counts once per (days to answer, days late)
    pair, with its on-time flag and whether an extension is in force; its complaints are
    counted one row each, as ``service.complaints_per_request`` counts them."""
    q = requests.c
    keys = (q.institution_id, q.law_code)
    extension = sa.exists().where(Extension.request_id == q.id, Extension.superseded.is_(False))
    histograms = sa.select(
        *keys,
        q.to_answer,
        q.late_by,
        sa.func.count(),
        sa.func.sum(q.on_time),
        sa.func.sum(sa.case((extension, 1), else_=0)),
    ).group_by(*keys, q.to_answer, q.late_by)
    for institution_id, law_code, to_answer, late_by, n, on_time, extended in db.execute(
        histograms
    ):
        g = group(institution_id, law_code)
        g.filed += n
        g.on_time += int(on_time or 0)
        g.extended += int(extended or 0)
        if to_answer is not None:
            g.answered += n
            days = int(to_answer)
            g.to_answer[days] = g.to_answer.get(days, 0) + n
        if late_by is not None:
            days = int(late_by)
            g.late_by[days] = g.late_by.get(days, 0) + n
    complaints = (
        sa.select(
            *keys,
            sa.func.count(),
            sa.func.sum(sa.case((Complaint.finding == "well_founded", 1), else_=0)),
        )
        .select_from(requests.join(Complaint, Complaint.request_id == q.id))
        .where(Complaint.superseded.is_(False))
        .group_by(*keys)
    )
    for institution_id, law_code, n, well_founded in db.execute(complaints):
        g = group(institution_id, law_code)
        g.complaints, g.well_founded = int(n or 0), int(well_founded or 0)


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


def _names(db: Session, institution_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    return {
        i: (name, law)
        for i, name, law in db.execute(
            sa.select(Institution.id, Institution.name, Institution.law_code).where(
                Institution.id.in_(sorted(institution_ids))
            )
        )
    }


def _merged(
    law_code: str, members: Iterable[Group], sign: int = 1, into: Group | None = None
) -> Group:
    """The members' figures added to (or, ``sign`` -1, taken from) ``into`` or a new group."""
    total = into if into is not None else Group(0, law_code)
    for g in members:
        total.filed += sign * g.filed
        total.answered += sign * g.answered
        total.on_time += sign * g.on_time
        total.extended += sign * g.extended
        total.complaints += sign * g.complaints
        total.well_founded += sign * g.well_founded
        for mine, theirs in ((total.to_answer, g.to_answer), (total.late_by, g.late_by)):
            for days, n in theirs.items():
                left = mine.get(days, 0) + sign * n
                if left:
                    mine[days] = left
                else:
                    mine.pop(days, None)
    return total


def _sorted(institutions: list[Score], laws: list[Score]) -> None:
    institutions.sort(key=lambda s: (s.name.lower(), s.key))
    laws.sort(key=lambda s: s.name.lower())


def _pack(histogram: dict[int, int]) -> str:
    flat = array("q")
    for days in sorted(histogram):
        flat.extend((days, histogram[days]))
    if sys.byteorder == "big":
        flat.byteswap()
    return base64.b64encode(flat.tobytes()).decode("ascii")


def _unpack(text: str) -> dict[int, int]:
    flat = array("q")
    flat.frombytes(base64.b64decode(text))
    if sys.byteorder == "big":
        flat.byteswap()
    return dict(zip(flat[0::2], flat[1::2], strict=True))


def _row(g: Group) -> list[object]:
    return [
        g.institution_id,
        g.law_code,
        g.filed,
        g.answered,
        g.on_time,
        g.extended,
        g.complaints,
        g.well_founded,
        _pack(g.to_answer),
        _pack(g.late_by),
    ]


def _group(row: list[Any]) -> Group:
    """A stored group (a JSON array), its histograms decoded."""
    i, law, filed, answered, on_time, extended, complaints, founded, a, b = row
    return Group(
        int(i),
        str(law),
        int(filed),
        int(answered),
        int(on_time),
        int(extended),
        int(complaints),
        int(founded),
        _unpack(str(a)),
        _unpack(str(b)),
    )


def whole(
    db: Session, all_groups: list[Group], today: date, computed_at: datetime | None = None
) -> tuple[Scorecards, str]:
    """The scorecards summed from every group, and what to keep of them: each group and each
    law's sum, their histograms packed (``_pack``: read back without a Python object per
    day unless needed)."""
    by_institution: dict[int, list[Group]] = defaultdict(list)
    by_law: dict[str, list[Group]] = defaultdict(list)
    for g in all_groups:
        by_institution[g.institution_id].append(g)
        by_law[g.law_code].append(g)
    names = _names(db, by_institution)
    institutions = [
        _score(str(i), names[i][0], names[i][1], members)
        for i, members in by_institution.items()
        if i in names
    ]
    sums = {law: _merged(law, members) for law, members in by_law.items()}
    laws = [_score(law, deadlines.LAWS[law].name, law, [g]) for law, g in sums.items()]
    _sorted(institutions, laws)
    kept = {"groups": [_row(g) for g in all_groups], "laws": [_row(g) for g in sums.values()]}
    cards = Scorecards(today, institutions, laws, computed_at or clock.now())
    return cards, json.dumps(kept, separators=(",", ":"))


def brought_up_to_date(
    db: Session,
    newsroom_id: int,
    today: date,
    received_from: date | None,
    received_to: date | None,
    stored: Scorecards,
    kept_text: str,
    institutions: Collection[int],
    computed_at: datetime | None = None,
) -> tuple[Scorecards, str]:
    """A stored scorecard with the institutions in ``institutions`` computed afresh: their
    groups are read again; each law they count under gets its stored sum minus their old
    groups plus their new ones; every other institution and law keeps its stored score."""
    touched = set(institutions)
    kept = json.loads(kept_text)
    old = [_group(row) for row in kept["groups"] if row[0] in touched]
    fresh = groups(db, newsroom_id, today, received_from, received_to, touched) if touched else []
    affected = {g.law_code for g in old} | {g.law_code for g in fresh}
    sums = {row[1]: row for row in kept["laws"]}
    new_sums: dict[str, Group] = {}
    for law in affected:
        base = _group(sums[law]) if law in sums else Group(0, law)
        base.institution_id = 0
        _merged(law, [g for g in old if g.law_code == law], -1, base)
        _merged(law, [g for g in fresh if g.law_code == law], 1, base)
        if base.filed:
            new_sums[law] = base
    by_institution: dict[int, list[Group]] = defaultdict(list)
    for g in fresh:
        by_institution[g.institution_id].append(g)
    names = _names(db, by_institution)
    institutions_ = [s for s in stored.institutions if int(s.key) not in touched] + [
        _score(str(i), names[i][0], names[i][1], members)
        for i, members in by_institution.items()
        if i in names
    ]
    laws = [s for s in stored.laws if s.key not in affected] + [
        _score(law, deadlines.LAWS[law].name, law, [g]) for law, g in new_sums.items()
    ]
    _sorted(institutions_, laws)
    rows = [row for row in kept["groups"] if row[0] not in touched] + [_row(g) for g in fresh]
    law_rows = [row for law, row in sums.items() if law not in affected] + [
        _row(g) for g in new_sums.values()
    ]
    cards = Scorecards(today, institutions_, laws, computed_at or clock.now())
    return cards, json.dumps({"groups": rows, "laws": law_rows}, separators=(",", ":"))
