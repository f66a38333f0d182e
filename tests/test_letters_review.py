"""A UK FOIA internal review asked for outside the tracker, recorded on the letters page: the
application to the Commissioner is offered after it."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests import builders
from tests.conftest import page
from tracker.core import clock, db
from tracker.core.models import Letter, TimelineEvent

REPORTER = "jo@guardian.test"
TODAY = date(2024, 2, 12)


def seed(app, law: str = "uk-foia") -> int:
    """A request refused under an exemption on 2024-01-30."""
    with builders.desk(app, REPORTER, today=TODAY, name="Jo Bloggs") as desk:
        office = desk.institution("Home Office", law, access_email="foi@homeoffice.test")
        request = desk.request(office, "Asylum hotels", received=date(2024, 1, 2))
        request.final_response(date(2024, 1, 30), "refused")
        return request.id


def offers_on(client, request_id: int) -> list[str]:
    return [
        li["data-key"]
        for li in page(client.get(f"/requests/{request_id}/letters")).select("li.offer")
    ]


def test_a_review_asked_for_outside_the_tracker_opens_the_complaint(app, client, auth):
    request_id = seed(app)
    url = f"/requests/{request_id}/letters/review"
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        before = offers_on(client, request_id)
        assert "review:exemptions" in before
        assert not any(k.startswith("complaint:") for k in before)
        # Bad input: refused beside the field, the value kept, nothing recorded.
        refused = auth.post(url, {"sent_on": "2024-03-01", "note": "by post"})
        assert refused.status_code == 422
        shown = page(refused)
        assert "cannot be in the future" in shown.select_one("#sent_on-error").get_text()
        assert shown.select_one("#sent_on")["value"] == "2024-03-01"
        assert auth.post(url, {"sent_on": ""}).status_code == 422
        done = auth.post(url, {"sent_on": "2024-02-05", "note": "Asked by e-mail."})
        assert done.status_code == 302
        after = offers_on(client, request_id)
        assert "complaint:exemptions" in after
        assert not any(k.startswith("review") for k in after)
        listing = page(client.get(f"/requests/{request_id}/letters"))
        assert listing.select_one("#review-form") is None  # recorded once
        again = auth.post(url, {"sent_on": "2024-02-06"})
        assert again.status_code == 422
    with app.app_context():
        s = db.session()
        letters = list(s.scalars(sa.select(Letter).where(Letter.request_id == request_id)))
        assert [(x.kind, x.status, x.sent_via, x.sent_on) for x in letters] == [
            ("review", "sent", "manual", date(2024, 2, 5))
        ]
        assert letters[0].body == "Asked by e-mail."
        event = s.get(TimelineEvent, letters[0].event_id)
        assert event.occurred_on == date(2024, 2, 5)


def test_a_law_without_a_review_step_has_nothing_to_record(app, client, auth):
    request_id = seed(app, "ca-atia")
    with clock.frozen(TODAY):
        auth.login(REPORTER)
        assert (
            page(client.get(f"/requests/{request_id}/letters")).select_one("#review-form") is None
        )
        refused = auth.post(f"/requests/{request_id}/letters/review", {"sent_on": "2024-02-05"})
        assert refused.status_code == 422
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(Letter)) == 0
