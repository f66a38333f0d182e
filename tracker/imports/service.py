"""CSV import of existing requests: map columns, check every row, then write all or nothing.

``build_plan`` reads a table with a column mapping and lists every row's problems without
writing anything (the dry run). ``run_import`` writes the plan through the request service, so
deadlines come from the same code as requests logged by hand.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
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
from tracker.language.i18n import lazy_gettext
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
    """An import cannot go ahead; the message says why."""


class MappingError(ImportFailure):
    """The column mapping does not fit the file; ``field`` names the mapping key at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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
                f"Unknown mapping key {unknown[0]!r}; the keys are {', '.join(sorted(known))}."
            )
        values: dict[str, Any] = {}
        for name, value in data.items():
            if value is not None and not isinstance(value, str):
                raise MappingError(
                    f"Mapping key {name!r} takes a column name or text, not {value!r}.", name
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
                f"The mapping is not valid JSON: {exc.msg} at character {exc.pos}."
            ) from None
        if not isinstance(data, dict):
            raise MappingError(
                'The mapping must be a JSON object, e.g. {"received_on": "date_accepted"}.'
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
                    f"The file has no column {column!r}. Its columns are: {', '.join(headers)}.",
                    name,
                )
        if self.received_on is None:
            raise MappingError(
                "Pick the column that holds the date the institution received "
                "(accepted) each request: the deadline counts from it.",
                "received_on",
            )
        if self.title is None and self.text is None and self.file_number is None:
            raise MappingError("Pick a column for the title or the text of the requests.", "title")
        if self.institution is None and not self.default_institution.strip():
            raise MappingError(
                "Pick the column that names the institution, or type the "
                "institution every request went to.",
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
                f"Unknown law {self.default_law!r}; the laws are {', '.join(deadlines.LAWS)}.",
                "default_law",
            )
        if self.date_format not in DATE_FORMATS:
            raise MappingError(
                f"Unknown date format {self.date_format!r}; pick one of {', '.join(DATE_FORMATS)}.",
                "date_format",
            )
        for flag in ("confirm_same_date_column", "confirm_new_year"):
            if getattr(self, flag) not in ("", CONFIRMED):
                raise MappingError(f"{flag} takes {CONFIRMED!r} or nothing.", flag)
        if (
            self.received_on is not None
            and self.received_on == self.completed_on
            and self.confirm_same_date_column != CONFIRMED
        ):
            raise MappingError(
                f"The column {self.received_on!r} is chosen for both the received and the "
                "completed date: every request would be answered the day it was received, "
                "on time in 0 days. Pick the right column, or confirm that one column holds "
                "both (confirm_same_date_column).",
                "completed_on",
            )
        if self.as_of not in ("", LIVE):
            try:
                date.fromisoformat(self.as_of)
            except ValueError:
                raise MappingError(
                    f"The as-of date {self.as_of!r} is not a date: write YYYY-MM-DD, or "
                    f"{LIVE!r} to keep requests without a response open.",
                    "as_of",
                ) from None
        if self.default_outcome and self.default_outcome not in requests.RESPONSE_OUTCOMES:
            raise MappingError(
                f"Unknown outcome {self.default_outcome!r}; pick one of "
                f"{', '.join(requests.RESPONSE_OUTCOMES)}.",
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
    """Something wrong (error: blocks the import) or worth knowing (warning) about a row."""

    row: int
    severity: Severity
    code: str
    message: str
    file_number: str = ""


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


@dataclass
class ImportPlan:
    """The dry run: what would be created, and every row's problems."""

    total_rows: int
    requests: list[PlannedRequest]
    problems: list[Problem]
    # File number -> rows, for file numbers that span several rows (one request each).
    groups: dict[str, list[int]]
    new_institutions: dict[str, str]  # name -> law code
    delimiter_name: str = "comma"
    as_of: date | None = None  # None: unanswered requests stay open
    # Decision wordings the import does not know -> how many rows (never silently ignored).
    unknown_decisions: dict[str, int] = field(default_factory=dict)
    # Spelling kept -> the other spellings of that institution in the file.
    institution_variants: dict[str, list[str]] = field(default_factory=dict)
    # Warnings about the whole file (the mapping), not one row.
    notices: list[str] = field(default_factory=list)

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

    @property
    def blocked_rows(self) -> list[int]:
        """Rows left out of the import: every row of a request with an error."""
        return sorted(n for r in self.requests if not r.valid for n in r.rows)

    @property
    def valid_requests(self) -> list[PlannedRequest]:
        """Requests whose rows have no error."""
        return [r for r in self.requests if r.valid]

    @property
    def invalid_requests(self) -> list[PlannedRequest]:
        """Requests left out because a row has an error."""
        return [r for r in self.requests if not r.valid]

    def summary(self) -> list[tuple[str, str, int]]:
        """(severity, label, number of rows) per kind of problem, errors first."""
        counts = Counter((p.severity, p.code) for p in self.problems)
        ordered = sorted(counts.items(), key=lambda item: (item[0][0] != "error", -item[1]))
        return [(sev, PROBLEM_LABELS.get(code, code), n) for (sev, code), n in ordered]

    def grouping_text(self) -> str:
        """How rows were grouped into requests, in one sentence."""
        extra = sum(len(rows) for rows in self.groups.values())
        text = f"{self.total_rows} rows make {len(self.requests)} requests"
        if self.groups:
            example_number, example_rows = next(iter(self.groups.items()))
            text += (
                f": {len(self.groups)} file numbers appear on several rows ({extra} rows, "
                f"e.g. {example_number} on rows {', '.join(map(str, example_rows))}), each "
                "imported as one request whose rows are its release packages"
            )
        return text + "."


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


def not_offered_message(value: str, codes: tuple[str, ...]) -> str:
    """Why a law named in an import cannot be used yet (issue 24)."""
    named = " or ".join(codes)
    if codes != (_law_key(value),):
        named = f"{value!r} names {named}, which"
    laws = "are laws" if len(codes) > 1 else "is a law"
    return (
        f"{named} {laws} the tracker does not offer yet: no deadline is computed under a "
        "law whose sections have not been read in the official text. Import these rows once "
        "the law is offered."
    )


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

        def problem(code: str, message: str, severity: Severity = "error") -> None:
            problems.append(Problem(number, severity, code, message, file_number))

        received = self._date(record, "received_on", problem)
        completed = self._date(record, "completed_on", problem)
        if self.mapping.received_on and not self.cell(record, "received_on"):
            problem("missing_received", "No received date: the deadline counts from it.")
        if received and completed and completed < received:
            problem(
                "completed_before_received",
                f"Completed {completed.isoformat()} before it was received {received.isoformat()}.",
            )

        law_code = None
        law_text = self.cell(record, "law")
        if law_text:
            law_code = self.aliases.get(_law_key(law_text))
            pending = self.not_offered.get(_law_key(law_text)) if law_code is None else None
            if pending:
                problem("law_not_offered", not_offered_message(law_text, pending))
            elif law_code is None:
                problem(
                    "unknown_law",
                    f"Unknown law {law_text!r}. Use a law code such as "
                    "ca-on-mfippa or ca-ab-foip, or the law's name.",
                )
        elif self.default_law:
            law_code = self.default_law

        institution = self.cell(record, "institution") or self.mapping.default_institution.strip()
        if not institution:
            problem(
                "missing_institution",
                "No institution: fill the cell or choose a default institution.",
            )
        elif len(institution) > 300:
            problem("too_long", "The institution's name is longer than 300 characters.")
        if len(file_number) > 100:
            problem("too_long", "The file number is longer than 100 characters.")

        decision_text = self.cell(record, "decision")
        key = _decision_key(decision_text)
        outcome: str | None = None
        closure = CLOSING_DECISIONS.get(key) if decision_text else None
        completed_cell = self.cell(record, "completed_on")
        if closure is not None:
            if not completed_cell:
                if self.as_of is None:
                    problem(
                        "closed_without_date",
                        f"Decision {decision_text!r} closes the request, but the row has no "
                        "date: put the date it closed, or give an as-of date.",
                    )
                else:
                    problem(
                        "closed_without_date",
                        f"Decision {decision_text!r} with no date: closed on the as-of date, "
                        f"{self.as_of.isoformat()}.",
                        "warning",
                    )
        elif completed_cell:
            if self.mapping.decision is None:
                outcome = "unknown"
                problem(
                    "outcome_unknown",
                    "The file has no decision column: the response's outcome is unknown.",
                    "warning",
                )
            else:
                outcome = DECISIONS.get(key) if decision_text else None
            if outcome is None and self.mapping.default_outcome:
                outcome = self.mapping.default_outcome
                problem(
                    "decision_defaulted",
                    f"Decision {decision_text or '(empty)'!r} recorded "
                    f"as {requests.RESPONSE_OUTCOMES[outcome]!r}.",
                    "warning",
                )
            elif outcome is None and decision_text:
                problem(
                    "unknown_decision",
                    f"Unknown decision {decision_text!r}. Use all disclosed, disclosed in "
                    "part, nothing disclosed, no records, discontinued, withdrawn or "
                    "abandoned, or choose an outcome for unknown decisions.",
                )
            elif outcome is None:
                problem(
                    "missing_decision",
                    "Completed, but the decision is empty: fill it or "
                    "choose an outcome for empty decisions.",
                )
        elif decision_text and key not in DECISIONS:
            problem(
                "unknown_decision",
                f"Unknown decision {decision_text!r} (the row has no completion date).",
                "warning",
            )
        if not completed_cell and closure is None and received is not None:
            if self.as_of is not None:
                problem(
                    "unanswered_as_of",
                    f"No completion date: imported as unanswered as of "
                    f"{self.as_of.isoformat()} (the file says nothing later).",
                    "warning",
                )
            else:
                problem(
                    "still_open",
                    "No completion date: imported as a request still waiting for its response.",
                    "warning",
                )

        text = self.cell(record, "text")
        title = self.cell(record, "title")
        if not title:
            title = derive_title(text, f"Request {file_number}" if file_number else "")
        if not title:
            problem("missing_title", "No title, text or file number to name the request by.")
        elif len(title) > 300:
            title = title[:299] + "…"
            problem("title_shortened", "The title was cut to 300 characters.", "warning")
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
        label = "received" if key == "received_on" else "completed"
        try:
            value = parse_date(raw, self.mapping.date_format)
        except ValueError:
            problem(
                "bad_date",
                f"The {label} date {raw!r} is not a date "
                f"({DATE_FORMATS[self.mapping.date_format]}).",
            )
            return None
        if value < EARLIEST_PLAUSIBLE:
            problem(
                "placeholder_date",
                f"The {label} date {raw} is a placeholder: it predates "
                "every access law the tracker knows (1967).",
            )
            return None
        if value.year > self.today.year + 1:
            problem(
                "placeholder_date",
                f"The {label} date {raw} is a placeholder: the year {value.year} is still to come.",
            )
            return None
        if value > self.today:
            problem("future_date", f"The {label} date {raw} is in the future.")
            return None
        if value.month == 1 and value.day == 1:
            # New Year's Day is a holiday in every jurisdiction the tracker knows; exports
            # use 1 January as a placeholder (1301-01-01 ... 3101-01-01 in Toronto's data).
            if self.mapping.confirm_new_year == CONFIRMED:
                problem(
                    "new_year_confirmed",
                    f"The {label} date {raw} is 1 January, kept as you confirmed.",
                    "warning",
                )
                return value
            problem(
                "placeholder_date",
                f"The {label} date {raw} is 1 January, a public "
                "holiday when offices are closed: spreadsheets use it "
                "as a placeholder. Put the real date, or confirm that the file's "
                "1 January dates are real (confirm_new_year).",
            )
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
            raise MappingError(f"The as-of date {chosen.isoformat()} is in the future.", "as_of")
        return chosen
    latest: date | None = None
    for column in (mapping.received_on, mapping.completed_on):
        if column is None:
            continue
        for _, record in table.records():
            try:
                value = parse_date(record.get(column) or "", mapping.date_format)
            except ValueError:
                continue
            if (value.month, value.day) == (1, 1):
                continue  # a likely placeholder (see _RowReader._date)
            if EARLIEST_PLAUSIBLE <= value <= today and (latest is None or value > latest):
                latest = value
    return latest or today


def build_plan(
    db: Session, newsroom_id: int, table: CsvTable, mapping: Mapping, today: date
) -> ImportPlan:
    """Read every row through the mapping and report every problem; writes nothing."""
    mapping.check(table.headers)
    as_of = resolve_as_of(mapping, table, today)
    reader = _RowReader(mapping, today, as_of)
    problems: list[Problem] = []
    values: list[RowValues] = []
    for number, record in table.records():
        row, row_problems = reader.read(number, record)
        if number in table.overlong:
            row_problems.append(
                Problem(
                    number,
                    "error",
                    "extra_cells",
                    f"The row has {table.overlong[number]} cells but the "
                    f"first row names {len(table.headers)} columns (a "
                    "missing quote mark?).",
                    row.file_number,
                )
            )
        values.append(row)
        problems.extend(row_problems)
    if as_of is not None:
        for row in values:
            late = [d for d in (row.received_on, row.completed_on) if d and d > as_of]
            if late:
                problems.append(
                    Problem(
                        row.row,
                        "error",
                        "after_as_of",
                        f"The row has a date ({late[0].isoformat()}) after the as-of date "
                        f"{as_of.isoformat()}: choose a later as-of date.",
                        row.file_number,
                    )
                )
    unknown_decisions = Counter(
        r.decision_text
        for r in values
        if r.decision_text
        and _decision_key(r.decision_text) not in DECISIONS
        and _decision_key(r.decision_text) not in CLOSING_DECISIONS
    )

    # Spellings of one institution (case, accents, spaces, punctuation) are one: an
    # institution already in the tracker keeps its name, else the file's first spelling.
    institutions = {
        name_key(i.name): i
        for i in db.scalars(
            sa.select(Institution)
            .where(Institution.newsroom_id == newsroom_id)
            .order_by(Institution.id.desc())
        )
    }
    spellings: dict[str, dict[str, None]] = defaultdict(dict)
    for row in values:
        if row.institution:
            spellings[name_key(row.institution)].setdefault(row.institution)
    kept: dict[str, str] = {}
    variants: dict[str, list[str]] = {}
    for key, names in spellings.items():
        existing = institutions.get(key)
        spelling = existing.name if existing is not None else next(iter(names))
        kept[key] = spelling
        others = [n for n in names if n != spelling]
        if others:
            variants[spelling] = others
    for row in values:
        if row.institution:
            row.institution = kept[name_key(row.institution)]

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

    # The same file number at the same institution is one request (one row per package).
    grouped: dict[tuple[str, str], list[RowValues]] = defaultdict(list)
    singles: list[list[RowValues]] = []
    for row in values:
        if row.file_number and row.institution:
            grouped[(name_key(row.institution), row.file_number)].append(row)
        else:
            singles.append([row])
    groups = {
        rows[0].file_number: [r.row for r in rows] for rows in grouped.values() if len(rows) > 1
    }

    error_rows = {p.row for p in problems if p.severity == "error"}
    planned: list[PlannedRequest] = []
    new_institutions: dict[str, str] = {}
    for rows in [*grouped.values(), *singles]:
        first = rows[0]
        numbers = [r.row for r in rows]

        def group_problem(code: str, message: str, first: RowValues = first) -> None:
            problems.append(Problem(first.row, "error", code, message, first.file_number))
            error_rows.add(first.row)

        received_dates = sorted({r.received_on for r in rows if r.received_on})
        if len(received_dates) > 1:
            group_problem(
                "conflicting_rows",
                f"Rows {', '.join(map(str, numbers))} share file "
                f"number {first.file_number} but give different received dates "
                f"({', '.join(d.isoformat() for d in received_dates)}).",
            )
        laws = sorted({r.law_code for r in rows if r.law_code})
        if len(laws) > 1:
            group_problem(
                "conflicting_rows",
                f"Rows {', '.join(map(str, numbers))} share file "
                f"number {first.file_number} but name different laws "
                f"({', '.join(laws)}).",
            )
        institution = institutions.get(name_key(first.institution)) if first.institution else None
        law_code = laws[0] if laws else (institution.law_code if institution else None)
        if first.institution and law_code is None:
            group_problem(
                "no_law",
                f"No law for the new institution {first.institution!r}: "
                "add a law column or choose a default law.",
            )
        if law_code and received_dates:
            try:  # a date before the law's first version has no deadline (issue 15)
                deadlines.law_in_force(law_code, received_dates[0])
            except ValueError as exc:
                group_problem("before_law", f"{exc}.")
        if (
            institution is not None
            and first.file_number
            and (institution.id, first.file_number) in taken
        ):
            group_problem(
                "duplicate_file_number",
                f"{institution.name} already has a request with file number "
                f"{first.file_number} in the tracker.",
            )
        if institution is None and first.institution and law_code:
            new_institutions.setdefault(first.institution, law_code)
        texts = list(dict.fromkeys(r.text for r in rows if r.text))
        responses = sorted(
            {(r.completed_on, r.outcome) for r in rows if r.completed_on and r.outcome},
            key=lambda pair: pair[0],
        )
        merged: dict[date, list[str]] = defaultdict(list)
        for day, outcome in responses:
            merged[day].append(outcome)
        closure: tuple[date, str] | None = None
        if not responses:
            closings = sorted(
                (closed, r.closure)
                for r in rows
                if r.closure and (closed := r.completed_on or as_of) is not None
            )
            if closings:
                closure = closings[-1]
            elif as_of is not None and received_dates and any(not r.completed_on for r in rows):
                closure = (as_of, "unanswered_as_of")
        planned.append(
            PlannedRequest(
                rows=numbers,
                file_number=first.file_number or None,
                institution_name=institution.name if institution else first.institution,
                institution_id=institution.id if institution else None,
                law_code=law_code or "",
                title=first.title,
                text="\n\n".join(texts),
                received_on=received_dates[0] if received_dates else today,
                responses=[(d, _combine(o)) for d, o in merged.items()],
                decisions=list(dict.fromkeys(r.decision_text for r in rows if r.decision_text)),
                closure=closure,
                valid=not any(n in error_rows for n in numbers),
            )
        )
    problems.sort(key=lambda p: (p.row, p.severity != "error"))
    planned.sort(key=lambda r: r.rows[0])
    notices = []
    answered = [r for r in planned if r.valid and r.responses]
    if len(answered) > 1 and all(r.responses[-1][0] == r.received_on for r in answered):
        notices.append(
            f"Every one of the {len(answered)} answered requests would be answered on time in "
            "0 days, on the day it was received: check that the received and completed dates "
            "come from the right columns."
        )
    return ImportPlan(
        total_rows=len(values),
        requests=planned,
        problems=problems,
        groups=groups,
        new_institutions=new_institutions,
        delimiter_name=table.delimiter_name,
        as_of=as_of,
        unknown_decisions=dict(unknown_decisions.most_common()),
        institution_variants=variants,
        notices=notices,
    )


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
    """Write the plan's requests in the caller's transaction; any failure writes nothing."""
    if plan.errors and not skip_invalid:
        raise ImportRefused(
            f"Nothing was imported: {len(plan.error_rows)} rows have errors. "
            "Fix them in the file, or leave those requests out."
        )
    todo = plan.valid_requests
    if not todo:
        raise ImportRefused("Nothing was imported: no request in the file is free of errors.")
    imported_at = clock.now().isoformat(timespec="seconds")
    wanted = {r.institution_id for r in todo if r.institution_id is not None}
    existing = list(
        db.scalars(
            sa.select(Institution).where(
                Institution.id.in_(wanted), Institution.newsroom_id == owner.newsroom_id
            )
        )
    )
    places = {i.name: bulk.Place(i.name, i.law_code, i.province) for i in existing}
    for name, law_code in plan.new_institutions.items():
        places.setdefault(name, bulk.Place(name, law_code))

    def imported(planned: PlannedRequest) -> bulk._Entry:
        return bulk._Entry(
            "imported",
            today,
            _import_note(planned, source),
            {
                "source": source,
                "rows": planned.rows,
                "decisions": planned.decisions,
                "imported_at": imported_at,
                "as_of": plan.as_of.isoformat() if plan.as_of else None,
            },
        )

    try:
        # First every request is checked and its clock derived (nothing written yet), then
        # everything is written.
        prepared = bulk.check_all(
            todo, owner, today, places=places, imported=imported, progress=progress
        )
        batch = ImportBatch(
            newsroom_id=owner.newsroom_id,
            filename=source[:255],
            as_of=plan.as_of,
            imported_by_id=owner.id,
            requests=len(todo),
            rows=sum(len(r.rows) for r in todo),
        )
        db.add(batch)
        institution_ids = {i.name: i.id for i in existing}
        created: list[str] = []
        for name, law_code in plan.new_institutions.items():
            first = next(
                (r for r in todo if r.institution_name == name and r.institution_id is None),
                None,
            )
            if first is None:
                continue
            try:
                institution = create_institution(
                    db, owner.newsroom_id, InstitutionData(name=name, law_code=law_code)
                )
            except InstitutionError as exc:
                raise ImportRefused(
                    f"Nothing was imported: row {first.rows[0]}: the institution {name!r} "
                    f"was refused: {exc}"
                ) from exc
            institution_ids[name] = institution.id
            created.append(name)
        db.flush()
        bulk.write(
            db,
            prepared,
            todo,
            owner,
            batch_id=batch.id,
            institution_ids=institution_ids,
            progress=progress,
        )
    except bulk.RowRefused as exc:
        where = f"row {exc.rows[0]} ({exc.label})"
        if exc.by_database:
            # The dry run checks what the database checks; should a row slip through anyway
            # (another import writing at the same time), the report names it, never a 500.
            raise ImportRefused(
                f"Nothing was imported: {where} was refused by the database: {exc.reason}"
            ) from exc
        raise ImportRefused(f"Nothing was imported: {where} was refused: {exc.reason}") from exc
    except sa.exc.IntegrityError as exc:
        reason = str(exc.orig).splitlines()[0] if exc.orig is not None else type(exc).__name__
        raise ImportRefused(f"Nothing was imported: the database refused: {reason}") from exc
    skipped = sorted(n for r in plan.invalid_requests for n in r.rows)
    return ImportResult(
        requests=len(todo),
        rows=sum(len(r.rows) for r in todo),
        institutions_created=created,
        skipped_rows=skipped,
        import_id=batch.id,
    )


def _import_note(planned: PlannedRequest, source: str) -> str:
    rows = planned.rows
    where = f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(map(str, rows))}"
    return f"Imported from {source}, {where}."
