"""The request page explains the due date with the same day-by-day walk that found it."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import deadlines
from tracker.core.models import InfoRequest, Institution, TimelineEvent
from tracker.requests.describe import describe
from tracker.requests.state import EventFact, derive_state

LAWS_WITH_PAUSES = ("us-foia", "uk-foia", "ca-bc-fippa", "ca-atia")


@st.composite
def timelines(draw):
    """A request under a law that may pause its clock, with fee notices and payments and
    maybe an extension, on random days after receipt."""
    law = draw(st.sampled_from(LAWS_WITH_PAUSES))
    received = draw(st.dates(date(2015, 1, 1), date(2028, 12, 31)))
    events = [EventFact(1, "filed", received)]
    day = received
    for n in range(draw(st.integers(0, 3))):
        day += timedelta(days=draw(st.integers(1, 20)))
        kind = "fee_notice" if n % 2 == 0 else "fee_paid"
        events.append(EventFact(len(events) + 1, kind, day, details={"amount": "5.00"}))
    if draw(st.booleans()):
        notice = received + timedelta(days=draw(st.integers(1, 25)))
        details = {
            "days": draw(st.integers(1, 90)),
            "reason": "volume",
            "notice_on": notice.isoformat(),
            "commissioner_notified": True,
        }
        events.append(EventFact(len(events) + 1, "extension", notice, details=details))
    today = received + timedelta(days=draw(st.integers(0, 400)))
    return law, received, events, today


@settings(max_examples=150, deadline=None)
@given(timelines())
def test_the_explanation_shown_is_the_walk_that_found_the_due_date(case):
    law, received, events, today = case
    state = derive_state(law, None, received, events, today)
    fresh = deadlines.explain(
        law,
        state.clock_start,
        extension_days=state.extension_days,
        province=None,
        pauses=state.pauses,
    )
    assert fresh.due == state.due_on
    if state.explanation is not None:  # kept only when the clock was paused
        assert state.pauses
        assert state.explanation == fresh
    facts = InfoRequest(
        id=1,
        newsroom_id=1,
        owner_id=1,
        law_code=law,
        title="t",
        text="",
        received_on=received,
        status=state.status,
        due_on=state.due_on,
        institution=Institution(id=1, name="Institution", law_code=law, province=None),
        events=[
            TimelineEvent(id=e.id, kind=e.kind, occurred_on=e.occurred_on, details=e.details)
            for e in events
        ],
    )
    shown = describe(facts, today)
    assert shown.explanation == fresh
    assert shown.state.due_on == state.due_on
