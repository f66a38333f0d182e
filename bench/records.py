"""Benchmark reading and searching released records (issue 23, part 5).

Run:
    .venv/bin/python bench/records.py                      # all three parts
    .venv/bin/python bench/records.py --only ocr --ocr-pages 100
    .venv/bin/python bench/records.py --only text --text-pages 2000
    .venv/bin/python bench/records.py --only search --search-pages 100000 \
        --database postgresql://postgres@127.0.0.1:5432/test

1. OCR: a generated 100-page scanned PDF (French and English text drawn on letter-size pages
   at 300 dpi, no text layer) read by the tracker (pdfium renders each page, pytesseract runs
   Tesseract eng+fra), against running the ``tesseract`` program directly on the same pages
   (PNG files written beforehand, so rendering is the tracker's cost alone), in the same run.
   Target: the tracker at most 1.3x the direct run.
2. Text: a generated 2,000-page PDF with a text layer read by the tracker's reader: pages per
   second, and the process's resident memory every 250 pages (it must stay flat); pypdf on
   the same file for comparison (the choice of pypdfium2).
3. Search: N pages (default 100,000; 50 pages per request) of French and English text with a
   Zipf-like vocabulary indexed on SQLite (a scratch file) and on PostgreSQL (a scratch schema
   of --database, dropped after), then 300 searches of one or two words, common, middling,
   rare and accent-stripped, through ``tracker.records.search.search`` (snippets included).
   Target: 95th percentile at most 50 ms on both.

The figures and the machine go to the "## Records" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import reportlab  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402
from reportlab.lib.pagesizes import letter  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from bench.results import machine, server_label, write_section  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.core import db  # noqa: E402
from tracker.core.migrate import upgrade  # noqa: E402
from tracker.records import ddl  # noqa: E402
from tracker.records import search as records_search  # noqa: E402
from tracker.records.extract import OCR_LANGUAGES, Limits, pages_of, tesseract_version  # noqa: E402

SECTION = "## Records"
FONT = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
TARGET_OCR_RATIO = 1.3
TARGET_P95_MS = 50.0

ENGLISH = [
    "The",
    "Royal",
    "Canadian",
    "Mounted",
    "Police",
    "received",
    "the",
    "request",
    "and",
    "withheld",
    "the",
    "names",
    "of",
    "the",
    "officers",
    "under",
    "section",
    "19",
    "of",
    "the",
    "Act.",
    "The",
    "briefing",
    "note",
    "to",
    "the",
    "Commissioner",
    "describes",
    "the",
    "surveillance",
    "contract,",
    "its",
    "budget",
    "for",
    "the",
    "fiscal",
    "year",
    "and",
    "the",
    "advice",
    "given",
    "to",
    "the",
    "minister",
    "about",
    "facial",
    "recognition",
    "software",
    "used",
    "in",
    "several",
    "investigations.",
]
FRENCH = [
    "La",
    "Gendarmerie",
    "royale",
    "du",
    "Canada",
    "a",
    "reçu",
    "la",
    "demande",
    "et",
    "a",
    "retenu",
    "les",
    "noms",
    "des",
    "agents",
    "en",
    "vertu",
    "de",
    "l'article",
    "19",
    "de",
    "la",
    "Loi.",
    "La",
    "note",
    "d'information",
    "au",
    "commissaire",
    "décrit",
    "le",
    "contrat",
    "de",
    "surveillance,",
    "son",
    "budget",
    "pour",
    "l'exercice",
    "financier",
    "et",
    "les",
    "conseils",
    "donnés",
    "au",
    "ministre",
    "au",
    "sujet",
    "du",
    "logiciel",
    "de",
    "reconnaissance",
    "faciale",
    "utilisé",
    "dans",
    "plusieurs",
    "enquêtes.",
]


def rss_mb() -> float:
    """This process's resident memory, in MB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


# --- 1. OCR -------------------------------------------------------------------------------


def scanned_page(number: int, rng: random.Random) -> Image.Image:
    """A letter-size page at 300 dpi: a heading and 18 lines of French or English text."""
    image = Image.new("L", (2550, 3300), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 40)
    words = FRENCH if number % 2 else ENGLISH
    draw.text(
        (250, 250),
        f"Page {number} - {'Document publié' if number % 2 else 'Released record'}",
        fill=0,
        font=font,
    )
    for row in range(18):
        start = rng.randrange(0, len(words) - 9)
        draw.text((250, 400 + row * 70), " ".join(words[start : start + 9]), fill=0, font=font)
    return image


def bench_ocr(pages: int, work: Path) -> list[str]:
    """The tracker's OCR of a scanned PDF against tesseract run directly on the same pages."""
    rng = random.Random(23)
    images = [scanned_page(n, rng) for n in range(1, pages + 1)]
    pngs = []
    for n, image in enumerate(images, 1):
        path = work / f"page-{n:03d}.png"
        image.save(path, "PNG")
        pngs.append(path)
    pdf_path = work / "scanned.pdf"
    images[0].save(pdf_path, "PDF", resolution=300, save_all=True, append_images=images[1:])
    del images
    program = shutil.which("tesseract") or "tesseract"
    started = time.perf_counter()
    for path in pngs:
        subprocess.run(
            [program, str(path), "stdout", "-l", OCR_LANGUAGES],
            check=True,
            capture_output=True,
        )
    direct = time.perf_counter() - started
    started = time.perf_counter()
    read = list(pages_of(pdf_path, "scanned.pdf", "application/pdf", Limits(ocr_page_seconds=600)))
    ours = time.perf_counter() - started
    assert len(read) == pages and all(p.engine == "tesseract" for p in read)
    found = sum(1 for p in read if "surveillance" in p.text)
    ratio = ours / direct
    verdict = "meets" if ratio <= TARGET_OCR_RATIO else "MISSES"
    print(f"ocr: direct {direct:.1f} s, tracker {ours:.1f} s, ratio {ratio:.2f}")
    return [
        f"- {pages} scanned pages (letter, 300 dpi, French and English), Tesseract "
        f"{tesseract_version()} eng+fra.",
        f"- tesseract run directly on the page images: {direct:.1f} s "
        f"({direct / pages:.2f} s a page).",
        f"- the tracker (pdfium render + pytesseract): {ours:.1f} s ({ours / pages:.2f} s a page); "
        f"ratio {ratio:.2f} ({verdict} the target of {TARGET_OCR_RATIO}x).",
        f'- pages whose text holds "surveillance": {found} of {pages}.',
    ]


# --- 2. Text layer ------------------------------------------------------------------------


def text_pdf(pages: int, path: Path) -> None:
    """A PDF of ``pages`` pages, 45 lines of text each."""
    pdf = canvas.Canvas(str(path), pagesize=letter)
    rng = random.Random(2000)
    for n in range(pages):
        y = 740
        words = FRENCH if n % 2 else ENGLISH
        for _ in range(45):
            start = rng.randrange(0, len(words) - 12)
            pdf.drawString(54, y, " ".join(words[start : start + 12]))
            y -= 15
        pdf.showPage()
    pdf.save()


def bench_text(pages: int, work: Path) -> list[str]:
    """Pages per second and memory along the way, pypdfium2 (the tracker) and pypdf."""
    path = work / "text.pdf"
    text_pdf(pages, path)
    memory = [rss_mb()]
    started = time.perf_counter()
    count = 0
    for page in pages_of(path, "text.pdf", "application/pdf", Limits(max_pages=pages)):
        count += 1
        assert page.engine == "pdfium"
        if count % 250 == 0:
            memory.append(rss_mb())
    ours = time.perf_counter() - started
    from pypdf import PdfReader

    sample = min(pages, 300)
    started = time.perf_counter()
    reader = PdfReader(path)
    for index in range(sample):
        reader.pages[index].extract_text()
    other = time.perf_counter() - started
    rate = count / ours
    print(f"text: {rate:.0f} pages/s, memory {[round(m) for m in memory]}")
    return [
        f"- {pages}-page text PDF ({path.stat().st_size / 1e6:.1f} MB), read by pypdfium2: "
        f"{ours:.1f} s, {rate:.0f} pages a second.",
        f"- resident memory every 250 pages (MB): {', '.join(f'{m:.0f}' for m in memory)} "
        f"(growth {memory[-1] - memory[1]:+.0f} MB after the first 250).",
        f"- pypdf on the first {sample} pages of the same file: {sample / other:.0f} pages a second.",
    ]


# --- 3. Search ----------------------------------------------------------------------------


def vocabulary(rng: random.Random) -> list[str]:
    """Real French and English words first (the common ones), then made-up ones (rare)."""
    words = list(dict.fromkeys(w.strip(".,'").lower() for w in ENGLISH + FRENCH if len(w) > 3))
    syllables = [
        "ra",
        "to",
        "mi",
        "que",
        "lon",
        "sé",
        "tri",
        "va",
        "dé",
        "pol",
        "ca",
        "ner",
        "bu",
        "ment",
    ]
    while len(words) < 6000:
        words.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return list(dict.fromkeys(words))


def fill(engine: sa.Engine, pages: int, per_request: int = 50) -> None:
    """One newsroom, ``pages // per_request`` requests each with one file of ``per_request``
    pages of about 1,500 characters."""
    rng = random.Random(100_000)
    words = vocabulary(rng)
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
    requests = pages // per_request
    now = "2026-12-07 12:00:00+00"
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO newsroom (id, name, created_at) VALUES (1, 'Bench', :t)"),
            {"t": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO user_account (id, newsroom_id, email, name, password_hash, role, "
                "alert_preferences, active, created_at) VALUES (1, 1, 'b@example.org', 'B', 'x', "
                "'reporter', '{}', true, :t)"
            ),
            {"t": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO institution (id, newsroom_id, name, law_code, created_at) "
                "VALUES (1, 1, 'Royal Canadian Mounted Police', 'ca-atia', :t)"
            ),
            {"t": now},
        )
        conn.execute(
            sa.text(
                "INSERT INTO info_request (id, newsroom_id, owner_id, institution_id, law_code, "
                "title, text, received_on, status, due_on, created_at, updated_at, version) "
                "VALUES (:id, 1, 1, 1, 'ca-atia', :title, '', '2024-01-01', 'answered', "
                "'2024-02-01', :t, :t, 1)"
            ),
            [
                {"id": r, "title": f"Request {r} about {rng.choice(words[:200])}", "t": now}
                for r in range(1, requests + 1)
            ],
        )
        conn.execute(
            sa.text(
                "INSERT INTO timeline_event (id, request_id, kind, occurred_on, note, details, "
                "recorded_at) VALUES (:id, :id, 'final_response', '2024-02-01', '', '{}', :t)"
            ),
            [{"id": r, "t": now} for r in range(1, requests + 1)],
        )
        conn.execute(
            sa.text(
                "INSERT INTO attachment (id, event_id, sha256, original_name, content_type, size, "
                "created_at) VALUES (:id, :id, :sha, 'release.pdf', 'application/pdf', 1, :t)"
            ),
            [{"id": r, "sha": f"{r:064x}", "t": now} for r in range(1, requests + 1)],
        )
    batch = []
    for r in range(1, requests + 1):
        for p in range(1, per_request + 1):
            body = " ".join(rng.choices(words, cum_weights=cumulative, k=220))
            batch.append({"r": r, "p": p, "body": body})
            if len(batch) == 5000:
                _insert_pages(engine, batch)
                batch = []
    if batch:
        _insert_pages(engine, batch)


def _insert_pages(engine: sa.Engine, batch: list[dict[str, object]]) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO record_text (newsroom_id, request_id, source, attachment_id, page, "
                "body, engine, engine_version) VALUES (1, :r, 'page', :r, :p, :body, 'pdfium', 'x')"
            ),
            batch,
        )


def queries(rng: random.Random) -> list[str]:
    """300 searches: common, middling and rare words, two-word searches, accents dropped."""
    words = vocabulary(random.Random(100_000))
    picked = []
    for _ in range(60):
        picked.append(rng.choice(words[:40]))
        picked.append(rng.choice(words[40:600]))
        picked.append(rng.choice(words[600:]))
        picked.append(f"{rng.choice(words[:300])} {rng.choice(words[:300])}")
        picked.append(
            records_search.fold(
                rng.choice([w for w in words[:80] if not w.isascii()] or words[:80])
            )
        )
    return picked


def bench_search(label: str, url: str, pages: int) -> list[str]:
    """Index ``pages`` pages, then time 300 searches (after 20 to warm the caches)."""
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tempfile.mkdtemp()}
    )
    upgrade(app)
    engine = app.extensions["engine"]
    started = time.perf_counter()
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:  # build the FTS5 index once at the end, as 'rebuild' does (much faster)
        with engine.begin() as conn:
            for name in ddl.SQLITE_FTS_TRIGGERS:
                conn.execute(sa.text(f"DROP TRIGGER {name}"))
    fill(engine, pages)
    if sqlite:
        with engine.begin() as conn:
            conn.execute(
                sa.text("INSERT INTO record_text_fts (record_text_fts) VALUES ('rebuild')")
            )
            for name, body in ddl.SQLITE_FTS_TRIGGERS.items():
                conn.execute(sa.text(f"CREATE TRIGGER {name} {body}"))
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE record_text"))
    else:
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE"))
    indexed = time.perf_counter() - started
    asked = queries(random.Random(7))
    times, found = [], []
    with app.app_context():
        session = db.session()
        for q in asked[:20]:
            records_search.search(session, 1, q)
        for q in asked:
            t0 = time.perf_counter()
            result = records_search.search(session, 1, q)
            times.append((time.perf_counter() - t0) * 1000)
            found.append(len(result.hits))
        session.close()
    engine.dispose()
    times.sort()
    p50, p95, worst = times[len(times) // 2], times[int(len(times) * 0.95) - 1], times[-1]
    verdict = "meets" if p95 <= TARGET_P95_MS else "MISSES"
    print(f"search {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {worst:.1f} ms")
    return [
        f"- {label} ({server_label(engine)}): {pages:,} pages indexed in {indexed:.0f} s; "
        f"{len(asked)} searches, median {p50:.1f} ms, 95th percentile {p95:.1f} ms "
        f"({verdict} the {TARGET_P95_MS:.0f} ms target), slowest {worst:.1f} ms; "
        f"{statistics.mean(found):.1f} hits a search on average (20 a page at most).",
    ]


def _postgresql_search(database: str, pages: int) -> list[str]:
    """The search part on a scratch schema of ``database``, dropped after."""
    from sqlalchemy.engine import make_url

    from tracker.core.db import make_engine, normalise_url

    schema = f"bench_records_{secrets.token_hex(4)}"
    admin = make_engine(database)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(normalise_url(database)).update_query_dict(
            {"options": f"-csearch_path={schema}"}
        )
        return bench_search("PostgreSQL", url.render_as_string(hide_password=False), pages)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run the parts asked for and record the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("ocr", "text", "search"), action="append")
    parser.add_argument("--ocr-pages", type=int, default=100)
    parser.add_argument("--text-pages", type=int, default=2000)
    parser.add_argument("--search-pages", type=int, default=100_000)
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "TRACKER_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
        ),
        help="PostgreSQL database in which a scratch schema is made (and dropped).",
    )
    parser.add_argument(
        "--on",
        choices=("sqlite", "postgresql"),
        action="append",
        help="The databases the search part runs on (default both).",
    )
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    args = parser.parse_args(argv)
    parts = args.only or ["ocr", "text", "search"]
    work = Path(tempfile.mkdtemp(prefix="bench-records-"))
    try:
        if "ocr" in parts:
            lines = bench_ocr(args.ocr_pages, work)
            if not args.no_write:
                write_section(SECTION, "OCR of a scanned PDF", [*lines, "", f"_{machine()}_"])
        if "text" in parts:
            lines = bench_text(args.text_pages, work)
            if not args.no_write:
                write_section(SECTION, "Text layer of a long PDF", [*lines, "", f"_{machine()}_"])
        if "search" in parts:
            on = args.on or ["sqlite", "postgresql"]
            lines = []
            if "sqlite" in on:
                url = f"sqlite:///{work / 'search.sqlite'}"
                lines += bench_search("SQLite", url, args.search_pages)
            if "postgresql" in on:
                lines += _postgresql_search(args.database, args.search_pages)
            if not args.no_write:
                key = "Search" if len(on) == 2 else f"Search ({on[0]})"
                write_section(SECTION, key, [*lines, "", f"_{machine()}_"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
