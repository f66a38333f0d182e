"""Scorecards brought up to date per institution give the figures of the full computation."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_scorecards import entry
from tracker import deadlines
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Institution, ScorecardChange, User
from tracker.institutions.service import InstitutionData, create_institution
from tracker.requests import service as requests
from tracker.scorecards import incremental, rendered, snapshots
from tracker.scorecards.service import compute

TODAY = date(2024, 6, 3)
LAWS = ("ca-atia", "ca-on-mfippa", "us-foia", "uk-foia")


@pytest.fixture(autouse=True)
def frozen_today():
    with clock.frozen(TODAY) as day:
        yield day


@pytest.fixture
def room(app, make_user):
    """A generated newsroom: 4 institutions under 4 laws, 24 requests of every kind."""
    reporter = make_user("rep@example.org", newsroom="The Star")
    rng = random.Random(25)
    with app.app_context(), db.transaction() as session:
        user = session.get(User, reporter.id)
        places = [
            create_institution(
                session, user.newsroom_id, InstitutionData(name=f"Body {n}", law_code=law)
            ).id
            for n, law in enumerate(LAWS)
        ]
        for n in range(24):
            made = requests.create_request(
                session,
                user,
                requests.RequestData(
                    institution_id=places[n % 4],
                    title=f"Request {n}",
                    received_on=TODAY - timedelta(days=rng.randint(5, 300)),
                ),
                TODAY,
            )
            _change(session, user, made, rng.choice(KINDS), rng.randint(0, 120))
    return reporter.newsroom_id


KINDS = ("respond", "extend", "complain", "withdraw", "nothing")


def _change(session, user, request, kind: str, days: int) -> None:
    """One change to a request through the request service (nothing if the law refuses it)."""
    try:
        with session.begin_nested():
            _apply(session, user, request, kind, days)
    except requests.RequestError:
        pass


def _apply(session, user, request, kind: str, days: int) -> None:
    day = min(TODAY, request.received_on + timedelta(days=days))
    if kind == "respond" and request.responded_on is None and request.closed_on is None:
        entry(session, user, request, "final_response", day, outcome="partial")
    elif kind == "extend" and request.responded_on is None and request.closed_on is None:
        entry(
            session,
            user,
            request,
            "extension",
            request.received_on + timedelta(days=3),
            days=1 + days % 60,
            reason=deadlines.extension_reasons(request.law_code)[0].code,
            notice_on=(request.received_on + timedelta(days=3)).isoformat(),
        )
    elif kind == "complain" and request.responded_on is not None:
        filed = max(day, request.responded_on)
        entry(session, user, request, "complaint_filed", filed, grounds="delay")
        if days % 2:
            entry(session, user, request, "complaint_finding", filed, finding="well_founded")
    elif kind == "withdraw" and request.responded_on is None and request.closed_on is None:
        entry(session, user, request, "withdrawn", day)


def _figures(cards):
    return [dataclasses.asdict(s) for s in cards.institutions], [
        dataclasses.asdict(s) for s in cards.laws
    ]


operation = st.tuples(
    st.sampled_from((*KINDS, "new", "rename", "move")),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=200),
)


def _operate(app, room, kind: str, pick: int, days: int) -> None:
    """One random change to the newsroom, committed (see ``operation``)."""
    with app.app_context(), db.transaction() as session:
        user = session.scalar(sa.select(User).where(User.newsroom_id == room))
        ids = list(
            session.scalars(sa.select(InfoRequest.id).where(InfoRequest.newsroom_id == room))
        )
        places = list(
            session.scalars(sa.select(Institution.id).where(Institution.newsroom_id == room))
        )
        if kind == "new":
            requests.create_request(
                session,
                user,
                requests.RequestData(
                    institution_id=places[pick % len(places)],
                    title=f"New {pick}",
                    received_on=TODAY - timedelta(days=days),
                ),
                TODAY,
            )
        elif kind == "rename":
            place = places[pick % len(places)]
            session.get(Institution, place).name = f"Renamed {pick} ({place})"
        elif kind == "move":  # a request filed with another institution of the same law
            request = session.get(InfoRequest, ids[pick % len(ids)])
            twin = create_institution(
                session,
                room,
                InstitutionData(name=f"Twin {len(places)}", law_code=request.law_code),
            )
            request.institution_id = twin.id
        else:
            request = requests.load_request(session, ids[pick % len(ids)])
            _change(session, user, request, kind, days)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(operation, min_size=1, max_size=4))
def test_a_scorecard_brought_up_to_date_equals_the_full_computation(
    app, room, monkeypatch, changes
):
    recomputed: list[object] = []
    real = incremental.groups

    def spy(*args, **kwargs):
        recomputed.append(kwargs.get("institutions", args[5] if len(args) > 5 else None))
        return real(*args, **kwargs)

    monkeypatch.setattr(incremental, "groups", spy)
    with app.app_context():
        rendered.scorecard(db.session(), room, TODAY)  # stored, current
        db.session().commit()
    recomputed.clear()
    for kind, pick, days in changes:
        _operate(app, room, kind, pick, days)
    with app.app_context():
        session = db.session()
        shown = rendered.scorecard(session, room, TODAY).cards
        full = compute(session, room, TODAY)
        assert _figures(shown) == _figures(full)
        # Only the institutions changed were read again, never the newsroom whole.
        assert all(touched is not None for touched in recomputed), recomputed
        places = session.scalar(
            sa.select(sa.func.count())
            .select_from(Institution)
            .where(Institution.newsroom_id == room)
        )
        assert all(len(touched) < places for touched in recomputed)


def test_a_statement_on_many_rows_makes_the_scorecard_computed_whole(app, room):
    with app.app_context():
        session = db.session()
        rendered.scorecard(session, room, TODAY)
        session.commit()
        session.execute(
            sa.update(InfoRequest).where(InfoRequest.newsroom_id == room).values(title="Same")
        )
        session.commit()
        revision, stored = snapshots.find(session, room, TODAY)
        assert stored is None
        assert (
            session.scalar(
                sa.select(ScorecardChange.institution_id).where(
                    ScorecardChange.revision == revision
                )
            )
            is None
        )  # any institution
        assert _figures(rendered.scorecard(session, room, TODAY).cards) == _figures(
            compute(session, room, TODAY)
        )


def test_the_median_of_a_histogram_is_statistics_median():
    import statistics

    for values in ([3], [1, 2], [5, 1, 4, 4], [0, 0, 0, 7, 9], [2, 9, 11, 30, 30, 30]):
        histogram: dict[int, int] = {}
        for v in values:
            histogram[v] = histogram.get(v, 0) + 1
        assert incremental.median(histogram) == statistics.median(values)
    assert incremental.median({}) is None


def _bound(offset: int | None) -> date | None:
    return None if offset is None else TODAY - timedelta(days=offset)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    before=st.lists(operation, max_size=2),
    after=st.lists(operation, max_size=3),
    later=st.integers(min_value=0, max_value=400),
    ahead=st.booleans(),
    start=st.none() | st.integers(min_value=0, max_value=320),
    end=st.none() | st.integers(min_value=-10, max_value=320),
)
def test_every_fast_path_shows_the_figures_of_the_full_computation(
    app, room, monkeypatch, before, after, later, ahead, start, end
):
    """The scheduler's run on a random day stores that day's scorecard and the next day's;
    a view of either day, all-time or of a random received range, after random changes
    (new requests, responses, extensions, complaints, withdrawals, renamed institutions,
    requests moved), shows exactly what ``service.compute`` gives at that moment: served
    from the snapshot, or brought up to date from it institution by institution."""
    for change in before:
        _operate(app, room, *change)
    run_on = TODAY + timedelta(days=later)
    view_on = run_on + timedelta(days=1 if ahead else 0)
    received_from, received_to = _bound(start), _bound(end)
    with clock.frozen(run_on), app.app_context():
        snapshots.refresh(db.session(), "UTC")
    with clock.frozen(view_on), app.app_context():
        session = db.session()
        _, stored = snapshots.find(session, room, view_on)
        assert stored is not None  # stored by the scheduler: the view reads it
        assert _figures(stored.cards()) == _figures(compute(session, room, view_on))
        rendered.scorecard(session, room, view_on, received_from, received_to)  # stored
        session.commit()
    for change in after:
        _operate(app, room, *change)
    with clock.frozen(view_on), app.app_context():
        session = db.session()
        for low, high in ((None, None), (received_from, received_to)):
            shown = rendered.scorecard(session, room, view_on, low, high).cards
            assert _figures(shown) == _figures(compute(session, room, view_on, low, high))
            again = rendered.scorecard(session, room, view_on, low, high).cards  # stored
            assert _figures(again) == _figures(shown)
        session.commit()
    # The per-institution read (a change brought up to date) and the newsroom-wide one give
    # the same groups.
    with clock.frozen(view_on), app.app_context():
        session = db.session()
        every = incremental.groups(session, room, view_on, received_from, received_to)
        key = lambda g: (g.institution_id, g.law_code)  # noqa: E731
        for limit in (incremental.FEW, 0):  # each request looked up by id, or tables read whole
            monkeypatch.setattr(incremental, "FEW", limit)
            for place in {g.institution_id for g in every}:
                few = incremental.groups(
                    session, room, view_on, received_from, received_to, institutions=[place]
                )
                assert sorted(few, key=key) == sorted(
                    (g for g in every if g.institution_id == place), key=key
                )
            monkeypatch.undo()
