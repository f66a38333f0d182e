"""The request list's search: a term anywhere in the title, text or file number, in any case
and without regard to accents ("policieres" finds "policières", issue 20).

On PostgreSQL the search is a LIKE served by trigram indexes (migration 0003); on SQLite a
term of 3 or more characters is looked up in the FTS5 trigram index (migration 0004) and a
shorter one scans. Both must find the same requests.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from tests.conftest import PG_URL, AuthActions, page
from tests.test_backup import _populate, empty_target  # noqa: F401  (a fixture)
from tracker.auth.service import NewUser, create_user
from tracker.core import clock, db
from tracker.core.db import Base
from tracker.core.migrate import downgrade, upgrade
from tracker.core.models import InfoRequest, TimelineEvent, User
from tracker.core.textfold import fold
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import queries, service

TODAY = date(2024, 6, 3)
sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="the FTS5 index exists on SQLite only")

# (title, text, file number): the newsroom's requests.
ROWS = [
    ("Wildfire response 2020", "All records about the WILDFIRE season.", "A-2020-00123"),
    ("Wild fire notes", "Briefing notes.", "A-2020-00124"),
    ("Contracts, 2019", "Invoices from the wildfire contractor.", "A-2020-001234"),
    ("100% of budgets", "", None),
    ("1000 budgets", "", "B-1"),
    ("the_table of costs", "", None),
    ("the-table of fees", "", None),
    ('Memo called "quoted"', 'Where they say a"b twice.', None),
    ("Quoted memo", "", None),
    ("Ministère des Finances", "Demande d'accès", "QC-1"),
    ("École publique", "Dossiers de l'ÉCOLE", None),
    ("Fire* sale (b) x OR y title:wild", "NEAR(a b)", None),
    ("Back\\slash path", "C:\\dir", None),
]
ELSEWHERE = ("Wildfire elsewhere", "A wildfire in another newsroom.", "A-2020-00123")

# A term and the titles it finds; each is also checked against a plain substring match below.
EXPECTED = {
    "wildfire": {"Wildfire response 2020", "Contracts, 2019"},
    "WILDFIRE": {"Wildfire response 2020", "Contracts, 2019"},
    "wild fire": {"Wild fire notes"},
    "fire resp": {"Wildfire response 2020"},
    "a-2020-00123": {"Wildfire response 2020", "Contracts, 2019"},
    "A-2020-001234": {"Contracts, 2019"},
    "100%": {"100% of budgets"},
    "e_t": {"the_table of costs"},
    '"quoted"': {'Memo called "quoted"'},
    'a"b': {'Memo called "quoted"'},
    "MINISTÈRE": {"Ministère des Finances"},
    "ministere": {"Ministère des Finances"},
    "MINISTERE des": {"Ministère des Finances"},
    "école": {"École publique"},
    "ecole": {"École publique"},
    "ÉCOLE": {"École publique"},
    "l'ecole": {"École publique"},
    "acces": {"Ministère des Finances"},
    "fire*": {"Fire* sale (b) x OR y title:wild"},
    "title:wild": {"Fire* sale (b) x OR y title:wild"},
    "x OR y": {"Fire* sale (b) x OR y title:wild"},
    "(b)": {"Fire* sale (b) x OR y title:wild"},
    "NEAR(": {"Fire* sale (b) x OR y title:wild"},
    "\\slash": {"Back\\slash path"},
    "c:\\d": {"Back\\slash path"},
    "finan": {"Ministère des Finances"},
    "fi": {
        "Wildfire response 2020",
        "Wild fire notes",
        "Contracts, 2019",
        "Ministère des Finances",
        "Fire* sale (b) x OR y title:wild",
    },
    "b-": {"1000 budgets"},
    "zz": set(),
    "zebra": set(),
    "%%__!!": set(),
}


def substring_match(term: str, row: tuple[str, str, str | None]) -> bool:
    """What the search means: the term inside one of the three columns, case and accents
    aside."""
    if not any(ch.isalnum() for ch in term):
        return False
    return any(fold(term) in fold(value or "") for value in row)


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


def _add(app, email: str, newsroom: str, rows, **user) -> list[int]:
    """A user in a newsroom, one institution, and a request for each row; the ids."""
    with app.app_context(), db.transaction() as session:
        owner = create_user(session, NewUser(email, newsroom, "long enough pw", **user))
        institution = create_institution(
            session, owner.newsroom_id, InstitutionData("Ministry", "ca-atia")
        )
        ids = []
        for i, (title, text, file_number) in enumerate(rows):
            created = service.create_request(
                session,
                owner,
                service.RequestData(
                    institution_id=institution.id,
                    title=title,
                    text=text,
                    file_number=file_number,
                    received_on=TODAY - timedelta(days=5 + i),
                ),
                TODAY,
            )
            ids.append(created.id)
        return ids


@pytest.fixture
def newsroom(app, client):
    """The logged-in editor's newsroom with ROWS, and another newsroom with a decoy."""
    _add(app, "other@example.org", "Elsewhere", [ELSEWHERE])
    _add(app, "ed@example.org", "La Presse", ROWS, role="editor")
    AuthActions(client).login("ed@example.org", "long enough pw")
    return client


@pytest.fixture(scope="module")
def searchable(module_app):
    """The same newsrooms as `newsroom`, built once for the tests that only search; the
    editor logged in."""
    with clock.frozen(TODAY):
        _add(module_app, "other@example.org", "Elsewhere", [ELSEWHERE])
        _add(module_app, "ed@example.org", "La Presse", ROWS, role="editor")
    client = module_app.test_client()
    AuthActions(client).login("ed@example.org", "long enough pw")
    return client


def listed(client, term: str, **args: str) -> tuple[int, set[str]]:
    """The count and the titles the list page shows for a search."""
    soup = page(client.get("/requests/", query_string={"q": term, **args}))
    count = int(soup.select_one(".count").get_text().split()[0])
    return count, {a.get_text() for a in soup.select("#request-list tbody td a")}


def _newsroom_id(app, email: str = "ed@example.org") -> int:
    with app.app_context():
        return db.session().scalar(sa.select(User.newsroom_id).where(User.email == email))


@pytest.mark.parametrize("term", list(EXPECTED))
def test_list_page_search_finds_the_term_anywhere(searchable, term):
    count, titles = listed(searchable, term)
    assert titles == EXPECTED[term]
    assert count == len(EXPECTED[term])
    assert titles == {row[0] for row in ROWS if substring_match(term, row)}


def test_search_keeps_the_other_filters(app, newsroom):
    with app.app_context(), db.transaction() as session:
        session.execute(
            sa.update(InfoRequest)
            .where(InfoRequest.title == "Wild fire notes")
            .values(status="closed")
        )
    assert listed(newsroom, "fire", status="closed") == (1, {"Wild fire notes"})
    assert listed(newsroom, "fire", status="awaiting")[1] == {
        "Wildfire response 2020",
        "Contracts, 2019",
        "Fire* sale (b) x OR y title:wild",
    }


def test_search_pages_through_many_matches(app, client):
    rows = [(f"Wildfire file {i:03d}", "", f"W-{i:03d}") for i in range(60)]
    _add(app, "ed@example.org", "La Presse", [*rows, ("Flood", "", None)], role="editor")
    AuthActions(client).login("ed@example.org", "long enough pw")
    seen: set[str] = set()
    url = "/requests/?q=wildfire+file"
    while url:
        soup = page(client.get(url))
        assert soup.select_one(".count").get_text().startswith("60 requests")
        seen |= {a.get_text() for a in soup.select("#request-list tbody td a")}
        link = soup.select_one('a[rel="next"]')
        url = link["href"] if link else None
    assert seen == {row[0] for row in rows}


@sqlite_only
def test_index_and_scan_find_the_same_requests_on_varied_data(app):
    """The FTS5 phrase and the LIKE scan it replaces agree, over generated rows with mixed
    case, punctuation, quotes, LIKE wildcards and file numbers, for terms cut from them."""
    rng = random.Random(4)
    words = [
        "wildfire", "Police", "use-of-force", "100%", "50_50", 'the "memo"', "l'accès",
        "ministère", "A-2020-00123", "b-17", "x_y", "per%cent", "NEAR(", "OR", "*", "a\\b",
        "Québec", "garçon", "café", "2019-2020", "e-mails", "(draft)", "c:d", "^start",
    ]  # fmt: skip

    def mixed_case(text: str) -> str:
        # ASCII letters only: SQLite's lower() folds no others (the index folds them all).
        return "".join(ch.upper() if ch.isascii() and rng.random() < 0.3 else ch for ch in text)

    def phrase() -> str:
        return mixed_case(" ".join(rng.choice(words) for _ in range(rng.randint(1, 5))))

    rows = [
        (phrase(), phrase(), f"{rng.choice('ABW')}-{rng.randint(2018, 2021)}-{i:05d}")
        for i in range(150)
    ]
    ids = _add(app, "ed@example.org", "La Presse", rows, role="editor")
    terms = {"fi", "a-", "%", "_", '"', "zz"}
    for title, text, file_number in rng.sample(rows, 40):
        for source in (title, text, file_number):
            start = rng.randrange(len(source))
            terms.add(mixed_case(source[start : start + rng.randint(2, 12)]).strip())
    terms = {t for t in terms if t}
    newsroom_id = _newsroom_id(app)
    with app.app_context():
        session = db.session()
        assert db.sqlite_search_index(session)

        def found(term: str, fts: bool) -> set[int]:
            query = queries.filtered(newsroom_id, queries.RequestFilters(q=term), fts=fts)
            return set(session.scalars(query.with_only_columns(InfoRequest.id)))

        hits = 0
        for term in sorted(terms):
            indexed, scanned = found(term, True), found(term, False)
            assert indexed == scanned, term
            expected = {i for i, row in zip(ids, rows, strict=True) if substring_match(term, row)}
            assert indexed == expected, term
            hits += bool(indexed)
        assert hits > len(terms) // 2  # the terms mostly find something


@sqlite_only
def test_index_folds_the_case_of_accented_letters(app):
    """SQLite's lower() folds ASCII only, so the scan misses "École" for "école"; the index
    finds it, as PostgreSQL's lower() does."""
    _add(app, "ed@example.org", "La Presse", ROWS, role="editor")
    newsroom_id = _newsroom_id(app)
    with app.app_context():
        session = db.session()
        query = queries.filtered(newsroom_id, queries.RequestFilters(q="école"), fts=True)
        assert [r.title for r in session.scalars(query)] == ["École publique"]


def _statements(app, run) -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        found.append((statement, parameters))

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return found


def _search_plans(app, term: str) -> list[list[str]]:
    """The query plan of each statement the list runs to search for a term."""
    newsroom_id = _newsroom_id(app)

    def search() -> None:
        with app.app_context():
            page_ = queries.list_requests(db.session(), newsroom_id, queries.RequestFilters(q=term))
            assert page_.total > 0

    plans = []
    with app.extensions["engine"].connect() as conn:
        for statement, parameters in _statements(app, search):
            if "info_request." in statement and "sqlite_master" not in statement:
                rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
                plans.append([row[3] for row in rows])
    return plans


@sqlite_only
def test_sqlite_search_reads_the_index_not_the_table(app):
    _add(app, "ed@example.org", "La Presse", ROWS, role="editor")
    plans = _search_plans(app, "wildfire")
    assert len(plans) == 2  # the count and the page
    for plan in plans:
        # FTS5 names the MATCH constraint in its index string ("0:M3"); a scan shows "0:".
        assert any(re.search(r"VIRTUAL TABLE INDEX \d+:M", line) for line in plan), plan
        assert not any(re.match(r"SCAN info_request\b(?!_search)", line) for line in plan), plan
    # A 2-character term has no trigram: it scans, and still finds.
    short = _search_plans(app, "fi")
    assert short and not any("VIRTUAL TABLE" in line for plan in short for line in plan)


def _integrity_check(app) -> None:
    """SQLite: the index holds exactly what info_request holds (rank=1 compares the rows)."""
    if PG_URL:
        return
    with app.extensions["engine"].begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO info_request_search (info_request_search, rank) "
            "VALUES ('integrity-check', 1)"
        )


def _add_institution(auth) -> int:
    response = auth.post(
        "/institutions/new",
        {"name": "RCMP", "law_code": "ca-atia", "province": "", "access_email": ""},
    )
    assert response.status_code == 302
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def _request_form(institution: int, title: str, file_number: str) -> dict[str, str]:
    return {
        "institution_id": str(institution),
        "new_institution": "",
        "new_institution_province": "",
        "law_code": "",
        "title": title,
        "text": "All records.",
        "sent_on": "2024-02-01",
        "received_on": "2024-02-01",
        "file_number": file_number,
    }


def test_an_edited_title_is_found_and_the_old_one_is_not(app, client, make_user):
    make_user("reporter@example.org")
    auth = AuthActions(client)
    auth.login()
    institution = _add_institution(auth)
    response = auth.post("/requests/new", _request_form(institution, "Zebra crossings", "Z-101"))
    rid = int(re.search(r"/requests/(\d+)", response.headers["Location"]).group(1))
    assert listed(client, "zebra") == (1, {"Zebra crossings"})

    response = auth.post(
        f"/requests/{rid}/edit", _request_form(institution, "Giraffe enclosures", "G-202")
    )
    assert response.status_code == 302
    assert listed(client, "zebra") == (0, set())
    assert listed(client, "z-101") == (0, set())
    assert listed(client, "giraffe") == (1, {"Giraffe enclosures"})
    assert listed(client, "g-202") == (1, {"Giraffe enclosures"})
    _integrity_check(app)


def test_the_overdue_sweep_and_deletes_keep_the_search_right(app, newsroom, runner):
    with app.app_context(), db.transaction() as session:
        gone = session.scalar(
            sa.select(InfoRequest.id).where(InfoRequest.title == "Contracts, 2019")
        )
        session.execute(sa.delete(TimelineEvent).where(TimelineEvent.request_id == gone))
        session.execute(sa.delete(InfoRequest).where(InfoRequest.id == gone))
    assert listed(newsroom, "wildfire")[1] == {"Wildfire response 2020"}
    _integrity_check(app)
    # Due long ago: the sweep flags every request overdue (an UPDATE of status only).
    with app.app_context(), db.transaction() as session:
        session.execute(
            sa.update(InfoRequest).values(received_on=date(2023, 1, 2), due_on=date(2023, 2, 1))
        )
    result = runner.invoke(args=["sweep", "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert listed(newsroom, "wildfire", status="overdue")[1] == {"Wildfire response 2020"}
    _integrity_check(app)


def test_imported_requests_are_found(app, runner, make_user):
    from tests.test_imports import TORONTO, TORONTO_MAPPING, import_csv

    make_user("editor@example.org", newsroom="The Star", role="editor")
    with clock.frozen(date(2026, 11, 22)):
        result = import_csv(runner, TORONTO, "--skip-invalid", mapping=TORONTO_MAPPING)
    assert result.exit_code == 0, result.output
    newsroom_id = _newsroom_id(app, "editor@example.org")
    with app.app_context():
        session = db.session()
        rows = session.execute(
            sa.select(InfoRequest.title, InfoRequest.text, InfoRequest.file_number)
        ).all()
        assert len(rows) > 50
        terms = [rows[7].file_number, rows[20].text[10:22].upper(), rows[40].title[2:9], "fi"]
        for term in terms:
            filters = queries.RequestFilters(q=term, page=1)
            found = queries.list_requests(session, newsroom_id, filters)
            expected = sum(substring_match(term, tuple(row)) for row in rows)
            assert found.total == expected > 0, term
    _integrity_check(app)


def _add_later_schema(engine: sa.Engine) -> tuple[list[sa.Table], dict[str, list[str]]]:
    """Give an older schema the models' later tables and columns (nullable, no default), so
    the pages can be read at that revision; what was added, for _drop_later_schema."""
    inspector = sa.inspect(engine)
    present = set(inspector.get_table_names())
    tables = [t for t in Base.metadata.sorted_tables if t.name not in present]
    columns: dict[str, list[str]] = {}
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name not in present:
                continue
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(
                        sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}')
                    )
                    columns.setdefault(table.name, []).append(column.name)
        for table in tables:
            table.create(conn)
    return tables, columns


def _drop_later_schema(
    conn: sa.Connection, later: tuple[list[sa.Table], dict[str, list[str]]]
) -> None:
    """Take away what _add_later_schema added, before the real upgrade."""
    tables, columns = later
    for table in reversed(tables):
        table.drop(conn)
    for table_name, names in columns.items():
        for name in names:
            conn.execute(sa.text(f'ALTER TABLE {table_name} DROP COLUMN "{name}"'))


@sqlite_only
def test_upgrade_indexes_existing_rows_and_without_the_index_search_scans(app, client):
    """Migration 0004 on a populated database: before it the search scans, after it the index
    holds every existing row."""
    # Rows written at head (the models' columns), kept through the downgrade.
    _add(app, "ed@example.org", "La Presse", ROWS, role="editor")
    downgrade(app, "0003")
    with app.app_context():
        assert not db.sqlite_search_index(db.session())
    # Logging in and the list need the later tables and columns (sessions, language, letter
    # details, projects, numbers...): made for the while, dropped before upgrading.
    engine = app.extensions["engine"]
    later = _add_later_schema(engine)
    AuthActions(client).login("ed@example.org", "long enough pw")
    for term in ("wildfire", "a-2020-00123", "100%"):
        assert listed(client, term)[1] == EXPECTED[term]
    assert not any(
        "VIRTUAL TABLE" in line for plan in _search_plans(app, "wildfire") for line in plan
    )

    with engine.begin() as conn:
        _drop_later_schema(conn, later)
    upgrade(app)
    AuthActions(client).login("ed@example.org", "long enough pw")
    for term in ("wildfire", "a-2020-00123", "100%"):
        assert listed(client, term)[1] == EXPECTED[term]
    assert all(
        any("VIRTUAL TABLE" in line for line in plan) for plan in _search_plans(app, "wildfire")
    )
    _integrity_check(app)


def test_a_restored_backup_searches_and_keeps_its_index(app, runner, request, tmp_path):
    target = request.getfixturevalue("empty_target")  # test_backup's second tracker
    _populate(app)
    assert runner.invoke(args=["backup", str(tmp_path / "backup")]).exit_code == 0
    restored = target.test_cli_runner().invoke(args=["restore", str(tmp_path / "backup")])
    assert restored.exit_code == 0, restored.output
    with target.app_context():
        session = db.session()
        user = session.scalar(sa.select(User))
        assert db.sqlite_search_index(session) is (not PG_URL)
        found = queries.list_requests(session, user.newsroom_id, queries.RequestFilters(q="FACIAL"))
        assert [r.title for r in found.items] == ["Clearview — reconnaissance faciale"]
    # The restored database keeps its triggers: a new request is found too.
    _add(target, "ed@example.org", "La Presse", [("Drone flights", "", "D-1")])
    with target.app_context():
        session = db.session()
        user = session.scalar(sa.select(User).where(User.email == "ed@example.org"))
        found = queries.list_requests(session, user.newsroom_id, queries.RequestFilters(q="drone"))
        assert [r.title for r in found.items] == ["Drone flights"]
    _integrity_check(target)
