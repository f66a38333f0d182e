"""Request use cases: create, edit, add timeline entries and correct them, recompute the clock.

Each function takes the session and leaves committing to the caller's transaction.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker import deadlines
from tracker.core import revisions
from tracker.core.models import (
    Attachment,
    Complaint,
    Extension,
    InfoRequest,
    Institution,
    TimelineEvent,
    User,
)
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _
from tracker.records import jobs as records_jobs
from tracker.requests.state import (
    EventFact,
    RequestState,
    derive_state,
    effective_events,
    stopped_days_late,
)
from tracker.timeline import kinds

# The timeline's kinds and their vocabularies are declared in tracker.timeline.kinds; these
# names stay for the modules that read them here. REPORTER_KINDS and KIND_LABELS are live
# views of the registry (code -> label).
RESPONSE_OUTCOMES = kinds.RESPONSE_OUTCOMES
MAX_EXTENSION_DAYS = kinds.MAX_EXTENSION_DAYS
# Entries a reporter adds by hand (the system adds "filed", "deemed_refusal", "imported").
REPORTER_KINDS = kinds.REPORTER_KINDS
KIND_LABELS = kinds.LABELS


def _after_receipt(kind: str) -> bool:
    """True for kinds that say something the institution did: they cannot predate receipt."""
    declared = kinds.get(kind)
    return declared is not None and declared.after_receipt and declared.added_by == "reporter"


class RequestError(ValueError):
    """Refused input; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ConflictError(RequestError):
    """The request's facts were edited by someone else since the form showed version
    ``expected``; ``current`` is the request as it now is (nothing was changed)."""

    def __init__(self, current: InfoRequest, expected: int) -> None:
        super().__init__(
            "Someone else changed this request since you opened the form: nothing was saved. "
            "Their version is shown beside yours; keep what should stay and save again."
        )
        self.current, self.expected = current, expected


@dataclass(frozen=True)
class RequestData:
    """What a reporter types to log or edit a request."""

    institution_id: int
    title: str
    received_on: date
    law_code: str | None = None  # None: the institution's law
    text: str = ""
    sent_on: date | None = None
    file_number: str | None = None


@dataclass(frozen=True)
class Upload:
    """A file arriving with a timeline entry."""

    filename: str
    content_type: str
    stream: IO[bytes]


@dataclass(frozen=True)
class EventData:
    """A timeline entry as typed: its kind, date, note, kind-specific details and files."""

    kind: str
    occurred_on: date
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    uploads: tuple[Upload, ...] = ()


def can_edit(user: User, request: InfoRequest) -> bool:
    """Reporters edit their own requests; editors and admins edit the newsroom's."""
    return user.newsroom_id == request.newsroom_id and (
        user.is_editor or request.owner_id == user.id
    )


class Sited(Protocol):
    """An institution as the deadline engine reads it: where its holidays come from."""

    @property
    def province(self) -> str | None: ...


class UnderLaw(Protocol):
    """A request as ``province_of`` reads it: the ORM ``InfoRequest``, or a request read from
    plain rows (the list pages' ``ListedRequest``, recompute-deadlines' batches)."""

    @property
    def law_code(self) -> str: ...

    @property
    def institution(self) -> Sited: ...


def province_of(request: UnderLaw) -> str | None:
    """The province or state whose holidays count for this request's law."""
    law = deadlines.LAWS[request.law_code]
    if law.province_mode == "institution":
        return request.institution.province
    return None


def _institution(db: Session, newsroom_id: int, institution_id: int) -> Institution:
    institution = db.get(Institution, institution_id)
    if institution is None or institution.newsroom_id != newsroom_id:
        raise RequestError(_("Pick one of your newsroom's institutions."), "institution_id")
    return institution


def _check_request(data: RequestData, today: date) -> None:
    if not data.title.strip():
        raise RequestError(_("Give the request a title."), "title")
    if data.law_code is not None and data.law_code not in deadlines.LAWS:
        raise RequestError(_("Pick a law from the list."), "law_code")
    if data.received_on > today:
        raise RequestError(
            _("The institution cannot have received it in the future."), "received_on"
        )
    if data.sent_on is not None and data.sent_on > data.received_on:
        raise RequestError(_("The request cannot be received before it was sent."), "received_on")
    year = data.received_on.year
    if not deadlines.MIN_YEAR <= year <= deadlines.MAX_YEAR:
        raise RequestError(
            _(
                "Dates before %(min)s or after %(max)s are outside the holiday data.",
                min=deadlines.MIN_YEAR,
                max=deadlines.MAX_YEAR,
            ),
            "received_on",
        )
    if data.law_code is not None:
        _check_law_version(data.law_code, data.received_on)


def _check_law_version(law_code: str, received_on: date) -> None:
    """A request received before its law took effect is refused beside the received date."""
    try:
        deadlines.law_in_force(law_code, received_on)
    except ValueError as exc:
        raise RequestError(f"{exc}.", "received_on") from None


def _check_file_number(
    db: Session, institution_id: int, file_number: str | None, exclude_id: int | None
) -> None:
    if not file_number:
        return
    query = sa.select(InfoRequest.id).where(
        InfoRequest.institution_id == institution_id, InfoRequest.file_number == file_number
    )
    if exclude_id is not None:
        query = query.where(InfoRequest.id != exclude_id)
    if db.scalar(query) is not None:
        raise RequestError(
            _("Another request to this institution has this file number."), "file_number"
        )


def filed_note(sent_on: date | None, received_on: date) -> str:
    """The note of a request's "filed" entry."""
    sent = f" {sent_on.isoformat()}" if sent_on else ""
    return f"Request sent{sent}; received by the institution {received_on.isoformat()}."


def check_new_request(data: RequestData, law_code: str, today: date) -> None:
    """The checks ``create_request`` makes of a request's own facts under ``law_code`` (an
    import writing in bulk makes them too); ``RequestError`` when refused."""
    _check_request(data, today)
    _check_law_version(law_code, data.received_on)


def create_request(db: Session, user: User, data: RequestData, today: date) -> InfoRequest:
    """Log a request, add its "filed" entry and compute its deadline."""
    _check_request(data, today)
    institution = _institution(db, user.newsroom_id, data.institution_id)
    _check_law_version(data.law_code or institution.law_code, data.received_on)
    file_number = (data.file_number or "").strip() or None
    _check_file_number(db, institution.id, file_number, None)
    request = InfoRequest(
        newsroom_id=user.newsroom_id,
        owner_id=user.id,
        institution=institution,
        law_code=data.law_code or institution.law_code,
        title=data.title.strip(),
        text=data.text.strip(),
        file_number=file_number,
        sent_on=data.sent_on,
        received_on=data.received_on,
        status="awaiting",
        due_on=data.received_on,
    )
    db.add(request)
    db.flush()
    db.add(
        TimelineEvent(
            request=request,
            kind="filed",
            occurred_on=data.sent_on or data.received_on,
            note=filed_note(data.sent_on, data.received_on),
            recorded_by_id=user.id,
            details={},
        )
    )
    db.flush()
    recompute(db, request, today)
    return request


_EDIT_FIELDS = (
    "title",
    "text",
    "law_code",
    "file_number",
    "sent_on",
    "received_on",
    "institution_id",
)


def lock_request(db: Session, request: InfoRequest) -> None:
    """Hold the request's row until the transaction ends and read it afresh, timeline included.

    Two people adding entries at once (an extension and a final response) are then recomputed
    one after the other, the second over a timeline that holds the first's entry; without the
    lock each recomputed without the other's entry and the last to commit stored its dates.
    PostgreSQL: ``SELECT ... FOR UPDATE`` (another writer of this request waits for COMMIT).
    SQLite serialises writers but lets a transaction read before it writes: a write that
    changes nothing takes the database's write lock first, so every read after it is current.
    """
    if db.get_bind().dialect.name == "sqlite":
        db.execute(
            sa.update(InfoRequest)
            .where(InfoRequest.id == request.id)
            .values(version=InfoRequest.version, updated_at=InfoRequest.updated_at)
            # Changes nothing the scorecard reads (tracker.core.revisions).
            .execution_options(synchronize_session=False, **{revisions.FIGURES_UNCHANGED: True})
        )
    # Fetched, not only run: the ORM refreshes the request's attributes as it reads the row.
    db.scalars(
        sa.select(InfoRequest)
        .where(InfoRequest.id == request.id)
        .with_for_update(of=InfoRequest)
        .execution_options(populate_existing=True)
    ).all()
    db.expire(request, ["events"])


def update_request(
    db: Session,
    user: User,
    request: InfoRequest,
    data: RequestData,
    today: date,
    expected_version: int | None = None,
) -> list[str]:
    """Change a request's facts; the change is written to the timeline as a note.

    With ``expected_version`` (the version the form or the API client read), an edit of a
    request someone else changed since raises ``ConflictError`` and changes nothing.
    """
    lock_request(db, request)
    if not can_edit(user, request):
        raise RequestError(_("Only the request's owner or an editor can change it."))
    if expected_version is not None and request.version != expected_version:
        raise ConflictError(request, expected_version)
    _check_request(data, today)
    institution = _institution(db, user.newsroom_id, data.institution_id)
    _check_law_version(data.law_code or institution.law_code, data.received_on)
    file_number = (data.file_number or "").strip() or None
    _check_file_number(db, institution.id, file_number, request.id)
    new_values = {
        "title": data.title.strip(),
        "text": data.text.strip(),
        "law_code": data.law_code or institution.law_code,
        "file_number": file_number,
        "sent_on": data.sent_on,
        "received_on": data.received_on,
        "institution_id": institution.id,
    }
    earliest = min((e.occurred_on for e in request.events if _after_receipt(e.kind)), default=None)
    if earliest is not None and data.received_on > earliest:
        raise RequestError(
            _(
                "The timeline has an entry of %(date)s from the institution: it cannot have "
                "received the request after that.",
                date=earliest.isoformat(),
            ),
            "received_on",
        )
    changes = []
    for name in _EDIT_FIELDS:
        old = getattr(request, name)
        if old != new_values[name]:
            changes.append(name)
            setattr(request, name, new_values[name])
    if not changes:
        return []
    if {"received_on", "law_code", "institution_id"} & set(changes):
        # The later reading of an e-mailed request's received date was read under its law,
        # its institution's calendar and the day the mail left: a received date given now (an
        # acknowledgement's, say) or another law replaces it.
        request.received_later_on = None
    request.institution = institution
    request.version += 1
    described = ", ".join(name.replace("_", " ") for name in changes if name != "text")
    note = (
        "Request details edited: "
        + (described or "text")
        + (" and text" if "text" in changes and described else "")
    )
    db.add(
        TimelineEvent(
            request=request,
            kind="note",
            occurred_on=today,
            note=note,
            recorded_by_id=user.id,
            details={"edited": changes},
        )
    )
    db.flush()
    recompute(db, request, today)
    return changes


def _check_event(request: InfoRequest, data: EventData, today: date) -> dict[str, Any]:
    return check_new_event(request.law_code, request.received_on, data, today)


def check_new_event(
    law_code: str, received_on: date, data: EventData, today: date
) -> dict[str, Any]:
    """The checks ``add_event`` makes of an entry for a request under ``law_code`` received
    on ``received_on``; its details, cleaned. ``RequestError`` when refused."""
    if data.kind not in REPORTER_KINDS:
        raise RequestError(_("Pick what happened from the list."), "kind")
    if data.occurred_on > today:
        raise RequestError(_("This date is in the future."), "occurred_on")
    if _after_receipt(data.kind) and data.occurred_on < received_on:
        raise RequestError(
            _(
                "This cannot happen before the institution received the request (%(date)s).",
                date=received_on.isoformat(),
            ),
            "occurred_on",
        )
    context = kinds.Context(
        law_code=law_code,
        law=deadlines.law_in_force(law_code, received_on),
        received_on=received_on,
        occurred_on=data.occurred_on,
        today=today,
    )
    try:
        return kinds.clean(data.kind, data.details, context)
    except kinds.KindError as exc:
        raise RequestError(str(exc), exc.field) from None


def add_event(
    db: Session,
    user: User,
    request: InfoRequest,
    data: EventData,
    today: date,
    storage: LocalStorage,
    max_bytes: int,
    corrects: TimelineEvent | None = None,
) -> TimelineEvent:
    """Add a timeline entry (or a correction of one) with its files; recompute the clock."""
    lock_request(db, request)
    if not can_edit(user, request):
        raise RequestError(_("Only the request's owner or an editor can add to its timeline."))
    if corrects is not None and corrects.request_id != request.id:
        raise RequestError(_("That entry belongs to another request."))
    details = _check_event(request, data, today)
    if (
        data.kind in kinds.with_clock("finding")
        and corrects is None
        and not db.scalar(sa.select(Complaint.id).where(Complaint.request_id == request.id))
    ):
        raise RequestError(_("Record the complaint before its finding."), "kind")
    # Files first: a row is never written for a file that did not reach the disk.
    stored = _store_files(data.uploads, storage, max_bytes)
    event = TimelineEvent(
        request=request,
        kind=data.kind,
        occurred_on=data.occurred_on,
        note=data.note.strip(),
        details=details,
        recorded_by_id=user.id,
        corrects_id=corrects.id if corrects is not None else None,
    )
    db.add(event)
    db.flush()
    _add_attachments(db, event, stored)
    if data.kind in kinds.with_clock("extends"):
        db.add(
            Extension(
                request_id=request.id,
                event_id=event.id,
                days=details["days"],
                reason=details["reason"],
                notice_on=date.fromisoformat(details["notice_on"]),
                commissioner_notified=details["commissioner_notified"],
            )
        )
    elif data.kind in kinds.with_clock("complaint"):
        db.add(
            Complaint(
                request_id=request.id,
                event_id=event.id,
                body=details["body"],
                grounds=details["grounds"],
                filed_on=data.occurred_on,
                body_file_number=(details.get("body_file_number") or None),
            )
        )
    db.flush()
    recompute(db, request, today)
    return event


def _store_files(
    uploads: tuple[Upload, ...], storage: LocalStorage, max_bytes: int
) -> list[tuple[Upload, Any]]:
    """Save each upload to disk; on any failure discard those saved and refuse them all."""
    stored: list[tuple[Upload, Any]] = []
    for upload in uploads:
        try:
            stored.append((upload, storage.save(upload.stream, max_bytes)))
        except (ValueError, OSError) as exc:
            # Nothing is written: the files this call already put on disk go too.
            for _upload, saved in stored:
                storage.discard(saved)
            if isinstance(exc, ValueError):
                raise RequestError(f"{safe_display_name(upload.filename)}: {exc}", "files") from exc
            reason = exc.strerror or type(exc).__name__
            raise RequestError(
                _(
                    "%(name)s: the file could not be stored (%(reason)s); nothing was saved. "
                    "Try again later.",
                    name=safe_display_name(upload.filename),
                    reason=reason,
                ),
                "files",
            ) from exc
    return stored


def _add_attachments(db: Session, event: TimelineEvent, stored: list[tuple[Upload, Any]]) -> None:
    attachments = [
        Attachment(
            event=event,
            sha256=saved.sha256,
            size=saved.size,
            original_name=safe_display_name(upload.filename),
            content_type=upload.content_type or "application/octet-stream",
        )
        for upload, saved in stored
    ]
    db.add_all(attachments)
    if attachments:
        db.flush()
        records_jobs.queue(db, [a.id for a in attachments])  # read in the background


def attach_files(
    db: Session,
    user: User,
    event: TimelineEvent,
    uploads: tuple[Upload, ...],
    storage: LocalStorage,
    max_bytes: int,
) -> int:
    """Attach more files to an existing entry (no correction: the entry's facts stay as they
    are); returns how many were attached."""
    request = event.request
    lock_request(db, request)
    if not can_edit(user, request):
        raise RequestError(_("Only the request's owner or an editor can add files to it."))
    if not uploads:
        raise RequestError(_("Choose at least one file."), "files")
    stored = _store_files(uploads, storage, max_bytes)
    _add_attachments(db, event, stored)
    db.flush()
    return len(stored)


def record_import(
    db: Session, user: User, request: InfoRequest, today: date, note: str, details: dict[str, Any]
) -> TimelineEvent:
    """Add the system's "imported" entry saying where a request came from (clock unchanged)."""
    if not can_edit(user, request):
        raise RequestError(_("Only the request's owner or an editor can import into it."))
    event = TimelineEvent(
        request=request,
        kind="imported",
        occurred_on=today,
        note=note.strip(),
        details=dict(details),
        recorded_by_id=user.id,
    )
    db.add(event)
    db.flush()
    return event


def safe_display_name(name: str) -> str:
    """The original file name without any folder part or control characters, at most 255."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".") or "file"
    return name[-255:]


def event_facts(events: list[TimelineEvent]) -> list[EventFact]:
    """The timeline as the state derivation reads it."""
    return [
        EventFact(
            id=e.id,
            kind=e.kind,
            occurred_on=e.occurred_on,
            corrects_id=e.corrects_id,
            details=e.details or {},
        )
        for e in events
    ]


def state_of(request: InfoRequest, today: date) -> RequestState:
    """Derive the request's clock and status from its timeline."""
    return derive_state(
        request.law_code,
        province_of(request),
        request.received_on,
        event_facts(list(request.events)),
        today,
        received_later_on=request.received_later_on,
    )


# The columns a request stores from its derived state (see store_state), in the order
# recompute-deadlines reports them.
DERIVED_COLUMNS = ("due_on", "complaint_due_on", "status", "responded_on", "closed_on")


def store_state(request: InfoRequest, state: RequestState, status: str | None = None) -> None:
    """Write a derived state into the request's columns, with the fingerprint of the rules
    that computed it: the one place those columns are written (``status`` overrides the
    derived status, for recompute-deadlines)."""
    request.status = status or state.status
    request.due_on = state.due_on
    request.complaint_due_on = state.complaint_due_on
    request.responded_on = state.responded_on
    request.closed_on = state.closed_on
    request.days_late_stopped = stopped_days_late(state.due_on, state.responded_on, state.closed_on)
    request.rules_fingerprint = deadlines.rules_fingerprint()


def recompute(db: Session, request: InfoRequest, today: date) -> RequestState:
    """Store the derived status, due date and windows; sync extension and complaint rows."""
    db.expire(request, ["events"])
    state = state_of(request, today)
    store_state(request, state)
    live = {x.event_id for x in state.extensions}
    for extension in db.scalars(sa.select(Extension).where(Extension.request_id == request.id)):
        extension.superseded = extension.event_id not in live
    _sync_complaints(db, request)
    db.flush()
    return state


def _sync_complaints(db: Session, request: InfoRequest) -> None:
    """Each complaint takes the latest finding recorded after it."""
    live = effective_events(event_facts(list(request.events)))
    findings = [e for e in live if e.kind in kinds.with_clock("finding")]
    live_ids = {e.id for e in live}
    for complaint in db.scalars(
        sa.select(Complaint).where(Complaint.request_id == request.id).order_by(Complaint.filed_on)
    ):
        complaint.superseded = complaint.event_id not in live_ids
        after = [f for f in findings if f.occurred_on >= complaint.filed_on]
        if after:
            complaint.finding = after[-1].details.get("finding")
            complaint.finding_on = after[-1].occurred_on
        else:
            complaint.finding = complaint.finding_on = None


@functools.cache
def _load_request_statement() -> sa.Select[InfoRequest]:
    # Built once: the request page runs it on every view, and building an ORM statement with
    # four loader options costs more than SQLite takes to run it.
    return (
        sa.select(InfoRequest)
        .where(InfoRequest.id == sa.bindparam("request_id"))
        .options(
            joinedload(InfoRequest.institution, innerjoin=True),
            joinedload(InfoRequest.owner, innerjoin=True),
            # The timeline in one more statement: its files and recorders joined to it.
            selectinload(InfoRequest.events).options(
                joinedload(TimelineEvent.attachments), joinedload(TimelineEvent.recorded_by)
            ),
        )
    )


def load_request(db: Session, request_id: int) -> InfoRequest | None:
    """A request with its institution, owner, timeline and files loaded in a few queries."""
    return db.scalar(_load_request_statement(), {"request_id": request_id})
