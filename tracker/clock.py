"""The one place code reads "now" and "today"; tests and ``--today`` can set it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

_frozen_today: date | None = None
_frozen_now: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware (UTC), unless an instant was frozen."""
    if _frozen_now is not None:
        return _frozen_now
    return datetime.now(UTC)


def today(tz: str | ZoneInfo = "America/Toronto") -> date:
    """Today's date in a time zone (a newsroom's), unless a date was frozen."""
    if _frozen_today is not None:
        return _frozen_today
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return now().astimezone(zone).date()


@contextmanager
def frozen(day: date) -> Iterator[date]:
    """Make ``today()`` answer ``day`` inside the block (tests, ``sweep --today``)."""
    global _frozen_today
    previous, _frozen_today = _frozen_today, day
    try:
        yield day
    finally:
        _frozen_today = previous


@contextmanager
def frozen_now(instant: datetime) -> Iterator[datetime]:
    """Make ``now()`` (and ``today()`` when no day is frozen) answer ``instant`` inside the block."""
    global _frozen_now
    if instant.tzinfo is None:
        raise ValueError("frozen_now needs a timezone-aware instant")
    previous, _frozen_now = _frozen_now, instant.astimezone(UTC)
    try:
        yield _frozen_now
    finally:
        _frozen_now = previous
