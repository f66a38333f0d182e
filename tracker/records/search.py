"""Search across a newsroom's records: request titles and texts, timeline notes and every
page of every attached file, in French and English, accents ignored.

PostgreSQL: full-text search through the ``records_fr`` and ``records_en`` configurations
(unaccent, then the French or English stemmer) into a stored, GIN-indexed tsvector (both
languages in one, stripped of positions); a page matches when every word of the query
matches in either language. Hits are not ranked (no ts_rank): newest first, as on SQLite;
snippets are cut in Python from the 20 texts shown (no ts_headline). SQLite: FTS5
(``unicode61 remove_diacritics 2`` with Porter stemming). Hits come newest first (by the
text's id, so both databases give them in one order) and carry the request, the file and
page, and a snippet split into parts, the words found marked: the template highlights them
(markup stays in templates).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.language.i18n import _

PER_PAGE = 20
# PostgreSQL: how many of the newest texts are read before the index is asked instead.
NEWEST_WINDOW = 200
MAX_TERMS = 12
SNIPPET_CHARS = 240
_WORD = re.compile(r"\w+", re.UNICODE)


class SearchError(ValueError):
    """A query that cannot be searched; the message says why."""


@dataclass(frozen=True)
class Hit:
    """One text found: where it is and a snippet of it (parts: (text, is_match))."""

    text_id: int
    request_id: int
    request_title: str
    source: str  # page, request or note
    attachment_id: int | None
    file_name: str | None
    page: int | None
    event_id: int | None
    parts: tuple[tuple[str, bool], ...]


@dataclass(frozen=True)
class Results:
    """A page of hits; ``before`` continues the list (None: no more)."""

    query: str
    hits: list[Hit]
    before: int | None


def fold(text: str) -> str:
    """Lower case without accents ("Décision" -> "decision")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def terms_of(query: str) -> list[str]:
    """The words of a query, as searched (at most MAX_TERMS)."""
    return [w for w in _WORD.findall(query) if w.strip("_")][:MAX_TERMS]


def _letter_classes() -> dict[str, str]:
    """Each ASCII letter with its accented forms ("e" -> "eéèêë..."), from Latin-1 and
    Latin Extended-A."""
    classes: dict[str, str] = {}
    for code in range(0xC0, 0x180):
        char = chr(code)
        base = fold(char)
        if len(base) == 1 and base.isascii() and base.isalpha():
            classes[base] = classes.get(base, base) + char + char.upper()
    return classes


@functools.cache
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    """A regular expression finding the words that begin like a term (its stem: all but
    the last two letters, at least four), accents and case ignored."""
    classes = _letter_classes()
    stems = []
    for term in terms:
        folded = fold(term)
        stem = folded[: max(len(folded) - 2, min(len(folded), 4))]
        stems.append(
            "".join(f"[{re.escape(classes[c])}]" if c in classes else re.escape(c) for c in stem)
        )
    return re.compile(rf"(?<!\w)(?:{'|'.join(stems)})\w*", re.IGNORECASE)


def snippet(body: str, terms: list[str], size: int = SNIPPET_CHARS) -> tuple[tuple[str, bool], ...]:
    """A window of the text around its first word found, as (text, is_match) parts."""
    pattern = _pattern(tuple(terms))
    first = pattern.search(body)
    start = 0
    if first is not None:
        start = max(0, first.start() - size // 3)
        while start > 0 and not body[start - 1].isspace():
            start -= 1
    end = min(len(body), start + size)
    while end < len(body) and not body[end - 1].isspace() and end - start < size + 30:
        end += 1
    words = pattern.finditer(body, start) if first is not None else ()
    parts: list[tuple[str, bool]] = []
    if start > 0:
        parts.append(("… ", False))
    cursor = start
    for match in words:
        if match.end() > end:
            break
        if match.start() > cursor:
            parts.append((body[cursor : match.start()], False))
        parts.append((match.group(0), True))
        cursor = match.end()
    if cursor < end:
        parts.append((body[cursor:end], False))
    if end < len(body):
        parts.append((" …", False))
    return tuple((re.sub(r"\s+", " ", text), hit) for text, hit in parts)


# Each statement reads a hit's columns: id, request, title, source, file, name, page, note
# and text. A query of stop words only is an empty tsquery (numnode 0): nothing is searched.
# A common word is found among the newest texts: look there first (a bounded walk of the
# primary key, each row's vector read), and read the hits' rows in the same statement. The
# query in both languages is made once, in the statement.
_PG_NEWEST = sa.text(
    "WITH q AS MATERIALIZED (SELECT plainto_tsquery('records_fr'::regconfig, :words)"
    " || plainto_tsquery('records_en'::regconfig, :words) AS q)"
    " SELECT t.id, t.request_id, r.title, t.source, t.attachment_id, a.original_name, t.page,"
    " t.event_id, t.body FROM (SELECT recent.id FROM (SELECT id, search_vector FROM record_text"
    " WHERE newsroom_id = :newsroom AND (:before IS NULL OR id < :before)"
    " ORDER BY id DESC LIMIT :window) AS recent, q"
    " WHERE numnode(q.q) > 0 AND recent.search_vector @@ q.q"
    " ORDER BY recent.id DESC LIMIT :limit) AS hit JOIN record_text t ON t.id = hit.id"
    " JOIN info_request r ON r.id = t.request_id LEFT JOIN attachment a ON a.id = t.attachment_id"
    " ORDER BY t.id DESC"
).bindparams(sa.bindparam("before", type_=sa.Integer))
# Otherwise the GIN index, through records_search_ids() (migration 0024): it leaves the
# planner bitmap scans only. The planner does not count the cost of reading each row's vector
# out of line: for a word it expects on many pages it walked the table (a sequential scan, or
# the primary key backwards) reading every vector, 1.6-2 s at 100,000 pages, against about
# 30 ms through the index; the table's rows are small (texts and vectors out of line), so
# the heap visits for every match are cheap.
_PG_INDEXED = sa.text(
    "WITH q AS MATERIALIZED (SELECT plainto_tsquery('records_fr'::regconfig, :words)"
    " || plainto_tsquery('records_en'::regconfig, :words) AS q)"
    " SELECT t.id, t.request_id, r.title, t.source, t.attachment_id, a.original_name, t.page,"
    " t.event_id, t.body FROM records_search_ids(:newsroom, (SELECT q FROM q), :before, :limit)"
    " AS hit(id) JOIN record_text t ON t.id = hit.id"
    " JOIN info_request r ON r.id = t.request_id LEFT JOIN attachment a ON a.id = t.attachment_id"
    " ORDER BY t.id DESC"
).bindparams(sa.bindparam("before", type_=sa.Integer))


def _postgresql_rows(
    db: Session, newsroom_id: int, terms: list[str], before: int | None, limit: int
) -> list[tuple[Any, ...]]:
    params = {"newsroom": newsroom_id, "before": before, "words": " ".join(terms), "limit": limit}
    found = [tuple(row) for row in db.execute(_PG_NEWEST, {**params, "window": NEWEST_WINDOW})]
    if len(found) == limit:
        return found
    return [tuple(row) for row in db.execute(_PG_INDEXED, params)]


_SQLITE_IDS = sa.text(
    "SELECT f.rowid FROM record_text_fts f JOIN record_text t ON t.id = f.rowid "
    "WHERE record_text_fts MATCH :match AND t.newsroom_id = :newsroom "
    "AND (:before IS NULL OR f.rowid < :before) ORDER BY f.rowid DESC LIMIT :limit"
)
_SQLITE_ROWS = sa.text(
    "SELECT t.id, t.request_id, r.title, t.source, t.attachment_id, a.original_name, t.page,"
    " t.event_id, t.body FROM record_text t JOIN info_request r ON r.id = t.request_id"
    " LEFT JOIN attachment a ON a.id = t.attachment_id WHERE t.id IN :ids ORDER BY t.id DESC"
).bindparams(sa.bindparam("ids", expanding=True))


def _sqlite_rows(
    db: Session, newsroom_id: int, terms: list[str], before: int | None, limit: int
) -> list[tuple[Any, ...]]:
    match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    ids = list(
        db.scalars(
            _SQLITE_IDS,
            {"match": match, "newsroom": newsroom_id, "before": before, "limit": limit},
        )
    )
    return [tuple(row) for row in db.execute(_SQLITE_ROWS, {"ids": ids})] if ids else []


def search(
    db: Session,
    newsroom_id: int,
    query: str,
    *,
    before: int | None = None,
    per_page: int = PER_PAGE,
) -> Results:
    """The newsroom's texts matching every word of ``query``, newest first, ``per_page`` at
    a time (``before``: the id the previous page ended at)."""
    terms = terms_of(query)
    if not terms:
        raise SearchError(_("Type at least one word to search for."))
    finder = _postgresql_rows if db.get_bind().dialect.name == "postgresql" else _sqlite_rows
    rows = finder(db, newsroom_id, terms, before, per_page + 1)
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not rows:
        return Results(query, [], None)
    hits = [
        Hit(
            text_id=row[0],
            request_id=row[1],
            request_title=row[2],
            source=row[3],
            attachment_id=row[4],
            file_name=row[5],
            page=row[6],
            event_id=row[7],
            parts=snippet(row[8], terms),
        )
        for row in rows
    ]
    return Results(query, hits, rows[-1][0] if more else None)
