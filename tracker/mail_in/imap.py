"""The newsroom's mailbox over IMAP, polled by the scheduler (tracker.operations.scheduler ``mail-poll``).

Each message of ``TRACKER_IMAP_FOLDER`` is fetched, stored through the same pipeline as an
upload (tracker.mail_in.service), committed, and only then moved to ``TRACKER_IMAP_FILED``.
A restart between the two finds the message again: its content hash (or Message-ID) is
already stored, so it is only moved. A message over the upload limit is recorded as skipped
(with its size and Message-ID) and left where it is. A message the pipeline fails on is left
in place with the error recorded, and the poll goes on. The server down or refusing the login
is recorded in ``mailbox_poll`` (shown on the dashboard and the inbox) and tried again at the
next poll."""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import logging
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.core import clock
from tracker.core.models import MailboxPoll, MailMessage, Newsroom
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _
from tracker.mail_in import matching, service

log = logging.getLogger("tracker.mail_in.imap")

POLL_NAME = "imap"
# Messages handled per poll; the rest wait for the next one.
BATCH = 500
# Messages read per round trip and moved together once stored.
CHUNK = 50
# Messages stored in one transaction (one insert of their rows, one flush of their files to
# disk): the small ones of a chunk, until they hold this much (a large one is stored alone).
# On SQLite the write lock is held that long (about 0.2 s for 50 small messages).
BATCH_BYTES = 2 * 1024 * 1024
# Messages up to this size are fetched a chunk at a time; larger ones one by one.
BULK_BYTES = 256 * 1024


@dataclass
class PollResult:
    """What one poll did."""

    filed: int = 0
    attached: int = 0
    queued: int = 0
    skipped: int = 0
    duplicates: int = 0
    failed: int = 0
    error: str = ""


def _newsroom(db: Session, config: Mapping[str, Any]) -> Newsroom | None:
    name = config.get("IMAP_NEWSROOM")
    if name:
        return db.scalar(sa.select(Newsroom).where(Newsroom.name == name))
    rooms = db.scalars(sa.select(Newsroom).limit(2)).all()
    return rooms[0] if len(rooms) == 1 else None


def _status(db: Session, newsroom_id: int | None) -> MailboxPoll:
    row = db.get(MailboxPoll, POLL_NAME)
    if row is None:
        row = MailboxPoll(name=POLL_NAME, newsroom_id=newsroom_id, last_error="", filed=0)
        try:
            with db.begin_nested():
                db.add(row)
                db.flush()
        except IntegrityError:
            row = db.get(MailboxPoll, POLL_NAME)
            assert row is not None  # nosec B101
    row.newsroom_id = newsroom_id
    return row


def connect(config: Mapping[str, Any]) -> imaplib.IMAP4:
    """A logged-in connection (TLS from the start when ``IMAP_SSL``)."""
    host, port = config["IMAP_HOST"], int(config["IMAP_PORT"])
    timeout = float(config.get("IMAP_TIMEOUT", 30))
    if config.get("IMAP_SSL"):
        context = ssl.create_default_context(cafile=config.get("IMAP_CA_FILE") or None)
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
    else:
        conn = imaplib.IMAP4(host, port, timeout=timeout)
    try:
        conn.login(config.get("IMAP_USER") or "", config.get("IMAP_PASSWORD") or "")
        # The capabilities change once logged in (MOVE, among others).
        typ, data = conn.capability()
        if typ == "OK" and data and data[0]:
            conn.capabilities = tuple(data[0].decode("ascii", "replace").upper().split())
    except BaseException:
        _close(conn)
        raise
    return conn


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        conn.logout()


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _move(conn: imaplib.IMAP4, uid: bytes, folder: str) -> None:
    if "MOVE" in conn.capabilities:
        typ, data = conn.uid("MOVE", uid.decode(), _quote(folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"MOVE refused: {data!r}")
        return
    typ, data = conn.uid("COPY", uid.decode(), _quote(folder))
    if typ != "OK":
        raise imaplib.IMAP4.error(f"COPY refused: {data!r}")
    conn.uid("STORE", uid.decode(), "+FLAGS.SILENT", r"(\Deleted)")
    conn.expunge()


_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _fetch(conn: imaplib.IMAP4, uid: bytes, what: str) -> bytes:
    typ, data = conn.uid("FETCH", uid.decode(), what)
    if typ != "OK":
        raise imaplib.IMAP4.error(f"FETCH refused: {data!r}")
    for item in data:
        if isinstance(item, tuple):
            return bytes(item[1])
    return b""


def _oversize(db: Session, context: service.Context, uid: bytes, header: bytes, size: int) -> bool:
    """Record a message too large to bring in (once); True when newly recorded."""
    key = hashlib.sha256(b"oversize:" + header + str(size).encode()).hexdigest()
    if service.find_duplicate(db, context.newsroom_id, key) is not None:
        return False
    message_id = re.search(rb"^Message-ID:\s*(\S+)", header, re.IGNORECASE | re.MULTILINE)
    limit = context.max_bytes // (1024 * 1024)
    row = MailMessage(
        newsroom_id=context.newsroom_id,
        status="skipped",
        source="imap",
        sha256=key,
        size=size,
        original_name=f"imap-{uid.decode()}.eml",
        content_type="message/rfc822",
        message_id=message_id.group(1).decode("latin-1")[:500] if message_id else None,
        problem=_(
            "%(size)s MB, over the %(limit)s MB upload limit: left in the mailbox, not stored.",
            size=size // (1024 * 1024),
            limit=limit,
        ),
        proposal={},
    )
    return service._insert(db, row) is not None


def poll(db: Session, config: Mapping[str, Any]) -> PollResult | None:
    """Read the mailbox once (see the module's docstring); None when no mailbox is set."""
    if not config.get("IMAP_HOST"):
        return None
    result = PollResult()
    newsroom = _newsroom(db, config)
    status = _status(db, newsroom.id if newsroom else None)
    status.last_attempt_at = clock.now()
    db.commit()
    if newsroom is None:
        result.error = (
            "TRACKER_IMAP_NEWSROOM names no newsroom"
            if config.get("IMAP_NEWSROOM")
            else "set TRACKER_IMAP_NEWSROOM: there is more than one newsroom (or none)"
        )
        return _finish(db, status, result)
    context = service.Context(
        newsroom_id=newsroom.id,
        storage=LocalStorage(config["ATTACHMENTS_DIR"]),
        max_bytes=config["MAX_UPLOAD_MB"] * 1024 * 1024,
        timezone=config["TIMEZONE"],
        today=clock.today(config["TIMEZONE"]),
        source="imap",
        numbers=matching.file_numbers(db, newsroom.id),
    )
    folder = config.get("IMAP_FOLDER") or "INBOX"
    filed = config.get("IMAP_FILED") or "filed"
    try:
        conn = connect(config)
    except (TimeoutError, OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
        result.error = f"cannot reach or log in to {config['IMAP_HOST']}: {_describe(exc)}"
        return _finish(db, status, result)
    try:
        typ, data = conn.select(_quote(folder))
        if typ != "OK":
            raise imaplib.IMAP4.error(f"folder {folder!r}: {data!r}")
        conn.create(_quote(filed))  # refused when it exists: that is fine
        # typeshed types the charset as str; imaplib documents None for no CHARSET.
        typ, data = conn.uid("SEARCH", None, "ALL")  # type: ignore[arg-type]
        uids = data[0].split() if typ == "OK" and data and data[0] else []
        problems: list[str] = []
        todo = uids[:BATCH]
        for start in range(0, len(todo), CHUNK):
            chunk = todo[start : start + CHUNK]
            sizes = _sizes(conn, chunk)
            bodies = _bodies(
                conn, [u for u in chunk if 0 < sizes.get(u, (0, b""))[0] <= BULK_BYTES]
            )
            done: list[bytes] = []
            batch: list[tuple[bytes, bytes]] = []
            held = 0
            for uid in chunk:
                size, header = sizes.get(uid, (0, b""))
                if size > context.max_bytes:
                    # Recorded in the mailbox's order: the messages before it first.
                    done += _store(db, context, batch, result, problems)
                    batch, held = [], 0
                    _store_oversize(db, context, uid, header, size, result, problems)
                    continue
                small = bodies.pop(uid, None)
                if small is None:
                    # A large message is stored alone (memory stays that of one message):
                    # the messages before it first, to keep the mailbox's order.
                    done += _store(db, context, batch, result, problems)
                    batch, held = [], 0
                    big = _fetch(conn, uid, "(BODY.PEEK[])")
                    done += _store(db, context, [(uid, big)], result, problems)
                    del big
                    continue
                batch.append((uid, small))
                held += len(small)
                if held >= BATCH_BYTES:
                    done += _store(db, context, batch, result, problems)
                    batch, held = [], 0
            done += _store(db, context, batch, result, problems)
            # Stored for good first, then moved: a stop in between only moves them next time.
            if done:
                _move(conn, b",".join(done), filed)
                result.filed += len(done)
        if problems:
            result.error = "; ".join(problems[:5])
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
        db.rollback()
        result.error = f"the mailbox stopped answering: {_describe(exc)}"
    finally:
        _close(conn)
    return _finish(db, status, result)


_UID = re.compile(rb"UID (\d+)")


def _sizes(conn: imaplib.IMAP4, uids: list[bytes]) -> dict[bytes, tuple[int, bytes]]:
    """Each message's size and Message-ID header, in one FETCH."""
    typ, data = conn.uid(
        "FETCH", b",".join(uids).decode(), "(RFC822.SIZE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])"
    )
    if typ != "OK":
        raise imaplib.IMAP4.error(f"FETCH refused: {data!r}")
    found: dict[bytes, tuple[int, bytes]] = {}
    for item in data:
        if not isinstance(item, tuple):
            continue
        meta = bytes(item[0])
        uid, size = _UID.search(meta), _SIZE.search(meta)
        if uid:
            found[uid.group(1)] = (int(size.group(1)) if size else 0, bytes(item[1]))
    return found


def _bodies(conn: imaplib.IMAP4, uids: list[bytes]) -> dict[bytes, bytes]:
    """Several small messages in one FETCH (each at most BULK_BYTES)."""
    if not uids:
        return {}
    typ, data = conn.uid("FETCH", b",".join(uids).decode(), "(BODY.PEEK[])")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"FETCH refused: {data!r}")
    found: dict[bytes, bytes] = {}
    for item in data:
        if isinstance(item, tuple):
            uid = _UID.search(bytes(item[0]))
            if uid:
                found[uid.group(1)] = bytes(item[1])
    return found


def _begin(db: Session) -> None:
    """Open the transaction a batch is stored in. SQLite has one writer: the write lock is
    taken before anything is read (a transaction that read first and then found another
    writer would be refused at once, "database is locked", instead of made to wait)."""
    conn = db.connection()
    if conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            raw.execute("BEGIN IMMEDIATE")


def _count(result: PollResult, outcome: service.Ingested) -> None:
    if outcome.duplicate:
        result.duplicates += 1
    elif outcome.skipped:
        result.skipped += 1
    elif outcome.request_id is not None:
        result.attached += 1
    else:
        result.queued += 1


def _store(
    db: Session,
    context: service.Context,
    batch: list[tuple[bytes, bytes]],
    result: PollResult,
    problems: list[str],
) -> list[bytes]:
    """Store a batch of messages in one transaction, committed; the UIDs to move. When the
    transaction fails as a whole, each message is tried again alone, so that one bad message
    never keeps the others out."""
    if not batch:
        return []
    named = [(f"imap-{uid.decode()}.eml", data) for uid, data in batch]
    try:
        _begin(db)
        outcomes = service.ingest_batch(db, context, named)
        db.commit()
    except (OSError, imaplib.IMAP4.abort):
        db.rollback()
        raise
    except Exception:
        db.rollback()
        if len(batch) == 1:
            outcomes = [_alone(db, context, named[0])]
        else:
            log.warning("mail poll: a batch of %d failed; storing them one by one", len(batch))
            outcomes = [_alone(db, context, one) for one in named]
    done: list[bytes] = []
    for (uid, _data), outcome in zip(batch, outcomes, strict=True):
        if isinstance(outcome, Exception):
            result.failed += 1
            problems.append(f"message UID {uid.decode()}: {_describe(outcome)}")
            log.error("mail poll: message UID %s failed: %r", uid, outcome)
            continue
        _count(result, outcome)
        done.append(uid)
    return done


def _alone(
    db: Session, context: service.Context, named: tuple[str, bytes]
) -> service.Ingested | Exception:
    """One message in its own transaction: its outcome, or why it was not stored."""
    try:
        _begin(db)
        (outcome,) = service.ingest_batch(db, context, [named])
        db.commit()
    except (OSError, imaplib.IMAP4.abort):
        db.rollback()
        raise
    except Exception as exc:  # one bad message never stops the poll
        db.rollback()
        return exc
    return outcome


def _store_oversize(
    db: Session,
    context: service.Context,
    uid: bytes,
    header: bytes,
    size: int,
    result: PollResult,
    problems: list[str],
) -> None:
    """Record a message over the limit (left in the mailbox), in its own transaction."""
    try:
        _begin(db)
        if _oversize(db, context, uid, header, size):
            result.skipped += 1
        db.commit()
    except (OSError, imaplib.IMAP4.abort):
        db.rollback()
        raise
    except Exception as exc:
        db.rollback()
        result.failed += 1
        problems.append(f"message UID {uid.decode()}: {_describe(exc)}")


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, bytes):
        text = exc.decode("latin-1")
    return text.replace("b'", "").replace("'", "")[:300]


def _finish(db: Session, status: MailboxPoll, result: PollResult) -> PollResult:
    now = clock.now()
    status = db.merge(status)
    status.filed = (status.filed or 0) + result.filed
    if result.error:
        status.last_error = result.error
        status.last_error_at = now
    if not result.error or result.filed:
        status.last_success_at = now
    if not result.error:
        status.last_error = ""
    db.commit()
    return result
