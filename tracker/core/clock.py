"""The one place code reads "now" and "today"; tests and ``--today`` can set it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

# Each freeze is one entry in a tuple, removed by its own block on exit; the latest entry
# wins. Two threads freezing at once (tests, a sweep run with ``--today`` beside a live
# server) then never leave a date frozen behind them, whatever order their blocks end in.
# The tuples are replaced, never changed, so a reader needs no lock.
_lock = threading.Lock()
_frozen: dict[str, tuple[tuple[object, Any], ...]] = {"day": (), "instant": ()}


def now() -> datetime:
    """The current instant, timezone-aware (UTC), unless an instant was frozen."""
    instants = _frozen["instant"]
    if instants:
        return instants[-1][1]
    return datetime.now(UTC)


def today(tz: str | ZoneInfo = "America/Toronto") -> date:
    """Today's date in a time zone (a newsroom's), unless a date was frozen."""
    days = _frozen["day"]
    if days:
        return days[-1][1]
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return now().astimezone(zone).date()


def is_frozen() -> bool:
    """Whether a day or an instant is frozen (the tests check none is left behind)."""
    return bool(_frozen["day"] or _frozen["instant"])


@contextmanager
def _freeze(kind: str, value: Any) -> Iterator[Any]:
    token = object()
    with _lock:
        _frozen[kind] = (*_frozen[kind], (token, value))
    try:
        yield value
    finally:
        with _lock:
            _frozen[kind] = tuple(entry for entry in _frozen[kind] if entry[0] is not token)


@contextmanager
def frozen(day: date) -> Iterator[date]:
    """Make ``today()`` answer ``day`` inside the block (tests, ``sweep --today``)."""
    with _freeze("day", day) as value:
        yield value


@contextmanager
def frozen_now(instant: datetime) -> Iterator[datetime]:
    """Make ``now()`` (and ``today()`` when no day is frozen) answer ``instant`` inside the block."""
    if instant.tzinfo is None:
        raise ValueError("frozen_now needs a timezone-aware instant")
    with _freeze("instant", instant.astimezone(UTC)) as value:
        yield value
