"""What the request page shows of issue 15: the reporter's windows with their readings, "No
deadline" for BC, capped extensions, and the Commissioner's permission with its date."""

from __future__ import annotations

import pytest

from tests.conftest import page
from tests.test_requests import (  # noqa: F401  (frozen_today is a fixture)
    add_entry,
    add_institution,
    frozen_today,
    log_request,
    request_id_from,
)


@pytest.fixture
def reporter(client, auth, make_user, frozen_today):  # noqa: F811  (the fixture above)
    make_user("reporter@example.org", name="Marie Reporter")
    auth.login()
    return auth


def test_atia_page_shows_the_earlier_window_and_the_later_reading(client, reporter):
    rid = request_id_from(log_request(reporter, add_institution(reporter)))
    soup = page(client.get(f"/requests/{rid}"))
    # Received 2024-02-01: day 30 is Saturday 2024-03-02 -> due Monday 2024-03-04 (TBS 7.1.1),
    # the IA s.26 reading (Saturday) shown beside it.
    explanation = soup.select_one(".explanation").get_text(" ", strip=True)
    assert "Saturday 2024-03-02" in explanation and "never called overdue too early" in explanation
    # The window after silence: 60 days after 2024-03-04 -> Friday 2024-05-03.
    window = soup.select_one("#complaint-window").get_text(" ", strip=True)
    assert "2024-05-03" in window and "ATIA s.31" in window


def test_bc_page_says_no_deadline_after_silence(client, reporter):
    institution = add_institution(reporter, "Ministry of Health", "ca-bc-fippa", "BC")
    rid = request_id_from(log_request(reporter, institution, received_on="2024-01-08", sent_on=""))
    window = page(client.get(f"/requests/{rid}")).select_one("#complaint-window")
    text = window.get_text(" ", strip=True)
    assert "No deadline" in text and "s.53(3)" in text
    assert "Closed" not in text


def test_permission_without_a_date_is_refused_beside_the_field(client, reporter):
    institution = add_institution(reporter, "Ministry of Health", "ca-bc-fippa", "BC")
    rid = request_id_from(log_request(reporter, institution, received_on="2024-01-08", sent_on=""))
    fields = {
        "occurred_on": "2024-01-15",
        "days": "45",
        "reason": "volume",
        "notice_on": "2024-01-15",
        "commissioner_permission": "y",
        "commissioner_permission_on": "",
    }
    response = add_entry(reporter, rid, "extension", fields)
    assert response.status_code == 200
    soup = page(response)
    error = soup.select_one("#commissioner_permission_on-error")
    assert error is not None and "date of the Commissioner’s permission" in error.get_text()
    assert soup.find("input", attrs={"name": "days"})["value"] == "45"  # values kept
    # Without a permission only 30 of the 45 days count; with a dated one all 45 do.
    fields["commissioner_permission"] = ""
    assert add_entry(reporter, rid, "extension", fields).status_code == 302
    shown = page(client.get(f"/requests/{rid}"))
    assert "only 30 of them counted" in shown.select_one(".warning").get_text(" ", strip=True)
    assert "includes 30 days of extension" in shown.select_one(".deadline-box").get_text()


def test_dated_permission_lifts_the_cap(client, reporter):
    institution = add_institution(reporter, "Ministry of Health", "ca-bc-fippa", "BC")
    rid = request_id_from(log_request(reporter, institution, received_on="2024-01-08", sent_on=""))
    fields = {
        "occurred_on": "2024-01-15",
        "days": "45",
        "reason": "volume",
        "notice_on": "2024-01-15",
        "commissioner_permission": "y",
        "commissioner_permission_on": "2024-01-12",
    }
    assert add_entry(reporter, rid, "extension", fields).status_code == 302
    shown = page(client.get(f"/requests/{rid}"))
    assert "includes 45 days of extension" in shown.select_one(".deadline-box").get_text()
    assert shown.select(".warning") == []


def test_a_request_received_before_its_law_is_refused_beside_the_date(client, reporter):
    response = log_request(
        reporter, add_institution(reporter), received_on="1983-06-30", sent_on=""
    )
    assert response.status_code == 200
    error = page(response).select_one("#received_on-error")
    assert error is not None and "from 1983-07-01" in error.get_text()


def test_ny_acknowledgement_date_starts_the_twenty_business_days(client, reporter):
    institution = add_institution(reporter, "NYPD", "us-ny-foil", "NY")
    rid = request_id_from(log_request(reporter, institution, received_on="2024-03-04", sent_on=""))
    form = page(client.get(f"/requests/{rid}/events/new?kind=acknowledgement"))
    assert "s.89(3)(a)" in form.select_one("section").get_text()
    assert (
        add_entry(reporter, rid, "acknowledgement", {"occurred_on": "2024-03-06"}).status_code
        == 302
    )
    shown = page(client.get(f"/requests/{rid}"))
    # 20 business days from Wed 2024-03-06 (Good Friday is no NY holiday): Wed 2024-04-03.
    assert shown.select_one("#due-date").get_text(strip=True) == "2024-04-03 (Wed)"
    assert "acknowledged the request on 2024-03-06" in shown.select_one(".explanation").get_text()
