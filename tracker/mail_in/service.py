"""Mail in, the use cases: one pipeline for every way a message arrives (a file dropped on a
page, ``flask ingest-mail``, the IMAP poll). A message is stored byte for byte and hashed
like every file, its attachments stored by SHA-256, matched to a request of its newsroom (or
left in the review queue with why), and read for the entry it proposes. Nothing is dropped:
a message that cannot be stored (over the upload limit) is still recorded, as skipped, with
the reason. The same content twice (same SHA-256, or same Message-ID) is stored once."""

from __future__ import annotations

import hashlib
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.core.models import (
    InfoRequest,
    MailAttachment,
    MailboxPoll,
    MailMessage,
    Newsroom,
    RequestMailToken,
    TimelineEvent,
    User,
)
from tracker.files.storage import FileRefused, LocalStorage
from tracker.mail_in import matching, parsing, reading
from tracker.requests import service as requests

log = logging.getLogger("tracker.mail_in")


class MailError(ValueError):
    """A mail action was refused; the message is safe to show."""


@dataclass(frozen=True)
class Ingested:
    """One message's fate: one line of ``ingest-mail``."""

    message_id: str
    mail_id: int | None
    request_id: int | None
    how: str
    duplicate: bool = False
    skipped: bool = False

    def line(self) -> str:
        """``Message-ID<TAB>request id or unmatched<TAB>how``."""
        target = str(self.request_id) if self.request_id is not None else "unmatched"
        return f"{self.message_id}\t{target}\t{self.how}"


@dataclass
class Context:
    """What a batch of messages shares: where files go, the limit, the day, the numbers."""

    newsroom_id: int
    storage: LocalStorage
    max_bytes: int
    timezone: str
    today: date
    source: str = "upload"
    numbers: matching.Numbers | None = None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_duplicate(db: Session, newsroom_id: int, sha: str) -> MailMessage | None:
    """The stored message with this content, if any."""
    return db.scalar(
        sa.select(MailMessage).where(
            MailMessage.newsroom_id == newsroom_id, MailMessage.sha256 == sha
        )
    )


def ingest_file(
    db: Session, context: Context, name: str, data: bytes, request: InfoRequest | None = None
) -> list[Ingested]:
    """Every message of one file (an ``.mbox`` holds many); ``request``: dropped on its page."""
    if request is not None and request.newsroom_id != context.newsroom_id:
        raise MailError("That request belongs to another newsroom.")
    if context.numbers is None:
        context.numbers = matching.file_numbers(db, context.newsroom_id)
    return [
        ingest_message(db, context, part_name, part, request)
        for part_name, part in parsing.split_files(name, data)
    ]


def _skipped(db: Session, context: Context, name: str, data: bytes, why: str) -> Ingested:
    row = MailMessage(
        newsroom_id=context.newsroom_id,
        status="skipped",
        source=context.source,
        sha256=_sha256(data),
        size=len(data),
        original_name=parsing.safe_filename(name),
        content_type="message/rfc822",
        problem=why,
        proposal={},
    )
    saved = _insert(db, row)
    return Ingested("-", saved.id if saved else None, None, f"skipped: {why}", skipped=True)


def _insert(db: Session, row: MailMessage) -> MailMessage | None:
    """Add a row; None when another process stored the same content meanwhile."""
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        return None
    return row


def ingest_message(
    db: Session, context: Context, name: str, data: bytes, request: InfoRequest | None = None
) -> Ingested:
    """Store, match and read one message (see the module's docstring)."""
    sha = _sha256(data)
    existing = find_duplicate(db, context.newsroom_id, sha)
    if existing is not None:
        return Ingested(
            existing.message_id or "-",
            existing.id,
            existing.request_id,
            "already stored (same content)",
            duplicate=True,
        )
    if len(data) > context.max_bytes:
        limit = context.max_bytes // (1024 * 1024)
        return _skipped(
            db, context, name, data, f"larger than the {limit} MB upload limit; not stored"
        )
    if not data.strip():
        return _skipped(db, context, name, data, "empty file; not stored")
    parsed = parsing.parse(name, data)
    if parsed.message_id:
        same_id = db.scalar(
            sa.select(MailMessage).where(
                MailMessage.newsroom_id == context.newsroom_id,
                MailMessage.message_id == parsed.message_id,
                MailMessage.status != "skipped",
            )
        )
        if same_id is not None:
            return Ingested(
                parsed.message_id,
                same_id.id,
                same_id.request_id,
                "already stored (same Message-ID)",
                duplicate=True,
            )
    saved_files = []
    original = context.storage.save(io.BytesIO(data), context.max_bytes)
    saved_files.append(original)
    problems = list(parsed.problems)
    parts: list[MailAttachment] = []
    for part in parsed.attachments:
        problem = part.problem
        if not part.data:
            continue
        try:
            stored = context.storage.save(io.BytesIO(part.data), context.max_bytes)
        except FileRefused as exc:
            problems.append(f"{part.filename}: {exc} Kept inside the original only.")
            continue
        saved_files.append(stored)
        if problem:
            problems.append(f"{part.filename}: {problem}")
        parts.append(
            MailAttachment(
                sha256=stored.sha256,
                filename=part.filename,
                content_type=part.content_type[:127],
                size=stored.size,
                problem=problem,
            )
        )
    if request is not None:
        found = matching.Match(request.id, "page", "dropped on the request's page")
    else:
        found = matching.match(db, context.newsroom_id, parsed, context.numbers)
    proposal = reading.read(parsed.subject, parsed.body_text, parsed.automatic).as_json()
    occurred = (
        parsed.sent_at.astimezone(ZoneInfo(context.timezone)).date() if parsed.sent_at else None
    )
    proposal["occurred_on"] = (occurred or context.today).isoformat()
    row = MailMessage(
        newsroom_id=context.newsroom_id,
        request_id=found.request_id,
        status="attached" if found.request_id is not None else "review",
        source=context.source,
        sha256=sha,
        size=len(data),
        original_name=parsed.original_name[:255],
        content_type=parsed.content_type,
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        sender=parsed.sender,
        recipients=parsed.recipients,
        subject=parsed.subject,
        sent_at=parsed.sent_at,
        body_text=parsed.body_text,
        auth_results=parsed.auth_results,
        match_rule=found.rule,
        match_reason=found.reason,
        problem="\n".join(problems),
        proposal=proposal,
        attachments=parts,
    )
    if _insert(db, row) is None:
        return Ingested(parsed.message_id or "-", None, None, "already stored (same content)", True)
    if row.request_id is not None:
        _auto_acknowledge(db, context, row)
    how = found.reason if found.request_id is not None else f"review queue: {found.reason}"
    return Ingested(parsed.message_id or "-", row.id, row.request_id, how)


def _auto_acknowledge(db: Session, context: Context, message: MailMessage) -> None:
    """The newsroom's setting: an acknowledgement is added without waiting for a click."""
    if message.proposal.get("kind") != "acknowledgement":
        return
    newsroom = db.get(Newsroom, context.newsroom_id)
    if newsroom is None or not newsroom.mail_auto_acknowledge:
        return
    request = requests.load_request(db, message.request_id or 0)
    if request is None:
        return
    try:
        with db.begin_nested():
            event = requests.add_event(
                db,
                request.owner,
                request,
                requests.EventData(
                    kind="acknowledgement",
                    occurred_on=date.fromisoformat(message.proposal["occurred_on"]),
                    note=proposed_note(message),
                    uploads=entry_uploads(context.storage, message),
                ),
                context.today,
                context.storage,
                context.max_bytes,
            )
            message.event_id = event.id
    except requests.RequestError as exc:
        message.problem = "\n".join(
            p for p in (message.problem, f"Not confirmed automatically: {exc}") if p
        )


def proposed_note(message: MailMessage) -> str:
    """The note a confirmed entry carries: the subject, the sender and what was read."""
    proposal = message.proposal or {}
    lines = [f"E-mail from {message.sender}: {message.subject}".strip()]
    if proposal.get("details", {}).get("exemptions"):
        lines.append(f"Sections cited: {proposal['details']['exemptions']}")
    if proposal.get("details", {}).get("section"):
        lines.append(f"Section cited: {proposal['details']['section']}")
    return "\n".join(lines)[:2000]


def entry_uploads(storage: LocalStorage, message: MailMessage) -> tuple[requests.Upload, ...]:
    """The original message and its attachments, as the files of a confirmed entry."""
    name = message.original_name
    if message.content_type == "message/rfc822" and not name.lower().endswith(".eml"):
        name += ".eml"
    files = [requests.Upload(name, message.content_type, storage.open(message.sha256))]
    for part in message.attachments:
        files.append(requests.Upload(part.filename, part.content_type, storage.open(part.sha256)))
    return tuple(files)


def prefill(message: MailMessage) -> dict[str, Any]:
    """What the timeline form starts with for a proposal: its date, note and details."""
    proposal = message.proposal or {}
    return {
        "occurred_on": proposal.get("occurred_on"),
        "note": proposed_note(message),
        "details": dict(proposal.get("details") or {}),
    }


def message_for_entry(db: Session, raw_id: str, request: InfoRequest) -> MailMessage | None:
    """The request's message named in a timeline form's address (``?mail=ID``), if it is one."""
    if not raw_id.isdigit() or len(raw_id) > 12:
        return None
    message = db.get(MailMessage, int(raw_id))
    if (
        message is None
        or message.request_id != request.id
        or message.newsroom_id != request.newsroom_id
        or message.status != "attached"
    ):
        return None
    return message


def confirm(db: Session, message: MailMessage, event: TimelineEvent) -> None:
    """Record that the entry confirmed from a message is written."""
    message.event_id = event.id


def attach(db: Session, user: User, message: MailMessage, request: InfoRequest) -> None:
    """The one-click attach of the review queue (same newsroom only)."""
    if message.newsroom_id != user.newsroom_id or request.newsroom_id != user.newsroom_id:
        raise MailError("That message or request belongs to another newsroom.")
    if message.status == "skipped":
        raise MailError("This message was not stored; bring it in again under the limit.")
    message.request_id = request.id
    message.status = "attached"
    message.match_rule = "manual"
    message.match_reason = f"attached by {user.name or user.email}"


def review_queue(db: Session, newsroom_id: int, limit: int = 200) -> list[MailMessage]:
    """Messages waiting for a reporter (review) and those not stored (skipped), newest first."""
    return list(
        db.scalars(
            sa.select(MailMessage)
            .where(
                MailMessage.newsroom_id == newsroom_id,
                MailMessage.status.in_(("review", "skipped")),
            )
            .order_by(MailMessage.id.desc())
            .limit(limit)
        )
    )


def messages_of(db: Session, request: InfoRequest) -> list[MailMessage]:
    """A request's messages, oldest first."""
    return list(
        db.scalars(
            sa.select(MailMessage)
            .where(
                MailMessage.request_id == request.id,
                MailMessage.newsroom_id == request.newsroom_id,
            )
            .order_by(MailMessage.sent_at, MailMessage.id)
        )
    )


def token_for(db: Session, request: InfoRequest) -> RequestMailToken:
    """The request's tag, given on first use and kept."""
    token = db.get(RequestMailToken, request.id)
    if token is None:
        token = RequestMailToken(request_id=request.id, key=secrets.token_hex(2))
        try:
            with db.begin_nested():
                db.add(token)
                db.flush()
        except IntegrityError:
            token = db.get(RequestMailToken, request.id)
            assert token is not None  # nosec B101
    return token


def tags(token: RequestMailToken, mailbox: str | None) -> dict[str, str]:
    """The address tag (when the mailbox's address is known) and the subject tag."""
    found = {"subject": f"[ATI-{token.request_id}]"}
    if mailbox and "@" in mailbox:
        local, _, domain = mailbox.partition("@")
        found["address"] = f"{local.split('+')[0]}+r{token.request_id}-{token.key}@{domain}"
    return found


def set_auto_acknowledge(db: Session, newsroom_id: int, enabled: bool) -> None:
    """The newsroom's setting: acknowledgements read in mail confirmed without a click."""
    newsroom = db.get(Newsroom, newsroom_id)
    if newsroom is not None:
        newsroom.mail_auto_acknowledge = enabled


def poll_status(db: Session, newsroom_id: int) -> MailboxPoll | None:
    """The newsroom's mailbox's last poll, if it has one."""
    return db.scalar(sa.select(MailboxPoll).where(MailboxPoll.newsroom_id == newsroom_id))


def ensure_token(db: Session, request_id: int, newsroom_id: int) -> RequestMailToken | None:
    """The request's tag, given (and committed) the first time its page is shown."""
    token = db.get(RequestMailToken, request_id)
    if token is not None:
        return token
    owned = db.scalar(
        sa.select(InfoRequest).where(
            InfoRequest.id == request_id, InfoRequest.newsroom_id == newsroom_id
        )
    )
    if owned is None:
        return None
    token = token_for(db, owned)
    db.commit()
    return token


@dataclass
class Panel:
    """The mail part of a request page."""

    tags: dict[str, str]
    messages: list[MailMessage]
    auth: dict[int, dict[str, str]]


def request_panel(db: Session, request: InfoRequest, mailbox: str | None) -> Panel:
    """The request's tags and messages, each with its authentication results."""
    token = db.get(RequestMailToken, request.id)
    messages = messages_of(db, request)
    return Panel(
        tags=tags(token, mailbox) if token is not None else {},
        messages=messages,
        auth={m.id: parsing.auth_summary(m.auth_results) for m in messages},
    )
