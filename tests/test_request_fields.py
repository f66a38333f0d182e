"""Each field of a request shows its own value: on the request page, in the list and on the
dashboard (every value distinct, so two fields read from each other's columns fail here)."""

from __future__ import annotations

import io
import typing
from datetime import date

import pytest

from tests.conftest import page
from tests.test_requests import add_entry, add_institution, log_request, request_id_from
from tracker.core import clock
from tracker.core.display import format_date
from tracker.core.models import InfoRequest, Institution, User
from tracker.requests import reading

FIELDS = {
    "title": "Heading: Clearview AI contracts",
    "text": "Body: every record about Clearview AI, 2019-2020.",
    "file_number": "A-2024-00017",
    "sent_on": "2024-01-29",
    "received_on": "2024-02-01",
}


@pytest.fixture
def logged(client, auth, make_user):
    with clock.frozen(date(2024, 2, 20)):
        make_user("reporter@example.org", name="Marie Reporter")
        auth.login()
        institution = add_institution(auth, "Royal Canadian Mounted Police")
        request_id = request_id_from(log_request(auth, institution, **FIELDS))
        response = add_entry(
            auth,
            request_id,
            "acknowledgement",
            {"note": "Note: acknowledged by the ATIP office"},
            files=[(io.BytesIO(b"letter"), "letter.txt")],
        )
        assert response.status_code == 302
        yield request_id, institution


def test_the_request_page_shows_each_field_s_own_value(client, logged):
    request_id, institution = logged
    with clock.frozen(date(2024, 2, 20)):
        soup = page(client.get(f"/requests/{request_id}"))
    assert soup.select_one(".page-head h1").get_text() == FIELDS["title"]
    assert soup.select_one(".request-text").get_text() == FIELDS["text"]
    head = soup.select_one(".page-head p.help")
    assert head.a.get_text() == "Royal Canadian Mounted Police"
    assert head.a["href"].endswith(f"/institutions/{institution}")
    assert head.get_text() == f"Royal Canadian Mounted Police · file {FIELDS['file_number']}"
    facts = dict(
        zip(
            [dt.get_text() for dt in soup.select("dl.facts dt")],
            [dd.get_text(" ", strip=True) for dd in soup.select("dl.facts dd")],
            strict=True,
        )
    )
    assert facts["Received"] == format_date(date(2024, 2, 1))
    assert facts["Law"] == "Access to Information Act (Canada (federal))"
    assert facts["Status"] == "Awaiting response"
    entry = soup.select_one("li.entry.kind-acknowledgement")
    assert entry.select_one(".entry-kind").get_text() == "Acknowledgement received"
    assert entry.select_one(".entry-date").get_text() == format_date(date(2024, 2, 10))
    assert entry.select_one(".entry-note").get_text() == "Note: acknowledged by the ATIP office"
    assert entry.select_one("ul.files a").get_text() == "letter.txt"
    assert "by Marie Reporter" in entry.select_one(".entry-meta").get_text()


def test_the_list_row_shows_each_field_s_own_value(client, logged):
    request_id, _ = logged
    with clock.frozen(date(2024, 2, 20)):
        soup = page(client.get("/requests/"))
    (row,) = soup.select("#request-list tbody tr")
    cells = row.select("td")
    assert cells[0].a.get_text() == FIELDS["title"]
    assert cells[0].a["href"].endswith(f"/requests/{request_id}")
    assert cells[0].select_one(".help").get_text() == FIELDS["file_number"]
    assert [c.get_text() for c in cells[1:5]] == [
        "Royal Canadian Mounted Police",
        "ca-atia",
        format_date(date(2024, 2, 1)),
        format_date(date(2024, 3, 4)),
    ]
    assert cells[5].get_text() == "Awaiting response"
    assert cells[7].get_text() == "Marie Reporter"


def test_listed_fields_are_the_model_columns_of_their_name_and_type():
    hints = typing.get_type_hints(reading.ListedRequest)
    for model, names in (
        (InfoRequest, reading.LISTED_FIELDS),
        (Institution, reading.INSTITUTION_FIELDS),
        (User, reading.OWNER_FIELDS),
    ):
        model_hints = typing.get_type_hints(model)
        for name in names:
            assert name in model.__table__.c, (model.__name__, name)
            declared = model_hints[name]  # Mapped[...]
            expected = typing.get_args(declared)[0]
            owner = {
                InfoRequest: reading.ListedRequest,
                Institution: reading.InstitutionFacts,
                User: reading.PersonFacts,
            }[model]
            assert typing.get_type_hints(owner)[name] == expected, (model.__name__, name)
    assert set(hints) - set(reading.LISTED_FIELDS) == {"institution", "owner"}
