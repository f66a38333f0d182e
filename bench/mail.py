"""Mail in, measured (issue 21 part 6).

1. Throughput: ``--count`` generated messages (one in ``--pdf-every`` with a ``--pdf-mb`` PDF)
   appended to a real Dovecot (tests/dovecot.py), then read by the same poll the scheduler
   runs (tracker.mail_in.imap.poll) until the inbox is empty: messages per second, for the
   messages without attachments and overall, and the process's resident memory after each
   batch (target: at least 100 messages per second without attachments; memory flat).
2. Accuracy: the labelled corpus (tests/mail_corpus.py, ``--corpus`` messages, English and
   French) through the pipeline: share attached to the right request (target >= 95%), none
   to a wrong one, the rest in the review queue with a reason; and the proposed entry kinds.

    .venv/bin/python bench/mail.py [--count 10000] [--database URL]

The figures go to bench/RESULTS.md (section "Mail in").
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import results  # noqa: E402

SECTION = "## Mail in"


def _rss_mb() -> float:
    """The current resident set size, in MB (Linux /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(instance: Path, database: str | None):  # type: ignore[no-untyped-def]
    from tracker import create_app
    from tracker.core.migrate import upgrade

    config = {"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench", "MAX_UPLOAD_MB": 50}
    if database:
        config["DATABASE_URL"] = database
    app = create_app(config)
    upgrade(app)
    return app


def throughput(app, count: int, pdf_every: int, pdf_mb: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Append ``count`` messages to Dovecot and poll them in; the report lines."""
    from tests import builders
    from tests import mail_helpers as mh
    from tests.dovecot import Dovecot
    from tracker.core import db
    from tracker.core.models import MailMessage
    from tracker.mail_in import imap

    today = date(2024, 3, 20)
    # A newsroom of its own each run: on a database kept from an earlier run, the same
    # messages in the same newsroom would only be found already stored.
    run = secrets.token_hex(3)
    room = f"Bench {count}-{pdf_every} {run}"
    with builders.desk(
        app, f"bench-{count}-{pdf_every}-{run}@example.org", newsroom=room, today=today
    ) as desk:
        rcmp = desk.institution("RCMP", access_email="aiprp@rcmp-grc.gc.ca")
        numbers = [desk.request(rcmp, f"R{n}", file_number=f"A-2024-{n:05d}").id for n in range(50)]
        newsroom_id = desk.user.newsroom_id
    pdf = mh.pdf_bytes(pdf_mb * 1024 * 1024)
    root = Path(tempfile.mkdtemp(prefix="bench-dovecot-"))
    lines: list[str] = []
    try:
        with Dovecot(root) as server:
            started = time.perf_counter()
            conn = server.client()
            with_pdf = 0
            for n in range(count):
                attach = pdf_every and n % pdf_every == 0
                with_pdf += bool(attach)
                data = mh.message(
                    f"Response A-2024-{n % len(numbers):05d}",
                    f"Please find attached the records for file A-2024-{n % len(numbers):05d}."
                    f" Message {n}.",
                    message_id=f"<bench-{n}@rcmp-grc.gc.ca>",
                    attachments=((f"release-{n}.pdf", "application/pdf", pdf + str(n).encode()),)
                    if attach
                    else (),
                )
                conn.append("INBOX", None, None, data)
            conn.logout()
            append_s = time.perf_counter() - started
            config = {**app.config, **server.config(), "IMAP_SSL": False, "IMAP_NEWSROOM": room}
            config["IMAP_PORT"] = int(config["IMAP_PORT"])
            rss: list[float] = []
            polls = 0
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            with app.app_context():
                while True:
                    result = imap.poll(db.session(), config)
                    polls += 1
                    rss.append(_rss_mb())
                    db.session().expunge_all()
                    if result is None or result.error or not result.filed:
                        if result is not None and result.error:
                            lines.append(f"- poll error: {result.error}")
                        break
            elapsed = time.perf_counter() - started
            load_after = os.getloadavg()[0]
            with app.app_context():
                stored = db.session().query(MailMessage).filter_by(newsroom_id=newsroom_id).count()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    plain = count - with_pdf
    lines += [
        f"- {count} messages ({with_pdf} with a {pdf_mb} MB PDF) appended over IMAP in "
        f"{append_s:.1f} s, then polled in {elapsed:.1f} s ({polls} polls of at most "
        f"{imap.BATCH}): **{count / elapsed:.0f} messages/s** overall; {stored} stored",
        f"- load average (1 min, 2 cores shared) before and after the poll: {load_before:.1f}, "
        f"{load_after:.1f}",
        f"- resident memory after each poll (MB): {', '.join(f'{m:.0f}' for m in rss)}",
        f"- growth from the first poll to the last: {rss[-1] - rss[0]:+.0f} MB",
    ]
    if plain:
        lines.append(f"- ({plain} messages without attachments in the mix)")
    return lines


def plain_rate(app, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The same poll over messages without attachments only (the issue's 100/s target)."""
    lines = throughput(app, count, 0, 1)
    return [line.replace("- ", "- without attachments: ", 1) for line in lines[:1]] + lines[1:3]


def accuracy(app, size: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The labelled corpus through the pipeline; the report lines."""
    from tests import builders, mail_corpus
    from tracker.core import clock, db
    from tracker.core.models import MailMessage, Newsroom
    from tracker.files.storage import LocalStorage
    from tracker.mail_in import service

    today = date(2024, 3, 20)
    run = secrets.token_hex(3)
    with builders.desk(
        app, f"corpus-{run}@example.org", newsroom=f"Corpus desk {run}", today=today
    ) as desk:
        plan = mail_corpus.build_newsroom(desk, random.Random(21))
        newsroom_id = desk.user.newsroom_id
    with builders.desk(
        app, f"other-{run}@star.test", newsroom=f"Corpus rival {run}", today=today
    ) as other:
        for number in plan.foreign_numbers:
            other.request("RCMP", "Rival's", file_number=number)
    corpus = mail_corpus.generate(plan, count=size)
    outcomes = []
    with app.app_context(), clock.frozen(today), db.transaction() as session:
        context = service.Context(
            newsroom_id=newsroom_id,
            storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
            max_bytes=50 * 1024 * 1024,
            timezone="America/Toronto",
            today=today,
        )
        for item in corpus:
            (result,) = service.ingest_file(session, context, item.name, item.data)
            row = session.get(MailMessage, result.mail_id)
            outcomes.append((result.request_id, row.proposal.get("kind", "")))
        assert session.get(Newsroom, newsroom_id) is not None
    figures = mail_corpus.score(corpus, outcomes)
    routes: dict[str, int] = {}
    for item in corpus:
        routes[item.route] = routes.get(item.route, 0) + 1
    french = sum(1 for item in corpus if item.language == "fr")
    return [
        *figures.lines(),
        "- routes: " + ", ".join(f"{k} {v}" for k, v in sorted(routes.items())),
        f"- in French: {french}, in English: {len(corpus) - french}",
        "- caveat: the corpus is generated from templates written with the reader; it checks "
        "the routes and traps, not the variety of real agencies' wording",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run both measures and write bench/RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--plain-count", type=int, default=2_000)
    parser.add_argument("--pdf-every", type=int, default=10)
    parser.add_argument("--pdf-mb", type=int, default=1)
    parser.add_argument("--corpus", type=int, default=320)
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: a new SQLite)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    try:
        app = _app(work / "a", args.database)
        lines = accuracy(app, args.corpus)
        print("\n".join(lines), flush=True)
        app2 = app if args.database else _app(work / "b", None)
        plain = plain_rate(app2, args.plain_count) if args.plain_count else []
        print("\n".join(plain), flush=True)
        app3 = app if args.database else _app(work / "c", None)
        mixed = throughput(app3, args.count, args.pdf_every, args.pdf_mb) if args.count else []
        print("\n".join(mixed), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    label = "SQLite" if not args.database else args.database.split(":", 1)[0]
    results.write_section(
        SECTION,
        f"{label}, {args.plain_count} plain + {args.count} mixed messages",
        [
            f"Machine: {results.machine()}",
            "",
            "Accuracy (labelled corpus):",
            *lines,
            "",
            "Throughput (IMAP poll from Dovecot):",
            *plain,
            *mixed,
        ],
        intro=[
            "`bench/mail.py`: the IMAP poll's throughput and memory, and the labelled "
            "corpus's accuracy (issue 21)."
        ],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
