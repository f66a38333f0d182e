"""The letters API: read only. A request's offered letters and its letters, one letter with
its text; another newsroom's are 404; drafting and sending stay on the web."""

from __future__ import annotations

from datetime import date

from api_helpers import bearer, token

from tests import builders
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Letter, User
from tracker.letters import service as letters

REPORTER = "marie@lapresse.ca"
TODAY = date(2020, 3, 20)  # nine days after the due date of 2020-03-11


def seed(app) -> tuple[int, int]:
    """The La Presse / RCMP request, acknowledged, no response, with a follow-up drafted."""
    with builders.desk(app, REPORTER, today=TODAY, name="Marie Côté") as desk:
        rcmp = desk.institution(
            "Royal Canadian Mounted Police", "ca-atia", access_email="atip-aiprp@rcmp-grc.gc.ca"
        )
        request = desk.request(
            rcmp, "Clearview AI", received=date(2020, 2, 10), sent_on=date(2020, 2, 10)
        )
        request.acknowledgement(date(2020, 2, 14))
        request_id = request.id
    with app.app_context(), db.transaction() as s:
        user = s.query(User).filter_by(email=REPORTER).one()
        drafted = letters.create_draft(
            s, user, s.get(InfoRequest, request_id), "follow_up_overdue", "fr", TODAY
        )
        return request_id, drafted.id


def test_a_requests_letters_and_offers_are_read_through_the_api(app, client):
    request_id, letter_id = seed(app)
    headers = bearer(token(app, REPORTER))
    with clock.frozen(TODAY):
        listed = client.get(f"/api/v1/requests/{request_id}/letters", headers=headers)
        assert listed.status_code == 200
        body = listed.get_json()
        offers = {o["key"]: o for o in body["offers"]}
        assert "follow_up_overdue" in offers
        delay = offers["complaint:delay"]
        assert delay["to_body"] is True
        assert delay["addressee"] == "Information Commissioner of Canada"
        assert delay["window_ends"] == "2020-05-11"
        assert "ATIA s.30(1)(a)" in delay["sections"]
        [item] = body["items"]
        assert item["id"] == letter_id
        assert item["status"] == "draft" and item["language"] == "fr"
        assert "body" not in item
        one = client.get(item["url"], headers=headers)
        assert one.status_code == 200
        letter = one.get_json()
        assert letter["request_id"] == request_id
        assert letter["recipient_email"] == "atip-aiprp@rcmp-grc.gc.ca"
        assert "Loi sur l'accès à l'information" in letter["body"]
    # Read only: nothing drafts or sends through the API.
    assert client.post(f"/api/v1/letters/{letter_id}", headers=headers).status_code == 405
    assert client.post(f"/api/v1/requests/{request_id}/letters", headers=headers).status_code == 405
    with app.app_context():
        assert db.session().get(Letter, letter_id).status == "draft"


def test_another_newsrooms_letters_are_404_with_a_reason(app, client):
    request_id, letter_id = seed(app)
    with builders.desk(app, "other@ledevoir.test", today=TODAY, newsroom="Le Devoir"):
        pass
    headers = bearer(token(app, "other@ledevoir.test"))
    for url in (f"/api/v1/requests/{request_id}/letters", f"/api/v1/letters/{letter_id}"):
        answer = client.get(url, headers=headers)
        assert answer.status_code == 404, url
        assert "in your newsroom" in answer.get_json()["reason"]
    assert client.get(f"/api/v1/letters/{letter_id}").status_code == 401
