"""The clock's freezes: nested, and from several threads at once, none is left behind."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from tracker.core import clock


def test_nested_freezes_restore_the_outer_one():
    with clock.frozen(date(2024, 1, 1)):
        with clock.frozen(date(2025, 5, 5)):
            assert clock.today() == date(2025, 5, 5)
        assert clock.today() == date(2024, 1, 1)
    assert not clock.is_frozen()


def test_a_frozen_day_wins_over_a_frozen_instant():
    with clock.frozen_now(datetime(2026, 11, 18, 6, 0, tzinfo=UTC)):
        assert clock.today("Pacific/Honolulu") == date(2026, 11, 17)
        assert clock.today("America/Toronto") == date(2026, 11, 18)
        with clock.frozen(date(2020, 2, 10)):
            assert clock.today("Pacific/Honolulu") == date(2020, 2, 10)
    assert not clock.is_frozen()


def test_two_threads_ending_out_of_order_leave_nothing_frozen():
    """Thread A freezes, B freezes, A ends, B ends: the real day comes back.

    A saved-and-restored global left B's day frozen for every later test in the process.
    """
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a() -> None:
        with clock.frozen(date(2020, 1, 1)):
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with clock.frozen(date(2020, 1, 1)):
            b_in.set()
            a_out.wait(5)

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not clock.is_frozen()
    assert clock.today() != date(2020, 1, 1)


def test_a_naive_instant_is_refused():
    import pytest

    with pytest.raises(ValueError):
        with clock.frozen_now(datetime(2024, 1, 1)):
            pass
    assert not clock.is_frozen()
