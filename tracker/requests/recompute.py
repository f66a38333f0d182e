"""Recompute the stored dates of requests computed under other deadline rules.

Each request stores the fingerprint of the rules that computed its derived columns
(``service.store_state``). When the rules or the holiday data change, this walks every request
whose fingerprint differs (NULL included) in batches of ids, derives its state again with the
current rules, reports each column that moved with the reason the explanation gives, and
stores the new state with the current fingerprint. A batch is one transaction: a run stopped
half-way resumes where it stopped, and memory stays flat at any number of requests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core import clock, revisions
from tracker.core.models import InfoRequest, Institution, Newsroom, TimelineEvent
from tracker.language.i18n import _
from tracker.requests import service
from tracker.requests.state import EventFact, RequestState, derive_state, stopped_days_late

log = logging.getLogger("tracker.recompute")

BATCH_SIZE = 1000  # ids a batch covers (and so at most the requests it holds)
# Explanation steps that say how the due date was reached, in the words of the page.
_WHY_STEPS = ("Extension", "Pause", "Count", "Roll")


@dataclass(frozen=True)
class Move:
    """One stored column of one request that the current rules change."""

    request_id: int
    field: str
    old: date | str | int | None
    new: date | str | int | None
    why: str

    def line(self) -> str:
        """The move as one tab-separated line: request, column, old -> new, why."""
        old = "-" if self.old is None else str(self.old)
        new = "-" if self.new is None else str(self.new)
        return f"request {self.request_id}\t{self.field}\t{old} -> {new}\t{self.why}"


@dataclass
class Summary:
    """What a run found: requests with an old fingerprint, and how many of them moved."""

    fingerprint: str
    dry_run: bool = False
    checked: int = 0
    moved_requests: int = 0
    moves: int = 0
    failed: int = 0  # the engine refused them (e.g. a date outside the holiday data)

    def line(self) -> str:
        """The closing line of the command."""
        figures = {
            "checked": self.checked,
            "moved": self.moved_requests,
            "moves": self.moves,
            "unchanged": self.checked - self.moved_requests - self.failed,
        }
        if self.dry_run:
            line = _(
                "%(checked)s request(s) computed under other rules; %(moved)s would be moved "
                "(%(moves)s date(s) or status(es) changed), %(unchanged)s unchanged",
                **figures,
            )
        else:
            line = _(
                "%(checked)s request(s) computed under other rules; %(moved)s were moved "
                "(%(moves)s date(s) or status(es) changed), %(unchanged)s unchanged",
                **figures,
            )
        if self.failed:
            line += _(", %(num)s failed (left as they were)", num=self.failed)
        line += _("; rules %(fingerprint)s", fingerprint=self.fingerprint)
        if self.dry_run:
            line += _(" (dry run: nothing written)")
        return line


def _stale(current: str) -> sa.ColumnElement[bool]:
    return sa.or_(InfoRequest.rules_fingerprint.is_(None), InfoRequest.rules_fingerprint != current)


def _status(stored: str, derived: str) -> str:
    # A request that became overdue is left to the overdue sweep, which flags it with its
    # deemed-refusal entry and alert (it runs right after, in the scheduler or `sweep`).
    if stored == "awaiting" and derived == "overdue":
        return stored
    return derived


def _why_due(request: _Request, state: RequestState) -> str:
    explanation = state.explanation or deadlines.explain(
        request.law_code,
        state.clock_start,
        extension_days=state.extension_days,
        province=service.province_of(request),
        pauses=state.pauses,
    )
    texts = [s.text for s in explanation.steps if s.label in _WHY_STEPS]
    if not texts:
        texts = [explanation.as_text().splitlines()[0]]
    if state.received_later_on is not None:
        # Issue 22: an e-mailed request's due date counts from the later reading.
        texts.insert(
            0,
            f"counted from the later reading of the e-mailed request's received date, "
            f"{state.received_later_on.isoformat()} (received_on {request.received_on.isoformat()} "
            "is the earlier one, for the complaint window).",
        )
    return "current rules: " + " ".join(texts)


def _why_complaint(request: _Request, state: RequestState) -> str:
    law = deadlines.LAWS[request.law_code]
    window = law.complaint_window
    if state.complaint_due_on is None or window is None:
        return f"current rules: {law.complaint_body}, no time limit counted"
    trigger = state.complaint_trigger or "trigger"
    start = state.responded_on if trigger == "response" else state.reporter_due_on
    return (
        f"current rules: {window.length} {window.unit} days ({law.cite(window.section)}) "
        f"counted from the {trigger} ({start.isoformat() if start else '-'})"
    )


def _moves(request: _Request, state: RequestState, status: str) -> list[Move]:
    new: dict[str, Any] = {
        "due_on": state.due_on,
        "complaint_due_on": state.complaint_due_on,
        "status": status,
        "responded_on": state.responded_on,
        "closed_on": state.closed_on,
        "days_late_stopped": stopped_days_late(state.due_on, state.responded_on, state.closed_on),
    }
    moves = []
    for name in (*service.DERIVED_COLUMNS, "days_late_stopped"):
        old = getattr(request, name)
        if old == new[name]:
            continue
        if name == "due_on":
            why = _why_due(request, state)
        elif name == "complaint_due_on":
            why = _why_complaint(request, state)
        elif name == "status":
            why = f"derived from the timeline with the due date {state.due_on.isoformat()}"
        else:
            why = "derived from the timeline"
        moves.append(Move(request.id, name, old, new[name], why))
    return moves


@dataclass(slots=True)
class _Institution:
    province: str | None


@dataclass(slots=True)
class _Request:
    """A request as ``_state_of`` reads it, from plain rows (no ORM objects: loading them
    took half the time of a run)."""

    id: int
    newsroom_id: int
    law_code: str
    received_on: date
    received_later_on: date | None
    status: str
    due_on: date
    complaint_due_on: date | None
    responded_on: date | None
    closed_on: date | None
    days_late_stopped: int | None
    institution: _Institution
    events: list[EventFact] = field(default_factory=list)


def _state_of(request: _Request, today: date) -> RequestState:
    # service.state_of() for a request read from plain rows, its timeline already as facts.
    return derive_state(
        request.law_code,
        service.province_of(request),
        request.received_on,
        request.events,
        today,
        received_later_on=request.received_later_on,
    )


def _batch(db: Session, low: int, high: int, current: str, lock: bool) -> list[_Request]:
    """The requests with ids in (low, high] still under other rules, with their timelines,
    in id order."""
    # A range of ids, not "the next 500 stale ones": when most requests are current, the
    # planner reads "WHERE stale ORDER BY id LIMIT n" as a scan of the whole table (PostgreSQL:
    # 75-180 ms a batch at 100,000 requests); a range is a walk of the primary key.
    where = (InfoRequest.id > low, InfoRequest.id <= high, _stale(current))
    if lock:
        # A reporter's edit of the same request waits for this batch instead of being
        # overwritten by a state derived before it.
        db.execute(sa.select(InfoRequest.id).where(*where).with_for_update()).all()
    rows = db.execute(
        sa.select(
            InfoRequest.id,
            InfoRequest.newsroom_id,
            InfoRequest.law_code,
            InfoRequest.received_on,
            InfoRequest.received_later_on,
            InfoRequest.status,
            InfoRequest.due_on,
            InfoRequest.complaint_due_on,
            InfoRequest.responded_on,
            InfoRequest.closed_on,
            InfoRequest.days_late_stopped,
            Institution.province,
        )
        .join(Institution, Institution.id == InfoRequest.institution_id)
        .where(*where)
        .order_by(InfoRequest.id)
    )
    requests = {
        row.id: _Request(
            id=row.id,
            newsroom_id=row.newsroom_id,
            law_code=row.law_code,
            received_on=row.received_on,
            received_later_on=row.received_later_on,
            status=row.status,
            due_on=row.due_on,
            complaint_due_on=row.complaint_due_on,
            responded_on=row.responded_on,
            closed_on=row.closed_on,
            days_late_stopped=row.days_late_stopped,
            institution=_Institution(row.province),
        )
        for row in rows
    }
    events = db.execute(
        sa.select(
            TimelineEvent.request_id,
            TimelineEvent.id,
            TimelineEvent.kind,
            TimelineEvent.occurred_on,
            TimelineEvent.corrects_id,
            TimelineEvent.details,
        )
        .where(TimelineEvent.request_id.in_(list(requests)))
        .order_by(TimelineEvent.request_id, TimelineEvent.occurred_on, TimelineEvent.id)
    )
    for request_id, event_id, kind, occurred_on, corrects_id, details in events:
        requests[request_id].events.append(
            EventFact(event_id, kind, occurred_on, corrects_id, details or {})
        )
    return list(requests.values())


# A run that rewrites at least this many requests refreshes the table's statistics.
ANALYZE_AFTER = 10_000


def recompute_stale(
    db: Session,
    default_tz: str,
    *,
    dry_run: bool = False,
    batch_size: int | None = None,
    report: Callable[[Move], None] | None = None,
    refused: Callable[[int, str], None] | None = None,
    after_batch: Callable[[], None] | None = None,
) -> Summary:
    """Recompute every request whose stored rules fingerprint is not the current one; call
    ``report`` with each column that moves (and ``refused`` with each request the engine
    refuses, which keeps its old fingerprint), or else log them; with ``dry_run`` write
    nothing."""
    current = deadlines.rules_fingerprint()
    summary = Summary(fingerprint=current, dry_run=dry_run)
    batch_size = batch_size or BATCH_SIZE
    todays = {
        newsroom_id: clock.today(tz or default_tz)
        for newsroom_id, tz in db.execute(sa.select(Newsroom.id, Newsroom.timezone))
    }
    lock = not dry_run and db.get_bind().dialect.name == "postgresql"
    first, last = db.execute(
        sa.select(sa.func.min(InfoRequest.id), sa.func.max(InfoRequest.id))
    ).one()
    # Requests created meanwhile (ids past ``last``) are stored under the current rules.
    for low in range((first or 1) - 1, last or 0, batch_size):
        requests = _batch(db, low, low + batch_size, current, lock)
        if not requests:
            continue
        unchanged: list[int] = []
        moved: dict[int, tuple[RequestState, str]] = {}
        for request in requests:
            summary.checked += 1
            today = todays.get(request.newsroom_id) or clock.today(default_tz)
            try:
                state = _state_of(request, today)
            except ValueError as exc:
                summary.failed += 1
                log.error("recompute-deadlines: request %d: %s", request.id, exc)
                if refused is not None:
                    refused(request.id, str(exc))
                continue
            status = _status(request.status, state.status)
            moves = _moves(request, state, status)
            if not moves:
                unchanged.append(request.id)
                continue
            summary.moved_requests += 1
            summary.moves += len(moves)
            moved[request.id] = (state, status)
            for move in moves:
                if report is None:  # a command prints them instead
                    log.info("recompute-deadlines: %s", move.line())
                else:
                    report(move)
        if dry_run:
            db.rollback()
        else:
            _store(db, current, moved, unchanged)
            db.commit()
        db.expunge_all()
        if after_batch is not None:
            after_batch()
    if not dry_run and summary.checked >= ANALYZE_AFTER:
        # Every checked row was written (its fingerprint at least): the planner's statistics
        # of the table no longer describe it. Measured on PostgreSQL at 100,000 requests
        # after `db upgrade` recomputed them all: a search for a file number walked the
        # list's order (235 ms) until ANALYZE, then read its trigram indexes (20 ms).
        db.execute(sa.text("ANALYZE info_request"))
        db.commit()
    log.log(
        logging.INFO if summary.checked else logging.DEBUG,
        "recompute-deadlines: %s",
        summary.line(),
    )
    return summary


def _store(
    db: Session, current: str, moved: dict[int, tuple[RequestState, str]], unchanged: list[int]
) -> None:
    if moved:
        # Through the ORM and service.store_state, like every other write of these columns
        # (updated_at and the newsroom's data revision follow).
        for request in db.scalars(sa.select(InfoRequest).where(InfoRequest.id.in_(list(moved)))):
            service.store_state(request, *moved[request.id])
    if unchanged:
        # Only the fingerprint: updated_at is kept and no figure changes.
        db.execute(
            sa.update(InfoRequest)
            .where(InfoRequest.id.in_(unchanged), _stale(current))
            .values(rules_fingerprint=current, updated_at=InfoRequest.updated_at)
            .execution_options(
                synchronize_session=False,
                **{revisions.FIGURES_UNCHANGED: True, revisions.LISTS_UNCHANGED: True},
            )
        )
