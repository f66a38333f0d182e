"""The dashboard's next step per overdue request (issue 19, item 12): to whom and by when to
complain, with one click to the evidence packet holding the draft complaint letter."""

from __future__ import annotations

from datetime import date

from tests import builders
from tests.conftest import page
from tracker.core import clock

TODAY = date(2024, 6, 3)


def test_each_overdue_request_says_what_to_do_next(app, auth, client):
    with builders.desk(app, today=TODAY) as d:
        recent = d.request("RCMP", "Recent silence", received=date(2024, 4, 1)).id
        old = d.request("RCMP", "Old silence", received=date(2023, 1, 5)).id
        bc = d.institution("BC Hydro", "ca-bc-fippa", "BC")
        review = d.request(bc, "No limit", received=date(2024, 3, 1)).id
    with clock.frozen(TODAY):
        auth.login()
        rows = {
            row.select_one(".card-title a").get_text(): row
            for row in page(client.get("/")).select("#overdue tbody tr")
        }
    step = rows["Recent silence"].select_one(".next-step")
    assert "Complaint to Information Commissioner of Canada by" in step.get_text(" ", strip=True)
    link = step.find("a")
    assert link["href"] == f"/requests/{recent}/packet.zip"
    assert "draft complaint letter" in link.get_text()
    closed = rows["Old silence"].select_one(".next-step").get_text(" ", strip=True)
    assert "closed on" in closed
    assert rows["Old silence"].select_one(".next-step a")["href"] == f"/requests/{old}/packet.zip"
    no_limit = rows["No limit"].select_one(".next-step").get_text(" ", strip=True)
    assert "British Columbia (no time limit)" in no_limit
    assert rows["No limit"].select_one(".next-step a")["href"] == f"/requests/{review}/packet.zip"
