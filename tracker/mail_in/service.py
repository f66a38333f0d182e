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
from collections.abc import Iterable
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
from tracker.files.storage import FileRefused, LocalStorage, StoredFile
from tracker.language.i18n import _, force_locale, locale_of
from tracker.mail_in import matching, parsing, reading, reasons
from tracker.requests import service as requests

log = logging.getLogger("tracker.mail_in")


class MailError(ValueError):
    """A mail action was refused; the message is safe to show."""


@dataclass(frozen=True)
class Ingested:
    """One message's fate: one line of ``ingest-mail``. ``why``: how it was matched or why
    not (tracker.mail_in.reasons), put into words in the reader's language by ``how``."""

    message_id: str
    mail_id: int | None
    request_id: int | None
    why: tuple[reasons.Clause, ...] = ()
    duplicate: bool = False
    skipped: bool = False
    # Duplicates: "content" (the same SHA-256) or "message_id"; skipped: "too_large", "empty".
    cause: str = ""
    limit_mb: int = 0

    @property
    def words(self) -> str:
        """How it was matched, why not, or why it was not stored, in the reader's language."""
        if self.duplicate:
            if self.cause == "message_id":
                return _("already stored (same Message-ID)")
            return _("already stored (same content)")
        if self.skipped:
            if self.cause == "empty":
                return _("empty file; not stored")
            return _("larger than the %(limit)d MB upload limit; not stored", limit=self.limit_mb)
        return reasons.render(self.why)

    @property
    def how(self) -> str:
        """``words``, after "skipped:" or "review queue:" when it was not attached."""
        if self.skipped:
            return _("skipped: %(why)s", why=self.words)
        if not self.duplicate and self.request_id is None:
            return _("review queue: %(why)s", why=self.words)
        return self.words

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
    """Every message of one file (an ``.mbox`` holds many); ``request``: dropped on its page.
    The files are on disk for good when this returns; the caller commits."""
    if request is not None and request.newsroom_id != context.newsroom_id:
        raise MailError("That request belongs to another newsroom.")
    outcomes = ingest_batch(db, context, parsing.split_files(name, data), request)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            raise outcome
    return outcomes  # type: ignore[return-value]


def ingest_message(
    db: Session, context: Context, name: str, data: bytes, request: InfoRequest | None = None
) -> Ingested:
    """Store, match and read one message as it is (see the module's docstring)."""
    (outcome,) = ingest_batch(db, context, [(name, data)], request)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@dataclass
class _Item:
    """One message of a batch, as it goes through the pipeline."""

    name: str
    data: bytes
    sha: str = ""
    parsed: parsing.ParsedMail | None = None
    build: Any = None  # () -> MailMessage: the row, built again if a first insert failed
    row: MailMessage | None = None
    same_as: Any = None  # a stored row's (id, message_id, request_id), or an earlier _Item
    cause: str = ""
    why: tuple[reasons.Clause, ...] = ()
    limit_mb: int = 0
    lost: bool = False  # another process stored the same content meanwhile
    error: Exception | None = None


def _stored_by(db: Session, newsroom_id: int, column: Any, values: set[str]) -> dict[str, Any]:
    """Stored messages with these hashes or Message-IDs: value -> (id, message_id, request_id)."""
    found: dict[str, Any] = {}
    wanted = sorted(values)
    for start in range(0, len(wanted), 500):
        query = sa.select(
            column, MailMessage.id, MailMessage.message_id, MailMessage.request_id
        ).where(MailMessage.newsroom_id == newsroom_id, column.in_(wanted[start : start + 500]))
        if column is MailMessage.message_id:
            query = query.where(MailMessage.status != "skipped")
        for key, *rest in db.execute(query.order_by(MailMessage.id)):
            found.setdefault(key, tuple(rest))
    return found


def ingest_batch(
    db: Session,
    context: Context,
    messages: Iterable[tuple[str, bytes]],
    request: InfoRequest | None = None,
) -> list[Ingested | Exception]:
    """Store, match and read several messages at once (see the module's docstring), in order:
    each one's outcome, or the error that kept it out (the others are stored all the same).

    One query finds the batch's hashes already stored and one its Message-IDs; the rows are
    inserted together (again one by one, each in its savepoint, when another process stored
    one of them meanwhile); the files are written first and flushed to disk together before
    this returns. The caller commits."""
    if context.numbers is None:
        context.numbers = matching.file_numbers(db, context.newsroom_id)
    # The domains' answers are read again for each batch (a request may close in between).
    context.numbers.by_domain.clear()
    items = [_Item(name, data, _sha256(data)) for name, data in messages]
    by_sha: dict[str, Any] = _stored_by(
        db, context.newsroom_id, MailMessage.sha256, {i.sha for i in items}
    )
    for item in items:
        if item.sha in by_sha or len(item.data) > context.max_bytes or not item.data.strip():
            continue
        try:
            item.parsed = parsing.parse(item.name, item.data)
        except Exception as exc:  # parse() lists problems instead of raising; in case
            item.error = exc
    by_id: dict[str, Any] = _stored_by(
        db,
        context.newsroom_id,
        MailMessage.message_id,
        {i.parsed.message_id for i in items if i.parsed and i.parsed.message_id},
    )
    pending: list[_Item] = []
    files: list[StoredFile] = []
    for item in items:
        if item.error is not None:
            continue
        try:
            _prepare(db, context, item, request, by_sha, by_id, pending, files)
        except Exception as exc:  # one bad message never stops the others
            item.error = exc
            log.exception("mail in: %s failed", item.name)
    _insert_all(db, pending)
    for item in items:
        if item.row is not None and item.row.request_id is not None:
            _auto_acknowledge(db, context, item.row)
    # On disk for good before the rows that name the files are committed.
    context.storage.sync(files)
    return [_outcome(item) for item in items]


def _prepare(
    db: Session,
    context: Context,
    item: _Item,
    request: InfoRequest | None,
    by_sha: dict[str, Any],
    by_id: dict[str, Any],
    pending: list[_Item],
    files: list[StoredFile],
) -> None:
    """Decide one message's fate; a row to insert joins ``pending``."""
    if item.sha in by_sha:
        item.same_as, item.cause = by_sha[item.sha], "content"
        return
    if len(item.data) > context.max_bytes or not item.data.strip():
        item.cause = "empty" if len(item.data) <= context.max_bytes else "too_large"
        item.limit_mb = context.max_bytes // (1024 * 1024)
        problem = (
            _("empty file; not stored")
            if item.cause == "empty"
            else _("larger than the %(limit)d MB upload limit; not stored", limit=item.limit_mb)
        )
        item.build = lambda: MailMessage(
            newsroom_id=context.newsroom_id,
            status="skipped",
            source=context.source,
            sha256=item.sha,
            size=len(item.data),
            original_name=parsing.safe_filename(item.name),
            content_type="message/rfc822",
            problem=problem,
            match_why=[],
            proposal={},
        )
        by_sha[item.sha] = item
        pending.append(item)
        return
    parsed = item.parsed
    assert parsed is not None  # nosec B101
    if parsed.message_id and parsed.message_id in by_id:
        item.same_as, item.cause = by_id[parsed.message_id], "message_id"
        return
    if request is None and parsed.in_reply_to and pending:
        # A reply to a message of this batch: the rows before it are looked up in the table.
        _insert_all(db, pending)
    original = context.storage.save(io.BytesIO(item.data), context.max_bytes, durable=False)
    files.append(original)
    problems = list(parsed.problems)
    parts: list[dict[str, Any]] = []
    for part in parsed.attachments:
        if not part.data:
            continue
        try:
            stored = context.storage.save(io.BytesIO(part.data), context.max_bytes, durable=False)
        except FileRefused as exc:
            problems.append(
                _(
                    "%(file)s: %(error)s Kept inside the original only.",
                    file=part.filename,
                    error=exc,
                )
            )
            continue
        files.append(stored)
        if part.problem:
            problems.append(f"{part.filename}: {part.problem}")
        parts.append(
            {
                "sha256": stored.sha256,
                "filename": part.filename,
                "content_type": part.content_type[:127],
                "size": stored.size,
                "problem": part.problem,
            }
        )
    if request is not None:
        found = matching.Match(request.id, "page", [reasons.clause("page")])
    else:
        found = matching.match(db, context.newsroom_id, parsed, context.numbers)
    proposal = reading.read(parsed.subject, parsed.body_text, parsed.automatic).as_json()
    occurred = (
        parsed.sent_at.astimezone(ZoneInfo(context.timezone)).date() if parsed.sent_at else None
    )
    proposal["occurred_on"] = (occurred or context.today).isoformat()
    item.why = tuple(found.why)

    def build() -> MailMessage:
        return MailMessage(
            newsroom_id=context.newsroom_id,
            request_id=found.request_id,
            status="attached" if found.request_id is not None else "review",
            source=context.source,
            sha256=item.sha,
            size=len(item.data),
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
            match_why=list(found.why),
            problem="\n".join(problems),
            proposal=proposal,
            attachments=[MailAttachment(**part) for part in parts],
        )

    item.build = build
    by_sha[item.sha] = item
    if parsed.message_id:
        by_id[parsed.message_id] = item
    pending.append(item)


def _insert_all(db: Session, pending: list[_Item]) -> None:
    """Insert the pending rows together; one by one when another process stored one of them
    meanwhile (that one is then a duplicate). ``pending`` is emptied."""
    if not pending:
        return
    for item in pending:
        item.row = item.build()
    try:
        with db.begin_nested():
            db.add_all([item.row for item in pending if item.row is not None])
            db.flush()
    except IntegrityError:
        for item in pending:
            item.row = _insert(db, item.build())
            item.lost = item.row is None
    pending.clear()


def _outcome(item: _Item) -> Ingested | Exception:
    if item.error is not None:
        return item.error
    if item.same_as is not None:
        same = item.same_as
        if isinstance(same, _Item):
            row = same.row
            same = (row.id, row.message_id, row.request_id) if row is not None else (None,) * 3
        mail_id, message_id, request_id = same
        if item.cause == "message_id" and item.parsed is not None:
            message_id = item.parsed.message_id
        return Ingested(message_id or "-", mail_id, request_id, duplicate=True, cause=item.cause)
    message_id = (item.parsed.message_id if item.parsed else None) or "-"
    if item.lost or item.row is None:
        return Ingested(message_id, None, None, duplicate=True, cause="content")
    if item.cause in ("empty", "too_large"):
        return Ingested(
            "-", item.row.id, None, skipped=True, cause=item.cause, limit_mb=item.limit_mb
        )
    return Ingested(message_id, item.row.id, item.row.request_id, item.why)


def _insert(db: Session, row: MailMessage) -> MailMessage | None:
    """Add a row; None when another process stored the same content meanwhile."""
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        return None
    return row


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
                    # Written for the request's owner, in their language.
                    note=_owners_note(message, request.owner),
                    uploads=entry_uploads(context.storage, message),
                ),
                context.today,
                context.storage,
                context.max_bytes,
            )
            message.event_id = event.id
    except requests.RequestError as exc:
        message.problem = "\n".join(
            p
            for p in (message.problem, _("Not confirmed automatically: %(error)s", error=exc))
            if p
        )


def _owners_note(message: MailMessage, owner: Any) -> str:
    with force_locale(locale_of(owner)):
        return proposed_note(message)


def proposed_note(message: MailMessage) -> str:
    """The note a confirmed entry carries: the subject, the sender and what was read."""
    proposal = message.proposal or {}
    lines = [
        _(
            "E-mail from %(sender)s: %(subject)s", sender=message.sender, subject=message.subject
        ).strip()
    ]
    if proposal.get("details", {}).get("exemptions"):
        lines.append(_("Sections cited: %(sections)s", sections=proposal["details"]["exemptions"]))
    if proposal.get("details", {}).get("section"):
        lines.append(_("Section cited: %(section)s", section=proposal["details"]["section"]))
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
    message.match_why = [reasons.clause("manual", user=user.name or user.email)]


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
        local, _at, domain = mailbox.partition("@")
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
