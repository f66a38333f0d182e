"""Which request a message belongs to, in the issue's order, each rule recorded as the reason:
the request's own tag (address ``+r123-k7f2`` or subject ``[ATI-123]``), a reply to a message
the tracker holds, the institution's file number in the subject or body, the sender's domain
matching one institution with a single open request. Only the newsroom's own requests are
ever looked at; anything else goes to the review queue with why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.core.models import (
    Complaint,
    InfoRequest,
    Institution,
    Letter,
    MailMessage,
    RequestMailToken,
    RequestNumber,
)
from tracker.mail_in.parsing import ParsedMail
from tracker.mail_in.reasons import Clause, clause

OPEN_STATUSES = ("awaiting", "on_hold", "overdue")
_ADDRESS_TAG = re.compile(r"\+r(\d{1,12})-([a-z0-9]{4,16})@", re.IGNORECASE)
_SUBJECT_TAG = re.compile(r"\[ATI-(\d{1,12})(?:-([a-z0-9]{4,16}))?\]", re.IGNORECASE)
_MESSAGE_IDS = re.compile(r"<[^<>\s]{1,490}>")
_CANDIDATE = re.compile(r"[A-Z0-9](?:[A-Z0-9./_:#-]*[A-Z0-9])?")


@dataclass
class Match:
    """The request found (None: the review queue) and how, or why not (tracker.mail_in.reasons:
    codes and parameters, put into words when shown)."""

    request_id: int | None
    rule: str | None
    why: list[Clause]


@dataclass
class Numbers:
    """A newsroom's file numbers, normalised, read once for a batch of messages."""

    by_number: dict[str, set[int]] = field(default_factory=dict)
    # The sender's domain's answer (a request id, or why not), asked once per batch.
    by_domain: dict[str, int | Clause] = field(default_factory=dict)


def normalise_number(value: str) -> str:
    """A file number as compared: upper case, without spaces."""
    return "".join(value.upper().split())


def file_numbers(db: Session, newsroom_id: int) -> Numbers:
    """Every file number of the newsroom's requests (all of a request's numbers)."""
    numbers = Numbers()
    own = InfoRequest.newsroom_id == newsroom_id
    # The current number, the others recorded (tracker.requests.numbers) and the complaint
    # bodies' file numbers.
    rows: sa.Result[int, str | None] = db.execute(
        sa.union_all(
            sa.select(InfoRequest.id, InfoRequest.file_number).where(
                own, InfoRequest.file_number.is_not(None)
            ),
            sa.select(RequestNumber.request_id, RequestNumber.number)
            .join(InfoRequest, InfoRequest.id == RequestNumber.request_id)
            .where(own),
            sa.select(Complaint.request_id, Complaint.body_file_number)
            .join(InfoRequest, InfoRequest.id == Complaint.request_id)
            .where(own, Complaint.superseded.is_(False), Complaint.body_file_number.is_not(None)),
        )
    )
    for request_id, number in rows:
        key = normalise_number(number or "")
        if len(key) >= 3:
            numbers.by_number.setdefault(key, set()).add(request_id)
    return numbers


def _own_request(db: Session, newsroom_id: int, request_id: int) -> bool:
    return (
        db.scalar(
            sa.select(InfoRequest.id).where(
                InfoRequest.id == request_id, InfoRequest.newsroom_id == newsroom_id
            )
        )
        is not None
    )


def _by_token(db: Session, newsroom_id: int, mail: ParsedMail) -> Match | None:
    for match in _ADDRESS_TAG.finditer(mail.recipients):
        request_id, key = int(match.group(1)), match.group(2).lower()
        stored = db.get(RequestMailToken, request_id)
        if stored is not None and stored.key == key and _own_request(db, newsroom_id, request_id):
            return Match(request_id, "token", [clause("address_tag", tag=match.group(0)[:-1])])
    for text in (mail.subject, mail.body_text[:20000]):
        for match in _SUBJECT_TAG.finditer(text):
            request_id = int(match.group(1))
            key = (match.group(2) or "").lower()
            if key:
                stored = db.get(RequestMailToken, request_id)
                if stored is None or stored.key != key:
                    continue
            if _own_request(db, newsroom_id, request_id):
                return Match(request_id, "token", [clause("subject_tag", tag=match.group(0))])
    return None


def _by_reply(db: Session, newsroom_id: int, mail: ParsedMail) -> Match | None:
    ids = _MESSAGE_IDS.findall(mail.in_reply_to)
    if not ids:
        return None
    row = db.execute(
        sa.select(MailMessage.request_id, MailMessage.message_id)
        .join(InfoRequest, InfoRequest.id == MailMessage.request_id)
        .where(
            MailMessage.newsroom_id == newsroom_id,
            InfoRequest.newsroom_id == newsroom_id,
            MailMessage.message_id.in_(ids[-50:]),
        )
        .order_by(MailMessage.id.desc())
        .limit(1)
    ).first()
    if row is not None:
        return Match(row.request_id, "reply", [clause("reply", message_id=row.message_id)])
    # A letter the tracker sent (tracker/letters/) keeps its Message-ID for this.
    letter = db.execute(
        sa.select(Letter.request_id, Letter.message_id)
        .where(Letter.newsroom_id == newsroom_id, Letter.message_id.in_(ids[-50:]))
        .order_by(Letter.id.desc())
        .limit(1)
    ).first()
    if letter is None:
        return None
    return Match(letter.request_id, "reply", [clause("reply_letter", message_id=letter.message_id)])


def _by_number(mail: ParsedMail, numbers: Numbers) -> Match | Clause | None:
    text = f"{mail.subject}\n{mail.body_text[:50000]}".upper()
    found: dict[str, set[int]] = {}
    for candidate in _CANDIDATE.findall(text):
        if candidate in numbers.by_number:
            found[candidate] = numbers.by_number[candidate]
    requests = set().union(*found.values()) if found else set()
    if len(requests) == 1:
        return Match(requests.pop(), "file_number", [clause("file_number", numbers=sorted(found))])
    if len(requests) > 1:
        return clause("several_numbers", count=len(requests), numbers=sorted(found))
    return None


def _domain_answer(db: Session, newsroom_id: int, domain: str) -> int | Clause:
    """The one open request of the one institution with this domain, or why not."""
    institutions = db.scalars(
        sa.select(Institution.id).where(
            Institution.newsroom_id == newsroom_id,
            sa.func.lower(Institution.access_email).like(f"%@{domain}"),
        )
    ).all()
    if not institutions:
        return clause("unknown_domain", domain=domain)
    if len(institutions) > 1:
        return clause("shared_domain", domain=domain, count=len(institutions))
    open_requests = db.scalars(
        sa.select(InfoRequest.id)
        .where(
            InfoRequest.newsroom_id == newsroom_id,
            InfoRequest.institution_id == institutions[0],
            InfoRequest.status.in_(OPEN_STATUSES),
        )
        .limit(2)
    ).all()
    if len(open_requests) == 1:
        return open_requests[0]
    return clause(
        "no_open_request" if not open_requests else "several_open_requests", domain=domain
    )


def _by_domain(
    db: Session, newsroom_id: int, mail: ParsedMail, numbers: Numbers
) -> Match | list[Clause]:
    domains = mail.sender_domains()
    if not domains:
        return [clause("no_sender")]
    notes: list[Clause] = []
    for domain in domains:
        answer = numbers.by_domain.get(domain)
        if answer is None:
            answer = numbers.by_domain[domain] = _domain_answer(db, newsroom_id, domain)
        if isinstance(answer, int):
            return Match(answer, "domain", [clause("domain", domain=domain)])
        notes.append(answer)
    return notes


def match(db: Session, newsroom_id: int, mail: ParsedMail, numbers: Numbers | None = None) -> Match:
    """The request this message belongs to, by the first rule that finds exactly one."""
    for rule in (_by_token, _by_reply):
        found = rule(db, newsroom_id, mail)
        if found is not None:
            return found
    why = [clause("no_tag"), clause("not_reply")]
    if numbers is None:
        numbers = file_numbers(db, newsroom_id)
    by_number = _by_number(mail, numbers)
    if isinstance(by_number, Match):
        return by_number
    why.append(by_number or clause("no_number"))
    by_domain = _by_domain(db, newsroom_id, mail, numbers)
    if isinstance(by_domain, Match):
        return by_domain
    return Match(None, None, why + by_domain)
