"""The tracker's tables. Constraints live in the database as well as in the forms."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.db import Base, UTCDateTime, utcnow
from tracker.deadlines import SCHEMA_LAW_CODES
from tracker.timeline import kinds

ROLES: tuple[str, ...] = ("reporter", "editor", "admin")

# A request's status is derived from its timeline (tracker.requests.service), never typed.
STATUSES: tuple[str, ...] = (
    "awaiting",  # sent, within the statutory period
    "on_hold",  # the clock is paused (fee notice, clarification)
    "overdue",  # due date passed with no final response: a deemed refusal
    "answered",  # final response received
    "in_complaint",  # a complaint or appeal is pending
    "closed",  # the complaint was decided or the request withdrawn
)

# Declared in tracker.timeline.kinds; a new kind needs a migration widening this CHECK.
EVENT_KINDS: tuple[str, ...] = kinds.codes()

ALERT_KINDS: tuple[str, ...] = (
    "due_in_7",
    "due_in_2",
    "due_today",
    "overdue",
    "complaint_closes_in_14",
    "complaint_closes_in_3",
    "weekly_digest",
    "password_reset",
    "export_ready",
    "reminder",  # a person's own "remind me on DATE" (tracker.reminders), migration 0015
)
ALERT_STATUSES: tuple[str, ...] = ("pending", "sending", "sent", "failed")

COMPLAINT_GROUNDS: tuple[str, ...] = tuple(kinds.COMPLAINT_GROUNDS)
COMPLAINT_FINDINGS: tuple[str, ...] = tuple(kinds.COMPLAINT_FINDINGS)


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _trigram_ops_visible(
    ddl: Any,
    target: Any,
    bind: sa.Connection | None,
    tables: Any = None,
    state: Any = None,
    **kw: Any,
) -> bool:
    """True when pg_trgm's operator class can be named (``create_all`` on PostgreSQL)."""
    if bind is None:  # DDL compiled as text, not run: nothing to ask
        return False
    return bool(
        bind.scalar(
            sa.text(
                "SELECT 1 FROM pg_opclass WHERE opcname = 'gin_trgm_ops' "
                "AND pg_opclass_is_visible(oid)"
            )
        )
    )


class Newsroom(Base):
    """A newsroom: the unit that owns requests, institutions and users."""

    __tablename__ = "newsroom"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Mail in (migration 0017): an acknowledgement read in agency mail is added to the
    # timeline without waiting for a reporter to confirm it.
    mail_auto_acknowledge: Mapped[bool] = mapped_column(server_default=sa.false(), default=False)

    users: Mapped[list[User]] = relationship(back_populates="newsroom")


class User(UserMixin, Base):
    """A reporter, editor or admin of one newsroom."""

    __tablename__ = "user_account"
    __table_args__ = (
        sa.CheckConstraint(_in("role", ROLES), name="role"),
        sa.CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default="reporter")
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    # The interface's language ("en", "fr"); None: the browser's, else the newsroom's.
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    alert_email: Mapped[str | None] = mapped_column(sa.String(254))
    # kind -> bool; a missing kind means the default (on) for the alert kinds.
    alert_preferences: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    # A temporary password (demo, `create-user --temporary`): changed at first login before
    # anything else (migration 0015).
    must_change_password: Mapped[bool] = mapped_column(server_default=sa.false(), default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Accounts are deactivated, never deleted: the timeline keeps who recorded what.
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # For the letters' signature block and the commissioners' complaint forms (issue 22).
    mailing_address: Mapped[str | None] = mapped_column(sa.String(500))
    telephone: Mapped[str | None] = mapped_column(sa.String(40))

    newsroom: Mapped[Newsroom] = relationship(back_populates="users")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_editor(self) -> bool:
        """Editors and admins manage the newsroom and may edit every request."""
        return self.role in ("editor", "admin")


class Institution(Base):
    """A public body that receives requests, with the law that governs it."""

    __tablename__ = "institution"
    __table_args__ = (
        sa.UniqueConstraint("newsroom_id", "name"),
        sa.CheckConstraint(_in("law_code", SCHEMA_LAW_CODES), name="law_code"),
        # The list sorted by institution walks this order (migration 0007).
        sa.Index(
            "ix_institution_newsroom_lower_name_id",
            "newsroom_id",
            sa.func.lower(sa.column("name")),
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    law_code: Mapped[str] = mapped_column(sa.String(32))
    province: Mapped[str | None] = mapped_column(sa.String(8))
    access_email: Mapped[str | None] = mapped_column(sa.String(254))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    requests: Mapped[list[InfoRequest]] = relationship(back_populates="institution")


class ImportBatch(Base):
    """One CSV import: its file, the day its figures are measured against, who ran it."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    # Requests the file leaves unanswered are "unanswered as of" this day; None: kept open.
    as_of: Mapped[date | None] = mapped_column(sa.Date)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    requests: Mapped[int] = mapped_column(default=0)
    rows: Mapped[int] = mapped_column(default=0)


IMPORT_JOB_STATUSES: tuple[str, ...] = ("queued", "running", "done", "failed", "cancelled")


class ImportJob(Base):
    """A CSV import run in the background by the scheduler (tracker.imports.jobs), or at once
    for a small file: queued, running (with its phase and progress), then done (its report
    kept), failed or cancelled (nothing written). ``active_key`` holds the newsroom's id while
    the job is queued or running, so a newsroom has one import at a time (NULLs never
    conflict)."""

    __tablename__ = "import_job"
    __table_args__ = (
        sa.CheckConstraint(_in("status", IMPORT_JOB_STATUSES), name="status"),
        sa.UniqueConstraint("active_key"),
        sa.Index("ix_import_job_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newsroom.id", ondelete="CASCADE"), index=True
    )
    active_key: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The uploaded file (tracker.imports.store), its name and the mapping chosen for it.
    token: Mapped[str] = mapped_column(sa.String(64))
    filename: Mapped[str] = mapped_column(sa.String(255))
    mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    skip_invalid: Mapped[bool] = mapped_column(default=False)
    # The day the import was asked for ("today" for its dates and its as-of default).
    day: Mapped[date] = mapped_column(sa.Date)
    rows_total: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    # "reading", "checking" or "writing", and how many requests of ``requests_total`` the
    # phase has done.
    phase: Mapped[str | None] = mapped_column(sa.String(16))
    requests_done: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    requests_total: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    import_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_batch.id", ondelete="SET NULL")
    )
    # The row-by-row report (tracker.imports.jobs.Report as JSON) once finished.
    report: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)


class ImportedRequest(Base):
    """A request an import brought (migration 0011), for scorecards of one source."""

    __tablename__ = "imported_request"

    import_id: Mapped[int] = mapped_column(
        sa.ForeignKey("import_batch.id", ondelete="CASCADE"), primary_key=True
    )
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class InfoRequest(Base):
    """An access-to-information request sent by a reporter to an institution."""

    __tablename__ = "info_request"
    __table_args__ = (
        sa.CheckConstraint(_in("law_code", SCHEMA_LAW_CODES), name="law_code"),
        sa.CheckConstraint(_in("status", STATUSES), name="status"),
        sa.CheckConstraint(
            "sent_on IS NULL OR sent_on <= received_on", name="sent_before_received"
        ),
        sa.CheckConstraint(
            "closed_on IS NULL OR closed_on >= received_on", name="closed_after_received"
        ),
        sa.UniqueConstraint("institution_id", "file_number"),
        sa.Index("ix_info_request_newsroom_status_due", "newsroom_id", "status", "due_on"),
        sa.Index("ix_info_request_status_due", "status", "due_on"),
        sa.Index("ix_info_request_newsroom_complaint_due", "newsroom_id", "complaint_due_on"),
        # The list's orders, so a page is an index range, not a sort (migration 0003).
        sa.Index("ix_info_request_newsroom_due_id", "newsroom_id", "due_on", "id"),
        sa.Index("ix_info_request_newsroom_received_id", "newsroom_id", "received_on", "id"),
        sa.Index("ix_info_request_newsroom_law_due", "newsroom_id", "law_code", "due_on"),
        # One reporter's requests in the list's order (migration 0025).
        sa.Index(
            "ix_info_request_newsroom_owner_due_id", "newsroom_id", "owner_id", "due_on", "id"
        ),
        # Each institution's requests in the list's order by institution (migration 0007).
        sa.Index(
            "ix_info_request_newsroom_institution_due_id",
            "newsroom_id",
            "institution_id",
            "due_on",
            "id",
        ),
        # The list by days late: the stopped clocks by their days late (most first), each
        # run by due date; the counting ones (NULL) by due date (migration 0022).
        sa.Index(
            "ix_info_request_newsroom_stopped_late_due_id",
            "newsroom_id",
            sa.desc(sa.column("days_late_stopped")),
            "due_on",
            "id",
        ),
        # Every column the scorecard reads, so it reads this index alone (migration 0005).
        sa.Index(
            "ix_info_request_scorecard",
            "newsroom_id",
            "received_on",
            "institution_id",
            "law_code",
            "due_on",
            "responded_on",
            "closed_on",
            "status",
            "id",
        ),
        # A search's count on SQLite reads each match of its FTS5 index by id: this index
        # holds every column the list's filters test, so the count reads it and not the
        # wide rows (tracker.requests.search, migration 0025).
        sa.Index(
            "ix_info_request_search_count",
            "id",
            "newsroom_id",
            "status",
            "institution_id",
            "owner_id",
            "law_code",
        ),
        # The same, the institution second: a scorecard brought up to date reads the requests
        # of the institutions a change touched from this index alone (migration 0026).
        sa.Index(
            "ix_info_request_scorecard_institution",
            "newsroom_id",
            "institution_id",
            "law_code",
            "received_on",
            "due_on",
            "responded_on",
            "closed_on",
            "id",
        ),
        # Search (LIKE '%term%') through trigram indexes, on PostgreSQL only (pg_trgm), of
        # the text without accents (tracker_unaccent, migration 0016).
        *[
            sa.Index(
                f"ix_info_request_{column}_trgm",
                sa.func.lower(sa.func.tracker_unaccent(sa.column(column))).label(f"lower_{column}"),
                postgresql_using="gin",
                postgresql_ops={f"lower_{column}": "gin_trgm_ops"},
            ).ddl_if(dialect="postgresql", callable_=_trigram_ops_visible)
            for column in ("title", "text", "file_number")
        ],
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id"))
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id"), index=True)
    law_code: Mapped[str] = mapped_column(sa.String(32))
    title: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    # The language of its letters, packet and alert mails ("en", "fr"); None: the default
    # (tracker.language.service.request_language).
    language: Mapped[str | None] = mapped_column(sa.String(16))
    file_number: Mapped[str | None] = mapped_column(sa.String(100))
    sent_on: Mapped[date | None] = mapped_column(sa.Date)
    received_on: Mapped[date] = mapped_column(sa.Date)
    # A request the tracker e-mailed (issue 22): the later reading of its received date, the
    # institution's next working day when the mail left on a day its law does not count (or
    # after office hours), where the law leaves room (tracker.deadlines.letters.email_receipt).
    # The institution's due date counts from it; the reporter's windows from ``received_on``,
    # the day the mail left. NULL: one reading only.
    received_later_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(16), default="awaiting")
    # Stored for querying; recomputed by the deadline engine whenever the timeline changes.
    due_on: Mapped[date] = mapped_column(sa.Date)
    complaint_due_on: Mapped[date | None] = mapped_column(sa.Date)
    responded_on: Mapped[date | None] = mapped_column(sa.Date)
    closed_on: Mapped[date | None] = mapped_column(sa.Date)
    # Calendar days late when the clock stopped (state.stopped_days_late: to the response,
    # else the closing; 0 when on time), NULL while it counts: the list's "days late" order.
    days_late_stopped: Mapped[int | None] = mapped_column(sa.Integer)
    # The rules that computed the columns above (tracker.deadlines.rules_fingerprint); NULL or
    # another value: `flask --app tracker recompute-deadlines` recomputes them (migration 0008).
    rules_fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Raised by every edit of the facts above (tracker.requests.service.update_request): an
    # edit made from a form showing an older version is refused, never applied over another.
    version: Mapped[int] = mapped_column(server_default=sa.text("1"), default=1)

    institution: Mapped[Institution] = relationship(back_populates="requests")
    owner: Mapped[User] = relationship()
    events: Mapped[list[TimelineEvent]] = relationship(
        back_populates="request", order_by="(TimelineEvent.occurred_on, TimelineEvent.id)"
    )


# A request's file numbers beside its current one (InfoRequest.file_number), and how two
# requests are related: declared here, labelled in tracker.requests.numbers.
NUMBER_KINDS: tuple[str, ...] = ("previous", "appeal", "complaint", "other")
LINK_KINDS: tuple[str, ...] = ("split", "transferred", "consolidated", "refiled")


class RequestNumber(Base):
    """Another file number of a request: the institution's previous one, an appeal's, the
    complaint body's (tracker.requests.numbers)."""

    __tablename__ = "request_number"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", NUMBER_KINDS), name="kind"),
        sa.UniqueConstraint("request_id", "kind", "number"),
        sa.Index("ix_request_number_lower_number", sa.func.lower(sa.column("number"))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("info_request.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    number: Mapped[str] = mapped_column(sa.String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RequestLink(Base):
    """Two requests related: ``from`` was split into, transferred as, consolidated into or
    refiled as ``to``."""

    __tablename__ = "request_link"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", LINK_KINDS), name="kind"),
        sa.CheckConstraint("from_request_id <> to_request_id", name="not_itself"),
        sa.UniqueConstraint("from_request_id", "to_request_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    from_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE")
    )
    to_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RequestWatcher(Base):
    """A colleague who receives a request's alerts as its owner does."""

    __tablename__ = "request_watcher"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Reminder(Base):
    """ "Remind me on DATE" about a request: mailed through the alert outbox on that day
    (tracker.reminders), whatever the request's status."""

    __tablename__ = "reminder"
    __table_args__ = (sa.Index("ix_reminder_remind_on_queued", "remind_on", "queued_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), index=True
    )
    remind_on: Mapped[date] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When its mail went into the outbox (NULL: not yet).
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Project(Base):
    """A story or investigation that any number of the newsroom's requests belong to."""

    __tablename__ = "project"
    __table_args__ = (
        sa.Index(
            "uq_project_newsroom_lower_name",
            "newsroom_id",
            sa.func.lower(sa.column("name")),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RequestProject(Base):
    """A request's membership of a project."""

    __tablename__ = "request_project"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("project.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Tag(Base):
    """A label a newsroom puts on requests (one row per name, whatever its case)."""

    __tablename__ = "tag"
    __table_args__ = (
        sa.Index(
            "uq_tag_newsroom_lower_name",
            "newsroom_id",
            sa.func.lower(sa.column("name")),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(50))


class RequestTag(Base):
    """A tag on a request."""

    __tablename__ = "request_tag"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TimelineEvent(Base):
    """One letter, notice or fact in a request's history. Append-only: corrections point back."""

    __tablename__ = "timeline_event"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", EVENT_KINDS), name="kind"),
        sa.Index("ix_timeline_event_request_occurred", "request_id", "occurred_on"),
        sa.UniqueConstraint("request_id", "dedupe_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("info_request.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    occurred_on: Mapped[date] = mapped_column(sa.Date)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # Kind-specific facts (response outcome, fee amount, transfer target...).
    details: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("timeline_event.id"))
    # Set for entries the system adds once only (e.g. "deemed_refusal:<due date>").
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(100))

    request: Mapped[InfoRequest] = relationship(back_populates="events")
    recorded_by: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(back_populates="event")


class Attachment(Base):
    """An original file (letter, PDF, e-mail) stored on disk under its SHA-256."""

    __tablename__ = "attachment"
    __table_args__ = (
        sa.CheckConstraint("size >= 0", name="size"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("timeline_event.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(127))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[TimelineEvent] = relationship(back_populates="attachments")


class Extension(Base):
    """An extension of the response period claimed by the institution."""

    __tablename__ = "extension"
    __table_args__ = (sa.CheckConstraint("days > 0", name="days_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("timeline_event.id", ondelete="CASCADE"), unique=True
    )
    days: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.String(64))
    notice_on: Mapped[date] = mapped_column(sa.Date)
    commissioner_notified: Mapped[bool] = mapped_column(default=False)
    # Set when a later correction replaces this extension; superseded rows no longer count.
    superseded: Mapped[bool] = mapped_column(default=False)


class ClockPause(Base):
    """An interval during which the statutory clock stops (fee notice, clarification)."""

    __tablename__ = "clock_pause"
    __table_args__ = (sa.CheckConstraint("end_on IS NULL OR end_on >= start_on", name="ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), index=True
    )
    start_event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("timeline_event.id", ondelete="CASCADE")
    )
    end_event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("timeline_event.id", ondelete="CASCADE")
    )
    start_on: Mapped[date] = mapped_column(sa.Date)
    end_on: Mapped[date | None] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.String(64))


class Complaint(Base):
    """A complaint or appeal to the body the law names (commissioner, appeal officer)."""

    __tablename__ = "complaint"
    __table_args__ = (
        sa.CheckConstraint(_in("grounds", COMPLAINT_GROUNDS), name="grounds"),
        sa.CheckConstraint(
            f"finding IS NULL OR {_in('finding', COMPLAINT_FINDINGS)}", name="finding"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("timeline_event.id", ondelete="CASCADE"), unique=True
    )
    body: Mapped[str] = mapped_column(sa.String(200))
    grounds: Mapped[str] = mapped_column(sa.String(32))
    filed_on: Mapped[date] = mapped_column(sa.Date)
    body_file_number: Mapped[str | None] = mapped_column(sa.String(100))
    finding: Mapped[str | None] = mapped_column(sa.String(32))
    finding_on: Mapped[date | None] = mapped_column(sa.Date)
    # Set when a later correction replaces the complaint entry; superseded rows no longer count.
    superseded: Mapped[bool] = mapped_column(default=False)


class Alert(Base):
    """The mail outbox: one row per (recipient, request, kind, deadline), sent at most once."""

    __tablename__ = "alert"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", ALERT_KINDS), name="kind"),
        sa.CheckConstraint(_in("status", ALERT_STATUSES), name="status"),
        sa.UniqueConstraint("dedupe_key"),
        sa.Index("ix_alert_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "<kind>:<request id or ->:<user id>:<deadline ISO date>"
    dedupe_key: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[str] = mapped_column(sa.String(32))
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), index=True
    )
    deadline_on: Mapped[date | None] = mapped_column(sa.Date)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When a sender claimed the row (status "sending"); a row left there is never resent.
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SchedulerLock(Base):
    """A lease that lets one scheduler process work at a time (SQLite; PostgreSQL uses an
    advisory lock)."""

    __tablename__ = "scheduler_lock"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(200))
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class LoginFailure(Base):
    """A failed login, kept briefly to slow down guessing per account and per address."""

    __tablename__ = "login_failure"
    __table_args__ = (
        sa.Index("ix_login_failure_email_at", "email", "at"),
        sa.Index("ix_login_failure_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    address: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class UserSession(Base):
    """A logged-in browser session, kept on the server so that it can end (ASVS 3.3): the
    cookie carries a secret whose SHA-256 is ``token_hash``; logout, a password change and
    deactivation set ``ended_at``, and idle or old sessions stop (tracker.auth.sessions)."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")
    address: Mapped[str] = mapped_column(sa.String(64), default="")


class ApiToken(Base):
    """A personal API token: the secret is shown once; only its SHA-256 is kept."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class CalendarFeed(Base):
    """A user's secret calendar feed address; only the SHA-256 of its secret is kept."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class DataRevision(Base):
    """A counter per newsroom, raised in the same transaction as every write to what the
    scorecard reads (requests, institutions, extensions, complaints), and a token of what the
    list shows: see tracker.core.revisions. No row yet means revision 0 and token 0."""

    __tablename__ = "data_revision"

    newsroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newsroom.id", ondelete="CASCADE"), primary_key=True
    )
    revision: Mapped[int] = mapped_column(sa.BigInteger)
    # A random token changed with ``revision`` and with every other write to what the request
    # list and the dashboard show (tracker.requests.places keeps their figures under it).
    list_state: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")


class ScorecardSnapshot(Base):
    """A computed scorecard, served only while its newsroom's revision, the day and the
    formula are those it was computed for (tracker.scorecards.snapshots).

    An open end of the received range is stored as the earliest or latest date rather than
    NULL: NULLs never conflict in a primary key or unique index, so two web workers could
    each store the all-time scorecard of one day."""

    __tablename__ = "scorecard_snapshot"

    newsroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newsroom.id", ondelete="CASCADE"), primary_key=True
    )
    received_from: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    received_to: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    # "Today" the figures were computed for: a request is judged once its due date has passed.
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True)
    revision: Mapped[int] = mapped_column(sa.BigInteger)
    formula: Mapped[str] = mapped_column(sa.String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # The figures per (institution, law) the payload was summed from (JSON text, read only
    # to bring a stale snapshot up to date: tracker.scorecards.incremental).
    groups: Mapped[str | None] = mapped_column(sa.Text)


EXPORT_JOB_STATUSES: tuple[str, ...] = ("queued", "running", "ready", "failed", "expired")


class ExportJob(Base):
    """A newsroom's full export built in the background by the scheduler
    (tracker.exports.jobs): queued, running (with progress), then ready (a checked ZIP kept
    until ``expires_at``) or failed. ``active_key`` holds the newsroom's id while the job is
    queued or running, so a newsroom has at most one such job (NULLs never conflict)."""

    __tablename__ = "export_job"
    __table_args__ = (
        sa.CheckConstraint(_in("status", EXPORT_JOB_STATUSES), name="status"),
        sa.UniqueConstraint("active_key"),
        sa.Index("ix_export_job_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newsroom.id", ondelete="CASCADE"), index=True
    )
    active_key: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # The day the export is "as of" (days late are counted to it).
    day: Mapped[date] = mapped_column(sa.Date)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    rows_done: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    rows_total: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    error: Mapped[str | None] = mapped_column(sa.Text)


class ExportWaiter(Base):
    """A user who asked for an export job: each is mailed once when it is ready."""

    __tablename__ = "export_waiter"

    job_id: Mapped[int] = mapped_column(
        sa.ForeignKey("export_job.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ScorecardChange(Base):
    """Which institutions a newsroom's data revision touched (NULL: any or all of them),
    written with the revision (tracker.core.revisions.bump), so a stored scorecard can be brought
    up to date by recomputing those institutions alone."""

    __tablename__ = "scorecard_change"
    __table_args__ = (
        sa.Index("ix_scorecard_change_newsroom_id_revision", "newsroom_id", "revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(sa.BigInteger)
    institution_id: Mapped[int | None] = mapped_column()


RECORD_FILE_STATUSES: tuple[str, ...] = ("queued", "reading", "done", "failed")
RECORD_TEXT_SOURCES: tuple[str, ...] = ("page", "request", "note")


class RecordFile(Base):
    """The reading of one attached file (tracker.records.jobs): queued, reading (with
    pages done of total), done or failed with the reason. The file itself is never altered."""

    __tablename__ = "record_file"
    __table_args__ = (
        sa.CheckConstraint(_in("status", RECORD_FILE_STATUSES), name="status"),
        sa.Index("ix_record_file_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attachment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attachment.id", ondelete="CASCADE"), unique=True
    )
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")
    reason: Mapped[str | None] = mapped_column(sa.Text)
    pages_done: Mapped[int] = mapped_column(default=0)
    pages_total: Mapped[int | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RecordText(Base):
    """A searchable text of a newsroom: one page of an attached file (with the engine that
    read it), a request's title and text, or a timeline entry's note. The request and note
    rows are written by database triggers (migration 0019), so every way of writing a
    request keeps the search current; pages by tracker.records.jobs."""

    __tablename__ = "record_text"
    __table_args__ = (
        sa.CheckConstraint(_in("source", RECORD_TEXT_SOURCES), name="source"),
        sa.CheckConstraint("page IS NULL OR page >= 1", name="page"),
        sa.UniqueConstraint("attachment_id", "page"),
        sa.UniqueConstraint("event_id"),
        sa.Index("ix_record_text_newsroom_id", "newsroom_id", "id"),
        sa.Index("ix_record_text_request_source", "request_id", "source"),
        # Full-text search on PostgreSQL: French and English, accents folded (unaccent).
        # (On SQLite the column stays NULL and this is an empty B-tree; FTS5 serves search.)
        sa.Index("ix_record_text_search", "search_vector", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("info_request.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(sa.String(16))
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("timeline_event.id", ondelete="CASCADE")
    )
    attachment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("attachment.id", ondelete="CASCADE")
    )
    page: Mapped[int | None] = mapped_column()
    body: Mapped[str] = mapped_column(sa.Text, default="")
    engine: Mapped[str | None] = mapped_column(sa.String(32))
    engine_version: Mapped[str | None] = mapped_column(sa.String(120))
    # PostgreSQL: the body's words through records_fr and records_en (unaccent, stemmed), set
    # by a trigger (tracker.records.ddl); unused (NULL) on SQLite, whose index is FTS5.
    search_vector: Mapped[Any | None] = mapped_column(
        sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), deferred=True
    )


class RecordExemption(Base):
    """An exemption cited on a page of a record: the law's section (as its registry names
    it, tracker.deadlines.exemptions), how often, and whether the page is withheld in full."""

    __tablename__ = "record_exemption"
    __table_args__ = (
        sa.UniqueConstraint("text_id", "section"),
        sa.Index("ix_record_exemption_request_id", "request_id"),
        sa.Index("ix_record_exemption_institution_law", "institution_id", "law_code", "section"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(sa.ForeignKey("record_text.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("info_request.id", ondelete="CASCADE"))
    institution_id: Mapped[int] = mapped_column(sa.ForeignKey("institution.id", ondelete="CASCADE"))
    law_code: Mapped[str] = mapped_column(sa.String(32))
    section: Mapped[str] = mapped_column(sa.String(64))
    mentions: Mapped[int] = mapped_column(default=1)
    withheld_in_full: Mapped[bool] = mapped_column(default=False)


LETTER_KINDS: tuple[str, ...] = (
    "request",
    "follow_up",
    "follow_up_overdue",
    "review",
    "complaint",
    "complaint_follow_up",
)
LETTER_STATUSES: tuple[str, ...] = ("draft", "sending", "sent", "unknown")
LETTER_LANGUAGES: tuple[str, ...] = ("en", "fr")
LETTER_SENT_VIA: tuple[str, ...] = ("smtp", "manual")


class Letter(Base):
    """A letter drafted for a request (tracker/letters/): a draft until it is sent, by the
    tracker over SMTP (``message_id`` kept, so replies thread back) or another way and
    recorded as sent on the date the reporter gives. ``sending`` is the claim a send holds
    while the mail leaves, so a double click or a retry never sends it twice; ``unknown`` a
    claim the scheduler found unfinished (a crash): never sent again by itself."""

    __tablename__ = "letter"
    __table_args__ = (
        sa.CheckConstraint(_in("kind", LETTER_KINDS), name="kind"),
        sa.CheckConstraint(_in("status", LETTER_STATUSES), name="status"),
        sa.CheckConstraint(_in("language", LETTER_LANGUAGES), name="language"),
        sa.CheckConstraint(
            "sent_via IS NULL OR " + _in("sent_via", LETTER_SENT_VIA), name="sent_via"
        ),
        sa.CheckConstraint("status <> 'sent' OR sent_on IS NOT NULL", name="sent_has_date"),
        sa.UniqueConstraint("message_id"),
        sa.Index("ix_letter_request_id_status", "request_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(
        sa.ForeignKey("newsroom.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("info_request.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(32))
    ground: Mapped[str | None] = mapped_column(sa.String(32))
    language: Mapped[str] = mapped_column(sa.String(2), default="en")
    recipient_name: Mapped[str] = mapped_column(sa.String(300), default="")
    recipient_email: Mapped[str] = mapped_column(sa.String(254), default="")
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(16), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    sent_on: Mapped[date | None] = mapped_column(sa.Date)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_via: Mapped[str | None] = mapped_column(sa.String(16))
    message_id: Mapped[str | None] = mapped_column(sa.String(255))
    # The timeline entry that keeps the sent copy (.eml) or the record of sending.
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("timeline_event.id", ondelete="SET NULL")
    )
    last_error: Mapped[str | None] = mapped_column(sa.Text)


MAIL_STATUSES: tuple[str, ...] = ("attached", "review", "skipped")
MAIL_SOURCES: tuple[str, ...] = ("upload", "cli", "imap")


class MailMessage(Base):
    """An agency e-mail brought in (upload, command line, IMAP): the original kept byte for
    byte under its SHA-256, matched to a request (``attached``, with the reason), or waiting in
    the review queue (``review``, with why), or not stored (``skipped``, with why). Never
    deleted (tracker.mail_in.service)."""

    __tablename__ = "mail_message"
    __table_args__ = (
        sa.CheckConstraint(_in("status", MAIL_STATUSES), name="status"),
        sa.CheckConstraint(_in("source", MAIL_SOURCES), name="source"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
        sa.UniqueConstraint("newsroom_id", "sha256"),
        sa.Index("ix_mail_message_newsroom_status_id", "newsroom_id", "status", "id"),
        sa.Index("ix_mail_message_newsroom_message_id", "newsroom_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    newsroom_id: Mapped[int] = mapped_column(sa.ForeignKey("newsroom.id", ondelete="CASCADE"))
    request_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="SET NULL"), index=True
    )
    # The timeline entry confirmed from this message, once there is one.
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("timeline_event.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(sa.String(16))
    source: Mapped[str] = mapped_column(sa.String(16))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(127))
    message_id: Mapped[str | None] = mapped_column(sa.String(500))
    in_reply_to: Mapped[str] = mapped_column(sa.Text, default="")
    sender: Mapped[str] = mapped_column(sa.String(500), default="")
    recipients: Mapped[str] = mapped_column(sa.Text, default="")
    subject: Mapped[str] = mapped_column(sa.Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    body_text: Mapped[str] = mapped_column(sa.Text, default="")
    # The receiving servers' Authentication-Results headers, as written (SPF, DKIM, DMARC).
    auth_results: Mapped[str] = mapped_column(sa.Text, default="")
    # How it was matched ("token", "reply", "file_number", "domain", "page", "manual"), and
    # how or why not as codes with their parameters (tracker.mail_in.reasons), put into words
    # in the reader's language when shown.
    match_rule: Mapped[str | None] = mapped_column(sa.String(32))
    match_why: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    # What was wrong with it (malformed MIME, an oversize message...), shown beside it.
    problem: Mapped[str] = mapped_column(sa.Text, default="")
    # The timeline entry read from its text: {"kind", "details", "note", "occurred_on", "why"}.
    proposal: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attachments: Mapped[list[MailAttachment]] = relationship(
        back_populates="message", order_by="MailAttachment.id"
    )


class MailAttachment(Base):
    """A file extracted from a mail message (TNEF and nested messages included), stored by
    SHA-256 with the other files: identical files are on disk once."""

    __tablename__ = "mail_attachment"
    __table_args__ = (
        sa.CheckConstraint("size >= 0", name="size"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mail_message.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(127))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    problem: Mapped[str] = mapped_column(sa.Text, default="")

    message: Mapped[MailMessage] = relationship(back_populates="attachments")


class RequestMailToken(Base):
    """The tag a request's mail carries (``+r123-k7f2`` in the address, ``[ATI-123-k7f2]``
    in the subject), given once per request."""

    __tablename__ = "request_mail_token"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("info_request.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class MailboxPoll(Base):
    """The IMAP mailbox's last poll: when it last worked, and the last error."""

    __tablename__ = "mailbox_poll"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    newsroom_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("newsroom.id", ondelete="CASCADE")
    )
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    filed: Mapped[int] = mapped_column(sa.BigInteger, default=0)
