"""Computed scorecards, kept and served again only while they are exactly right.

A scorecard depends on the newsroom's data, on the day (a request is judged once its due date
has passed), on the received range, and on the code that computes it. A snapshot stores the
figures with all four: the newsroom's data revision (tracker.core.revisions), the day, the range,
and ``formula()``, a fingerprint of that code. It is served only when all four are today's;
otherwise the scorecard is computed live and stored for the next view (and the scheduler
refreshes each newsroom's all-time scorecard, so the first view of a day is fast too).

The revision is read *before* the figures are computed. A write committed in between leaves
the snapshot tagged with the older revision, which the newsroom never has again: it is never
served. (Reading it after could tag figures that miss the write with the newer revision.)
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core import clock
from tracker.core.db import affected
from tracker.core.models import DataRevision, Newsroom, ScorecardChange, ScorecardSnapshot
from tracker.scorecards import incremental, service
from tracker.scorecards.service import Score, Scorecards

log = logging.getLogger("tracker.scorecards")

# How an open end of the received range is stored (see ScorecardSnapshot).
OPEN_FROM, OPEN_TO = date.min, date.max


@functools.cache
def formula() -> str:
    """A fingerprint of the code behind a snapshot: the computation and its storage (this
    module and service.py) and the laws' names. A deployment that changes any of them makes
    every stored snapshot stale instead of serving figures the new code would not give."""
    digest = hashlib.sha256()
    for module in (service.__file__, incremental.__file__, __file__):
        digest.update(Path(module).read_bytes())
    names = sorted((code, law.name) for code, law in deadlines.LAWS.items())
    digest.update(json.dumps(names).encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Stored:
    """A stored scorecard that is valid now, before its figures are decoded.

    ``identity`` names exactly the figures in ``payload`` (the newsroom, the range, the day,
    the revision, the formula and when they were computed): what is rendered from them may be
    kept under it (tracker.scorecards.rendered) and reused without decoding them again."""

    identity: tuple[Any, ...]
    day: date
    computed_at: datetime
    payload: str

    def cards(self) -> Scorecards:
        """The figures, decoded."""
        return _decode(self.payload, self.day, self.computed_at)


def identity(
    newsroom_id: int,
    day: date,
    received_from: date | None,
    received_to: date | None,
    revision: int,
    computed_at: datetime,
) -> tuple[Any, ...]:
    """What names a scorecard's figures exactly (see ``Stored``)."""
    return (
        newsroom_id,
        received_from or OPEN_FROM,
        received_to or OPEN_TO,
        day,
        revision,
        formula(),
        computed_at,
    )


@functools.cache
def _find_statement() -> sa.Select[Any]:
    """``find``'s statement, built once (its values are bound parameters)."""
    s = ScorecardSnapshot
    newsroom_id = sa.bindparam("newsroom_id", type_=sa.Integer)
    key = [
        s.newsroom_id == newsroom_id,
        s.received_from == sa.bindparam("received_from", type_=sa.Date),
        s.received_to == sa.bindparam("received_to", type_=sa.Date),
        s.day == sa.bindparam("day", type_=sa.Date),
    ]
    current = (
        sa.select(sa.func.coalesce(sa.func.max(DataRevision.revision), 0))
        .where(DataRevision.newsroom_id == newsroom_id)
        .scalar_subquery()
    )
    one = sa.select(sa.literal(1).label("one")).subquery()
    return sa.select(
        current, s.revision, s.formula, s.computed_at, sa.cast(s.payload, sa.Text)
    ).select_from(one.outerjoin(s, sa.and_(*key)))


def find(
    db: Session,
    newsroom_id: int,
    day: date,
    received_from: date | None = None,
    received_to: date | None = None,
) -> tuple[int, Stored | None]:
    """The newsroom's revision now, and the stored scorecard if it is valid (else None), its
    figures not yet decoded.

    One statement: the revision and the snapshot side by side (a row even without one). The
    payload is read as text (not through the JSON type) so a view that has what it renders
    from it already never decodes it."""
    row = (
        db.connection()
        .execute(
            _find_statement(),
            {
                "newsroom_id": newsroom_id,
                "received_from": received_from or OPEN_FROM,
                "received_to": received_to or OPEN_TO,
                "day": day,
            },
        )
        .one()
    )
    current, revision, stored_formula, computed_at, payload = row
    if revision != current or stored_formula != formula():
        return int(current), None
    name = identity(newsroom_id, day, received_from, received_to, int(revision), computed_at)
    return int(current), Stored(name, day, computed_at, payload)


def _encode(cards: Scorecards) -> dict[str, Any]:
    # A Score holds numbers and strings only: its fields copied are what ``asdict`` gives,
    # without its deep copy of each (a tenth of the time for a few hundred scores).
    return {
        "institutions": [dict(vars(s)) for s in cards.institutions],
        "laws": [dict(vars(s)) for s in cards.laws],
    }


def _decode(payload: str, day: date, computed_at: datetime) -> Scorecards:
    data = json.loads(payload)
    return Scorecards(
        day,
        [Score(**s) for s in data["institutions"]],
        [Score(**s) for s in data["laws"]],
        computed_at,
    )


def store(
    db: Session,
    newsroom_id: int,
    cards: Scorecards,
    revision: int,
    received_from: date | None = None,
    received_to: date | None = None,
    groups: str | None = None,
) -> bool:
    """Keep a computed scorecard (with its ``groups``, see tracker.scorecards.incremental) (replacing an older one for the same day and range) and
    commit; True if stored. Two workers storing at once is no error: the upsert keeps the
    higher revision. A failure to store is logged and leaves the figures to be shown."""
    table = ScorecardSnapshot.__table__
    insert = (
        postgresql.insert(table)
        if db.get_bind().dialect.name == "postgresql"
        else sqlite.insert(table)
    )
    values = {
        "newsroom_id": newsroom_id,
        "received_from": received_from or OPEN_FROM,
        "received_to": received_to or OPEN_TO,
        "day": cards.today,
        "revision": revision,
        "formula": formula(),
        "computed_at": cards.computed_at,
        "payload": _encode(cards),
        "groups": groups,
    }
    updated = {
        k: insert.excluded[k] for k in ("revision", "formula", "computed_at", "payload", "groups")
    }
    statement = insert.values(values).on_conflict_do_update(
        index_elements=["newsroom_id", "received_from", "received_to", "day"],
        set_=updated,
        where=table.c.revision <= insert.excluded.revision,
    )
    try:
        db.execute(statement)
        db.commit()
    except sa.exc.SQLAlchemyError as exc:
        db.rollback()
        log.warning("scorecard of newsroom %s not stored: %s", newsroom_id, exc)
        return False
    return True


def prune(db: Session, oldest_day: date) -> int:
    """Delete the snapshots of days before ``oldest_day`` and of an older formula, and the
    change records no kept snapshot can use; return how many snapshots. A snapshot of an
    older revision is kept while its day is current: it is never served, but it is what the
    next view brings up to date (tracker.scorecards.incremental)."""
    s = ScorecardSnapshot
    deleted = db.execute(sa.delete(s).where(sa.or_(s.day < oldest_day, s.formula != formula())))
    c = ScorecardChange
    oldest_kept = sa.func.coalesce(
        sa.select(sa.func.min(s.revision)).where(s.newsroom_id == c.newsroom_id).scalar_subquery(),
        sa.select(DataRevision.revision)
        .where(DataRevision.newsroom_id == c.newsroom_id)
        .scalar_subquery(),
    )
    db.execute(sa.delete(c).where(c.revision <= oldest_kept))
    db.commit()
    return affected(deleted)


def _touched(db: Session, newsroom_id: int, since: int, upto: int) -> set[int] | None:
    """The institutions the revisions after ``since`` up to ``upto`` touched; None when one
    of them touched any or all, or is not recorded."""
    if upto == since:
        return set()
    c = ScorecardChange
    rows = db.execute(
        sa.select(c.revision, c.institution_id).where(
            c.newsroom_id == newsroom_id, c.revision > since, c.revision <= upto
        )
    ).all()
    if {r for r, _ in rows} != set(range(since + 1, upto + 1)):
        return None
    touched = {i for _, i in rows if i is not None}
    return None if len(touched) < len({i for _, i in rows}) else touched


def up_to_date(
    db: Session,
    newsroom_id: int,
    day: date,
    revision: int,
    received_from: date | None = None,
    received_to: date | None = None,
) -> tuple[Scorecards, str]:
    """The figures at ``revision`` (read before this is called), with their groups: the
    stored snapshot of the same day and range brought up to date by recomputing only the
    institutions changed since (``scorecard_change``), or computed whole when that cannot be
    done."""
    computed_at = clock.now()
    s = ScorecardSnapshot
    base = db.execute(
        sa.select(
            s.revision, s.formula, s.groups, s.computed_at, sa.cast(s.payload, sa.Text)
        ).where(
            s.newsroom_id == newsroom_id,
            s.received_from == (received_from or OPEN_FROM),
            s.received_to == (received_to or OPEN_TO),
            s.day == day,
        )
    ).first()
    if (
        base is not None
        and base.groups is not None
        and base.formula == formula()
        and base.revision <= revision
    ):
        touched = _touched(db, newsroom_id, int(base.revision), revision)
        if touched is not None:
            stored = _decode(base[4], day, base.computed_at)
            return incremental.brought_up_to_date(
                db,
                newsroom_id,
                day,
                received_from,
                received_to,
                stored,
                base.groups,
                touched,
                computed_at,
            )
    every = incremental.groups(db, newsroom_id, day, received_from, received_to)
    return incremental.whole(db, every, day, computed_at)


def refresh(db: Session, default_tz: str) -> tuple[int, int]:
    """Compute and store the all-time scorecard of every newsroom whose stored one is not
    valid for its today (its data changed, or the day), and the one of its tomorrow, then
    prune; (refreshed, pruned).

    Tomorrow's is the same computation with tomorrow as the day (a request is judged by the
    day, not by when it is computed): at midnight it is already stored, so the day's first
    view is a stored read instead of a computation of the newsroom whole. It is served only
    if the data did not change since (its revision); if it did, the view or the next run
    brings it up to date from it, institution by institution."""
    refreshed = 0
    newsrooms = db.execute(sa.select(Newsroom.id, Newsroom.timezone).order_by(Newsroom.id)).all()
    days = [clock.today(default_tz)]
    for newsroom_id, tz in newsrooms:
        today = clock.today(tz or default_tz)
        days.append(today)
        for day in (today, today + timedelta(days=1)):
            revision, stored = find(db, newsroom_id, day)
            if stored is None:
                cards, groups = up_to_date(db, newsroom_id, day, revision)
                refreshed += store(db, newsroom_id, cards, revision, groups=groups)
    db.commit()
    # Yesterday's are kept: a reader in another time zone may still be on that day.
    return refreshed, prune(db, min(days) - timedelta(days=1))
