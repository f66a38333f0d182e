"""A request's state derived from its timeline: status, due date, complaint window.

Pure: takes plain facts, returns plain facts. The service stores the result on the request so
the dashboard and the scheduler can query it; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Literal

from tracker import deadlines
from tracker.timeline import kinds

# What a pause or a restart does to each law's clock is law: ``deadlines.pause_rules`` and
# ``deadlines.restart_rule`` (tracker/deadlines/clockrules.py, inside the rules fingerprint).

# How a request ends without a final response (the "withdrawn" entry's ``closure``): declared
# with the kinds; each stops the clock on the day it closed.
CLOSURES = kinds.CLOSURES
# What starts a complaint window: the final response, or the silence past the due date.
ComplaintTrigger = Literal["response", "deemed refusal"]


def clock_end(responded_on: date | None, closed_on: date | None, today: date) -> date:
    """The day a request's lateness is measured to: its final response, else the day it closed
    without one, else today. The one definition every page, export, mail and packet uses."""
    if responded_on is not None:
        return responded_on
    if closed_on is not None:
        return min(closed_on, today)
    return today


def stopped_days_late(
    due_on: date, responded_on: date | None, closed_on: date | None
) -> int | None:
    """The calendar days late of a request whose clock stopped (``clock_end``: its final
    response, else the day it closed), 0 when it stopped by its due date; None while it is
    still counting. Stored on the request (``days_late_stopped``) so the list orders every
    request by the days late its page shows; a closing date is never in the future."""
    end = responded_on if responded_on is not None else closed_on
    if end is None:
        return None
    return max(0, (end - due_on).days)


def calendar_days_late(
    due_on: date, responded_on: date | None, closed_on: date | None, today: date
) -> int:
    """Calendar days from the due date to ``clock_end`` (0 when on time): the calendar half
    of ``deadlines.days_late``, which needs no calendar (the exports' days_late column)."""
    return max((clock_end(responded_on, closed_on, today) - due_on).days, 0)


def still_counting(responded_on: date | None, closed_on: date | None) -> bool:
    """True while nothing stopped the clock: no final response and not closed."""
    return responded_on is None and closed_on is None


@dataclass(frozen=True)
class EventFact:
    """One timeline entry as the derivation needs it."""

    id: int
    kind: str
    occurred_on: date
    corrects_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExtensionFact:
    """An extension in force (not corrected away)."""

    event_id: int
    days: int
    reason: str
    notice_on: date
    commissioner_notified: bool
    # False when notice came after the original deadline: the period had already run out, so
    # the claimed days do not move the due date (e.g. ATIA s.9(1): notice within 30 days).
    counted: bool = True
    # The days that move the due date: only the lawful part of an extension over the cap
    # (Québec s.47, Privacy Act s.15(a), US FOIA (6)(B)(i), BC s.10(1) / Alberta s.14(1)
    # without the Commissioner's permission); 0 when not counted. None: all of them.
    counted_days: int | None = None
    # BC FIPPA s.10(1), Alberta FOIP s.14(1): the date the Commissioner gave permission.
    permission_on: date | None = None

    @property
    def days_counted(self) -> int:
        """The days of this extension that move the due date."""
        if not self.counted:
            return 0
        return self.days if self.counted_days is None else self.counted_days


@dataclass(frozen=True)
class RequestState:
    """Everything the pages, the scheduler and the packets read about a request's clock."""

    status: str
    clock_start: date  # receipt, or the restart date after a UK clarification
    restarted_by: str | None  # the section that restarted the clock
    extension_days: int
    extensions: tuple[ExtensionFact, ...]
    pauses: tuple[tuple[date, date], ...]
    open_pause_since: date | None
    due_on: date
    responded_on: date | None
    complaint_due_on: date | None
    complaint_trigger: ComplaintTrigger | None
    closed_on: date | None
    # NY POL s.89(3)(a): the acknowledgement whose date starts the 20 business days.
    acknowledged_on: date | None = None
    # The day-by-day walk that found the due date when the clock was paused (see
    # derive_state); None when the engine's calendar arrays found it without walking.
    explanation: deadlines.Explanation | None = field(default=None, compare=False, repr=False)
    # How it closed without a final response (a CLOSURES key), when it did.
    closure: str | None = None
    # A request the tracker e-mailed on a day the law reads two ways (issue 22): the later
    # received date the institution's clock (``clock_start``, ``due_on``, ``status``) counts
    # from, and the due date under the earlier one (the day the mail left), from which the
    # reporter's windows (``complaint_due_on``) run. None: one reading, ``due_on`` for both.
    received_later_on: date | None = None
    earlier_due_on: date | None = None

    @property
    def reporter_due_on(self) -> date:
        """The due date the reporter's windows run from: the earlier reading's, where the
        received date reads two ways, else the due date."""
        return self.earlier_due_on if self.earlier_due_on is not None else self.due_on


def effective_events(events: Iterable[EventFact]) -> list[EventFact]:
    """Entries still in force: any entry that a later entry corrects is replaced by it."""
    events = list(events)
    corrected = {e.corrects_id for e in events if e.corrects_id is not None}
    return sorted((e for e in events if e.id not in corrected), key=lambda e: (e.occurred_on, e.id))


def _pauses(
    law: str, received_on: date, events: list[EventFact], today: date
) -> tuple[list[tuple[date, date]], date | None]:
    rules = deadlines.pause_rules(law, received_on)
    closed: list[tuple[date, date]] = []
    open_since: date | None = None
    for pause in rules:
        start_kinds, end_kinds = kinds.pause_kinds(pause)
        started: date | None = None
        for event in events:
            if event.kind in start_kinds and started is None:
                started = event.occurred_on
            elif event.kind in end_kinds and started is not None:
                # The clock runs again the day after the fee is paid or the answer arrives.
                if event.occurred_on > started:
                    closed.append((started, event.occurred_on - timedelta(days=1)))
                started = None
        if started is not None:
            open_since = started if open_since is None else min(open_since, started)
            # Until the pause ends, treat it as lasting through today.
            closed.append((started, max(started, today)))
    return sorted(closed), open_since


def _extension(
    law: str, province: str | None, clock_start: date, event: EventFact
) -> ExtensionFact:
    notice_on = date.fromisoformat(event.details["notice_on"])
    days, reason = int(event.details["days"]), str(event.details["reason"])
    notified = bool(event.details.get("commissioner_notified"))
    raw_permission = event.details.get("commissioner_permission_on")
    permission_on = date.fromisoformat(raw_permission) if raw_permission else None
    late = any(
        p.code == "late-notice"
        for p in deadlines.check_extension(
            law,
            clock_start,
            notice_on,
            days,
            reason,
            notified,
            province=province,
            permission_on=permission_on,
        )
    )
    return ExtensionFact(
        event_id=event.id,
        days=days,
        reason=reason,
        notice_on=notice_on,
        commissioner_notified=notified,
        counted=not late,
        permission_on=permission_on,
    )


def _lawful(
    law: str, province: str | None, clock_start: date, facts: tuple[ExtensionFact, ...]
) -> tuple[ExtensionFact, ...]:
    """Each counted extension with the days the statute lets it move the due date."""
    counted = [x for x in facts if x.counted]
    allowed = deadlines.lawful_extension_days(
        law,
        clock_start,
        [(x.days, x.reason, x.permission_on is not None) for x in counted],
        province=province,
    )
    by_id = {x.event_id: n for x, n in zip(counted, allowed, strict=True)}
    return tuple(
        replace(x, counted_days=by_id[x.event_id])
        if x.event_id in by_id
        else replace(x, counted_days=0)
        for x in facts
    )


def derive_state(
    law: str,
    province: str | None,
    received_on: date,
    events: Iterable[EventFact],
    today: date,
    *,
    received_later_on: date | None = None,
) -> RequestState:
    """Derive status, due date and complaint window from the entries in force.

    ``received_later_on``: the later reading of the received date of a request the tracker
    e-mailed (``InfoRequest.received_later_on``). The design policy where the law reads two
    ways: the institution's clock (due date, extensions checked, status) takes the later
    reading, so a request is never called overdue too early; the reporter's window takes the
    earlier (``received_on``, the day the mail left), so a reporter never misses it. Each is
    the whole derivation under its reading; the state is the institution's, with the
    reporter's window and the earlier due date."""
    live = effective_events(events)
    if received_later_on is None or received_later_on <= received_on:
        return _derive(law, province, received_on, received_on, live, today)
    institution = _derive(law, province, received_on, received_later_on, live, today)
    reporter = _derive(law, province, received_on, received_on, live, today)
    window, trigger = institution.complaint_due_on, institution.complaint_trigger
    if reporter.complaint_due_on is not None and (
        window is None or reporter.complaint_due_on <= window
    ):
        window, trigger = reporter.complaint_due_on, reporter.complaint_trigger
    return replace(
        institution,
        complaint_due_on=window,
        complaint_trigger=trigger,
        received_later_on=received_later_on,
        earlier_due_on=reporter.due_on,
    )


def _derive(
    law: str,
    province: str | None,
    received_on: date,
    counted_from: date,
    live: list[EventFact],
    today: date,
) -> RequestState:
    """derive_state under one reading: the institution's time counted from ``counted_from``
    (``received_on`` itself, or the later reading of it)."""
    present = {e.kind for e in live}
    restarts, extends = kinds.with_clock("restarts"), kinds.with_clock("extends")
    acknowledges, responds = kinds.with_clock("acknowledges"), kinds.with_clock("responds")
    complains, finds = kinds.with_clock("complaint"), kinds.with_clock("finding")
    closes = kinds.with_clock("closes")

    clock_start, restarted_by = counted_from, None
    restart_section = deadlines.restart_rule(law)
    if restart_section is not None:
        answers = [
            e.occurred_on for e in live if e.kind in restarts and e.occurred_on >= received_on
        ]
        if answers and max(answers) >= counted_from:
            clock_start, restarted_by = max(answers), restart_section

    extensions = _lawful(
        law,
        province,
        clock_start,
        tuple(_extension(law, province, clock_start, e) for e in live if e.kind in extends),
    )
    extension_days = sum(x.days_counted for x in extensions)
    pauses, open_since = _pauses(
        law, received_on, [e for e in live if e.occurred_on >= clock_start], today
    )
    # NY POL s.89(3)(a): the 20 business days run from the acknowledgement's own date.
    acknowledged_on = min(
        (e.occurred_on for e in live if e.kind in acknowledges and e.occurred_on >= clock_start),
        default=None,
    )
    if deadlines.law_in_force(law, clock_start).acknowledgement_days is None:
        acknowledged_on = None
    # With pauses the engine finds the due date by walking the days, and the walk is the
    # explanation the request page shows: it is kept, so describe() does not walk them again
    # (a 90-day US FOIA extension with a fee pause: 330 days, 0.15 ms each time).
    explanation = (
        deadlines.explain(
            law,
            clock_start,
            extension_days=extension_days,
            province=province,
            pauses=pauses,
            acknowledged=acknowledged_on,
        )
        if pauses or acknowledged_on is not None
        else None
    )
    due_on = (
        explanation.due
        if explanation is not None
        else deadlines.due_date(
            law, clock_start, extension_days=extension_days, province=province, pauses=pauses
        )
    )

    finals = [e for e in live if e.kind in responds]
    responded_on = max((e.occurred_on for e in finals), default=None)
    complaints = [e for e in live if e.kind in complains]
    findings = [e for e in live if e.kind in finds]
    complaint_pending = bool(complaints) and (
        not findings
        or max(c.occurred_on for c in complaints) > max(f.occurred_on for f in findings)
    )
    withdrawn = [e for e in live if e.kind in closes]

    closed_on: date | None = None
    closure: str | None = None
    if withdrawn:
        last = max(withdrawn, key=lambda e: (e.occurred_on, e.id))
        status, closed_on = "closed", last.occurred_on
        closure = str(last.details.get("closure") or "withdrawn")
    elif complaint_pending:
        status = "in_complaint"
    elif responded_on is not None:
        if findings:
            status, closed_on = "closed", max(e.occurred_on for e in findings)
        else:
            status = "answered"
    elif open_since is not None:
        status = "on_hold"
    elif today > due_on:
        status = "overdue"
    else:
        status = "awaiting"

    complaint_due_on: date | None = None
    trigger: ComplaintTrigger | None = None
    if not present & closes:
        if responded_on is not None and responded_on <= due_on:
            complaint_due_on = deadlines.response_complaint_deadline(
                law, responded_on, due=due_on, province=province, received=received_on
            )
            trigger = "response"
        else:
            # Silence: the window opens the day after the due date.
            complaint_due_on = deadlines.deemed_refusal_complaint_deadline(
                law, due_on, province, received=received_on
            )
            trigger = "deemed refusal"
            if responded_on is not None:
                # A late answer is still a decision one may complain about: take the later window.
                after_response = deadlines.response_complaint_deadline(
                    law, responded_on, due=due_on, province=province, received=received_on
                )
                if after_response is not None and (
                    complaint_due_on is None or after_response > complaint_due_on
                ):
                    complaint_due_on, trigger = after_response, "response"
    return RequestState(
        status=status,
        clock_start=clock_start,
        restarted_by=restarted_by,
        extension_days=extension_days,
        extensions=extensions,
        pauses=tuple(pauses),
        open_pause_since=open_since,
        due_on=due_on,
        responded_on=responded_on,
        complaint_due_on=complaint_due_on,
        complaint_trigger=trigger,
        closed_on=closed_on,
        acknowledged_on=acknowledged_on,
        explanation=explanation,
        closure=closure,
    )
