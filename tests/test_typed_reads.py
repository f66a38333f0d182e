"""What the types mypy checks stand for (issue 18 part 6): a list row and the model it was
read from give the same lateness, the institution's province included; the helpers that
replaced untyped reads refuse what they cannot count or find."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from tests import builders
from tracker.core import db
from tracker.core.errors import validated
from tracker.core.models import InfoRequest
from tracker.requests import reading
from tracker.requests.describe import lateness

TODAY = date(2026, 7, 15)  # past the due dates below, and past June 24 (a Quebec holiday)


def test_a_list_row_and_its_model_give_one_lateness(app):
    with builders.desk(app, today=TODAY) as desk:
        quebec = desk.institution("Sûreté du Québec", "ca-atia", province="QC")
        federal = desk.institution("Royal Canadian Mounted Police", "ca-atia")
        ids = [
            desk.request(quebec, "Open in Quebec", received=date(2026, 5, 1)).id,
            desk.request(federal, "Open, no province", received=date(2026, 5, 1)).id,
            desk.request(quebec, "Answered late", received=date(2026, 4, 1))
            .final_response(date(2026, 6, 30), outcome="partial")
            .id,
        ]
    with app.app_context():
        session = db.session()
        rows = reading.listed(
            session.execute(reading.listed_select().where(InfoRequest.id.in_(ids)))
        )
        found = {}
        for row in rows:
            model = session.get_one(InfoRequest, row.id)
            found[row.id] = lateness(row, TODAY)
            assert found[row.id] == lateness(model, TODAY)
    in_quebec, no_province, answered = (found[i] for i in ids)
    assert in_quebec.calendar_days_late == no_province.calendar_days_late > 0
    # June 24 is a working day but for an institution in Quebec: the row's province counts.
    assert in_quebec.business_days_late == no_province.business_days_late - 1
    assert answered.stopped_by == "response"


def test_affected_counts_an_update_and_refuses_a_query(app):
    with app.app_context():
        session = db.session()
        update = sa.update(InfoRequest).where(InfoRequest.id == -1).values(title="none")
        assert db.affected(session.execute(update)) == 0
        with pytest.raises(TypeError):
            db.affected(session.execute(sa.select(InfoRequest)))
        session.rollback()


def test_a_row_gone_meanwhile_is_not_found(app):
    with app.test_request_context(), db.transaction() as session:
        with pytest.raises(NotFound):
            db.get_or_404(session, InfoRequest, 10**9)


def test_a_required_field_left_empty_after_validation_is_an_error():
    assert validated(date(2026, 1, 2)) == date(2026, 1, 2)
    assert validated("") == ""
    with pytest.raises(ValueError):
        validated(None)
