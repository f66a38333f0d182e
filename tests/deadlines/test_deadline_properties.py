"""Property tests for the deadline engine (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tracker.deadlines import (
    LAW_CODES,
    LAW_VERSIONS,
    LAWS,
    due_date,
    explain,
    is_working_day,
    law_in_force,
    reporter_windows,
    working_days_between,
)
from tracker.deadlines.calendars import CA_PROVINCES

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

laws = st.sampled_from(LAW_CODES)
# From the latest first version of most laws (NY POL s.89(3)(a) as amended in 2005); a law
# whose first version is later skips the dates before it (_in_force).
dates = st.dates(min_value=date(2005, 5, 3), max_value=date(2080, 12, 31))
extensions = st.integers(min_value=0, max_value=60)


def _in_force(law: str, *days: date) -> None:
    """Skip an example received before the law's first version (a ValueError by design)."""
    assume(all(d >= LAW_VERSIONS[law][0].effective_from for d in days))


@st.composite
def law_and_province(draw: st.DrawFn) -> tuple[str, str | None]:
    law = draw(laws)
    if LAWS[law].province_mode == "institution":
        return law, draw(st.sampled_from((None, *CA_PROVINCES)))
    if LAWS[law].province_mode == "fixed":
        return law, draw(st.sampled_from((None, LAWS[law].default_province)))
    return law, None


@st.composite
def pause_lists(draw: st.DrawFn, received: date) -> list[tuple[date, date]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        start = received + timedelta(days=draw(st.integers(-10, 60)))
        out.append((start, start + timedelta(days=draw(st.integers(0, 20)))))
    return out


@SETTINGS
@given(law_and_province(), dates, extensions)
def test_calendar_day_laws_never_due_before_received_plus_length(lp, received, ext) -> None:
    law, province = lp
    _in_force(law, received)
    due = due_date(law, received, extension_days=ext, province=province)
    version = law_in_force(law, received)
    if version.unit == "calendar":
        assert due >= received + timedelta(days=version.length + ext)
        assert due - (received + timedelta(days=version.length + ext)) < timedelta(days=10)
    else:
        # Working-day laws: exactly length + ext working days after receipt.
        assert working_days_between(law, received, due, province) == version.length + ext


@SETTINGS
@given(law_and_province(), dates, extensions)
def test_due_date_is_a_working_day(lp, received, ext) -> None:
    law, province = lp
    _in_force(law, received)
    assert is_working_day(
        law, due_date(law, received, extension_days=ext, province=province), province
    )


@SETTINGS
@given(law_and_province(), dates, dates, extensions)
def test_later_receipt_never_gives_an_earlier_due_date(lp, a, b, ext) -> None:
    law, province = lp
    _in_force(law, a, b)
    a, b = min(a, b), max(a, b)
    assert due_date(law, a, extension_days=ext, province=province) <= due_date(
        law, b, extension_days=ext, province=province
    )


@SETTINGS
@given(law_and_province(), dates, extensions, extensions)
def test_extension_never_moves_due_date_earlier(lp, received, e1, e2) -> None:
    law, province = lp
    _in_force(law, received)
    e1, e2 = min(e1, e2), max(e1, e2)
    assert due_date(law, received, extension_days=e1, province=province) <= due_date(
        law, received, extension_days=e2, province=province
    )


@SETTINGS
@given(st.data(), law_and_province(), dates, extensions)
def test_explain_and_due_date_agree(data, lp, received, ext) -> None:
    law, province = lp
    _in_force(law, received)
    pauses = data.draw(st.one_of(st.just([]), pause_lists(received)))
    e = explain(law, received, extension_days=ext, province=province, pauses=pauses)
    assert e.due == due_date(law, received, extension_days=ext, province=province, pauses=pauses)
    assert e.as_text() and e.steps


@SETTINGS
@given(st.data(), law_and_province(), dates, extensions)
def test_pauses_never_move_due_date_earlier(data, lp, received, ext) -> None:
    law, province = lp
    _in_force(law, received)
    pauses = data.draw(pause_lists(received))
    plain = due_date(law, received, extension_days=ext, province=province)
    paused = due_date(law, received, extension_days=ext, province=province, pauses=pauses)
    assert paused >= plain
    assert is_working_day(law, paused, province)
    assert all(not (s <= paused <= e) for s, e in pauses)


@SETTINGS
@given(law_and_province(), dates, st.integers(min_value=0, max_value=200))
def test_reporter_windows_never_end_after_their_later_reading(lp, received, after) -> None:
    """Part 1 of issue 15: the reporter's window takes the earlier reading; the later one,
    when shown, is never earlier, and a window never ends on a Sunday (every interpretation
    act moves a time limit past a Sunday)."""
    law, province = lp
    _in_force(law, received)
    due = due_date(law, received, province=province)
    responded = received + timedelta(days=after)
    for window in reporter_windows(
        law, received=received, due=due, responded=responded, province=province
    ) + reporter_windows(law, received=received, due=due, province=province):
        if window.end is None or window.kind != "statute":
            continue
        if window.later_end is not None:
            assert window.later_end > window.end
        assert (
            window.end.weekday() != 6 or law_in_force(law, received).complaint_window.roll == "none"
        )  # type: ignore[union-attr]
