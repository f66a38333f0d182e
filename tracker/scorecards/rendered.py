"""What the scorecard pages render from a scorecard's figures, kept per worker while valid.

Served from its snapshot, the page of a newsroom of 240 institutions spent most of its time
decoding the stored figures and building the same table rows and chart again on every view.
Those parts are kept here, in a small LRU cache per app (so per worker process), under the
snapshot's identity (``snapshots.Stored.identity``: the newsroom, the received range, the day,
the data revision, the code's fingerprint and when the figures were computed) and whatever
else each part depends on (the list's address for the institution links, the newsroom's
name in the chart). A write raises the revision, a new day or range or release changes the
identity: the next view finds no entry under it and renders afresh. Nothing is ever looked up
by anything less than the figures' full identity, so stale figures are never shown; old
entries just age out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from flask import current_app
from markupsafe import Markup
from sqlalchemy.orm import Session

from tracker.language.i18n import get_locale
from tracker.scorecards import service, snapshots
from tracker.scorecards.service import Score, Scorecards

SIZE = 64  # parts kept per worker: about 16 scorecards' page, chart and CSV files
T = TypeVar("T")


class Parts:
    """A bounded, thread-safe LRU mapping of keys to rendered parts."""

    def __init__(self, size: int | None = None) -> None:
        self.size = SIZE if size is None else size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The part kept under ``key``, else ``build()`` (kept, the oldest dropped)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()  # outside the lock: two workers' threads may build it alike
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def parts() -> Parts:
    """This app's cache (one per worker process)."""
    found = current_app.extensions.get("scorecard_parts")
    if found is None:
        found = current_app.extensions.setdefault("scorecard_parts", Parts())
    return found


ROWS = 4096  # table rows kept per worker: a dozen scorecards of a few hundred institutions


def rows(
    scores: list[Score], render: Callable[[list[Score]], Markup], *depends_on: Hashable
) -> Markup:
    """The table rows of ``scores``, each kept under its score's every field, the reader's
    language and what else it ``depends_on`` (the list's address): what ``render`` makes of
    one score, joined. A scorecard brought up to date after a change renders again only the
    rows whose figures changed (the whole table is kept per scorecard by ``part``)."""
    found = current_app.extensions.get("scorecard_rows")
    if found is None:
        found = current_app.extensions.setdefault("scorecard_rows", Parts(ROWS))
    locale = str(get_locale())
    return Markup("").join(
        found.get(
            (tuple(vars(s).items()), locale, *depends_on),
            lambda s=s: render([s]),
        )
        for s in scores
    )


@dataclass
class Scorecard:
    """A scorecard to show: its identity, day and time, and its figures, decoded only when a
    part must be rendered."""

    identity: tuple[Any, ...]
    today: date
    computed_at: datetime
    _decode: Callable[[], Scorecards]
    _cards: Scorecards | None = field(default=None, repr=False)

    @property
    def cards(self) -> Scorecards:
        """The figures (decoded at the first use)."""
        if self._cards is None:
            self._cards = self._decode()
        return self._cards

    def part(self, name: str, build: Callable[[Scorecards], T], *depends_on: Hashable) -> T:
        """A part rendered from the figures by ``build``, kept under this scorecard's identity,
        ``name``, the reader's language and what else it ``depends_on``."""
        key = (self.identity, name, str(get_locale()), *depends_on)
        return parts().get(key, lambda: build(self.cards))


def scorecard(
    db: Session,
    newsroom_id: int,
    today: date,
    received_from: date | None = None,
    received_to: date | None = None,
    import_id: int | None = None,
    project_id: int | None = None,
    tag: str | None = None,
) -> Scorecard:
    """The newsroom's scorecard for today and the range: the stored one when still valid,
    else computed now and stored for the next view. One import's scorecard is computed each
    time (not stored)."""
    if import_id is not None or project_id is not None or tag is not None:
        # One import's, project's or tag's scorecard is computed each time.
        cards = service.compute(
            db,
            newsroom_id,
            today,
            received_from,
            received_to,
            import_id,
            project_id=project_id,
            tag=tag,
        )
        name = (
            "restricted",
            newsroom_id,
            import_id,
            project_id,
            tag,
            today,
            received_from,
            received_to,
        )
        return Scorecard((*name, cards.computed_at), cards.today, cards.computed_at, lambda: cards)
    revision, stored = snapshots.find(db, newsroom_id, today, received_from, received_to)
    if stored is not None:
        return Scorecard(stored.identity, stored.day, stored.computed_at, stored.cards)
    # Brought up to date from the stale snapshot where only some institutions changed.
    cards, groups = snapshots.up_to_date(
        db, newsroom_id, today, revision, received_from, received_to
    )
    snapshots.store(db, newsroom_id, cards, revision, received_from, received_to, groups)
    # The identity the stored snapshot carries: a later view served from it reuses these parts.
    # Should another worker's figures (a later revision) have replaced it, theirs is another.
    name = snapshots.identity(
        newsroom_id, today, received_from, received_to, revision, cards.computed_at
    )
    return Scorecard(name, cards.today, cards.computed_at, lambda: cards, cards)
