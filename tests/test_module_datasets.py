"""The test suite's own machinery: a module's shared dataset stays as it was built."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests import builders
from tests.conftest import PG_URL, dataset_unchanged
from tracker.core import db
from tracker.core.models import InfoRequest, UserSession

TODAY = date(2024, 6, 3)


@pytest.fixture(scope="module")
def dataset(module_app):
    with builders.desk(module_app, "rep@example.org", today=TODAY) as desk:
        desk.request("RCMP", "Body cameras", received=date(2024, 5, 1))
    return module_app


def test_a_module_dataset_is_its_own_database(app, dataset):
    with dataset.app_context():
        assert db.session().scalar(sa.select(sa.func.count(InfoRequest.id))) == 1
    with app.app_context():  # the test's own database: empty, and emptying it spared the other
        assert db.session().scalar(sa.select(sa.func.count(InfoRequest.id))) == 0
    assert app.config["DATABASE_URL"] != dataset.config["DATABASE_URL"]
    if PG_URL:
        assert "search_path" in dataset.config["DATABASE_URL"]


def test_a_write_to_the_dataset_is_caught(app):
    """The check the module datasets run after each test, here on a database of its own."""
    with builders.desk(app, "rep@example.org", today=TODAY) as desk:
        desk.request("RCMP", "Body cameras", received=date(2024, 5, 1))
    with pytest.raises(AssertionError, match="changed its module's shared dataset"):
        with dataset_unchanged(app), app.app_context(), db.transaction() as session:
            session.execute(sa.update(InfoRequest).values(title="Changed"))


def test_reading_pages_may_write_bookkeeping(app, client, auth):
    """Logging in and reading pages write sessions and the like: those are no change."""
    with builders.desk(app, "rep@example.org", today=TODAY) as desk:
        desk.request("RCMP", "Body cameras", received=date(2024, 5, 1))
    with dataset_unchanged(app):
        auth.login("rep@example.org")
        assert client.get("/requests/").status_code == 200
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count(UserSession.id))) == 1
