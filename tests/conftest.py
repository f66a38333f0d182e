"""Fixtures in the flaskr style: app, client, runner, an auth helper, users.

The suite runs on SQLite by default and on PostgreSQL when TRACKER_TEST_DATABASE_URL is set.
Each test gets an empty database migrated to head: a copy of a migrated SQLite file, or on
PostgreSQL this run's own schema with every table truncated. Modules whose tests only read
build their data once (`module_app`, below). Under pytest-xdist each worker is a process of
its own, with its own template and schemas.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.auth.service import NewUser, create_user
from tracker.core import clock
from tracker.core.db import Base, make_engine, normalise_url
from tracker.core.migrate import upgrade
from tracker.core.models import User

PASSWORD = "correct horse battery"
PG_URL = os.environ.get("TRACKER_TEST_DATABASE_URL") or None


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """scrypt costs ~0.15 s a hash by design; the suite logs in hundreds of times, so it uses
    a cheap PBKDF2. Production code never changes this."""
    from tracker.auth import service as accounts

    original, accounts.HASH_METHOD = accounts.HASH_METHOD, "pbkdf2:sha256:1000"
    yield
    accounts.HASH_METHOD = original


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole run, keyed by name and checked
    against the source's checksum (Jinja's own check): each test builds a new app, and a new
    app compiled every template it rendered again, 60-150 ms a test. The apps of a run all
    share one set of Jinja options, so one compiled template serves them all."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._compiled.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)  # ignored when the source's checksum differs

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(autouse=True, scope="session")
def compiled_templates_shared() -> Iterator[None]:
    """Every Flask app of the run reads compiled templates from one cache."""
    original = Flask.jinja_options
    Flask.jinja_options = {**original, "bytecode_cache": _TemplateCache()}
    yield
    Flask.jinja_options = original


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database this run uses."""
    return f"tracker database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite'}"


def _with_search_path(url: str, schema: str) -> str:
    """The URL with every connection's search_path set to one schema."""
    parsed = make_url(normalise_url(url))
    return parsed.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@contextmanager
def _migrated_schema(tmp_path_factory: pytest.TempPathFactory, label: str) -> Iterator[str]:
    """PostgreSQL: a fresh schema of this process's own (named by its pid, so that runs and
    xdist workers at the same time on one database never meet), migrated to head and dropped
    at the end; yields its URL."""
    assert PG_URL
    schema = f"{label}_{os.getpid()}_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = _with_search_path(PG_URL, schema)
    try:
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "test",
                "INSTANCE_PATH": str(tmp_path_factory.mktemp(f"{label}-instance")),
            }
        )
        upgrade(app)
        app.extensions["engine"].dispose()
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate once per run (per xdist worker): a SQLite file to copy, or a fresh PostgreSQL
    schema of this process's own, dropped at the end."""
    if PG_URL:
        with _migrated_schema(tmp_path_factory, "test") as url:
            yield url
        return
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "test",
            "INSTANCE_PATH": str(path.parent / "instance"),
        }
    )
    upgrade(app)
    app.extensions["engine"].dispose()
    yield str(path)


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> str:
    """An empty database at head for this test."""
    if PG_URL:
        _truncate_all(database_template)
        return database_template
    target = tmp_path / "tracker.sqlite"
    shutil.copyfile(database_template, target)
    return f"sqlite:///{target}"


def _test_config(database_url: str, instance: Path) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "INSTANCE_PATH": str(instance),
        "SECRET_KEY": "test-secret",
        "BASE_URL": "http://tracker.test",
    }


# --- Module datasets: built once, read by every test of a module. ---
#
# A module whose tests only read (list pages, search, pagination) builds its data once with
# `module_app` instead of once per test with `app`. Its dataset lives in a database of its
# own: a copy of the template on SQLite; on PostgreSQL a second schema of this process,
# emptied when a module starts (the per-test schema is emptied before every test, so a
# module's data cannot live there). Tests of the same module that write keep using `app`
# and get their own empty database as usual. A test that changes a module's dataset fails
# (`_module_dataset_unchanged`): what it saw is no longer what the next test sees.


@pytest.fixture(scope="session")
def dataset_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """PostgreSQL: the schema the module datasets live in, one module after the other."""
    assert PG_URL
    with _migrated_schema(tmp_path_factory, "dataset") as url:
        yield url


@pytest.fixture(scope="module")
def module_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """A tracker app on an empty database at head for this module's dataset, built once by
    a module-scoped fixture and then only read."""
    if PG_URL:
        url = request.getfixturevalue("dataset_template")
        _truncate_all(url)
    else:
        target = tmp_path_factory.mktemp("dataset") / "tracker.sqlite"
        shutil.copyfile(request.getfixturevalue("database_template"), target)
        url = f"sqlite:///{target}"
    application = create_app(_test_config(url, tmp_path_factory.mktemp("dataset-instance")))
    yield application
    application.extensions["engine"].dispose()


# Tables that reading a page writes to: sessions seen, tokens used, failed logins, cached
# scorecards. Everything else is the dataset.
BOOKKEEPING_TABLES = frozenset(
    {
        "user_session",
        "login_failure",
        "api_token",
        "calendar_feed",
        "scheduler_lock",
        "scorecard_snapshot",
    }
)


def dataset_digest(app: Flask) -> str:
    """A digest of every row of the app's database but the bookkeeping tables."""
    digest = hashlib.sha256()
    with app.extensions["engine"].connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in BOOKKEEPING_TABLES:
                continue
            rows = conn.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
            digest.update(f"{table.name}:{rows!r}".encode())
    return digest.hexdigest()


@contextmanager
def dataset_unchanged(app: Flask) -> Iterator[None]:
    """Fail when the block changes the app's data (the bookkeeping tables aside)."""
    before = dataset_digest(app)
    yield
    assert dataset_digest(app) == before, (
        "this test changed its module's shared dataset: a test that writes takes `app` "
        "(an empty database of its own), not `module_app`"
    )


@pytest.fixture(autouse=True)
def _clock_left_as_found() -> Iterator[None]:
    """Fail a test that leaves a day or an instant frozen for the tests after it."""
    before = clock.is_frozen()
    yield
    assert clock.is_frozen() == before, "this test left the clock frozen"


@pytest.fixture(autouse=True)
def _module_dataset_unchanged(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that changes its module's shared dataset."""
    if "module_app" not in request.fixturenames:
        yield
        return
    with dataset_unchanged(request.getfixturevalue("module_app")):
        yield


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """The settings a test app starts with; tests may change them before using ``app``."""
    return _test_config(database_url, tmp_path / "instance")


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """A tracker app on this test's database."""
    application = create_app(app_config)
    yield application
    application.extensions["engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """Runs ``flask`` commands against the test app."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask):  # type: ignore[no-untyped-def]
    """Create an account: make_user("a@x.org", newsroom="La Presse", role="editor")."""
    from tracker.core import db

    def _make(
        email: str = "reporter@example.org",
        *,
        newsroom: str = "La Presse",
        role: str = "reporter",
        name: str = "",
        password: str = PASSWORD,
    ) -> User:
        with app.app_context():
            with db.transaction() as session:
                user = create_user(
                    session,
                    NewUser(
                        email=email, newsroom=newsroom, password=password, name=name, role=role
                    ),
                )
            session.expunge_all()
            return user

    return _make


def page(response: Any) -> BeautifulSoup:
    """Parse a response's HTML."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The session's CSRF token, read from a page's form like a browser would."""
    response = client.get(path, follow_redirects=True)
    tag = page(response).find("meta", attrs={"name": "csrf-token"})
    assert tag is not None, "page has no csrf-token meta tag"
    return str(tag["content"])


class AuthActions:
    """Log in and out through the real forms."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, email: str = "reporter@example.org", password: str = PASSWORD) -> Any:
        """Post the login form with its CSRF token."""
        token = csrf_token(self._client, "/login")
        return self._client.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def logout(self) -> Any:
        """Post the logout form."""
        token = csrf_token(self._client, "/")
        return self._client.post("/logout", data={"csrf_token": token})

    def post(self, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
        """Post a form with the session's CSRF token, like the page would."""
        token = csrf_token(self._client, "/")
        return self._client.post(path, data={**data, "csrf_token": token}, **kwargs)


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Log in and out, and post forms with a CSRF token."""
    return AuthActions(client)


# --- Browser tests: Playwright driving Debian's Chromium (never `playwright install`). ---

OUTPUT_DIR = Path(__file__).resolve().parent.parent / "test-output"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app served on 127.0.0.1 in a thread; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole run."""
    chromium_path = shutil.which("chromium")
    if chromium_path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed; .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser tab (own cookies) that fails the test on any page script error."""
    context = chromium.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"script errors on the page: {errors}"


def browser_login(
    tab: Any, base_url: str, email: str = "reporter@example.org", password: str = PASSWORD
) -> None:
    """Log in through the login form, like a reporter."""
    tab.goto(f"{base_url}/login")
    tab.get_by_label("E-mail").fill(email)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(f"{base_url}/")


def screenshot(tab: Any, name: str) -> Path:
    """Save a full-page screenshot under test-output/ and return its path."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    path = OUTPUT_DIR / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Any]:
    """A real Dovecot IMAP server for the session (tests/dovecot.py); emptied by each user.
    Its folder is outside pytest's (0700) temporary folders: Dovecot's own users read it."""
    import tempfile

    from tests.dovecot import Dovecot, available

    if not available():
        pytest.fail("dovecot-imapd is not installed (apt-get install dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="tracker-dovecot-"))
    server = Dovecot(root)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
