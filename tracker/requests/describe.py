"""What a reporter reads about a request's clock: due date explained, lateness, warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from tracker import deadlines
from tracker.core.models import InfoRequest
from tracker.deadlines.letters import EMAIL_RULES, EmailRule, closed_reason
from tracker.requests.service import Sited, province_of, state_of
from tracker.requests.state import ExtensionFact, RequestState, clock_end, still_counting


@dataclass(frozen=True)
class Lateness:
    """Days late (calendar, business) or days left before the due date."""

    calendar_days_late: int
    business_days_late: int
    days_left: int | None  # None once late, answered or closed
    # The day the days late are counted to (the response, the closing, or today), and what
    # stopped the clock there: "response", "closure", or None ("and counting").
    until: date | None = None
    stopped_by: str | None = None

    @property
    def counting(self) -> bool:
        """True while nothing stopped the clock: the days late still grow each day."""
        return self.stopped_by is None

    @property
    def is_late(self) -> bool:
        """True when the due date passed before an answer."""
        return self.calendar_days_late > 0


@dataclass(frozen=True)
class ExtensionCheck:
    """An extension in force and what the law says is wrong with it."""

    extension: ExtensionFact
    problems: tuple[deadlines.Problem, ...]


@dataclass(frozen=True)
class OutdatedColumn:
    """A stored column that rules other than the current ones computed, and that the
    current rules change."""

    name: str  # "due_on", "complaint_due_on" or "status"
    stored: date | str | None
    current: date | str | None


@dataclass(frozen=True)
class ReceivedReadings:
    """The two readings of the received date of a request the tracker e-mailed on a day the
    law reads two ways (issue 22), each with its source, and the due date each gives."""

    earlier: date  # the day the mail left: the reporter's windows run from it
    later: date  # the institution's next working day: its due date counts from it
    # "closed": the mail left on a day the law's calendar does not count (``closed_day``
    # names it: "Saturday", "Good Friday"); "after hours": at or after OFFICE_CLOSES.
    why: str
    closed_day: str | None
    # The law's rule on e-mailed requests (None: none was read), with its section.
    rule: EmailRule | None
    institution_due: date  # the due date, from ``later``
    reporter_due: date  # the due date under ``earlier``, the reporter's windows' start


@dataclass(frozen=True)
class Deadline:
    """Everything the request page shows about the deadline."""

    law: deadlines.Law
    state: RequestState
    explanation: deadlines.Explanation
    lateness: Lateness
    extensions: tuple[ExtensionCheck, ...]
    complaint_window_open: bool | None  # None: the law states no window
    deemed_refusal_window_end: date | None  # last day to complain of the deemed refusal
    # The reporter's windows with their triggers and sources (earlier reading; the later one
    # where the law reads two ways), as the page and the packet show them.
    windows: tuple[deadlines.ReporterWindow, ...] = ()
    # False when the stored columns were computed under other deadline rules: pages then show
    # the state derived here (which the explanation matches) and ``outdated`` says what moved.
    rules_current: bool = True
    outdated: tuple[OutdatedColumn, ...] = ()
    # An e-mailed request whose received date reads two ways: both readings and their sources.
    readings: ReceivedReadings | None = None


def _lateness(
    law: str,
    due: date,
    responded: date | None,
    closed: date | None,
    today: date,
    province: str | None,
) -> Lateness:
    until = clock_end(responded, closed, today)
    stopped_by = None
    if not still_counting(responded, closed):
        stopped_by = "response" if responded is not None else "closure"
    calendar, business = deadlines.days_late(law, due, until, province=province)
    days_left = (due - today).days if stopped_by is None and due >= today else None
    return Lateness(calendar, business, days_left, until, stopped_by)


class StoredDates(Protocol):
    """The stored columns ``lateness`` reads: an ``InfoRequest``, or the list pages'
    ``ListedRequest`` read from plain rows."""

    @property
    def law_code(self) -> str: ...

    @property
    def due_on(self) -> date: ...

    @property
    def responded_on(self) -> date | None: ...

    @property
    def closed_on(self) -> date | None: ...

    @property
    def institution(self) -> Sited: ...


def lateness(request: StoredDates, today: date) -> Lateness:
    """How late the response is (or was), or how many days are left (from stored columns)."""
    return _lateness(
        request.law_code,
        request.due_on,
        request.responded_on,
        request.closed_on,
        today,
        province_of(request),
    )


def row_lateness(row: Any, today: date) -> Lateness:
    """lateness() for a plain row carrying the institution's province as a column (the
    dashboard's). The engine ignores the province under laws that fix their own calendar."""
    return _lateness(
        row.law_code, row.due_on, row.responded_on, row.closed_on, today, row.institution_province
    )


def _outdated(request: InfoRequest, state: RequestState) -> tuple[OutdatedColumn, ...]:
    derived = {
        "due_on": state.due_on,
        "complaint_due_on": state.complaint_due_on,
        "status": state.status,
    }
    return tuple(
        OutdatedColumn(name, getattr(request, name), value)
        for name, value in derived.items()
        if getattr(request, name) != value
    )


def describe(request: InfoRequest, today: date) -> Deadline:
    """Derive the clock, explain the due date, check each extension against the law, and
    say which stored columns other deadline rules computed."""
    state = state_of(request, today)
    rules_current = request.rules_fingerprint == deadlines.rules_fingerprint()
    province = province_of(request)
    explanation = state.explanation or deadlines.explain(
        request.law_code,
        state.clock_start,
        extension_days=state.extension_days,
        province=province,
        pauses=state.pauses,
        acknowledged=state.acknowledged_on,
    )
    checks = tuple(
        ExtensionCheck(
            x,
            tuple(
                deadlines.check_extension(
                    request.law_code,
                    state.clock_start,
                    x.notice_on,
                    x.days,
                    x.reason,
                    x.commissioner_notified,
                    province=province,
                    permission_on=x.permission_on,
                )
            ),
        )
        for x in state.extensions
    )
    window_open = None if state.complaint_due_on is None else today <= state.complaint_due_on
    late = _lateness(
        request.law_code, state.due_on, state.responded_on, state.closed_on, today, province
    )
    # The reporter's windows run from the earlier reading's due date (issue 22).
    refusal_window = (
        deadlines.deemed_refusal_complaint_deadline(
            request.law_code, state.reporter_due_on, province, received=request.received_on
        )
        if late.is_late
        else None
    )
    windows = deadlines.reporter_windows(
        request.law_code,
        received=request.received_on,
        due=state.reporter_due_on,
        responded=state.responded_on,
        province=province,
    )
    return Deadline(
        law=explanation.law,
        state=state,
        explanation=explanation,
        lateness=late,
        extensions=checks,
        complaint_window_open=window_open,
        deemed_refusal_window_end=refusal_window,
        windows=windows,
        rules_current=rules_current,
        outdated=() if rules_current else _outdated(request, state),
        readings=_readings(request, state, province),
    )


def _readings(
    request: InfoRequest, state: RequestState, province: str | None
) -> ReceivedReadings | None:
    later = state.received_later_on
    if later is None or state.earlier_due_on is None:
        return None
    earlier = request.received_on
    closed = closed_reason(request.law_code, earlier, province)
    return ReceivedReadings(
        earlier=earlier,
        later=later,
        why="closed" if closed else "after hours",
        closed_day=closed,
        rule=EMAIL_RULES.get(request.law_code),
        institution_due=state.due_on,
        reporter_due=state.earlier_due_on,
    )
