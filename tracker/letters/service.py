"""Letters: the offers of a request's state, drafts, sending on confirmation, records of sending.

A letter is a ``letter`` row: a draft (edited freely) until it is sent. Sending claims the row
(``draft`` -> ``sending``, a conditional UPDATE committed before the mail leaves), so a double
click or a retry finds it claimed and sends nothing; after the mail left the row becomes
``sent`` with its date, its Message-ID and the sent copy as ``.eml`` on the timeline. A mail
server that refuses puts it back to ``draft`` with the reason. A letter sent another way is
recorded as sent on the date the reporter gives.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker import deadlines
from tracker.alerts.mail import LONG_HEADERS, Mailer, MailError
from tracker.core import clock
from tracker.core.db import affected
from tracker.core.models import InfoRequest, Letter, User
from tracker.deadlines import french
from tracker.deadlines.letters import EmailReceipt, email_receipt
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _, get_locale
from tracker.letters import compose
from tracker.letters.rules import (
    FOLLOW_UP_DAYS,
    ComplaintFact,
    LetterFacts,
    Offer,
    SentLetter,
    due_reminder,
    offers,
)
from tracker.packets.dossier import newsroom_timezone
from tracker.requests import service as requests
from tracker.requests.state import effective_events
from tracker.timeline import kinds

SUBJECT_MAX = 300
# A send's claim older than this, still "sending", was cut short (a crash, a killed worker):
# the scheduler marks it "unknown". The SMTP conversation has a timeout of TRACKER_SMTP_TIMEOUT
# (30 s by default) per step, so a live send never lasts this long.
STUCK_MINUTES = 15
BODY_MAX = 100_000
# An address as the letter form takes it: one @, no spaces, a dot in the domain.
ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
COMPLAINT_GROUNDS = {g for g in kinds.COMPLAINT_GROUNDS}


class LetterError(Exception):
    """A letter refused; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------------------------------------
# Facts and offers


def _complaints(request: InfoRequest) -> tuple[ComplaintFact, ...]:
    live = effective_events(requests.event_facts(list(request.events)))
    findings = [e for e in live if e.kind in kinds.with_clock("finding")]
    out = []
    for event in (e for e in live if e.kind in kinds.with_clock("complaint")):
        after = [f for f in findings if f.occurred_on >= event.occurred_on]
        out.append(
            ComplaintFact(
                grounds=str(event.details.get("grounds") or "other"),
                filed_on=event.occurred_on,
                body=str(event.details.get("body") or ""),
                file_number=event.details.get("body_file_number") or None,
                finding=after[-1].details.get("finding") if after else None,
                finding_on=after[-1].occurred_on if after else None,
            )
        )
    return tuple(out)


def facts_for(request: InfoRequest, sent: list[Letter], today: date) -> LetterFacts:
    """What the offer rules read about a request (its timeline, complaints, letters sent)."""
    state = requests.state_of(request, today)
    law = deadlines.law_in_force(request.law_code, request.received_on)
    live = effective_events(requests.event_facts(list(request.events)))
    finals = [e for e in live if e.kind in kinds.with_clock("responds")]
    outcome = str(finals[-1].details.get("outcome")) if finals else None
    fee_pending = False
    for e in live:
        if e.kind == "fee_notice":
            fee_pending = True
        elif e.kind == "fee_paid":
            fee_pending = False
    province = requests.province_of(request)
    problems = any(
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
        for x in state.extensions
    )
    return LetterFacts(
        law=law,
        state=state,
        today=today,
        received_on=request.received_on,
        province=province,
        sent_on=request.sent_on,
        outcome=outcome,
        fee_pending=fee_pending,
        extension_problems=problems,
        complaints=_complaints(request),
        letters=tuple(
            SentLetter(x.kind, x.ground, x.sent_on)
            for x in sent
            if x.status == "sent" and x.sent_on is not None
        ),
    )


def letters_of(db: Session, request: InfoRequest) -> list[Letter]:
    """The request's letters, newest first."""
    return list(
        db.scalars(
            sa.select(Letter)
            .where(Letter.request_id == request.id)
            .order_by(Letter.created_at.desc(), Letter.id.desc())
        )
    )


def offered(db: Session, request: InfoRequest, today: date) -> list[Offer]:
    """The letters the request's state offers today."""
    return offers(facts_for(request, letters_of(db, request), today))


@dataclass(frozen=True)
class Reminder:
    """A letter due on a request, for the dashboard and the alert mails."""

    request_id: int
    title: str
    offer: Offer


# Statuses whose requests may have a letter due (not closed).
_OPEN = ("awaiting", "on_hold", "overdue", "answered", "in_complaint")


def reminder_for(db: Session, request: InfoRequest, today: date) -> Offer | None:
    """The letter whose window closes first on this request (None: none with a date)."""
    return due_reminder(facts_for(request, letters_of(db, request), today))


def reminders(db: Session, newsroom_id: int, today: date, limit: int = 10) -> list[Reminder]:
    """The newsroom's letters due soonest, in a fixed number of statements: the requests
    whose due date is within a week or whose complaint window is open, with their timelines
    and sent letters loaded in one go."""
    soon = today + timedelta(days=FOLLOW_UP_DAYS)
    rows = list(
        db.scalars(
            sa.select(InfoRequest)
            .where(
                InfoRequest.newsroom_id == newsroom_id,
                InfoRequest.status.in_(_OPEN),
                sa.or_(
                    InfoRequest.complaint_due_on >= today,
                    InfoRequest.due_on.between(today, soon),
                ),
            )
            .order_by(sa.func.coalesce(InfoRequest.complaint_due_on, InfoRequest.due_on))
            .limit(limit * 3)
            .options(selectinload(InfoRequest.events), joinedload(InfoRequest.institution))
        ).unique()
    )
    due = due_letters(db, rows, today)
    out = [Reminder(row.id, row.title, due[row.id]) for row in rows if row.id in due]
    out.sort(key=lambda r: (r.offer.window_ends or date.max, r.request_id))
    return out[:limit]


def due_letters(db: Session, rows: list[InfoRequest], today: date) -> dict[int, Offer]:
    """The letter whose window closes first on each of these requests (those with one), their
    sent letters read in one statement (the weekly digest and the dashboard)."""
    sent: dict[int, list[Letter]] = {}
    if rows:
        for letter in db.scalars(
            sa.select(Letter).where(
                Letter.request_id.in_([r.id for r in rows]), Letter.status == "sent"
            )
        ):
            sent.setdefault(letter.request_id, []).append(letter)
    out: dict[int, Offer] = {}
    for row in rows:
        offer = due_reminder(facts_for(row, sent.get(row.id, []), today))
        if offer is not None:
            out[row.id] = offer
    return out


def request_facts(request: InfoRequest) -> compose.RequestFacts:
    """The request as its letters name it, with the files on its timeline."""
    live_ids = {e.id for e in effective_events(requests.event_facts(list(request.events)))}
    attachments = []
    for event in request.events:
        if event.id not in live_ids:
            continue
        kind = kinds.get(event.kind)
        label = kind.label if kind is not None else event.kind
        for a in event.attachments:
            attachments.append(f"{event.occurred_on.isoformat()} {label}: {a.original_name}")
    return compose.RequestFacts(
        institution=request.institution.name,
        institution_email=request.institution.access_email,
        title=request.title,
        text=request.text or "",
        file_number=request.file_number,
        received_on=request.received_on,
        sent_on=request.sent_on,
        attachments=tuple(attachments),
    )


def reporter_of(user: User) -> compose.Reporter:
    """The signature block and the complaint form's complainant, from the profile."""
    return compose.Reporter(
        name=user.name,
        email=user.email,
        newsroom=user.newsroom.name,
        address=user.mailing_address or "",
        telephone=user.telephone or "",
    )


def save_profile(user: User, mailing_address: str, telephone: str) -> None:
    """Keep the reporter's mailing address and telephone (blank: none)."""
    user.mailing_address = mailing_address.strip().replace("\r\n", "\n")[:500] or None
    user.telephone = " ".join(telephone.split())[:40] or None


# ---------------------------------------------------------------------------------------------
# Drafts


def _find_offer(db: Session, request: InfoRequest, key: str, today: date) -> Offer:
    for offer in offered(db, request, today):
        if offer.key == key:
            return offer
    raise LetterError(_("That letter is not offered for this request today."), "kind")


def create_draft(
    db: Session, user: User, request: InfoRequest, key: str, language: str, today: date
) -> Letter:
    """Draft the offered letter ``key`` ("complaint:delay") in a language and keep it."""
    if not requests.can_edit(user, request):
        raise LetterError(_("Only the request's owner or an editor can write its letters."))
    if language not in compose.LANGUAGES:
        raise LetterError(_("Pick English or French."), "language")
    offer = _find_offer(db, request, key, today)
    facts = facts_for(request, letters_of(db, request), today)
    drafted = compose.draft(offer, facts, request_facts(request), reporter_of(user), language)
    letter = Letter(
        newsroom_id=request.newsroom_id,
        request_id=request.id,
        kind=drafted.kind,
        ground=drafted.ground,
        language=language,
        recipient_name=drafted.recipient_name[:300],
        recipient_email=drafted.recipient_email,
        subject=drafted.subject[:SUBJECT_MAX],
        body=drafted.body,
        created_by_id=user.id,
    )
    db.add(letter)
    db.flush()
    return letter


def check_fields(recipient_email: str, subject: str, body: str) -> dict[str, str]:
    """Messages per field for what a letter may not be (empty: it may be saved)."""
    errors: dict[str, str] = {}
    address = recipient_email.strip()
    if address and not ADDRESS.match(address):
        errors["recipient_email"] = _("%(value)s is not an e-mail address.", value=address)
    if not subject.strip():
        errors["subject"] = _("A letter needs a subject.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("At most %(n)s characters.", n=SUBJECT_MAX)
    if not body.strip():
        errors["body"] = _("The letter is empty: write it before saving or sending.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("At most %(n)s characters.", n=BODY_MAX)
    return errors


def _request_of(db: Session, letter: Letter) -> InfoRequest:
    request = db.get(InfoRequest, letter.request_id)
    if request is None:
        raise LetterError(_("No such letter."))
    return request


def _letter(db: Session, letter_id: int, **options: Any) -> Letter:
    letter = db.get(Letter, letter_id, **options)
    if letter is None:
        raise LetterError(_("No such letter."))
    return letter


def _editable(user: User, letter: Letter, request: InfoRequest) -> None:
    if not requests.can_edit(user, request):
        raise LetterError(_("Only the request's owner or an editor can write its letters."))
    if letter.status != "draft":
        raise LetterError(_("This letter was already sent: it cannot be changed or sent again."))


def update_draft(
    db: Session,
    user: User,
    letter: Letter,
    *,
    recipient_name: str,
    recipient_email: str,
    subject: str,
    body: str,
) -> None:
    """Save the edited draft (refused beside the field when a value cannot be kept)."""
    request = _request_of(db, letter)
    _editable(user, letter, request)
    errors = check_fields(recipient_email, subject, body)
    if errors:
        field, message = next(iter(errors.items()))
        raise LetterError(message, field)
    letter.recipient_name = recipient_name.strip()[:300]
    letter.recipient_email = recipient_email.strip()
    letter.subject = " ".join(subject.split())
    letter.body = body.replace("\r\n", "\n")


# ---------------------------------------------------------------------------------------------
# Mail


def message_for(letter: Letter, user: User, config: Mapping[str, Any]) -> EmailMessage:
    """The letter as a MIME message: the reporter as author per TRACKER_MAIL_FROM_POLICY, the
    Message-ID kept on the letter (replies carry it in In-Reply-To)."""
    message = EmailMessage()
    _name, tracker_address = parseaddr(config["MAIL_FROM"])
    if config.get("MAIL_FROM_POLICY") == "from":
        message["From"] = formataddr((user.name, user.email))
        message["Sender"] = config["MAIL_FROM"]
    else:
        message["From"] = formataddr((user.name, tracker_address))
        message["Reply-To"] = formataddr((user.name, user.email))
    message["To"] = formataddr((letter.recipient_name, letter.recipient_email))
    # No Cc: a copy to the reporter would still leave when the recipient is refused. The sent
    # copy is kept on the timeline instead, and replies go to the reporter (Reply-To or From).
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = letter.message_id
    message.set_content(letter.body)
    # After set_content, which replaces the Content-* headers.
    message["Content-Language"] = letter.language
    message.policy = LONG_HEADERS
    return message


def _message_id(letter: Letter, config: Mapping[str, Any]) -> str:
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    return f"<letter-{letter.id}.{secrets.token_hex(8)}@{domain}>"


def can_send(config: Mapping[str, Any]) -> bool:
    """True when the tracker has a mail server to send letters through."""
    return bool(config.get("SMTP_HOST"))


def send(
    user: User,
    letter_id: int,
    config: Mapping[str, Any],
    storage: LocalStorage,
    today: date,
    max_bytes: int,
    *,
    transaction: Any,
) -> Letter:
    """Send a draft over SMTP, once. ``transaction`` is ``tracker.core.db.transaction``: the claim
    is committed before the mail leaves and the result after."""
    if not can_send(config):
        raise LetterError(
            _(
                "This tracker has no mail server (TRACKER_SMTP_HOST is not set): download "
                "the letter and record it as sent."
            )
        )
    with transaction() as db:
        letter = db.get(Letter, letter_id, with_for_update=True)
        if letter is None:
            raise LetterError(_("No such letter."))
        request = _request_of(db, letter)
        _editable(user, letter, request)
        if not letter.recipient_email or not ADDRESS.match(letter.recipient_email):
            raise LetterError(
                _("Give the recipient's e-mail address before sending."), "recipient_email"
            )
        errors = check_fields(letter.recipient_email, letter.subject, letter.body)
        if errors:
            field, problem = next(iter(errors.items()))
            raise LetterError(problem, field)
        message_id = _message_id(letter, config)
        claimed = affected(
            db.execute(
                sa.update(Letter)
                .where(Letter.id == letter_id, Letter.status == "draft")
                .values(status="sending", message_id=message_id, last_error=None)
                .execution_options(synchronize_session=False)
            )
        )
        if claimed != 1:
            raise LetterError(
                _("This letter was already sent: it cannot be changed or sent again.")
            )
    with transaction() as db:
        letter = _letter(db, letter_id, populate_existing=True)
        message = message_for(letter, user, config)
    try:
        with Mailer(config) as mailer:
            mailer.send(message)
    except MailError as exc:
        with transaction() as db:
            db.execute(
                sa.update(Letter)
                # "unknown": the scheduler gave up on it meanwhile; the server's refusal says
                # it did not leave after all.
                .where(Letter.id == letter_id, Letter.status.in_(("sending", "unknown")))
                .values(status="draft", message_id=None, last_error=exc.answer[:2000])
                .execution_options(synchronize_session=False)
            )
        raise LetterError(
            _(
                "The mail server did not take the letter: %(answer)s. Nothing was sent.",
                answer=exc.answer,
            )
        ) from exc
    with transaction() as db:
        letter = _letter(db, letter_id, populate_existing=True)
        request = _request_of(db, letter)
        zone = ZoneInfo(
            newsroom_timezone(request, str(config.get("TIMEZONE") or "America/Toronto"))
        )
        sent_at = clock.now().astimezone(zone)
        if sent_at.date() != today:
            # A day given without its instant (a frozen day): the time is not known, so the
            # start of that day (no after-hours reading).
            sent_at = datetime.combine(today, time(0, 0), tzinfo=zone)
        _record(
            db,
            user,
            letter,
            today,
            today,
            "smtp",
            storage,
            max_bytes,
            eml=bytes(message),
            sent_at=sent_at,
        )
        return letter


def resolve_stuck(db: Session, now: datetime | None = None) -> int:
    """Mark "unknown" each letter still "sending" STUCK_MINUTES after its claim (the send was
    cut short: whether it left is not known); never send it again. Returns how many."""
    limit = (now or clock.now()) - timedelta(minutes=STUCK_MINUTES)
    return int(
        affected(
            db.execute(
                sa.update(Letter)
                .where(Letter.status == "sending", Letter.updated_at < limit)
                .values(status="unknown")
                .execution_options(synchronize_session=False)
            )
        )
    )


def record_sent(
    db: Session,
    user: User,
    letter: Letter,
    sent_on: date,
    today: date,
    storage: LocalStorage,
    max_bytes: int,
    config: Mapping[str, Any],
) -> None:
    """Record a letter sent another way (post, a portal, the reporter's own mail) on a date."""
    request = _request_of(db, letter)
    if not requests.can_edit(user, request):
        raise LetterError(_("Only the request's owner or an editor can write its letters."))
    if letter.status == "sent":
        raise LetterError(_("This letter was already sent: it cannot be changed or sent again."))
    if sent_on > today:
        raise LetterError(_("The date cannot be in the future."), "sent_on")
    if letter.kind != "request" and sent_on < request.received_on:
        raise LetterError(_("The date cannot be before the request was received."), "sent_on")
    if letter.message_id is None:
        letter.message_id = _message_id(letter, config)
    letter.status = "sending"
    db.flush()
    eml = bytes(message_for(letter, user, config))
    _record(db, user, letter, sent_on, today, "manual", storage, max_bytes, eml=eml)


def has_review_step(request: InfoRequest) -> bool:
    """True when the request's law puts the authority's own review first (UK FOIA, FOISA)."""
    from tracker.deadlines.letters import letter_law

    own = letter_law(request.law_code)
    return own is not None and own.review is not None


def record_outside_review(
    db: Session,
    user: User,
    request: InfoRequest,
    sent_on: date,
    note: str,
    today: date,
    storage: LocalStorage,
    max_bytes: int,
    config: Mapping[str, Any],
) -> Letter:
    """Record an internal review (FOIA s.50(2)(a); FOISA s.20(1)) the reporter asked for
    outside the tracker, on the date given: a review letter recorded as sent, so the
    application to the Commissioner is offered after it."""
    if not requests.can_edit(user, request):
        raise LetterError(_("Only the request's owner or an editor can write its letters."))
    if not has_review_step(request):
        raise LetterError(_("This request's law has no internal review to record."))
    if any(x.kind == "review" and x.status == "sent" for x in letters_of(db, request)):
        raise LetterError(_("A review is already recorded for this request."), "sent_on")
    if sent_on > today:
        raise LetterError(_("The date cannot be in the future."), "sent_on")
    if sent_on < request.received_on:
        raise LetterError(_("The date cannot be before the request was received."), "sent_on")
    text = note.replace("\r\n", "\n").strip()[:BODY_MAX]
    letter = Letter(
        newsroom_id=request.newsroom_id,
        request_id=request.id,
        kind="review",
        ground=None,
        language="en",
        recipient_name=request.institution.name[:300],
        recipient_email=request.institution.access_email or "",
        subject=_("Internal review requested outside the tracker")[:SUBJECT_MAX],
        body=text or _("The internal review was requested outside the tracker."),
        created_by_id=user.id,
    )
    db.add(letter)
    db.flush()
    record_sent(db, user, letter, sent_on, today, storage, max_bytes, config)
    return letter


def _record(
    db: Session,
    user: User,
    letter: Letter,
    sent_on: date,
    today: date,
    via: str,
    storage: LocalStorage,
    max_bytes: int,
    *,
    eml: bytes,
    sent_at: datetime | None = None,
) -> None:
    """Mark the letter sent and keep its copy on the timeline; a complaint becomes a
    complaint entry, a request letter the request's sent date (and, sent by the tracker's mail
    at ``sent_at``, its received date by the law's rule for e-mailed requests)."""
    request = _request_of(db, letter)
    how = _("sent by the tracker") if via == "smtp" else _("recorded as sent")
    note = _(
        "Letter %(how)s to %(to)s: %(subject)s (Message-ID %(mid)s)",
        how=how,
        to=letter.recipient_name or letter.recipient_email,
        subject=letter.subject,
        mid=letter.message_id,
    )
    received: date | None = None  # the received date an e-mailed request letter sets
    later: date | None = None  # and its later reading, where the law leaves room
    if (
        letter.kind == "request"
        and request.sent_on is None
        and sent_at is not None
        and not _acknowledged(request)
    ):
        received = sent_on
        try:
            receipt = email_receipt(
                request.law_code, sent_at, province=requests.province_of(request)
            )
            note = f"{note}\n\n{receipt_text(request, receipt)}"
            received, later = receipt.received_on, receipt.later_on
        except ValueError:
            # A day the calendars do not cover: the mail has left, so keep its day and no
            # reading of it rather than fail after sending.
            pass
    digest = hashlib.sha256(eml).hexdigest()[:8]
    event = requests.add_event(
        db,
        user,
        request,
        requests.EventData(
            "note",
            sent_on,
            note,
            uploads=(
                requests.Upload(
                    filename=f"letter-{letter.id}-{letter.kind}-{digest}.eml",
                    content_type="message/rfc822",
                    stream=io.BytesIO(eml),
                ),
            ),
        ),
        today,
        storage,
        max_bytes,
    )
    if letter.kind == "complaint" and letter.ground in COMPLAINT_GROUNDS:
        requests.add_event(
            db,
            user,
            request,
            requests.EventData(
                "complaint_filed",
                sent_on,
                _("Filed by the letter of %(day)s.", day=sent_on.isoformat()),
                details={"body": letter.recipient_name[:200], "grounds": letter.ground},
            ),
            today,
            storage,
            max_bytes,
        )
    if letter.kind == "request" and request.sent_on is None:
        _request_sent(db, user, request, sent_on, today, received=received, later=later)
    letter.status = "sent"
    letter.sent_on = sent_on
    letter.sent_at = clock.now()
    letter.sent_via = via
    letter.event_id = event.id
    letter.last_error = None


def _acknowledged(request: InfoRequest) -> bool:
    return any(e.kind in kinds.with_clock("acknowledges") for e in request.events)


def receipt_text(request: InfoRequest, receipt: EmailReceipt) -> str:
    """The received date of an e-mailed request, with the law's rule (or the absence of one)
    and, where the law leaves room, the later day an institution may count from and the due
    date it gives: both readings, each with its source."""
    day = receipt.received_on.isoformat()
    if receipt.rule is not None:
        section, rule = receipt.rule.section, receipt.rule.text
        in_french = (
            french.email_rule(receipt.law_code) if str(get_locale() or "en") == "fr" else None
        )
        if in_french is not None:
            section, rule = in_french
        text = _(
            "Received on %(day)s by the law's rule for e-mailed requests (%(section)s): %(rule)s.",
            day=day,
            section=section,
            rule=rule,
        )
    else:
        text = _(
            "Received on %(day)s: no rule of this law on when an e-mailed request is received "
            "was found, so the tracker takes the day the mail left, the earliest day the "
            "institution's time can run from (the reporter's reading).",
            day=day,
        )
    if receipt.later_on is None:
        return text
    why = (
        _("the mail left on a day the law does not count")
        if receipt.why_later == "closed"
        else _("the mail left after office hours")
    )
    due = deadlines.due_date(
        request.law_code, receipt.later_on, province=requests.province_of(request)
    )
    later = _(
        "The law can also be read as counting from %(later)s (%(why)s): the tracker counts "
        "the institution's time from %(later)s, due on %(due)s, so that the request is never "
        "called overdue too early, and the reporter's windows from %(day)s, so that none is "
        "shown later than the law allows.",
        later=receipt.later_on.isoformat(),
        why=why,
        due=due.isoformat(),
        day=day,
    )
    return f"{text} {later}"


def _request_sent(
    db: Session,
    user: User,
    request: InfoRequest,
    sent_on: date,
    today: date,
    *,
    received: date | None,
    later: date | None = None,
) -> None:
    """The request letter went out: the request's sent date; sent by the tracker's mail and not
    yet acknowledged, its received date too (``received``: the law's rule for e-mailed
    requests, ``tracker.deadlines.letters.email_receipt``), so the due date follows until the
    institution's acknowledgement says otherwise. ``later``: the later reading of that date,
    where the law leaves room; the institution's due date counts from it, the reporter's
    windows from ``received`` (``state.derive_state``)."""
    data = requests.RequestData(
        institution_id=request.institution_id,
        title=request.title,
        received_on=received or request.received_on,
        law_code=request.law_code,
        text=request.text or "",
        sent_on=sent_on,
        file_number=request.file_number,
    )
    try:
        requests.update_request(db, user, request, data, today)
    except requests.RequestError:
        # The mail has left: keep the sent date at least; the reporter fixes the rest.
        request.sent_on = sent_on
        return
    if received is not None and later is not None and later > received:
        request.received_later_on = later
        requests.recompute(db, request, today)


def eml_bytes(letter: Letter, user: User, config: Mapping[str, Any]) -> bytes:
    """The letter as an .eml file to send another way (a Message-ID is given on first use)."""
    if letter.message_id is None:
        letter.message_id = _message_id(letter, config)
    return bytes(message_for(letter, user, config))
