"""Several file numbers per request and links between requests (issue 19, item 8): the
search, the import and ``find_by_number`` match any of a request's numbers."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from tests import builders
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import LINK_KINDS, NUMBER_KINDS, InfoRequest, RequestLink, RequestNumber
from tracker.requests import numbers

TODAY = date(2024, 6, 3)


@pytest.fixture
def two(app):
    """Two requests to the City of Toronto (an editor's); their ids."""
    with builders.desk(app, today=TODAY, newsroom="The Star", role="editor") as d:
        city = d.institution("City of Toronto", "ca-on-mfippa")
        first = d.request(city, "Police budgets", received=date(2024, 2, 1), file_number="A-1")
        first.complaint(date(2024, 4, 1), grounds="delay", body="IPC", body_file_number="MA24-77")
        second = d.request(city, "Police budgets, part 2", received=date(2024, 3, 1))
        return {"first": first.id, "second": second.id}


def _numbers_page(auth, request_id, **data):
    return auth.post(f"/requests/{request_id}/numbers", data)


def test_other_numbers_are_found_by_search_and_by_number(app, two, auth, client):
    auth.login()
    added = _numbers_page(
        auth, two["first"], **{"n-kind": "previous", "n-number": "2023-OLD-9", "n-submit": "1"}
    )
    assert added.status_code == 302
    _numbers_page(auth, two["first"], **{"n-kind": "appeal", "n-number": "PA-5", "n-submit": "1"})
    listed = page(client.get(f"/requests/{two['first']}/numbers"))
    assert [
        li.get_text(" ", strip=True).split(" Remove")[0] for li in listed.select("#numbers li")
    ] == [
        "Current file number: A-1",
        "Previous file number: 2023-OLD-9",
        "Appeal file number: PA-5",
    ]
    for term in ("2023-old-9", "OLD", "pa-5"):
        found = page(client.get("/requests/", query_string={"q": term}))
        assert [a.get_text() for a in found.select("#request-list .card-title a")] == [
            "Police budgets"
        ], term
    with app.app_context():
        session = db.session()
        for number in ("a-1", "2023-OLD-9", "ma24-77"):
            assert [r.id for r in numbers.find_by_number(session, 1, number)] == [two["first"]]
        assert numbers.find_by_number(session, 2, "A-1") == []
        assert numbers.find_by_number(session, 1, "OLD") == []  # whole numbers only


def test_links_read_from_both_sides(app, two, auth, client):
    auth.login()
    linked = _numbers_page(
        auth, two["first"], **{"l-kind": "split", "l-other": f"#{two['second']}", "l-submit": "1"}
    )
    assert linked.status_code == 302
    first = page(client.get(f"/requests/{two['first']}"))
    second = page(client.get(f"/requests/{two['second']}"))
    assert "Split into Police budgets, part 2" in first.select_one("#other-numbers").get_text(
        " ", strip=True
    )
    assert "Split from Police budgets" in second.select_one("#other-numbers").get_text(
        " ", strip=True
    )
    # By a file number too; the same link twice and a link to itself are refused.
    again = page(
        _numbers_page(
            auth, two["second"], **{"l-kind": "refiled", "l-other": "a-1", "l-submit": "1"}
        )
    )
    assert again.select_one("#l-other-error") is None
    self_link = page(
        _numbers_page(auth, two["first"], **{"l-kind": "split", "l-other": "A-1", "l-submit": "1"})
    )
    assert "cannot be linked to itself" in self_link.select_one("#l-other-error").get_text()
    assert self_link.select_one("#l-other")["value"] == "A-1"
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(RequestLink)) == 2


def test_bad_numbers_are_refused_beside_the_field(app, two, auth):
    auth.login()
    long = page(
        _numbers_page(
            auth, two["first"], **{"n-kind": "previous", "n-number": "9" * 10_000, "n-submit": "1"}
        )
    )
    assert "At most 100 characters" in long.select_one("#n-number-error").get_text()
    assert long.select_one("#n-number")["value"] == "9" * 10_000
    unknown = page(
        _numbers_page(auth, two["first"], **{"l-kind": "split", "l-other": "nope", "l-submit": "1"})
    )
    assert "No request of the newsroom" in unknown.select_one("#l-other-error").get_text()
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(RequestNumber)) == 0


def test_the_import_treats_any_number_as_taken(app, two, runner, tmp_path):
    with app.app_context(), db.transaction() as session:
        numbers.add_number(session, session.get(InfoRequest, two["second"]), "previous", "B-22")
    path = tmp_path / "requests.csv"
    path.write_text("file number;title;received\nB-22;Again;2024-01-05\n", encoding="utf-8")
    mapping = {"default_institution": "City of Toronto", "default_law": "ca-on-mfippa"}
    with clock.frozen(TODAY):
        result = runner.invoke(
            args=[
                "import-csv",
                str(path),
                "--newsroom",
                "The Star",
                "--dry-run",
                "--mapping",
                json.dumps(mapping),
            ]
        )
    assert "already has a request with file number B-22" in result.output


def test_every_kind_of_number_and_link_has_its_labels():
    assert set(numbers.NUMBER_LABELS) == {"current", *NUMBER_KINDS}
    assert set(numbers.LINK_LABELS) == set(LINK_KINDS)
