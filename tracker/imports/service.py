"""CSV import of existing requests: map columns, check every row, then write all or nothing.

``build_plan`` reads a table with a column mapping and lists every row's problems without
writing anything (the dry run). ``run_import`` writes the plan through the request service, so
deadlines come from the same code as requests logged by hand.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core import clock
from tracker.core.models import ImportBatch, InfoRequest, Institution, User
from tracker.files.storage import LocalStorage
from tracker.imports import bulk
from tracker.imports.csvfile import CsvTable
from tracker.institutions.service import InstitutionData, InstitutionError, create_institution
from tracker.language.i18n import _, force_locale, lazy_gettext, locale_of, ngettext
from tracker.requests import numbers as request_numbers
from tracker.requests import service as requests

#: Mapping keys that name a column of the file, with the label the preview page shows.
COLUMN_FIELDS: dict[str, str] = {
    "title": lazy_gettext("Title"),
    "text": lazy_gettext("Text of the request (abstract)"),
    "file_number": lazy_gettext("File number (identifier)"),
    "received_on": lazy_gettext("Received (accepted) date"),
    "completed_on": lazy_gettext("Completed (final response) date"),
    "decision": lazy_gettext("Decision"),
    "institution": lazy_gettext("Institution name"),
    "law": lazy_gettext("Law"),
}
DATE_FORMATS: dict[str, str] = {
    "iso": lazy_gettext("YYYY-MM-DD (2015-01-08)"),
    "dmy": lazy_gettext("DD/MM/YYYY (08/01/2015)"),
    "mdy": lazy_gettext("MM/DD/YYYY (01/08/2015)"),
}
# Header names a spreadsheet commonly uses for each field (lower case), best first.
_GUESSES: dict[str, tuple[str, ...]] = {
    "title": ("title", "subject", "summary", "titre", "sujet"),
    "text": ("abstract", "text", "description", "request text", "request", "texte", "résumé"),
    "file_number": (
        "identifier",
        "file number",
        "file_number",
        "file no",
        "file",
        "request number",
        "request id",
        "reference",
        "numéro",
        "numero",
        "no de dossier",
    ),
    "received_on": (
        "date_accepted",
        "received",
        "received on",
        "received_on",
        "date received",
        "accepted",
        "date accepted",
        "reçue",
        "date de réception",
    ),
    "completed_on": (
        "date",
        "responded_on",
        "completed",
        "completed on",
        "completed_on",
        "date completed",
        "response date",
        "responded",
        "closed",
        "date de réponse",
    ),
    "decision": ("decision", "outcome", "disposition", "décision"),
    "institution": (
        "institution",
        "organization",
        "organisation",
        "agency",
        "department",
        "public body",
        "organisme",
    ),
    "law": ("law_code", "law", "act", "statute", "loi"),
}
# Decisions as spreadsheets spell them (compared without case, accents or extra spaces) -> a
# response outcome. Open-data FOI summaries use the first spellings of each group.
DECISIONS: dict[str, str] = {
    "all disclosed": "full",
    "disclosed in full": "full",
    "full disclosure": "full",
    "full": "full",
    "granted": "full",
    "full release": "full",
    "communique en totalite": "full",
    "acces total": "full",
    "disclosed in part": "partial",
    "partially disclosed": "partial",
    "partial": "partial",
    "partial disclosure": "partial",
    "partial release": "partial",
    "partly disclosed": "partial",
    "communique en partie": "partial",
    "communication partielle": "partial",
    "acces partiel": "partial",
    "nothing disclosed": "refused",
    "refused": "refused",
    "denied": "refused",
    "access refused": "refused",
    "exempt": "refused",
    "all exempt": "refused",
    "refuse": "refused",
    "refusee": "refused",
    "acces refuse": "refused",
    "no records": "no_records",
    "no records exist": "no_records",
    "no_records": "no_records",
    "no responsive records": "no_records",
    "does not exist": "no_records",
    "records do not exist": "no_records",
    "aucun document": "no_records",
    "unknown": "unknown",
}
# Decisions saying the request ended without a response -> how it closed (state.CLOSURES):
# the clock stops on the row's date, English and French wordings.
CLOSING_DECISIONS: dict[str, str] = {
    "discontinued": "discontinued",
    "withdrawn": "withdrawn",
    "withdrew": "withdrawn",
    "retire": "withdrawn",
    "retiree": "withdrawn",
    "desistement": "withdrawn",
    "cancelled": "withdrawn",
    "canceled": "withdrawn",
    "annule": "withdrawn",
    "annulee": "withdrawn",
    "abandoned": "abandoned",
    "abandonne": "abandoned",
    "abandonnee": "abandoned",
    "abandon": "abandoned",
    "transferred": "transferred",
    "transfered": "transferred",
    "transfere": "transferred",
    "transferee": "transferred",
    "closed": "closed_unanswered",
    "ferme": "closed_unanswered",
    "fermee": "closed_unanswered",
}
for _code, _label in requests.RESPONSE_OUTCOMES.items():
    DECISIONS.setdefault(_label.lower(), _code)
# The earliest access law the tracker knows took effect on 4 July 1967 (US FOIA); an earlier
# date in a spreadsheet is a placeholder or a typo.
EARLIEST_PLAUSIBLE = date(1967, 7, 4)
TITLE_LENGTH = 120
#: The ``as_of`` value that keeps unanswered requests open (a spreadsheet still being tracked).
LIVE = "today"
#: The value of a mapping's confirmation keys.
CONFIRMED = "yes"
Severity = Literal["error", "warning"]


class ImportFailure(ValueError):
    """An import cannot go ahead; the message says why.

    Raised with a sentence of ``FAILURES`` (``key``) and its values, it can be kept as such
    and written again later in another reader's language (``failure_message``)."""

    def __init__(self, message: str, *, key: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.key = key
        self.params = params

    @classmethod
    def said(cls, key: str, **params: Any) -> ImportFailure:
        """The failure ``FAILURES[key]`` with these values, in the reader's language."""
        return cls(failure_message(key, params), key=key, **params)


class MappingError(ImportFailure):
    """The column mapping does not fit the file; ``field`` names the mapping key at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# Why an import wrote nothing, by key (kept so in a background import's report).
FAILURES: dict[str, str] = {
    "rows_with_errors": lazy_gettext(
        "Nothing was imported: %(n)s rows have errors. Fix them in the file, or leave those "
        "requests out."
    ),
    "nothing_valid": lazy_gettext(
        "Nothing was imported: no request in the file is free of errors."
    ),
    "institution_refused": lazy_gettext(
        "Nothing was imported: row %(row)s: the institution %(name)s was refused: %(reason)s"
    ),
    "row_refused_by_database": lazy_gettext(
        "Nothing was imported: row %(row)s (%(label)s) was refused by the database: %(reason)s"
    ),
    "row_refused": lazy_gettext(
        "Nothing was imported: row %(row)s (%(label)s) was refused: %(reason)s"
    ),
    "database_refused": lazy_gettext("Nothing was imported: the database refused: %(reason)s"),
}


def failure_message(key: str, params: dict[str, Any]) -> str:
    """A failure's sentence in the reader's language, from its key and values."""
    template = FAILURES.get(key)
    if template is None:
        return key
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):  # a catalogue's placeholder is wrong
        return f"{key}: {params}"


class ImportRefused(ImportFailure):
    """Rows have errors (or the database refused a request): nothing was written."""


@dataclass
class Mapping:
    """Which column holds each field, and the defaults for what the file does not say."""

    title: str | None = None
    text: str | None = None
    file_number: str | None = None
    received_on: str | None = None
    completed_on: str | None = None
    decision: str | None = None
    institution: str | None = None
    law: str | None = None
    default_institution: str = ""
    default_law: str = ""
    date_format: str = "iso"
    # Outcome for a completed row whose decision is empty or unknown ("" = report a problem).
    default_outcome: str = ""
    # The day the file's figures are measured against: requests it leaves unanswered are
    # "unanswered as of" it. "" = the file's latest date; "today" = keep them open, counting.
    as_of: str = ""
    # "yes": one column really holds both the received and the completed date.
    confirm_same_date_column: str = ""
    # "yes": 1 January dates in the file are real, not placeholders.
    confirm_new_year: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mapping:
        """Build from JSON-like data; unknown keys and wrong types are refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise MappingError(
                _(
                    "Unknown mapping key %(key)s; the keys are %(keys)s.",
                    key=repr(unknown[0]),
                    keys=", ".join(sorted(known)),
                )
            )
        values: dict[str, Any] = {}
        for name, value in data.items():
            if value is not None and not isinstance(value, str):
                raise MappingError(
                    _(
                        "Mapping key %(key)s takes a column name or text, not %(value)s.",
                        key=repr(name),
                        value=repr(value),
                    ),
                    name,
                )
            values[name] = (value or None) if name in COLUMN_FIELDS else (value or "")
        return cls(**values)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        """Parse a JSON object into a mapping."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MappingError(
                _(
                    "The mapping is not valid JSON: %(error)s at character %(pos)s.",
                    error=exc.msg,
                    pos=exc.pos,
                )
            ) from None
        if not isinstance(data, dict):
            raise MappingError(
                _('The mapping must be a JSON object, e.g. {"received_on": "date_accepted"}.')
            )
        return cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    def check(self, headers: list[str]) -> None:
        """Raise ``MappingError`` when the mapping names a missing column or lacks a field."""
        for name in COLUMN_FIELDS:
            column = getattr(self, name)
            if column is not None and column not in headers:
                raise MappingError(
                    _(
                        "The file has no column %(column)s. Its columns are: %(columns)s.",
                        column=repr(column),
                        columns=", ".join(headers),
                    ),
                    name,
                )
        if self.received_on is None:
            raise MappingError(
                _(
                    "Pick the column that holds the date the institution received "
                    "(accepted) each request: the deadline counts from it."
                ),
                "received_on",
            )
        if self.title is None and self.text is None and self.file_number is None:
            raise MappingError(
                _("Pick a column for the title or the text of the requests."), "title"
            )
        if self.institution is None and not self.default_institution.strip():
            raise MappingError(
                _(
                    "Pick the column that names the institution, or type the "
                    "institution every request went to."
                ),
                "default_institution",
            )
        # Import only: ca-ab-atia is Alberta's Access to Information Act, kept as a version
        # of ca-ab-foip.
        self.default_law = deadlines.LAW_CODE_ALIASES.get(self.default_law, self.default_law)
        if self.default_law in deadlines.NOT_YET_OFFERED:
            raise MappingError(
                not_offered_message(self.default_law, (self.default_law,)), "default_law"
            )
        if self.default_law and self.default_law not in deadlines.LAWS:
            raise MappingError(
                _(
                    "Unknown law %(law)s; the laws are %(laws)s.",
                    law=repr(self.default_law),
                    laws=", ".join(deadlines.LAWS),
                ),
                "default_law",
            )
        if self.date_format not in DATE_FORMATS:
            raise MappingError(
                _(
                    "Unknown date format %(format)s; pick one of %(formats)s.",
                    format=repr(self.date_format),
                    formats=", ".join(DATE_FORMATS),
                ),
                "date_format",
            )
        for flag in ("confirm_same_date_column", "confirm_new_year"):
            if getattr(self, flag) not in ("", CONFIRMED):
                raise MappingError(
                    _("%(flag)s takes %(yes)s or nothing.", flag=flag, yes=repr(CONFIRMED)), flag
                )
        if (
            self.received_on is not None
            and self.received_on == self.completed_on
            and self.confirm_same_date_column != CONFIRMED
        ):
            raise MappingError(
                _(
                    "The column %(column)s is chosen for both the received and the "
                    "completed date: every request would be answered the day it was received, "
                    "on time in 0 days. Pick the right column, or confirm that one column holds "
                    "both (confirm_same_date_column).",
                    column=repr(self.received_on),
                ),
                "completed_on",
            )
        if self.as_of not in ("", LIVE):
            try:
                date.fromisoformat(self.as_of)
            except ValueError:
                raise MappingError(
                    _(
                        "The as-of date %(value)s is not a date: write YYYY-MM-DD, or "
                        "%(live)s to keep requests without a response open.",
                        value=repr(self.as_of),
                        live=repr(LIVE),
                    ),
                    "as_of",
                ) from None
        if self.default_outcome and self.default_outcome not in requests.RESPONSE_OUTCOMES:
            raise MappingError(
                _(
                    "Unknown outcome %(outcome)s; pick one of %(outcomes)s.",
                    outcome=repr(self.default_outcome),
                    outcomes=", ".join(requests.RESPONSE_OUTCOMES),
                ),
                "default_outcome",
            )


def guess_mapping(headers: list[str]) -> Mapping:
    """A first mapping from the column names (the reporter corrects it on the preview page)."""
    by_name = {h.strip().lower(): h for h in headers}
    # The keys are Mapping's column fields (title, text, ...), each a header or None.
    guessed: dict[str, Any] = {}
    for key, names in _GUESSES.items():
        guessed[key] = next((by_name[n] for n in names if n in by_name), None)
    return Mapping(**guessed)


@dataclass(frozen=True)
class Problem:
    """Something wrong (error: blocks the import) or worth knowing (warning) about a row.

    Kept as a sentence's key and its values (``params``), not as text: the sentence is written
    in the reader's language when it is shown (``message``), also from a stored report."""

    row: int
    severity: Severity
    code: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    file_number: str = ""

    @property
    def message(self) -> str:
        """The sentence, in the reader's language."""
        return problem_message(self.key, self.params)


# Each problem's sentence, by key; a value named in QUOTED is shown in quotes as typed, one
# named "format" is a DATE_FORMATS key, one named "outcome" a RESPONSE_OUTCOMES code.
MESSAGES: dict[str, str] = {
    "missing_received": lazy_gettext("No received date: the deadline counts from it."),
    "completed_before_received": lazy_gettext(
        "Completed %(completed)s before it was received %(received)s."
    ),
    "unknown_law": lazy_gettext(
        "Unknown law %(law)s. Use a law code such as ca-on-mfippa or ca-ab-foip, or the law's name."
    ),
    "missing_institution": lazy_gettext(
        "No institution: fill the cell or choose a default institution."
    ),
    "long_institution": lazy_gettext("The institution's name is longer than 300 characters."),
    "long_file_number": lazy_gettext("The file number is longer than 100 characters."),
    "closed_without_date": lazy_gettext(
        "Decision %(decision)s closes the request, but the row has no date: put the date it "
        "closed, or give an as-of date."
    ),
    "closed_on_as_of": lazy_gettext(
        "Decision %(decision)s with no date: closed on the as-of date, %(as_of)s."
    ),
    "outcome_unknown": lazy_gettext(
        "The file has no decision column: the response's outcome is unknown."
    ),
    "decision_defaulted": lazy_gettext("Decision %(decision)s recorded as %(outcome)s."),
    "empty_decision_defaulted": lazy_gettext("Decision '(empty)' recorded as %(outcome)s."),
    "unknown_decision": lazy_gettext(
        "Unknown decision %(decision)s. Use all disclosed, disclosed in part, nothing "
        "disclosed, no records, discontinued, withdrawn or abandoned, or choose an outcome for "
        "unknown decisions."
    ),
    "unknown_decision_open": lazy_gettext(
        "Unknown decision %(decision)s (the row has no completion date)."
    ),
    "missing_decision": lazy_gettext(
        "Completed, but the decision is empty: fill it or choose an outcome for empty decisions."
    ),
    "unanswered_as_of": lazy_gettext(
        "No completion date: imported as unanswered as of %(as_of)s (the file says nothing later)."
    ),
    "still_open": lazy_gettext(
        "No completion date: imported as a request still waiting for its response."
    ),
    "missing_title": lazy_gettext("No title, text or file number to name the request by."),
    "title_shortened": lazy_gettext("The title was cut to 300 characters."),
    "bad_received": lazy_gettext("The received date %(raw)s is not a date (%(format)s)."),
    "bad_completed": lazy_gettext("The completed date %(raw)s is not a date (%(format)s)."),
    "early_received": lazy_gettext(
        "The received date %(raw)s is a placeholder: it predates every access law the "
        "tracker knows (1967)."
    ),
    "early_completed": lazy_gettext(
        "The completed date %(raw)s is a placeholder: it predates every access law the "
        "tracker knows (1967)."
    ),
    "year_received": lazy_gettext(
        "The received date %(raw)s is a placeholder: the year %(year)s is still to come."
    ),
    "year_completed": lazy_gettext(
        "The completed date %(raw)s is a placeholder: the year %(year)s is still to come."
    ),
    "future_received": lazy_gettext("The received date %(raw)s is in the future."),
    "future_completed": lazy_gettext("The completed date %(raw)s is in the future."),
    "new_year_kept_received": lazy_gettext(
        "The received date %(raw)s is 1 January, kept as you confirmed."
    ),
    "new_year_kept_completed": lazy_gettext(
        "The completed date %(raw)s is 1 January, kept as you confirmed."
    ),
    "new_year_received": lazy_gettext(
        "The received date %(raw)s is 1 January, a public holiday when offices are closed: "
        "spreadsheets use it as a placeholder. Put the real date, or confirm that the file's "
        "1 January dates are real (confirm_new_year)."
    ),
    "new_year_completed": lazy_gettext(
        "The completed date %(raw)s is 1 January, a public holiday when offices are closed: "
        "spreadsheets use it as a placeholder. Put the real date, or confirm that the file's "
        "1 January dates are real (confirm_new_year)."
    ),
    "extra_cells": lazy_gettext(
        "The row has %(cells)s cells but the first row names %(columns)s columns (a missing "
        "quote mark?)."
    ),
    "after_as_of": lazy_gettext(
        "The row has a date (%(date)s) after the as-of date %(as_of)s: choose a later as-of date."
    ),
    "conflicting_received": lazy_gettext(
        "Rows %(rows)s share file number %(number)s but give different received dates (%(dates)s)."
    ),
    "conflicting_laws": lazy_gettext(
        "Rows %(rows)s share file number %(number)s but name different laws (%(laws)s)."
    ),
    "no_law": lazy_gettext(
        "No law for the new institution %(institution)s: add a law column or choose a default law."
    ),
    "before_law": lazy_gettext(
        "%(law)s (%(name)s, %(citation)s) applies to requests received from %(first)s; "
        "%(received)s is before it."
    ),
    "duplicate_file_number": lazy_gettext(
        "%(institution)s already has a request with file number %(number)s in the tracker."
    ),
    "not_offered_one": lazy_gettext(
        "%(codes)s is a law the tracker does not offer yet: no deadline is computed under a "
        "law whose sections have not been read in the official text. Import these rows once "
        "the law is offered."
    ),
    "not_offered_many": lazy_gettext(
        "%(codes)s are laws the tracker does not offer yet: no deadline is computed under a "
        "law whose sections have not been read in the official text. Import these rows once "
        "the law is offered."
    ),
    "not_offered_named_one": lazy_gettext(
        "%(law)s names %(codes)s, which is a law the tracker does not offer yet: no deadline "
        "is computed under a law whose sections have not been read in the official text. "
        "Import these rows once the law is offered."
    ),
    "not_offered_named_many": lazy_gettext(
        "%(law)s names %(codes)s, which are laws the tracker does not offer yet: no deadline "
        "is computed under a law whose sections have not been read in the official text. "
        "Import these rows once the law is offered."
    ),
}
QUOTED = frozenset({"law", "decision", "institution"})
_QUOTED_RAW = frozenset({"bad_received", "bad_completed"})


def problem_message(key: str, params: dict[str, Any]) -> str:
    """A problem's sentence in the reader's language, from its key and values."""
    template = MESSAGES.get(key)
    if template is None:
        return key
    values: dict[str, Any] = {}
    for name, value in params.items():
        if name == "format":
            value = DATE_FORMATS.get(value, value)
        elif name == "codes":
            value = (
                _("%(first)s or %(last)s", first=", ".join(value[:-1]), last=value[-1])
                if len(value) > 1
                else "".join(value)
            )
        elif name == "outcome":
            value = repr(str(requests.RESPONSE_OUTCOMES.get(value, value)))
        elif (name in QUOTED and key != "duplicate_file_number") or (
            name == "raw" and key in _QUOTED_RAW
        ):
            value = repr(value)
        values[name] = value
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):  # a catalogue's placeholder is wrong
        return f"{key}: {values}"


PROBLEM_LABELS: dict[str, str] = {
    "missing_received": lazy_gettext("No received date"),
    "bad_date": lazy_gettext("Not a date"),
    "placeholder_date": lazy_gettext("Placeholder date"),
    "future_date": lazy_gettext("Date in the future"),
    "completed_before_received": lazy_gettext("Completed before received"),
    "unknown_law": lazy_gettext("Unknown law"),
    "law_not_offered": lazy_gettext("Law not offered yet"),
    "no_law": lazy_gettext("No law"),
    "missing_institution": lazy_gettext("Missing institution"),
    "duplicate_file_number": lazy_gettext("File number already in the tracker"),
    "conflicting_rows": lazy_gettext("Rows of one file number disagree"),
    "unknown_decision": lazy_gettext("Unknown decision"),
    "missing_decision": lazy_gettext("Completed without a decision"),
    "missing_title": lazy_gettext("No title or text"),
    "too_long": lazy_gettext("Value too long"),
    "extra_cells": lazy_gettext("More cells than column names"),
    "still_open": lazy_gettext("No completion date (imported as open)"),
    "unanswered_as_of": lazy_gettext("No completion date (unanswered as of the file's date)"),
    "after_as_of": lazy_gettext("Date after the as-of date"),
    "new_year_confirmed": lazy_gettext("1 January (confirmed as real)"),
    "closed_without_date": lazy_gettext("Closed, but no date (closed on the as-of date)"),
    "outcome_unknown": lazy_gettext("No decision column (outcome unknown)"),
    "title_shortened": lazy_gettext("Title shortened"),
    "decision_defaulted": lazy_gettext("Decision taken from the default"),
}


@dataclass
class RowValues:
    """One row read through the mapping."""

    row: int
    file_number: str
    title: str
    text: str
    institution: str
    law_code: str | None
    received_on: date | None
    completed_on: date | None
    outcome: str | None  # a RESPONSE_OUTCOMES code, or None (no response)
    closure: str | None  # a state.CLOSURES key: the decision says it ended unanswered
    decision_text: str


@dataclass
class PlannedRequest:
    """One request to create: one row, or several rows sharing a file number."""

    rows: list[int]
    file_number: str | None
    institution_name: str
    institution_id: int | None
    law_code: str
    title: str
    text: str
    received_on: date
    # (date, outcome) of each release package, oldest first; the last is the final response.
    responses: list[tuple[date, str]]
    decisions: list[str]
    # (day, how) when it ended without a response: a closing decision, or "unanswered as of".
    closure: tuple[date, str] | None = None
    valid: bool = True


class Scratch:
    """The checked rows of one file, kept on disk in a private temporary SQLite database
    (Python's ``sqlite3``, not the tracker's database) rather than in memory: the dry run
    groups, counts and orders them there, and the import reads them back one batch at a time.
    SQLite deletes the file when the connection closes (when the plan is let go)."""

    def __init__(self) -> None:
        # "" = a private temporary database on disk, deleted when the connection closes.
        self.conn = sqlite3.connect("", check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        self.conn.execute("PRAGMA cache_size = -4096")  # 4 MB of pages at most in memory
        self.conn.execute("PRAGMA temp_store = FILE")
        self.conn.execute(
            "CREATE TABLE r (row INTEGER PRIMARY KEY, first INTEGER NOT NULL, gkey TEXT, "
            "ikey TEXT, file_number TEXT, title TEXT, body TEXT, law TEXT, received INTEGER, "
            "completed INTEGER, outcome TEXT, closure TEXT, decision TEXT)"
        )

    def close(self) -> None:
        """Delete the file now."""
        self.conn.close()


# The scratch table ``r``: a row in, the rows read back in the file's order (columns as in
# ``_R_INSERT``).
_R_INSERT = (
    "INSERT INTO r (row, first, gkey, ikey, file_number, title, body, law, received, "
    "completed, outcome, closure, decision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_R_IN_ORDER = (
    "SELECT row, first, gkey, ikey, file_number, title, body, law, received, completed, "
    "outcome, closure, decision FROM r ORDER BY first, row"
)


@dataclass
class ImportPlan:
    """The dry run: what would be created, and every row's problems.

    The rows themselves stay in ``scratch`` (on disk); the plan holds what the pages show and
    the problems, so its size does not grow with the file, only with the rows that have a
    problem. ``iter_requests`` reads the planned requests back in the file's order."""

    total_rows: int
    request_count: int
    problems: list[Problem]
    new_institutions: dict[str, str]  # name -> law code
    delimiter_name: str = "comma"
    as_of: date | None = None  # None: unanswered requests stay open
    # Decision wordings the import does not know -> how many rows (never silently ignored).
    unknown_decisions: dict[str, int] = field(default_factory=dict)
    # Spelling kept -> the other spellings of that institution in the file.
    institution_variants: dict[str, list[str]] = field(default_factory=dict)
    # Warnings about the whole file (the mapping), not one row.
    notices: list[str] = field(default_factory=list)
    # File numbers that span several rows: how many, their rows, and the first of them.
    group_count: int = 0
    group_rows: int = 0
    group_example: tuple[str, list[int]] | None = None
    # Institution key (name_key) -> the spelling kept; -> (id, name, law code) when it exists.
    kept: dict[str, str] = field(default_factory=dict)
    known: dict[str, tuple[int, str, str]] = field(default_factory=dict)
    today: date | None = None
    scratch: Scratch | None = None

    @property
    def errors(self) -> list[Problem]:
        """Problems that block the import."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that do not block the import."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def error_rows(self) -> set[int]:
        """Row numbers with at least one error."""
        return {p.row for p in self.errors}

    def _blocked_firsts(self) -> set[int]:
        """The first row of each request left out (one of its rows has an error)."""
        if self.scratch is None:
            return set()
        query = "SELECT first FROM r WHERE row = ?"
        found: set[int] = set()
        for row in self.error_rows:
            hit = self.scratch.conn.execute(query, (row,)).fetchone()
            if hit is not None:
                found.add(hit[0])
        return found

    @property
    def invalid_count(self) -> int:
        """Requests left out because a row has an error."""
        return len(self._blocked_firsts())

    @property
    def valid_count(self) -> int:
        """Requests whose rows have no error."""
        return self.request_count - self.invalid_count

    @property
    def blocked_rows(self) -> list[int]:
        """Rows left out of the import: every row of a request with an error."""
        firsts = self._blocked_firsts()
        if self.scratch is None or not firsts:
            return []
        rows: list[int] = []
        for first in sorted(firsts):
            rows += [
                n
                for (n,) in self.scratch.conn.execute(
                    "SELECT row FROM r WHERE first = ? ORDER BY row", (first,)
                )
            ]
        return sorted(rows)

    def iter_requests(self, valid: bool | None = None) -> Iterator[PlannedRequest]:
        """The planned requests in the order of their first row, read back from the scratch
        table one at a time (only the valid ones, or only the others, when asked)."""
        if self.scratch is None:
            return
        blocked = self._blocked_firsts()
        cursor = self.scratch.conn.execute(_R_IN_ORDER)
        rows: list[tuple[Any, ...]] = []
        while batch := cursor.fetchmany(500):
            for record in batch:
                if rows and record[1] != rows[0][1]:
                    if valid is None or valid == (rows[0][1] not in blocked):
                        yield self._planned(rows, rows[0][1] not in blocked)
                    rows = []
                rows.append(record)
        if rows and (valid is None or valid == (rows[0][1] not in blocked)):
            yield self._planned(rows, rows[0][1] not in blocked)

    def _planned(self, rows: list[tuple[Any, ...]], valid: bool) -> PlannedRequest:
        """A request from its rows (columns as ``_R_INSERT``), as the dry run grouped them."""
        if self.today is None:
            raise ValueError("the plan has no day")
        today = self.today
        first = rows[0]
        ikey = first[3]
        received_dates = sorted({r[8] for r in rows if r[8] is not None})
        laws = sorted({r[7] for r in rows if r[7]})
        known = self.known.get(ikey) if ikey is not None else None
        law_code = laws[0] if laws else (known[2] if known else None)
        texts = list(dict.fromkeys(r[6] for r in rows if r[6]))
        responses = sorted(
            {(r[9], r[10]) for r in rows if r[9] is not None and r[10]}, key=lambda p: p[0]
        )
        merged: dict[int, list[str]] = defaultdict(list)
        for day, outcome in responses:
            merged[day].append(outcome)
        closure: tuple[date, str] | None = None
        as_of = self.as_of
        if not responses:
            closings = sorted(
                (day, r[11])
                for r in rows
                if r[11]
                and (day := (date.fromordinal(r[9]) if r[9] is not None else as_of)) is not None
            )
            if closings:
                closure = closings[-1]
            elif as_of is not None and received_dates and any(r[9] is None for r in rows):
                closure = (as_of, "unanswered_as_of")
        return PlannedRequest(
            rows=[r[0] for r in rows],
            file_number=first[4] or None,
            institution_name=self.kept.get(ikey, "") if ikey is not None else "",
            institution_id=known[0] if known else None,
            law_code=law_code or "",
            title=first[5],
            text="\n\n".join(texts),
            received_on=date.fromordinal(received_dates[0]) if received_dates else today,
            responses=[(date.fromordinal(d), _combine(o)) for d, o in merged.items()],
            decisions=list(dict.fromkeys(r[12] for r in rows if r[12])),
            closure=closure,
            valid=valid,
        )

    @property
    def requests(self) -> list[PlannedRequest]:
        """Every planned request (read whole into memory: for small files and tests)."""
        return list(self.iter_requests())

    @property
    def valid_requests(self) -> list[PlannedRequest]:
        """Requests whose rows have no error (read whole into memory)."""
        return list(self.iter_requests(valid=True))

    @property
    def invalid_requests(self) -> list[PlannedRequest]:
        """Requests left out because a row has an error (read whole into memory)."""
        return list(self.iter_requests(valid=False))

    def sample(self, n: int) -> list[PlannedRequest]:
        """The first ``n`` valid requests."""
        return list(itertools.islice(self.iter_requests(valid=True), n))

    def summary(self) -> list[tuple[str, str, int]]:
        """(severity, label, number of rows) per kind of problem, errors first."""
        counts = Counter((p.severity, p.code) for p in self.problems)
        ordered = sorted(counts.items(), key=lambda item: (item[0][0] != "error", -item[1]))
        return [(sev, PROBLEM_LABELS.get(code, code), n) for (sev, code), n in ordered]

    def grouping_text(self) -> str:
        """How rows were grouped into requests, in one sentence."""
        if self.group_count and self.group_example is not None:
            number, rows = self.group_example
            return str(
                _(
                    "%(rows)s rows make %(requests)s requests: %(groups)s file numbers appear "
                    "on several rows (%(extra)s rows, e.g. %(example)s on rows %(example_rows)s), "
                    "each imported as one request whose rows are its release packages.",
                    rows=self.total_rows,
                    requests=self.request_count,
                    groups=self.group_count,
                    extra=self.group_rows,
                    example=number,
                    example_rows=", ".join(map(str, rows)),
                )
            )
        return str(
            _(
                "%(rows)s rows make %(requests)s requests.",
                rows=self.total_rows,
                requests=self.request_count,
            )
        )


# --- reading values ---------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[T ].*)?$")


def parse_date(value: str, date_format: str) -> date:
    """A date in the chosen format (an ISO time part is ignored); ``ValueError`` otherwise."""
    value = value.strip()
    if date_format == "iso":
        match = _ISO.match(value)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    else:
        match = _DAY_FIRST.match(value)
        if match:
            first, second, year = int(match[1]), int(match[2]), int(match[3])
            day, month = (first, second) if date_format == "dmy" else (second, first)
            return date(year, month, day)
    raise ValueError(value)


def _law_key(value: str) -> str:
    """A law's name or code as the import compares it: no case, no accents, single spaces."""
    plain = unicodedata.normalize("NFKD", value.strip().casefold())
    return " ".join("".join(ch for ch in plain if not unicodedata.combining(ch)).split())


def _law_aliases() -> dict[str, str]:
    aliases: dict[str, set[str]] = defaultdict(set)
    for code, law in deadlines.LAWS.items():
        names = [code, law.name, law.short_name, code.rsplit("-", 1)[-1], *law.aliases]
        if code.startswith("ca-") and law.province_mode == "fixed" and law.default_province:
            # A Canadian province or territory names its law when it has only one.
            names += [law.default_province, law.jurisdiction]
        for alias in names:
            aliases[_law_key(alias)].add(code)
    found = {alias: next(iter(codes)) for alias, codes in aliases.items() if len(codes) == 1}
    # Import only: other codes for a law the tracker keeps under one code.
    for alias, code in deadlines.LAW_CODE_ALIASES.items():
        found[_law_key(alias)] = code
    return found


# The provinces and territories whose access laws are not offered yet, in both official
# languages, so that an import naming one by its place is told why it cannot be used.
_PLACE_NAMES: dict[str, tuple[str, ...]] = {
    "NL": ("Newfoundland and Labrador", "Newfoundland", "Terre-Neuve-et-Labrador"),
    "NS": ("Nova Scotia", "Nouvelle-Écosse"),
    "PE": ("Prince Edward Island", "PEI", "Île-du-Prince-Édouard"),
    "YT": ("Yukon",),
    "NT": ("Northwest Territories", "NWT", "Territoires du Nord-Ouest"),
    "NU": ("Nunavut",),
}


def _not_offered_aliases() -> dict[str, tuple[str, ...]]:
    """What names a law the tracker does not offer yet: its code, its place, the place's
    code ("NL"), mapped to the codes meant (Nova Scotia has two laws)."""
    found: dict[str, set[str]] = defaultdict(set)
    offered = _law_aliases()
    for code, province in deadlines.NOT_YET_OFFERED.items():
        for alias in (code, province, *_PLACE_NAMES.get(province, ())):
            key = _law_key(alias)
            if key not in offered:
                found[key].add(code)
    return {key: tuple(sorted(codes)) for key, codes in found.items()}


def not_offered_said(value: str, codes: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """Why a law named in an import cannot be used yet (issue 24): a sentence's key (of
    ``MESSAGES``) and its values."""
    many = "many" if len(codes) > 1 else "one"
    if codes != (_law_key(value),):
        return f"not_offered_named_{many}", {"law": value, "codes": list(codes)}
    return f"not_offered_{many}", {"codes": list(codes)}


def not_offered_message(value: str, codes: tuple[str, ...]) -> str:
    """Why a law named in an import cannot be used yet, in the reader's language."""
    return problem_message(*not_offered_said(value, codes))


def resolve_law(value: str) -> str | None:
    """A law code from a code, a name or an unambiguous short name; None when unknown."""
    return _law_aliases().get(_law_key(value))


def _plain(value: str) -> str:
    """Lower case without accents: "Abandonnée" -> "abandonnee"."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=4096)
def _decision_key(value: str) -> str:
    return " ".join(_plain(value.strip()).replace("_", " ").replace("-", " ").split())


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> str:
    """What two spellings of one institution share: letters and digits, without case,
    accents, spaces or punctuation ("Ville de Montréal" and "ville de montreal.")."""
    return "".join(ch for ch in _plain(name) if ch.isalnum())


def derive_title(text: str, fallback: str) -> str:
    """A title from the request's text: its first line, cut at a word near 120 characters."""
    line = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if not line:
        return fallback
    if len(line) <= TITLE_LENGTH:
        return line
    cut = line[:TITLE_LENGTH].rsplit(" ", 1)[0] or line[:TITLE_LENGTH]
    return cut.rstrip(",;:.") + "…"


class _RowReader:
    """Reads one row through the mapping, collecting its problems."""

    def __init__(self, mapping: Mapping, today: date, as_of: date | None = None) -> None:
        self.mapping = mapping
        self.today = today
        self.as_of = as_of
        self.aliases = _law_aliases()
        self.not_offered = _not_offered_aliases()
        self.default_law = mapping.default_law or None

    def cell(self, record: dict[str, str], key: str) -> str:
        column = getattr(self.mapping, key)
        return (record.get(column) or "").strip() if column else ""

    def read(self, number: int, record: dict[str, str]) -> tuple[RowValues, list[Problem]]:
        problems: list[Problem] = []
        file_number = self.cell(record, "file_number")

        def problem(
            code: str, key: str, params: dict[str, Any] | None = None, severity: Severity = "error"
        ) -> None:
            problems.append(Problem(number, severity, code, key, params or {}, file_number))

        received = self._date(record, "received_on", problem)
        completed = self._date(record, "completed_on", problem)
        if self.mapping.received_on and not self.cell(record, "received_on"):
            problem("missing_received", "missing_received")
        if received and completed and completed < received:
            problem(
                "completed_before_received",
                "completed_before_received",
                {"completed": completed.isoformat(), "received": received.isoformat()},
            )

        law_code = None
        law_text = self.cell(record, "law")
        if law_text:
            law_code = self.aliases.get(_law_key(law_text))
            pending = self.not_offered.get(_law_key(law_text)) if law_code is None else None
            if pending:
                problem("law_not_offered", *not_offered_said(law_text, pending))
            elif law_code is None:
                problem("unknown_law", "unknown_law", {"law": law_text})
        elif self.default_law:
            law_code = self.default_law

        institution = self.cell(record, "institution") or self.mapping.default_institution.strip()
        if not institution:
            problem("missing_institution", "missing_institution")
        elif len(institution) > 300:
            problem("too_long", "long_institution")
        if len(file_number) > 100:
            problem("too_long", "long_file_number")

        decision_text = self.cell(record, "decision")
        key = _decision_key(decision_text)
        outcome: str | None = None
        closure = CLOSING_DECISIONS.get(key) if decision_text else None
        completed_cell = self.cell(record, "completed_on")
        if closure is not None:
            if not completed_cell:
                if self.as_of is None:
                    problem(
                        "closed_without_date", "closed_without_date", {"decision": decision_text}
                    )
                else:
                    problem(
                        "closed_without_date",
                        "closed_on_as_of",
                        {"decision": decision_text, "as_of": self.as_of.isoformat()},
                        "warning",
                    )
        elif completed_cell:
            if self.mapping.decision is None:
                outcome = "unknown"
                problem("outcome_unknown", "outcome_unknown", None, "warning")
            else:
                outcome = DECISIONS.get(key) if decision_text else None
            if outcome is None and self.mapping.default_outcome:
                outcome = self.mapping.default_outcome
                if decision_text:
                    problem(
                        "decision_defaulted",
                        "decision_defaulted",
                        {"decision": decision_text, "outcome": outcome},
                        "warning",
                    )
                else:
                    problem(
                        "decision_defaulted",
                        "empty_decision_defaulted",
                        {"outcome": outcome},
                        "warning",
                    )
            elif outcome is None and decision_text:
                problem("unknown_decision", "unknown_decision", {"decision": decision_text})
            elif outcome is None:
                problem("missing_decision", "missing_decision")
        elif decision_text and key not in DECISIONS:
            problem(
                "unknown_decision", "unknown_decision_open", {"decision": decision_text}, "warning"
            )
        if not completed_cell and closure is None and received is not None:
            if self.as_of is not None:
                problem(
                    "unanswered_as_of",
                    "unanswered_as_of",
                    {"as_of": self.as_of.isoformat()},
                    "warning",
                )
            else:
                problem("still_open", "still_open", None, "warning")

        text = self.cell(record, "text")
        title = self.cell(record, "title")
        if not title:
            title = derive_title(text, f"Request {file_number}" if file_number else "")
        if not title:
            problem("missing_title", "missing_title")
        elif len(title) > 300:
            title = title[:299] + "…"
            problem("title_shortened", "title_shortened", None, "warning")
        return RowValues(
            row=number,
            file_number=file_number,
            title=title,
            text=text,
            institution=institution,
            law_code=law_code,
            received_on=received,
            completed_on=completed,
            outcome=outcome,
            closure=closure,
            decision_text=decision_text,
        ), problems

    def _date(self, record: dict[str, str], key: str, problem: Callable[..., None]) -> date | None:
        raw = self.cell(record, key)
        if not raw:
            return None
        which = "received" if key == "received_on" else "completed"
        try:
            value = parse_date(raw, self.mapping.date_format)
        except ValueError:
            problem("bad_date", f"bad_{which}", {"raw": raw, "format": self.mapping.date_format})
            return None
        if value < EARLIEST_PLAUSIBLE:
            problem("placeholder_date", f"early_{which}", {"raw": raw})
            return None
        if value.year > self.today.year + 1:
            problem("placeholder_date", f"year_{which}", {"raw": raw, "year": value.year})
            return None
        if value > self.today:
            problem("future_date", f"future_{which}", {"raw": raw})
            return None
        if value.month == 1 and value.day == 1:
            # New Year's Day is a holiday in every jurisdiction the tracker knows; exports
            # use 1 January as a placeholder (1301-01-01 ... 3101-01-01 in Toronto's data).
            if self.mapping.confirm_new_year == CONFIRMED:
                problem("new_year_confirmed", f"new_year_kept_{which}", {"raw": raw}, "warning")
                return value
            problem("placeholder_date", f"new_year_{which}", {"raw": raw})
            return None
        return value


# --- the plan (dry run) -----------------------------------------------------------------------


def _combine(outcomes: list[str]) -> str:
    """One outcome for a request answered in several packages."""
    known = {o for o in outcomes if o != "unknown"}
    if not known:
        return "unknown"
    if len(known) == 1:
        return next(iter(known))
    return "partial"


def resolve_as_of(mapping: Mapping, table: CsvTable, today: date) -> date | None:
    """The day the file's figures are measured against: the mapping's, else the latest
    plausible date the file holds (received or completed), else today; None when unanswered
    requests are to stay open ("today")."""
    if mapping.as_of == LIVE:
        return None
    if mapping.as_of:
        chosen = date.fromisoformat(mapping.as_of)
        if chosen > today:
            raise MappingError(
                _("The as-of date %(date)s is in the future.", date=chosen.isoformat()), "as_of"
            )
        return chosen
    latest: date | None = None
    for column in (mapping.received_on, mapping.completed_on):
        if column is None:
            continue
        for _number, record in table.records():
            try:
                value = parse_date(record.get(column) or "", mapping.date_format)
            except ValueError:
                continue
            if (value.month, value.day) == (1, 1):
                continue  # a likely placeholder (see _RowReader._date)
            if EARLIEST_PLAUSIBLE <= value <= today and (latest is None or value > latest):
                latest = value
    return latest or today


# Rows sent to the scratch table at once.
_SCRATCH_BATCH = 2000


def build_plan(
    db: Session, newsroom_id: int, table: CsvTable, mapping: Mapping, today: date
) -> ImportPlan:
    """Read every row through the mapping and report every problem; writes nothing.

    One pass over the file checks each row and keeps it, checked, in the plan's scratch
    table (on disk); the checks that span rows (a file number on several rows, file numbers
    already taken, the institution's law) then run there, one request at a time. Memory holds
    the problems found, the institutions and the file's distinct spellings, not the rows."""
    mapping.check(table.headers)
    as_of = resolve_as_of(mapping, table, today)
    reader = _RowReader(mapping, today, as_of)
    problems: list[Problem] = []
    unknown_decisions: Counter[str] = Counter()
    # Spellings of one institution (case, accents, spaces, punctuation) are one: an
    # institution already in the tracker keeps its name, else the file's first spelling.
    known: dict[str, tuple[int, str, str]] = {}
    for inst_id, name, law_code in db.execute(
        sa.select(Institution.id, Institution.name, Institution.law_code)
        .where(Institution.newsroom_id == newsroom_id)
        .order_by(Institution.id.desc())
    ):
        known[name_key(name)] = (inst_id, name, law_code)
    spellings: dict[str, dict[str, None]] = defaultdict(dict)
    scratch = Scratch()
    conn = scratch.conn
    insert = _R_INSERT
    pending: list[tuple[Any, ...]] = []
    total = 0
    for number, record in table.records():
        total += 1
        row, row_problems = reader.read(number, record)
        if number in table.overlong:
            row_problems.append(
                Problem(
                    number,
                    "error",
                    "extra_cells",
                    "extra_cells",
                    {"cells": table.overlong[number], "columns": len(table.headers)},
                    row.file_number,
                )
            )
        if as_of is not None:
            late = [d for d in (row.received_on, row.completed_on) if d and d > as_of]
            if late:
                row_problems.append(
                    Problem(
                        row.row,
                        "error",
                        "after_as_of",
                        "after_as_of",
                        {"date": late[0].isoformat(), "as_of": as_of.isoformat()},
                        row.file_number,
                    )
                )
        problems.extend(row_problems)
        if (
            row.decision_text
            and _decision_key(row.decision_text) not in DECISIONS
            and _decision_key(row.decision_text) not in CLOSING_DECISIONS
        ):
            unknown_decisions[row.decision_text] += 1
        ikey = None
        if row.institution:
            ikey = name_key(row.institution)
            names = spellings[ikey]
            if row.institution not in names:
                names[row.institution] = None
        pending.append(
            (
                row.row,
                row.row,
                f"{ikey}\x1f{row.file_number}" if row.file_number and row.institution else None,
                ikey,
                row.file_number,
                row.title,
                row.text,
                row.law_code,
                row.received_on.toordinal() if row.received_on else None,
                row.completed_on.toordinal() if row.completed_on else None,
                row.outcome,
                row.closure,
                row.decision_text,
            )
        )
        if len(pending) >= _SCRATCH_BATCH:
            conn.executemany(insert, pending)
            pending.clear()
    conn.executemany(insert, pending)
    pending.clear()

    kept: dict[str, str] = {}
    variants: dict[str, list[str]] = {}
    for key, names in spellings.items():
        existing = known.get(key)
        first_name = existing[1] if existing is not None else next(iter(names))
        kept[key] = first_name
        others = [n for n in names if n != first_name]
        if others:
            variants[first_name] = others
    del spellings

    # The same file number at the same institution is one request (one row per package):
    # each row of a group points to the group's first row.
    conn.execute("CREATE INDEX r_gkey ON r (gkey, row) WHERE gkey IS NOT NULL")
    conn.execute(
        "UPDATE r SET first = (SELECT MIN(o.row) FROM r AS o WHERE o.gkey = r.gkey) "
        "WHERE gkey IS NOT NULL"
    )
    conn.execute("CREATE INDEX r_first ON r (first, row)")

    taken = {
        (inst_id, number)
        for inst_id, number in db.execute(
            sa.select(InfoRequest.institution_id, InfoRequest.file_number).where(
                InfoRequest.newsroom_id == newsroom_id, InfoRequest.file_number.is_not(None)
            )
        )
    }
    # A request's other numbers (previous, appeal, complaint body's) are taken too.
    taken |= request_numbers.numbers_taken(db, newsroom_id)

    new_from_groups: dict[str, str] = {}
    new_from_singles: dict[str, str] = {}
    group_count = group_rows = requests_count = 0
    group_example: tuple[str, list[int]] | None = None

    def check_request(
        first_row: int,
        ikey: str | None,
        file_number: str,
        received: int | None,
        received_count: int,
        law: str | None,
        law_count: int,
        gkey: str | None,
        new: dict[str, str],
    ) -> None:
        """The checks that span a request's rows (its first row carries their problems)."""

        def group_problem(code: str, key: str, params: dict[str, Any]) -> None:
            problems.append(Problem(first_row, "error", code, key, params, file_number))

        numbers: list[int] = []
        if received_count > 1 or law_count > 1:
            numbers = [
                n for (n,) in conn.execute("SELECT row FROM r WHERE gkey = ? ORDER BY row", (gkey,))
            ]
        if received_count > 1:
            dates = [
                date.fromordinal(d).isoformat()
                for (d,) in conn.execute(
                    "SELECT DISTINCT received FROM r WHERE gkey = ? AND received IS NOT NULL "
                    "ORDER BY received",
                    (gkey,),
                )
            ]
            group_problem(
                "conflicting_rows",
                "conflicting_received",
                {
                    "rows": ", ".join(map(str, numbers)),
                    "number": file_number,
                    "dates": ", ".join(dates),
                },
            )
        if law_count > 1:
            laws = [
                code
                for (code,) in conn.execute(
                    "SELECT DISTINCT law FROM r WHERE gkey = ? AND law IS NOT NULL AND law != '' "
                    "ORDER BY law",
                    (gkey,),
                )
            ]
            group_problem(
                "conflicting_rows",
                "conflicting_laws",
                {
                    "rows": ", ".join(map(str, numbers)),
                    "number": file_number,
                    "laws": ", ".join(laws),
                },
            )
        institution = known.get(ikey) if ikey is not None else None
        name = kept.get(ikey, "") if ikey is not None else ""
        law_code = law or (institution[2] if institution else None)
        if ikey is not None and law_code is None:
            group_problem("no_law", "no_law", {"institution": name})
        if law_code and received is not None:
            try:  # a date before the law's first version has no deadline (issue 15)
                deadlines.law_in_force(law_code, date.fromordinal(received))
            except ValueError:
                first_version = deadlines.LAW_VERSIONS[deadlines.get_law(law_code).code][0]
                group_problem(
                    "before_law",
                    "before_law",
                    {
                        "law": law_code,
                        "name": first_version.name,
                        "citation": first_version.act_citation,
                        "first": first_version.effective_from.isoformat(),
                        "received": date.fromordinal(received).isoformat(),
                    },
                )
        if institution is not None and file_number and (institution[0], file_number) in taken:
            group_problem(
                "duplicate_file_number",
                "duplicate_file_number",
                {"institution": institution[1], "number": file_number},
            )
        if institution is None and ikey is not None and law_code:
            new.setdefault(name, law_code)

    groups = conn.execute(
        "SELECT MIN(row), COUNT(*), MIN(ikey), MIN(file_number), MIN(received), "
        "COUNT(DISTINCT received), MIN(NULLIF(law, '')), COUNT(DISTINCT NULLIF(law, '')), gkey "
        "FROM r WHERE gkey IS NOT NULL GROUP BY gkey ORDER BY MIN(row)"
    )
    while batch := groups.fetchmany(500):
        for first_row, n, ikey, file_number, received, n_received, law, n_laws, gkey in batch:
            requests_count += 1
            if n > 1:
                group_count += 1
                group_rows += n
                if group_example is None:
                    group_example = (
                        file_number,
                        [
                            r
                            for (r,) in conn.execute(
                                "SELECT row FROM r WHERE gkey = ? ORDER BY row", (gkey,)
                            )
                        ],
                    )
            check_request(
                first_row,
                ikey,
                file_number,
                received,
                n_received,
                law,
                n_laws,
                gkey,
                new_from_groups,
            )
    singles = conn.execute(
        "SELECT row, ikey, file_number, received, NULLIF(law, '') FROM r WHERE gkey IS NULL "
        "ORDER BY row"
    )
    while batch := singles.fetchmany(500):
        for first_row, ikey, file_number, received, law in batch:
            requests_count += 1
            check_request(
                first_row,
                ikey,
                file_number,
                received,
                1 if received is not None else 0,
                law,
                1 if law else 0,
                None,
                new_from_singles,
            )
    new_institutions = {**new_from_groups}
    for name, law_code in new_from_singles.items():
        new_institutions.setdefault(name, law_code)

    problems.sort(key=lambda p: (p.row, p.severity != "error"))
    plan = ImportPlan(
        total_rows=total,
        request_count=requests_count,
        problems=problems,
        new_institutions=new_institutions,
        delimiter_name=table.delimiter_name,
        as_of=as_of,
        unknown_decisions=dict(unknown_decisions.most_common()),
        institution_variants=variants,
        group_count=group_count,
        group_rows=group_rows,
        group_example=group_example,
        kept=kept,
        known=known,
        today=today,
        scratch=scratch,
    )
    answered, same_day = _answered_same_day(plan)
    if answered > 1 and answered == same_day:
        plan.notices.append(
            str(
                _(
                    "Every one of the %(n)s answered requests would be answered on time in "
                    "0 days, on the day it was received: check that the received and completed "
                    "dates come from the right columns.",
                    n=answered,
                )
            )
        )
    return plan


def _answered_same_day(plan: ImportPlan) -> tuple[int, int]:
    """(valid requests answered, of which answered the day they were received)."""
    if plan.scratch is None or plan.today is None:
        return 0, 0
    conn = plan.scratch.conn
    conn.execute("DROP TABLE IF EXISTS blocked")
    conn.execute("CREATE TEMP TABLE blocked (first INTEGER PRIMARY KEY)")
    conn.executemany(
        "INSERT INTO blocked (first) VALUES (?)", [(f,) for f in plan._blocked_firsts()]
    )
    found = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(last = rec), 0) FROM ("
        " SELECT MAX(CASE WHEN completed IS NOT NULL AND outcome IS NOT NULL "
        "  THEN completed END) AS last, COALESCE(MIN(received), ?) AS rec"
        " FROM r WHERE first NOT IN (SELECT first FROM blocked) GROUP BY first"
        ") WHERE last IS NOT NULL",
        (plan.today.toordinal(),),
    ).fetchone()
    conn.execute("DROP TABLE blocked")
    return int(found[0]), int(found[1])


# --- writing ----------------------------------------------------------------------------------


@dataclass
class ImportResult:
    """What an import wrote."""

    requests: int
    rows: int
    institutions_created: list[str] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    import_id: int | None = None  # the import_batch row


def run_import(
    db: Session,
    plan: ImportPlan,
    owner: User,
    today: date,
    storage: LocalStorage,
    *,
    source: str,
    skip_invalid: bool = False,
    progress: bulk.Progress | None = None,
) -> ImportResult:
    """Write the plan's requests in the caller's transaction; any failure writes nothing.

    Two steps, each reading the plan's requests back from its scratch table in batches:
    every request is checked and its clock derived (written back to the scratch table, nothing
    in the tracker's database yet), then everything is written in batches of multi-row
    INSERTs. Memory holds one batch at a time."""
    if plan.errors and not skip_invalid:
        raise ImportRefused.said("rows_with_errors", n=len(plan.error_rows))
    todo = plan.valid_count
    if not todo or plan.scratch is None:
        raise ImportRefused.said("nothing_valid")
    imported_at = clock.now().isoformat(timespec="seconds")
    # Institutions as they are now (one may have been added since the dry run), by name key.
    known = {
        name_key(i.name): i
        for i in db.scalars(
            sa.select(Institution)
            .where(Institution.newsroom_id == owner.newsroom_id)
            .order_by(Institution.id.desc())
        )
    }
    places = {key: bulk.Place(i.name, i.law_code, i.province) for key, i in known.items()}
    for name, law_code in plan.new_institutions.items():
        places.setdefault(name_key(name), bulk.Place(name, law_code))
    as_of = plan.as_of.isoformat() if plan.as_of else None
    conn = plan.scratch.conn
    conn.execute("DROP TABLE IF EXISTS ready")
    conn.execute("CREATE TABLE ready (seq INTEGER PRIMARY KEY, data TEXT NOT NULL)")
    used: dict[str, int] = {}  # institution key -> first row of the first request naming it
    rows = 0
    # The notes written into each request's timeline are in the importer's language.
    with force_locale(locale_of(owner)):
        try:
            done = 0
            wording = bulk.Wording.current()
            pending: list[tuple[str]] = []
            for planned in plan.iter_requests(valid=True):
                key = name_key(planned.institution_name)
                used.setdefault(key, planned.rows[0])
                ready = bulk.prepare(
                    planned,
                    institution=places[key],
                    institution_key=key,
                    today=today,
                    imported=bulk._Entry(
                        "imported",
                        today,
                        _import_note(planned, source),
                        {
                            "source": source,
                            "rows": planned.rows,
                            "decisions": planned.decisions,
                            "imported_at": imported_at,
                            "as_of": as_of,
                        },
                    ),
                    wording=wording,
                )
                rows += len(planned.rows)
                pending.append((bulk.dump(ready),))
                done += 1
                if len(pending) >= bulk.BATCH:
                    conn.executemany("INSERT INTO ready (data) VALUES (?)", pending)
                    pending.clear()
                    if progress is not None:
                        progress("checking", done)
            conn.executemany("INSERT INTO ready (data) VALUES (?)", pending)
            if progress is not None and done % bulk.BATCH:
                progress("checking", done)
            batch = ImportBatch(
                newsroom_id=owner.newsroom_id,
                filename=source[:255],
                as_of=plan.as_of,
                imported_by_id=owner.id,
                requests=done,
                rows=rows,
            )
            db.add(batch)
            institution_ids = {key: i.id for key, i in known.items()}
            created: list[str] = []
            for name, law_code in plan.new_institutions.items():
                key = name_key(name)
                if key in known or key not in used:
                    continue
                try:
                    institution = create_institution(
                        db, owner.newsroom_id, InstitutionData(name=name, law_code=law_code)
                    )
                except InstitutionError as exc:
                    raise ImportRefused.said(
                        "institution_refused", row=used[key], name=repr(name), reason=str(exc)
                    ) from exc
                institution_ids[key] = institution.id
                created.append(name)
            db.flush()
            bulk.write(
                db,
                _ready_batches(conn),
                owner,
                batch_id=batch.id,
                institution_ids=institution_ids,
                progress=progress,
            )
        except bulk.RowRefused as exc:
            if exc.by_database:
                # The dry run checks what the database checks; should a row slip through anyway
                # (another import writing at the same time), the report names it, never a 500.
                raise ImportRefused.said(
                    "row_refused_by_database", row=exc.rows[0], label=exc.label, reason=exc.reason
                ) from exc
            raise ImportRefused.said(
                "row_refused", row=exc.rows[0], label=exc.label, reason=exc.reason
            ) from exc
        except sa.exc.IntegrityError as exc:
            reason = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
            raise ImportRefused.said("database_refused", reason=reason) from exc
        finally:
            with contextlib.suppress(sqlite3.OperationalError):  # a reader still open: left
                conn.execute("DROP TABLE IF EXISTS ready")
    return ImportResult(
        requests=done,
        rows=rows,
        institutions_created=created,
        skipped_rows=plan.blocked_rows,
        import_id=batch.id,
    )


def _ready_batches(conn: sqlite3.Connection) -> Iterator[list[bulk.Ready]]:
    """The checked requests, read back from the scratch table ``bulk.BATCH`` at a time."""
    cursor = conn.execute("SELECT data FROM ready ORDER BY seq")
    while found := cursor.fetchmany(bulk.BATCH):
        yield [bulk.load(data) for (data,) in found]


def _import_note(planned: PlannedRequest, source: str) -> str:
    """The "imported" entry's note, in the current language (``run_import`` sets the
    importer's)."""
    rows = planned.rows
    return ngettext(
        "Imported from %(source)s, row %(rows)s.",
        "Imported from %(source)s, rows %(rows)s.",
        len(rows),
        source=source,
        rows=", ".join(map(str, rows)),
    )
