"""The facts of a packet, gathered once from a request: what the PDF, letter and CSV show.

Plain data: the renderers read a Dossier and never query the database or the clock.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import object_session

from tracker import __version__, deadlines
from tracker.core.models import InfoRequest, Newsroom, TimelineEvent, User
from tracker.deadlines import french
from tracker.language.i18n import _, format_date, get_locale, lazy_gettext, ngettext
from tracker.requests.describe import describe
from tracker.requests.service import (
    event_facts,
    province_of,
)
from tracker.requests.state import RequestState, effective_events
from tracker.timeline import kinds

STATUS_LABELS: dict[str, str] = {
    "awaiting": lazy_gettext("Awaiting a response (within the statutory period)"),
    "on_hold": lazy_gettext("On hold (the clock is paused)"),
    "overdue": lazy_gettext("Overdue: no response by the deadline"),
    "answered": lazy_gettext("Answered"),
    "in_complaint": lazy_gettext("A complaint or appeal is pending"),
    "closed": lazy_gettext("Closed"),
}
# The findings as a sentence names them (tracker.timeline.kinds.COMPLAINT_FINDINGS).
FINDING_LABELS: dict[str, str] = {
    "well_founded": lazy_gettext("well-founded"),
    "not_well_founded": lazy_gettext("not well-founded"),
    "resolved": lazy_gettext("resolved"),
    "discontinued": lazy_gettext("discontinued"),
}
GROUNDS_LABELS: dict[str, str] = kinds.GROUNDS_IN_PROSE

# Characters Windows, macOS or unzip tools refuse or misread in a file name.
_FORBIDDEN = set('<>:"/\\|?*')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_MAX_NAME = 120


@dataclass(frozen=True)
class PacketFile:
    """One original file as it goes into the archive."""

    path: str  # "attachments/<safe unique name>"
    original_name: str
    sha256: str
    size: int
    content_type: str
    first_entry_on: date


@dataclass(frozen=True)
class ChronologyEntry:
    """One timeline entry, corrected or not, as the chronology shows it."""

    id: int
    occurred_on: date
    kind: str
    label: str
    note: str
    details: str
    recorded_by: str
    recorded_at: datetime  # aware UTC
    recorded_at_local: str
    corrects_id: int | None
    corrected_by_id: int | None
    files: tuple[PacketFile, ...]


@dataclass(frozen=True)
class ExtensionReview:
    """An extension in force, the ground it claims and what the law says is wrong with it."""

    days: int
    unit: str
    reason: str
    reason_label: str
    reason_section: str
    notice_on: date
    commissioner_notified: bool
    counted: bool  # False: notice came too late, so the days do not move the due date
    problems: tuple[deadlines.Problem, ...]
    # The days that move the due date (only the lawful part of an over-cap extension).
    days_counted: int | None = None


@dataclass(frozen=True)
class ComplaintRecord:
    """A complaint or appeal in force, with its finding when one was recorded."""

    filed_on: date
    body: str
    grounds: str
    body_file_number: str | None
    finding: str | None
    finding_on: date | None


@dataclass(frozen=True)
class Dossier:
    """Everything a packet says about one request, computed for one day and one instant."""

    request_id: int
    title: str
    text: str
    newsroom: str
    reporter_name: str
    reporter_email: str
    institution: str
    institution_email: str | None
    law: deadlines.Law
    province: str | None
    file_number: str | None
    sent_on: date | None
    received_on: date
    generated_at: datetime  # aware UTC
    today: date
    timezone: str
    state: RequestState
    explanation: deadlines.Explanation
    extensions: tuple[ExtensionReview, ...]
    late: bool
    days_late_calendar: int
    days_late_business: int
    lateness_as_of: date
    deemed_refusal_on: date | None
    complaint_window_open: bool | None
    complaint_window_text: str
    complaints: tuple[ComplaintRecord, ...]
    chronology: tuple[ChronologyEntry, ...]
    files: tuple[PacketFile, ...]
    gaps: tuple[str, ...]
    tracker_version: str
    holidays_version: str
    # An exemptions complaint's evidence: each page of the released records citing an
    # exemption (tracker.records.exemptions.PageCitation), file by file (issue 23).
    exemption_pages: tuple[Any, ...] = ()
    # Agency mail (issue 21, tracker.packets.mail): text files written into the packet beside
    # the generated ones, e.g. each message's authentication results.
    mail_texts: tuple[tuple[str, bytes], ...] = ()

    @property
    def status_label(self) -> str:
        """The request's status in words."""
        return STATUS_LABELS.get(self.state.status, self.state.status)

    @property
    def due_on(self) -> date:
        """The last day to respond, extensions and pauses included."""
        return self.state.due_on

    @property
    def responded_on(self) -> date | None:
        """The date of the final response, if any."""
        return self.state.responded_on

    @property
    def generated_local(self) -> datetime:
        """The generation time in the newsroom's time zone."""
        return self.generated_at.astimezone(ZoneInfo(self.timezone))


def the(body: str) -> str:
    """A body's name in a sentence: "the Information Commissioner of Canada"."""
    return body if body.lower().startswith("the ") else f"the {body}"


def safe_name(name: str) -> str:
    """A file name safe to unpack anywhere: no folders, no control or reserved characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join("_" if ch in _FORBIDDEN or not ch.isprintable() else ch for ch in name)
    # Leading dots hide files or climb folders; Windows drops trailing dots and spaces.
    name = name.strip().strip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in _RESERVED:
        stem = "_" + stem
    ext = ext[:16]
    stem = stem[: _MAX_NAME - len(ext) - 1].rstrip(" .")
    name = f"{stem}.{ext}" if ext and stem else (stem or ext)
    return name or "file"


def _unique(name: str, taken: set[str]) -> str:
    """Add -2, -3... before the extension until no other entry has the name (any case)."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    taken.add(candidate.casefold())
    return candidate


def _person(user: User | None) -> str:
    if user is None:
        return "the tracker"
    return f"{user.name} <{user.email}>" if user.name else user.email


def _details_text(kind: str, details: dict[str, Any], law: deadlines.Law) -> str:
    """Kind-specific facts of an entry in words (as the kind's declaration reads them)."""
    return kinds.record(kind, details, law)


def _files(
    events: list[TimelineEvent],
) -> tuple[tuple[PacketFile, ...], dict[int, tuple[PacketFile, ...]]]:
    """One archive entry per distinct file (by SHA-256), named in timeline order."""
    by_sha: dict[str, PacketFile] = {}
    taken: set[str] = set()
    per_event: dict[int, tuple[PacketFile, ...]] = {}
    for event in events:
        listed = []
        for attachment in sorted(event.attachments, key=lambda a: a.id):
            packet_file = by_sha.get(attachment.sha256)
            if packet_file is None:
                name = _unique(safe_name(attachment.original_name), taken)
                packet_file = PacketFile(
                    path=f"attachments/{name}",
                    original_name=attachment.original_name,
                    sha256=attachment.sha256,
                    size=attachment.size,
                    content_type=attachment.content_type,
                    first_entry_on=event.occurred_on,
                )
                by_sha[attachment.sha256] = packet_file
            listed.append(packet_file)
        per_event[event.id] = tuple(listed)
    return tuple(by_sha.values()), per_event


def _complaints(request: InfoRequest) -> tuple[ComplaintRecord, ...]:
    live = effective_events(event_facts(list(request.events)))
    findings = [e for e in live if e.kind == "complaint_finding"]
    records = []
    for event in (e for e in live if e.kind == "complaint_filed"):
        after = [f for f in findings if f.occurred_on >= event.occurred_on]
        records.append(
            ComplaintRecord(
                filed_on=event.occurred_on,
                body=str(event.details.get("body") or ""),
                grounds=str(event.details.get("grounds") or "other"),
                body_file_number=event.details.get("body_file_number") or None,
                finding=after[-1].details.get("finding") if after else None,
                finding_on=after[-1].occurred_on if after else None,
            )
        )
    return tuple(records)


def _packet_day(value: date) -> str:
    """A date as the packet writes it: 2020-03-11 in English, 11 mars 2020 in French."""
    locale = get_locale()
    if locale is None or locale.language == "en":
        return value.isoformat()
    return format_date(value, "d MMMM y")


def _window_text(
    law: deadlines.Law,
    state: RequestState,
    today: date,
    late: bool,
    complaints: tuple[ComplaintRecord, ...],
    windows: tuple[deadlines.ReporterWindow, ...] = (),
) -> tuple[bool | None, str]:
    """Whether the complaint window is open on ``today``, and the sentences that say so:
    the summary, then each window with its trigger, section and both readings."""
    is_open, text = _window_summary(law, state, today, late, complaints)
    if complaints or not windows:
        return is_open, text
    english = (locale := get_locale()) is None or locale.language == "en"
    details = " ".join(
        w.text if english else (french.window_text(law, w, _packet_day) or w.text) for w in windows
    )
    if state.complaint_due_on is None:
        return is_open, details
    return is_open, f"{text} {details}"


def _window_summary(
    law: deadlines.Law,
    state: RequestState,
    today: date,
    late: bool,
    complaints: tuple[ComplaintRecord, ...],
) -> tuple[bool | None, str]:
    window = law.complaint_window
    if complaints:
        first = complaints[0]
        return None, _(
            "A complaint was filed with %(body)s on %(date)s; the complaint window no longer "
            "applies.",
            body=the(first.body),
            date=_packet_day(first.filed_on),
        )
    if state.status == "closed" and state.closed_on is not None and state.complaint_due_on is None:
        return None, _("The request was closed on %(date)s.", date=_packet_day(state.closed_on))
    if state.complaint_due_on is None:
        if window is None:
            return None, (
                f"The {law.name} sets no time limit for a complaint to {the(law.complaint_body)}."
            )
        if not late:
            return None, (
                f"The complaint window ({law.cite(window.section)}) opens only with a "
                f"response or a {law.silence_term}."
            )
        return None, (
            f"The window in {law.cite(window.section)} runs from a decision, not from "
            f"silence. {window.note}"
        ).strip()
    due = state.complaint_due_on
    if state.complaint_trigger != "deemed refusal":
        trigger = _("the response")
    elif state.earlier_due_on is not None and state.received_later_on is not None:
        # An e-mailed request whose received date reads two ways (issue 22): the window runs
        # from the earlier reading's due date, the institution's from the later one.
        trigger = _(
            "the due date under the earlier reading of the received date, %(date)s (%(term)s; "
            "it starts the day after; the institution's time counts from the later reading, "
            "%(later)s, and its due date is %(due)s)",
            date=_packet_day(state.earlier_due_on),
            term=law.silence_term,
            later=_packet_day(state.received_later_on),
            due=_packet_day(state.due_on),
        )
    else:
        trigger = _(
            "the due date (%(term)s; it starts the day after the due date)",
            term=law.silence_term,
        )
    section = f" ({law.cite(window.section)})" if window is not None else ""
    if today <= due:
        left = (due - today).days
        return True, ngettext(
            "Open: the last day to complain to %(body)s%(section)s is %(date)s, counted from "
            "%(trigger)s; %(num)s day left as of %(today)s.",
            "Open: the last day to complain to %(body)s%(section)s is %(date)s, counted from "
            "%(trigger)s; %(num)s days left as of %(today)s.",
            left,
            body=the(law.complaint_body),
            section=section,
            date=_packet_day(due),
            trigger=trigger,
            today=_packet_day(today),
        )
    return False, _(
        "Closed: the last day to complain to %(body)s%(section)s was %(date)s, counted from "
        "%(trigger)s. A late complaint must explain the delay; the body may still accept it.",
        body=the(law.complaint_body),
        section=section,
        date=_packet_day(due),
        trigger=trigger,
    )


def _gaps(
    request: InfoRequest,
    events: list[TimelineEvent],
    files: tuple[PacketFile, ...],
    state: RequestState,
    today: date,
) -> tuple[str, ...]:
    """What the record lacks, in plain words, so the packet never looks more complete than it is."""
    gaps = []
    if all(e.kind == "filed" for e in events):
        gaps.append(
            _(
                "The timeline holds only the filing of the request: no acknowledgement, "
                "extension, response or complaint has been recorded yet."
            )
        )
    if not request.text.strip():
        gaps.append(_("The text of the request was not recorded."))
    if not request.file_number:
        gaps.append(_("The institution's file number was not recorded."))
    if not files:
        gaps.append(
            _(
                "No files are attached: add a copy of the request as sent and every letter "
                "or e-mail received."
            )
        )
    if state.responded_on is None and state.status != "closed":
        gaps.append(
            _("No final response has been recorded as of %(date)s.", date=_packet_day(today))
        )
    return tuple(gaps)


def gather(request: InfoRequest, *, generated_at: datetime, today: date, tz: str) -> Dossier:
    """Collect every fact the packet shows about a request, as of ``today``."""
    if generated_at.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware")
    generated_at = generated_at.astimezone(UTC)
    province = province_of(request)
    deadline = describe(request, today)
    law = deadline.law  # the version in force on the received date
    state, explanation = deadline.state, deadline.explanation
    reasons = {r.code: r for r in (law.extension.reasons if law.extension else ())}
    english = (locale := get_locale()) is None or locale.language == "en"
    unit = "calendar days" if law.unit == "calendar" else "working days"
    extensions = tuple(
        ExtensionReview(
            days=check.extension.days,
            unit=unit,
            reason=check.extension.reason,
            reason_label=(
                reasons[check.extension.reason].label
                if english
                else french.reason_label(reasons[check.extension.reason].label)
            )
            if check.extension.reason in reasons
            else check.extension.reason,
            reason_section=(law.cite if english else partial(french.cite, law))(
                reasons[check.extension.reason].section
            )
            if check.extension.reason in reasons
            else "",
            notice_on=check.extension.notice_on,
            commissioner_notified=check.extension.commissioner_notified,
            counted=check.extension.counted,
            problems=check.problems,
            days_counted=check.extension.days_counted,
        )
        for check in deadline.extensions
    )
    calendar_late = deadline.lateness.calendar_days_late
    business_late = deadline.lateness.business_days_late
    as_of = deadline.lateness.until or today
    late = calendar_late > 0
    deemed = state.due_on + timedelta(days=1) if late and law.deemed_refusal_section else None
    complaints = _complaints(request)
    window_open, window_text = _window_text(law, state, today, late, complaints, deadline.windows)

    events = list(request.events)
    files, per_event = _files(events)
    corrected_by = {e.corrects_id: e.id for e in events if e.corrects_id is not None}
    zone = ZoneInfo(tz)
    chronology = tuple(
        ChronologyEntry(
            id=e.id,
            occurred_on=e.occurred_on,
            kind=e.kind,
            label=kinds.entry_label(e.kind, e.details),
            note=e.note or "",
            details=_details_text(e.kind, e.details or {}, law),
            recorded_by=_person(e.recorded_by),
            recorded_at=e.recorded_at.astimezone(UTC),
            recorded_at_local=e.recorded_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z"),
            corrects_id=e.corrects_id,
            corrected_by_id=corrected_by.get(e.id),
            files=per_event.get(e.id, ()),
        )
        for e in events
    )

    owner = request.owner
    return Dossier(
        request_id=request.id,
        title=request.title,
        text=request.text or "",
        newsroom=_newsroom(request).name,
        reporter_name=owner.name or owner.email,
        reporter_email=owner.email,
        institution=request.institution.name,
        institution_email=request.institution.access_email,
        law=law,
        province=province,
        file_number=request.file_number,
        sent_on=request.sent_on,
        received_on=request.received_on,
        generated_at=generated_at,
        today=today,
        timezone=tz,
        state=state,
        explanation=explanation,
        extensions=extensions,
        late=late,
        days_late_calendar=calendar_late,
        days_late_business=business_late,
        lateness_as_of=as_of,
        deemed_refusal_on=deemed,
        complaint_window_open=window_open,
        complaint_window_text=window_text,
        complaints=complaints,
        chronology=chronology,
        files=files,
        gaps=_gaps(request, events, files, state, today),
        tracker_version=__version__,
        holidays_version=explanation.holidays_version,
    )


def _newsroom(request: InfoRequest) -> Newsroom:
    session = object_session(request)
    newsroom = session.get(Newsroom, request.newsroom_id) if session is not None else None
    return newsroom if newsroom is not None else request.owner.newsroom


def newsroom_timezone(request: InfoRequest, default: str) -> str:
    """The time zone of the request's newsroom (else the tracker's default)."""
    return _newsroom(request).timezone or default
