"""What the request list and the dashboard keep between views, under a token of the data.

A page number typed deep into the list (``?page=N``) or past its end needs two things that
cost a read of every matching request when computed afresh: how many requests match (to know
where the end is) and where the page starts (an OFFSET walks every row before it). The
dashboard counts windows that grow with the newsroom. This module keeps them in the process,
in a bounded store (least recently used out first), under what they show:

    (newsroom, list token, what is listed (filters and sort), day)

The list token is ``data_revision.list_state`` (tracker.core.revisions): a random number drawn
again in the same transaction as every write to what the list or the dashboard shows
(requests, institutions, extensions, complaints, through the ORM, bulk statements, SQL text,
imports, the API and the overdue sweep). A new token is a new key: nothing kept for the old
data is ever served again. The day is in the key of what depends on it (the order by days
late, the dashboard's windows). Labels (projects, tags), other file numbers and the search are
not under the token: lists filtered by them are not kept (tracker.requests.queries.keepable).

Consistency: figures are kept only when the token read before computing them is the token
read after (each statement between the two saw that data: a write that committed in between
drew another token, and tokens do not come back). A page served from kept places is checked
the same way, and computed afresh when a write came in between.

Places: the sort key of the row at a multiple of ``PLACE_EVERY`` rows from the start
(``forward``) or from the end (``backward``), found as pages ask for them: a page typed at a
depth whose place is kept seeks from it and reads fewer than PLACE_EVERY + 25 rows, whatever
the depth. A place not kept yet is found in one statement, an OFFSET from the nearest kept
place before it (or the start): the first view after a change costs about what a typed page
cost without places (bench/pages.py reports it as the "cold" cost), every view after it of a
page within PLACE_EVERY rows of that place costs what a first page does.

Each process keeps its own (no broker): several web workers each find their places once per
token. ``MAX_KEPT`` bounds the store (a place is a sort key of four values; the places of
1,000,000 requests are at most 400 of them).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tracker.core.db import engine_of
from tracker.core.models import DataRevision

# A kept place every this many rows: 100 pages of 25.
PLACE_EVERY = 2_500
# Entries kept per database (lists, each with its places, and dashboards).
MAX_KEPT = 512


@dataclass
class Places:
    """How many requests a list holds, and the sort keys of rows at known positions."""

    total: int
    # forward[n]: the sort key (a cursor, tracker.requests.queries.decode_cursor's values) of
    # the row at position n * PLACE_EVERY - 1 from the start, counting from 0 (n >= 1), so the
    # rows after it start at n * PLACE_EVERY; backward[n]: of the row n * PLACE_EVERY rows
    # from the end (the rows before it, read backwards, end n * PLACE_EVERY rows from the end).
    forward: dict[int, list[Any]] = field(default_factory=dict)
    backward: dict[int, list[Any]] = field(default_factory=dict)


class Store:
    """A bounded map, least recently used out first, safe across threads."""

    def __init__(self, size: int = MAX_KEPT) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self.list_state = False  # the database has ``list_state`` (migration 0025)

    def get(self, key: Hashable) -> Any:
        """The kept value, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        """Keep a value, dropping the least recently used beyond the size."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def put_places(self, key: Hashable, places: Places) -> None:
        """Keep a list's places, with those kept already: under one token a place is the
        same row's key whoever found it."""
        with self._lock:
            kept = self._items.get(key)
            if isinstance(kept, Places) and kept.total == places.total:
                places = Places(
                    places.total,
                    kept.forward | places.forward,
                    kept.backward | places.backward,
                )
            self._items[key] = places
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


_stores: weakref.WeakKeyDictionary[Engine, Store] = weakref.WeakKeyDictionary()
_stores_lock = threading.Lock()


def store(db: Session) -> Store:
    """The store of the session's database (one per engine: every app its own)."""
    engine = engine_of(db)
    with _stores_lock:
        found = _stores.get(engine)
        if found is None:
            found = _stores[engine] = Store()
        return found


def token(db: Session, newsroom_id: int) -> int | None:
    """The newsroom's list token now (0 before its first write), or None when the database
    has no token yet (not migrated to 0025: nothing is kept)."""
    kept = store(db)
    if not kept.list_state:
        conn = db.connection()
        columns = sa.inspect(conn).get_columns(DataRevision.__tablename__)
        if not any(c["name"] == "list_state" for c in columns):
            return None
        kept.list_state = True
    # max(): one row, 0, for a newsroom that has no revision row yet.
    query = sa.select(sa.func.coalesce(sa.func.max(DataRevision.list_state), 0)).where(
        DataRevision.newsroom_id == newsroom_id
    )
    return int(db.connection().execute(query).scalar_one())


def forget_all() -> None:
    """Forget everything kept, for every database (bench/pages.py's cold views; a database
    replaced under a running process)."""
    with _stores_lock:
        _stores.clear()
