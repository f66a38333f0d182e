"""Pages issue a number of SQL statements that does not grow with the rows they show."""

from __future__ import annotations

import io
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests.conftest import AuthActions
from tracker.auth.service import NewUser, create_user
from tracker.core import clock, db
from tracker.files.storage import LocalStorage
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service

TODAY = date(2024, 6, 3)


@contextmanager
def counting(app):
    """Count the SQL statements the app's engine runs inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = app.extensions["engine"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _fill(app, n_requests: int, n_entries: int) -> int:
    """n requests across 3 institutions, each with n_entries timeline entries and files."""
    storage = LocalStorage(app.config["ATTACHMENTS_DIR"])
    with app.app_context(), db.transaction() as session:
        user = create_user(session, NewUser("r@example.org", "N", "long enough pw", role="editor"))
        institutions = [
            create_institution(
                session, user.newsroom_id, InstitutionData(f"Institution {i}", "ca-atia")
            )
            for i in range(3)
        ]
        last = 0
        for i in range(n_requests):
            received = TODAY - timedelta(days=10 + i * 3)
            request = service.create_request(
                session,
                user,
                service.RequestData(
                    institution_id=institutions[i % 3].id,
                    title=f"Request {i}",
                    received_on=received,
                ),
                TODAY,
            )
            for j in range(n_entries):
                service.add_event(
                    session,
                    user,
                    request,
                    service.EventData(
                        "note",
                        received + timedelta(days=1),
                        f"note {j}",
                        uploads=(
                            service.Upload(
                                f"f{j}.txt", "text/plain", io.BytesIO(f"{i}-{j}".encode())
                            ),
                        ),
                    ),
                    TODAY,
                    storage,
                    1_000_000,
                )
            last = request.id
        return last


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/requests/",
        "/requests/?sort=institution&q=request",
        "/institutions/",
        "REQUEST",
        "/scorecards/",
    ],
)
def test_statement_count_does_not_grow_with_rows(app_config, path, tmp_path):
    from tracker import create_app

    counts = []
    for size, (n_requests, n_entries) in enumerate(((3, 1), (24, 6))):
        app = create_app(
            {**app_config, "DATABASE_URL": _fresh_db(app_config, tmp_path / f"db{size}")}
        )
        last_id = _fill(app, n_requests, n_entries)
        client = app.test_client()
        with clock.frozen(TODAY):
            AuthActions(client).login("r@example.org", "long enough pw")
            url = f"/requests/{last_id}" if path == "REQUEST" else path
            with counting(app) as statements:
                assert client.get(url).status_code == 200
        counts.append(len(statements))
        app.extensions["engine"].dispose()
    assert counts[0] == counts[1], counts


def _fresh_db(app_config, folder) -> str:
    """A new empty migrated database for one size (SQLite file or a truncated PG schema)."""
    import shutil

    from tests.conftest import PG_URL, _truncate_all

    url = app_config["DATABASE_URL"]
    if PG_URL:
        _truncate_all(url)
        return url
    folder.mkdir()
    source = url.removeprefix("sqlite:///")
    target = folder / "t.sqlite"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"
