"""Fill an empty database with realistic newsrooms for the scale benchmarks.

Run:
    .venv/bin/python bench/generate.py --requests 100000 --database sqlite:////tmp/bench.sqlite
    createdb -h 127.0.0.1 -U postgres bench_pages
    .venv/bin/python bench/generate.py --requests 1000000 \
        --database postgresql://postgres@127.0.0.1:5432/bench_pages

The schema is created with the project's migrations (tracker.core.migrate.upgrade); a database that
already has tables is refused. What it writes:
  - newsrooms: one large one (about 60% of the requests: the benchmarks log in there) and a few
    smaller ones; 8 to 150 users each, every one with the password ``--password``;
  - institutions under the twelve laws (federal Canadian ones in several provinces);
  - requests received over the 15 years before today, each with a timeline (filed,
    acknowledgement, extension notices, fee notices and payments, partial releases, final
    responses, complaints and findings, withdrawals, the sweep's deemed refusals), the extension
    and complaint rows, and attachment rows (no files on disk: a download answers 410).
The stored status, due date, complaint window, response and closing dates of each request are
what tracker.requests.state.derive_state computes from its timeline as of today.

Rows go in with bulk inserts: executemany on SQLite, COPY on PostgreSQL, in batches, with the
plain indexes (and SQLite's search-index triggers) dropped during the load and built at the end.
The timing and the row counts go to the "## Data generator" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.results import machine, server_label, write_section  # noqa: E402
from tracker import deadlines  # noqa: E402
from tracker.alerts.sweep import deadline_key, deemed_refusal_note  # noqa: E402
from tracker.core import clock  # noqa: E402
from tracker.core.db import SQLITE_SEARCH_TABLE, make_engine, sqlite_search_index  # noqa: E402
from tracker.deadlines.clockrules import PAUSE_RULES  # noqa: E402
from tracker.requests.state import EventFact, derive_state, stopped_days_late  # noqa: E402

SECTION = "## Data generator"
DEFAULT_PASSWORD = "bench-password-1"
BATCH = 5_000  # requests per write
YEARS = 15
FEDERAL_PROVINCES = ("ON", "QC", "BC", "AB", "NS", "MB")
NEWSROOMS = (
    ("National Desk Coalition", 0.60, 150),
    ("The Harbour Courier", 0.15, 40),
    ("Prairie Public Media", 0.12, 30),
    ("Le Devoir de l'info", 0.08, 20),
    ("Open Records Project", 0.05, 8),
)
BODIES = (
    "Department of Transport",
    "Department of Health",
    "Ministry of Finance",
    "Ministry of the Environment",
    "Police Service",
    "Housing Agency",
    "Border Services Agency",
    "Department of Defence",
    "Revenue Agency",
    "Public Health Agency",
    "Ministry of Education",
    "Energy Regulator",
    "Ports Authority",
    "Corrections Service",
    "Ministry of Justice",
    "Water Authority",
    "Fisheries Department",
    "Elections Office",
    "Transit Commission",
    "Procurement Office",
)
TOPICS = (
    "bridge inspections",
    "hospital wait times",
    "police use of force",
    "consulting contracts",
    "wildfire response",
    "lobbyist meetings",
    "water quality tests",
    "prison overcrowding",
    "housing subsidies",
    "border wait times",
    "pipeline spills",
    "school closures",
    "travel expenses",
    "data breaches",
    "ministerial briefings",
    "procurement of vaccines",
    "road salt tenders",
    "emergency room closures",
    "tax audits of charities",
    "drone purchases",
)
FORMS = (
    "Briefing notes on {t}",
    "Emails about {t}",
    "Contracts and invoices for {t}",
    "Internal audit of {t}",
    "Memos to the minister on {t}",
    "Statistics on {t}",
    "Complaints received about {t}",
    "Meeting minutes on {t}",
)
GROUNDS = ("delay", "extension", "fees", "exemptions", "missing_records", "other")
FINDINGS = ("well_founded", "not_well_founded", "resolved", "discontinued")
OUTCOMES = ("full", "partial", "refused", "no_records")
FILE_TYPES = (
    ("application/pdf", "pdf"),
    ("message/rfc822", "eml"),
    ("image/png", "png"),
    ("text/plain", "txt"),
)

REQUEST_COLS = (
    "id",
    "newsroom_id",
    "owner_id",
    "institution_id",
    "law_code",
    "title",
    "text",
    "file_number",
    "sent_on",
    "received_on",
    "status",
    "due_on",
    "complaint_due_on",
    "responded_on",
    "closed_on",
    "days_late_stopped",
    "rules_fingerprint",
    "created_at",
    "updated_at",
)
EVENT_COLS = (
    "id",
    "request_id",
    "kind",
    "occurred_on",
    "note",
    "details",
    "recorded_by_id",
    "recorded_at",
    "corrects_id",
    "dedupe_key",
)
ATTACHMENT_COLS = (
    "id",
    "event_id",
    "sha256",
    "original_name",
    "content_type",
    "size",
    "created_at",
)
EXTENSION_COLS = (
    "id",
    "request_id",
    "event_id",
    "days",
    "reason",
    "notice_on",
    "commissioner_notified",
    "superseded",
)
COMPLAINT_COLS = (
    "id",
    "request_id",
    "event_id",
    "body",
    "grounds",
    "filed_on",
    "body_file_number",
    "finding",
    "finding_on",
    "superseded",
)


@dataclass
class Batch:
    """Rows of one batch, per table, in column order."""

    requests: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    attachments: list[tuple[Any, ...]] = field(default_factory=list)
    extensions: list[tuple[Any, ...]] = field(default_factory=list)
    complaints: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass
class Counters:
    """Next ids and totals."""

    request: int = 0
    event: int = 0
    attachment: int = 0
    extension: int = 0
    complaint: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


def at_noon(day: date) -> datetime:
    """A timestamp for a day's entry (recorded the same day, at noon UTC)."""
    return datetime.combine(day, dtime(12, 0), tzinfo=UTC)


@functools.lru_cache(maxsize=100_000)
def _sqlite_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Writer:
    """Bulk inserts for one dialect: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"
        self.raw = engine.raw_connection()
        self.indexes: list[tuple[str, str, str]] = []
        if not self.pg:
            # The values as SQLAlchemy stores them on SQLite (dates ISO, UTC timestamps, JSON).
            sqlite3.register_adapter(date, date.isoformat)
            sqlite3.register_adapter(datetime, _sqlite_timestamp)
            sqlite3.register_adapter(dict, json.dumps)
            cursor = self.raw.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")  # 1 GB: index pages stay in memory
            cursor.execute("PRAGMA foreign_keys=OFF")  # ids are assigned here, in order
            cursor.close()

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Append rows to a table."""
        if not rows:
            return
        cursor = self.raw.cursor()
        if self.pg:
            names = ", ".join(columns)
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row([json.dumps(v) if isinstance(v, dict) else v for v in row])
        else:
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                rows,
            )
        cursor.close()

    def drop_indexes(self) -> None:
        """Drop the plain (non-unique) indexes for the load, and on SQLite the triggers that
        feed the search index; ``finish`` builds them again and fills the search index."""
        cursor = self.raw.cursor()
        if self.pg:
            cursor.execute(
                "SELECT 'index', indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() AND indexdef NOT LIKE 'CREATE UNIQUE%'"
            )
        else:
            cursor.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
                "(type = 'trigger' OR (type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%'))"
            )
        self.indexes = list(cursor.fetchall())
        for kind, name, _sql in self.indexes:
            cursor.execute(f'DROP {kind.upper()} "{name}"')
        self.raw.commit()
        cursor.close()

    def commit(self) -> None:
        """Commit what was written."""
        self.raw.commit()

    def finish(self) -> None:
        """Build the dropped indexes and triggers again (and SQLite's search index), move the
        id sequences past the rows written, refresh the planner's statistics."""
        cursor = self.raw.cursor()
        for _kind, _name, sql in self.indexes:
            cursor.execute(sql)
        if not self.pg:
            with Session(self.engine) as session:
                search_index = sqlite_search_index(session)
            if search_index:
                # Index every request at once (the triggers were off during the load).
                table = SQLITE_SEARCH_TABLE
                cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")  # nosec B608
        self.raw.commit()
        if self.pg:
            for table in (
                "newsroom",
                "user_account",
                "institution",
                "info_request",
                "timeline_event",
                "attachment",
                "extension",
                "complaint",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )
            self.raw.commit()
            self.raw.driver_connection.autocommit = True  # type: ignore[union-attr]
            cursor.execute("VACUUM ANALYZE")
        else:
            self.raw.commit()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("ANALYZE")
            self.raw.commit()
        cursor.close()
        self.raw.close()


class Generator:
    """Makes newsrooms, users, institutions and requests with consistent timelines."""

    def __init__(self, seed: int, today: date, password_hash: str) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.start = today - timedelta(days=365 * YEARS)
        self.password_hash = password_hash
        self.counters = Counters()
        self.file_numbers: dict[tuple[int, int], int] = {}
        self.notes: dict[tuple[str, str | None, date], tuple[str, dict[str, Any]]] = {}

    def newsrooms(
        self,
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[dict[str, Any]]]:
        """The newsroom, user and institution rows (institutions as dicts for reuse)."""
        now = at_noon(self.start)
        newsrooms, users, institutions = [], [], []
        user_id = 0
        for n, (name, share, people) in enumerate(NEWSROOMS, start=1):
            newsrooms.append((n, name, "America/Toronto", now))
            for p in range(people):
                user_id += 1
                role = "admin" if p == 0 else ("editor" if p % 10 == 1 else "reporter")
                users.append(
                    (
                        user_id,
                        n,
                        f"user{p}@newsroom{n}.example.org",
                        f"Reporter {p:03d} ({name.split()[0]})",
                        self.password_hash,
                        role,
                        None,
                        None,
                        {},
                        True,
                        now,
                    )
                )
            for law in deadlines.LAW_CODES:
                provinces: tuple[str | None, ...] = (
                    FEDERAL_PROVINCES
                    if deadlines.LAWS[law].province_mode == "institution"
                    else (None,)
                )
                for b, body in enumerate(BODIES):
                    province = provinces[b % len(provinces)]
                    institutions.append(
                        {
                            "id": len(institutions) + 1,
                            "newsroom_id": n,
                            "name": f"{body} ({deadlines.LAWS[law].short_name}"
                            + (f", {province})" if province else ")"),
                            "law_code": law,
                            "province": province,
                            "share": share,
                        }
                    )
        return newsrooms, users, institutions

    def _day(self, after: date, low: int, high: int) -> date:
        return after + timedelta(days=self.rng.randint(low, high))

    def _event(
        self,
        batch: Batch,
        events: list[EventFact],
        request_id: int,
        owner: int | None,
        kind: str,
        on: date,
        note: str = "",
        details: dict[str, Any] | None = None,
        dedupe_key: str | None = None,
        files: int = 0,
    ) -> int:
        c = self.counters
        c.event += 1
        details = details or {}
        batch.events.append(
            (c.event, request_id, kind, on, note, details, owner, at_noon(on), None, dedupe_key)
        )
        events.append(EventFact(id=c.event, kind=kind, occurred_on=on, details=details))
        for f in range(files):
            c.attachment += 1
            content_type, ext = FILE_TYPES[self.rng.randrange(len(FILE_TYPES))]
            batch.attachments.append(
                (
                    c.attachment,
                    c.event,
                    f"{self.rng.getrandbits(256):064x}",
                    f"{kind}-{request_id}-{f + 1}.{ext}",
                    content_type,
                    self.rng.randint(2_000, 8_000_000),
                    at_noon(on),
                )
            )
        return c.event

    def request(self, batch: Batch, institution: dict[str, Any], users: list[int]) -> None:
        """One request, its timeline and its rows, consistent with derive_state."""
        rng, today, c = self.rng, self.today, self.counters
        c.request += 1
        rid = c.request
        law, province = institution["law_code"], institution["province"]
        owner = users[rng.randrange(len(users))]
        received = self.start + timedelta(days=rng.randrange((today - self.start).days + 1))
        # Never before the law's first version (New Brunswick's RTIPPA: 2019-06-14).
        received = max(received, deadlines.LAW_VERSIONS[law][0].effective_from)
        sent = received - timedelta(days=rng.randint(0, 4)) if rng.random() < 0.7 else None
        topic = TOPICS[rng.randrange(len(TOPICS))]
        title = FORMS[rng.randrange(len(FORMS))].format(t=topic) + f", {received.year}"
        text = (
            f"All records, including e-mails, briefing notes and attachments, about {topic} "
            f"from {received.year - 1} to {received.year}."
        )
        file_number = None
        if rng.random() < 0.8:
            key = (institution["id"], received.year)
            self.file_numbers[key] = seq = self.file_numbers.get(key, 0) + 1
            file_number = f"A-{received.year}-{seq:05d}"

        events: list[EventFact] = []
        filed_on = sent or received
        self._event(
            batch,
            events,
            rid,
            owner,
            "filed",
            filed_on,
            f"Request sent{' ' + sent.isoformat() if sent else ''}; "
            f"received by the institution {received.isoformat()}.",
        )

        def happened(on: date) -> bool:
            return on <= today

        if rng.random() < 0.7 and happened(ack := self._day(received, 1, 10)):
            self._event(batch, events, rid, owner, "acknowledgement", ack, files=rng.random() < 0.3)
        reasons = deadlines.extension_reasons(law)
        if reasons and rng.random() < 0.12 and happened(notice := self._day(received, 3, 28)):
            details = {
                "days": rng.choice((15, 30, 30, 60, 90)),
                "reason": reasons[rng.randrange(len(reasons))].code,
                "notice_on": notice.isoformat(),
                "commissioner_notified": rng.random() < 0.5,
            }
            event_id = self._event(
                batch, events, rid, owner, "extension", notice, details=details, files=1
            )
            c.extension += 1
            batch.extensions.append(
                (
                    c.extension,
                    rid,
                    event_id,
                    details["days"],
                    details["reason"],
                    notice,
                    details["commissioner_notified"],
                    False,
                )
            )
        if (
            law in PAUSE_RULES
            and rng.random() < 0.05
            and happened(fee := self._day(received, 4, 15))
        ):
            self._event(
                batch, events, rid, owner, "fee_notice", fee, details={"amount": "25.00"}, files=1
            )
            if rng.random() < 0.9 and happened(paid := self._day(fee, 2, 25)):
                self._event(batch, events, rid, owner, "fee_paid", paid)

        if len(events) > 2 or (events[-1].kind not in ("filed", "acknowledgement")):
            due = derive_state(law, province, received, events, today).due_on
        else:  # no extension, pause or restart yet: the law's period from receipt
            due = deadlines.due_date(law, received, province=province)
        answered_share = 0.9 if due < today else 0.25
        responded: date | None = None
        if rng.random() < answered_share:
            if rng.random() < 0.65:
                responded = received + timedelta(days=rng.randint(3, max(3, (due - received).days)))
            else:
                responded = due + timedelta(days=int(rng.expovariate(1 / 60)) + 1)
            if not happened(responded):
                responded = None
        if responded is not None:
            if rng.random() < 0.08 and responded > received + timedelta(days=3):
                self._event(
                    batch,
                    events,
                    rid,
                    owner,
                    "partial_release",
                    responded - timedelta(days=2),
                    files=1,
                )
            self._event(
                batch,
                events,
                rid,
                owner,
                "final_response",
                responded,
                details={"outcome": OUTCOMES[rng.randrange(len(OUTCOMES))]},
                files=rng.randint(1, 3) if rng.random() < 0.85 else 0,
            )
        elif rng.random() < 0.03 and happened(gone := self._day(received, 10, 90)):
            self._event(batch, events, rid, owner, "withdrawn", gone, "No longer needed.")

        late = responded is None and due < today
        if (responded is not None or late) and rng.random() < 0.1:
            filed = self._day(responded or due, 3, 40)
            if happened(filed):
                body = deadlines.LAWS[law].complaint_body or "the review body"
                grounds = "delay" if late else GROUNDS[rng.randrange(len(GROUNDS))]
                event_id = self._event(
                    batch,
                    events,
                    rid,
                    owner,
                    "complaint_filed",
                    filed,
                    details={"grounds": grounds, "body": body},
                    files=1,
                )
                finding = finding_on = None
                if rng.random() < 0.6 and happened(decided := self._day(filed, 60, 500)):
                    finding, finding_on = FINDINGS[rng.randrange(len(FINDINGS))], decided
                    self._event(
                        batch,
                        events,
                        rid,
                        owner,
                        "complaint_finding",
                        decided,
                        details={"finding": finding},
                        files=1,
                    )
                c.complaint += 1
                batch.complaints.append(
                    (
                        c.complaint,
                        rid,
                        event_id,
                        body[:200],
                        grounds,
                        filed,
                        f"C-{filed.year}-{c.complaint:06d}",
                        finding,
                        finding_on,
                        False,
                    )
                )
        if rng.random() < 0.05 and happened(called := self._day(received, 0, 20)):
            self._event(batch, events, rid, owner, "note", called, "Called the coordinator.")

        state = derive_state(law, province, received, events, today)
        if state.status == "overdue" and state.due_on < today:
            key = (law, province, state.due_on)
            if key not in self.notes:
                self.notes[key] = deemed_refusal_note(law, province, state.due_on, today)
            note, details = self.notes[key]
            self._event(  # the sweep's entry: nobody recorded it
                batch,
                events,
                rid,
                None,
                "deemed_refusal",
                min(today, state.due_on + timedelta(days=1)),
                note,
                details,
                dedupe_key=deadline_key(state.due_on),
            )
        c.statuses[state.status] = c.statuses.get(state.status, 0) + 1
        batch.requests.append(
            (
                rid,
                institution["newsroom_id"],
                owner,
                institution["id"],
                law,
                title,
                text,
                file_number,
                sent,
                received,
                state.status,
                state.due_on,
                state.complaint_due_on,
                state.responded_on,
                state.closed_on,
                stopped_days_late(state.due_on, state.responded_on, state.closed_on),
                deadlines.rules_fingerprint(),  # computed by these rules: nothing to recompute
                at_noon(received),
                at_noon(max(e.occurred_on for e in events)),
            )
        )


def batches(
    gen: Generator,
    n: int,
    institutions: list[dict[str, Any]],
    users_by_newsroom: dict[int, list[int]],
) -> Iterator[Batch]:
    """Requests in batches; each newsroom gets its share, institutions a skewed one."""
    weights = [inst["share"] * (1.0 / (1 + (inst["id"] % 20))) for inst in institutions]
    cumulative: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cumulative.append(total)
    for start in range(0, n, BATCH):
        batch = Batch()
        picks = gen.rng.choices(institutions, cum_weights=cumulative, k=min(BATCH, n - start))
        for inst in picks:
            gen.request(batch, inst, users_by_newsroom[inst["newsroom_id"]])
        yield batch


def create_schema(url: str) -> None:
    """Create the tables with the project's migrations, refusing a database that has any."""
    engine = make_engine(url)
    tables = sa.inspect(engine).get_table_names()
    engine.dispose()
    if tables:
        raise SystemExit(
            f"refusing to fill a database that already has tables: {sorted(tables)[:5]}"
        )
    from tracker import create_app
    from tracker.core.migrate import upgrade

    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": instance})
        upgrade(app)
        app.extensions["engine"].dispose()


def generate(url: str, n: int, seed: int, password: str, today: date) -> dict[str, Any]:
    """Create the schema and write every row; return counts and timings."""
    started = time.perf_counter()
    create_schema(url)
    engine = make_engine(url)
    writer = Writer(engine)
    gen = Generator(seed, today, generate_password_hash(password))
    newsrooms, users, institutions = gen.newsrooms()
    writer.write("newsroom", ("id", "name", "timezone", "created_at"), newsrooms)
    writer.write(
        "user_account",
        (
            "id",
            "newsroom_id",
            "email",
            "name",
            "password_hash",
            "role",
            "timezone",
            "alert_email",
            "alert_preferences",
            "active",
            "created_at",
        ),
        users,
    )
    writer.write(
        "institution",
        ("id", "newsroom_id", "name", "law_code", "province", "created_at"),
        [
            (i["id"], i["newsroom_id"], i["name"], i["law_code"], i["province"], at_noon(gen.start))
            for i in institutions
        ],
    )
    writer.commit()
    writer.drop_indexes()
    users_by_newsroom: dict[int, list[int]] = {}
    for user in users:
        users_by_newsroom.setdefault(user[1], []).append(user[0])
    build = write = 0.0
    t = time.perf_counter()
    for batch in batches(gen, n, institutions, users_by_newsroom):
        t1 = time.perf_counter()
        build += t1 - t
        writer.write("info_request", REQUEST_COLS, batch.requests)
        writer.write("timeline_event", EVENT_COLS, batch.events)
        writer.write("attachment", ATTACHMENT_COLS, batch.attachments)
        writer.write("extension", EXTENSION_COLS, batch.extensions)
        writer.write("complaint", COMPLAINT_COLS, batch.complaints)
        writer.commit()
        t = time.perf_counter()
        write += t - t1
        if gen.counters.request % 100_000 < BATCH:
            print(f"  {gen.counters.request:,} requests ({t - started:.0f}s)", flush=True)
    t1 = time.perf_counter()
    writer.finish()
    finish = time.perf_counter() - t1
    engine.dispose()
    c = gen.counters
    return {
        "requests": c.request,
        "events": c.event,
        "attachments": c.attachment,
        "extensions": c.extension,
        "complaints": c.complaint,
        "newsrooms": len(newsrooms),
        "users": len(users),
        "institutions": len(institutions),
        "statuses": dict(sorted(c.statuses.items())),
        "build_s": build,
        "write_s": write,
        "finish_s": finish,
        "total_s": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, generate, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of an EMPTY database")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--today", type=date.fromisoformat, default=None)
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)
    today = args.today or clock.today()
    figures = generate(args.database, args.requests, args.seed, args.password, today)
    engine = make_engine(args.database)
    label = server_label(engine)
    engine.dispose()
    rate = figures["requests"] / figures["total_s"]
    lines = [
        f"- date: {today.isoformat()}; {machine()}",
        f"- data: {figures['requests']:,} requests, {figures['events']:,} timeline entries, "
        f"{figures['attachments']:,} attachment rows, {figures['extensions']:,} extensions, "
        f"{figures['complaints']:,} complaints; {figures['newsrooms']} newsrooms, "
        f"{figures['users']} users, {figures['institutions']:,} institutions (12 laws); "
        f"received over {YEARS} years",
        "- statuses (derive_state as of today): "
        + ", ".join(f"{k} {v:,}" for k, v in figures["statuses"].items()),
        f"- time: {figures['total_s']:.0f}s in all ({rate:,.0f} requests/s): building rows "
        f"{figures['build_s']:.0f}s, bulk writes {figures['write_s']:.0f}s, "
        f"indexes, sequences and ANALYZE {figures['finish_s']:.0f}s",
    ]
    print(f"{label}:")
    print("\n".join(lines))
    if not args.no_results:
        write_section(
            SECTION,
            f"{label}, {figures['requests']:,} requests",
            lines,
            intro=[
                "Run: `.venv/bin/python bench/generate.py --requests N --database URL` (an empty "
                "database; the schema comes from the migrations). Target: 1,000,000 requests in "
                "minutes.",
            ],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
