"""Search across a newsroom's records: request titles and texts, timeline notes and every
page of every attached file, in French and English, accents ignored.

PostgreSQL: full-text search through the ``records_fr`` and ``records_en`` configurations
(unaccent, then the French or English stemmer) into a stored, GIN-indexed tsvector; a page
matches when every word of the query matches in either language. SQLite: FTS5
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
    words = list(_pattern(tuple(terms)).finditer(body))
    start = 0
    if words:
        start = max(0, words[0].start() - size // 3)
        while start > 0 and not body[start - 1].isspace():
            start -= 1
    end = min(len(body), start + size)
    while end < len(body) and not body[end - 1].isspace() and end - start < size + 30:
        end += 1
    parts: list[tuple[str, bool]] = []
    if start > 0:
        parts.append(("… ", False))
    cursor = start
    for match in words:
        if match.start() < start:
            continue
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


_SELECT = (
    "SELECT t.id, t.request_id, r.title, t.source, t.attachment_id, a.original_name, t.page, "
    "t.event_id, t.body FROM record_text t JOIN info_request r ON r.id = t.request_id "
    "LEFT JOIN attachment a ON a.id = t.attachment_id "
)


def _postgresql_ids(
    db: Session, newsroom_id: int, terms: list[str], before: int | None, limit: int
) -> list[int]:
    words = " ".join(terms)
    # The query is made first, then given to both statements below as a constant.
    tsquery = db.scalar(
        sa.text(
            "SELECT (plainto_tsquery('records_fr'::regconfig, :words) || "
            "plainto_tsquery('records_en'::regconfig, :words))::text"
        ),
        {"words": words},
    )
    if not tsquery:
        return []
    params = {"newsroom": newsroom_id, "before": before, "tsquery": tsquery, "limit": limit}
    # A common word is found among the newest pages: look there first (a bounded walk of the
    # primary key). Otherwise the word is rare enough for the GIN index to return every page
    # holding it cheaply, newest first after a sort. (The planner, left alone, walked the
    # primary key for words on 1% of pages, reading thousands of rows.)
    newest = sa.text(
        "SELECT id FROM (SELECT id, search_vector FROM record_text"
        " WHERE newsroom_id = :newsroom AND (:before IS NULL OR id < :before)"
        " ORDER BY id DESC LIMIT :window) AS recent"
        " WHERE search_vector @@ CAST(:tsquery AS tsquery) ORDER BY id DESC LIMIT :limit"
    ).bindparams(sa.bindparam("before", type_=sa.Integer))
    found = list(db.scalars(newest, {**params, "window": NEWEST_WINDOW}))
    if len(found) == limit:
        return found
    indexed = sa.text(
        "WITH matching AS MATERIALIZED (SELECT id FROM record_text"
        " WHERE search_vector @@ CAST(:tsquery AS tsquery) AND newsroom_id = :newsroom"
        " AND (:before IS NULL OR id < :before))"
        " SELECT id FROM matching ORDER BY id DESC LIMIT :limit"
    ).bindparams(sa.bindparam("before", type_=sa.Integer))
    return list(db.scalars(indexed, params))


def _sqlite_ids(
    db: Session, newsroom_id: int, terms: list[str], before: int | None, limit: int
) -> list[int]:
    match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    query = sa.text(
        "SELECT f.rowid FROM record_text_fts f JOIN record_text t ON t.id = f.rowid "
        "WHERE record_text_fts MATCH :match AND t.newsroom_id = :newsroom "
        "AND (:before IS NULL OR f.rowid < :before) ORDER BY f.rowid DESC LIMIT :limit"
    )
    return list(
        db.scalars(
            query, {"match": match, "newsroom": newsroom_id, "before": before, "limit": limit}
        )
    )


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
    finder = _postgresql_ids if db.get_bind().dialect.name == "postgresql" else _sqlite_ids
    ids = finder(db, newsroom_id, terms, before, per_page + 1)
    more = len(ids) > per_page
    ids = ids[:per_page]
    if not ids:
        return Results(query, [], None)
    rows = db.execute(
        sa.text(_SELECT + "WHERE t.id IN :ids ORDER BY t.id DESC").bindparams(
            sa.bindparam("ids", expanding=True)
        ),
        {"ids": ids},
    ).all()
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
    return Results(query, hits, ids[-1] if more else None)
