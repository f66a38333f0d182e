"""Every kind of timeline entry, declared once.

A ``Kind`` says what the entry is called, who adds it (the reporter, or the tracker itself),
the facts it records (``Field``: type, limits, choices), how it reads in the timeline (the
request page's line and the packet's chronology) and what it does to the clock (``Clock``).
The web form (``tracker.requests.forms.event_form``), the API's input and schema
(``tracker.api.inputs``, ``tracker.api.openapi``), the service's checks
(``tracker.requests.service``), the page, the packet and the state derivation
(``tracker.requests.state``) all read this registry. Pure: no Flask, no database.

A new kind is one ``register(Kind(...))`` call below, plus a migration that widens the
``timeline_event.kind`` CHECK constraint (``tracker.core.models.EVENT_KINDS`` is read from here
when the models are imported) and its tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from tracker import deadlines
from tracker.deadlines import french
from tracker.language.i18n import _, get_locale, lazy_gettext, ngettext

# The most days an extension notice may be typed with, on the web and in the API (no law
# allows nearer this than a year; the deadline's checks name the statute's own limit).
MAX_EXTENSION_DAYS = 3650
MAX_PAGES = 10_000_000
# A note on any entry, on the web and in the API.
NOTE_MAX_LENGTH = 100_000
# The longest code a law-dependent choice (an extension's reason) may be sent with.
MAX_CODE_LENGTH = 64

RESPONSE_OUTCOMES: dict[str, str] = {
    "full": lazy_gettext("All records disclosed"),
    "partial": lazy_gettext("Records disclosed in part"),
    "refused": lazy_gettext("Access refused"),
    "no_records": lazy_gettext("No records exist"),
    # For imported files that record a response but not what it was.
    "unknown": lazy_gettext("Outcome not known (the source does not say)"),
}
# How a request ends without a final response (the "withdrawn" entry's ``closure``). Each
# stops the clock on the day it closed.
CLOSURES: dict[str, str] = {
    "withdrawn": lazy_gettext("Withdrawn by the requester"),
    "discontinued": lazy_gettext("Discontinued"),
    "abandoned": lazy_gettext("Abandoned"),
    "transferred": lazy_gettext("Transferred to another institution and closed here"),
    "closed_unanswered": lazy_gettext("Closed without an answer"),
    "unanswered_as_of": lazy_gettext("Unanswered as of its source's date; nothing later is known"),
}
COMPLAINT_GROUNDS: dict[str, str] = {
    "delay": lazy_gettext("Delay or deemed refusal"),
    "extension": lazy_gettext("Extension of time"),
    "fees": lazy_gettext("Fees"),
    "exemptions": lazy_gettext("Exemptions applied"),
    "missing_records": lazy_gettext("Missing records"),
    "other": lazy_gettext("Other"),
}
# The grounds as the packet's sentences name them.
GROUNDS_IN_PROSE: dict[str, str] = {
    "delay": lazy_gettext("delay"),
    "extension": lazy_gettext("extension of time"),
    "fees": lazy_gettext("fees"),
    "exemptions": lazy_gettext("exemptions applied"),
    "missing_records": lazy_gettext("missing records"),
    "other": lazy_gettext("other"),
}
COMPLAINT_FINDINGS: dict[str, str] = {
    "well_founded": lazy_gettext("Well-founded"),
    "not_well_founded": lazy_gettext("Not well-founded"),
    "resolved": lazy_gettext("Resolved"),
    "discontinued": lazy_gettext("Discontinued"),
}

FieldType = Literal["integer", "text", "choice", "date", "boolean"]
Problem = Literal["missing", "not_whole", "below", "above"]
LawText = str | Callable[[deadlines.Law], str]


class KindError(ValueError):
    """A fact refused; ``field`` names the detail it belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Field:
    """One fact an entry records: its type, limits and choices, the same on every input."""

    name: str
    label: str
    type: FieldType
    required: bool = False
    # integer: the smallest and largest value; text: ``maximum`` is the most characters.
    minimum: int = 0
    maximum: int | None = None
    unit: str = ""  # an integer's unit in words ("days", "pages")
    # choice: code -> label, or the law's own list (an extension's reasons).
    choices: Mapping[str, str] | Callable[[deadlines.Law], Sequence[tuple[str, str]]] | None = None
    default: str | None = None  # a choice's value when none is given
    description: LawText = ""
    initial: Callable[[deadlines.Law], str] | None = None  # prefilled on a new entry's form
    # Shown on the form only under the laws it concerns (None: every law).
    applies: Callable[[deadlines.Law], bool] | None = None
    missing: str = lazy_gettext(
        "This field is required."
    )  # a required value missing or not one of the choices
    below: str = ""  # an integer under ``minimum``

    def options(self, law: deadlines.Law) -> list[tuple[str, str]]:
        """The choices under this law, as (code, label)."""
        if self.choices is None:
            return []
        if callable(self.choices):
            return list(self.choices(law))
        return list(self.choices.items())

    @property
    def by_law(self) -> bool:
        """True when the choices depend on the request's law."""
        return callable(self.choices)

    def every_option(self) -> list[str]:
        """Every code this field can take under some law (for the API's schema)."""
        if self.choices is None:
            return []
        if not callable(self.choices):
            return list(self.choices)
        return sorted(
            {
                code
                for versions in deadlines.LAW_VERSIONS.values()
                for law in versions
                for code, _ in self.choices(law)
            }
        )

    def applies_to(self, law: deadlines.Law) -> bool:
        """True when the form asks for this field under ``law``."""
        return self.applies is None or self.applies(law)

    def describe(self, law: deadlines.Law) -> str:
        """The help text under this law."""
        return self.description(law) if callable(self.description) else self.description

    def above(self) -> str:
        """The message for a value over ``maximum``."""
        if self.type == "text":
            return _("At most %(num)s characters.", num=self.maximum)
        if self.unit:
            return _("At most %(amount)s.", amount=counted(self.maximum or 0, self.unit))
        return _("At most %(num)s.", num=self.maximum)

    def under(self) -> str:
        """The message for an integer under ``minimum``."""
        return str(self.below) if self.below else _("At least %(num)s.", num=self.minimum)

    def refusal(self, problem: Problem) -> str:
        """The words for a refused value, the same in the web form, the API and the service:
        ``missing`` (required and empty, or not one of the choices), ``not_whole`` (an
        integer field given something else), ``below`` or ``above`` its limits."""
        if problem == "above":
            return self.above()
        if problem == "below":
            return self.under()
        if problem == "not_whole":
            return _("Must be a whole number.")
        return str(self.missing)


# The note any entry may carry, with its limit and words (the web form's and the API's).
NOTE = Field("note", lazy_gettext("Note"), "text", maximum=NOTE_MAX_LENGTH)


@dataclass(frozen=True)
class Clock:
    """What an entry does to the request's clock (read by ``tracker.requests.state``)."""

    # The pause it starts or ends ("fee", "clarification"); the laws that pause for it and
    # their sections are ``deadlines.PAUSE_RULES`` (tracker/deadlines/clockrules.py).
    pause_starts: str | None = None
    pause_ends: str | None = None
    restarts: bool = False  # the count starts again on its date (``deadlines.RESTART_RULES``)
    acknowledges: bool = False  # NY POL s.89(3)(a): the 20 business days run from it
    extends: bool = False  # its ``days`` move the due date, as far as the law allows
    responds: bool = False  # the final response: the clock stops, the response window opens
    closes: bool = False  # ends the request without a response: the clock stops
    complaint: bool = False  # a complaint or appeal is pending from its date
    finding: bool = False  # the body decided the complaint


@dataclass(frozen=True)
class Context:
    """What a kind's own check reads: the request's law (in force on receipt) and dates."""

    law_code: str
    law: deadlines.Law
    received_on: date
    occurred_on: date
    today: date


Details = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """One kind of timeline entry."""

    code: str
    label: str
    added_by: Literal["reporter", "system"] = "reporter"
    fields: tuple[Field, ...] = ()
    # Something the institution did (or a step after it): it cannot predate receipt.
    after_receipt: bool = True
    clock: Clock = field(default_factory=Clock)
    # The request page's line for its facts ("" for none); default: its fields in words.
    summary: Callable[[Mapping[str, Any]], str] | None = None
    # The packet's chronology (PDF and timeline.csv); default: every detail, "name: value".
    record: Callable[[Mapping[str, Any], deadlines.Law], str] | None = None
    # Rules across fields, after each field was checked (may change the details).
    check: Callable[[Details, Context], None] | None = None
    # Help shown above the form under a law ("" for none).
    help: Callable[[deadlines.Law], str] | None = None
    # The heading of one entry from its details, where it depends on them (the overdue sweep's
    # entry is headed in its law's own words); None: ``label``.
    heading: Callable[[Mapping[str, Any]], str] | None = None

    def field_named(self, name: str) -> Field | None:
        """The field called ``name``, if the kind has one."""
        return next((f for f in self.fields if f.name == name), None)


_KINDS: dict[str, Kind] = {}
# with_clock's answers, read on every derivation; emptied when a kind is declared or dropped.
_ROLES: dict[str, frozenset[str]] = {}


def register(kind: Kind) -> Kind:
    """Declare a kind (the order of declaration is the order of the lists)."""
    if kind.code in _KINDS:
        raise ValueError(f"timeline kind {kind.code!r} is already declared")
    _KINDS[kind.code] = kind
    _ROLES.clear()
    return kind


def unregister(code: str) -> None:
    """Forget a kind (tests that declare a throwaway one)."""
    _KINDS.pop(code, None)
    _ROLES.clear()


def get(code: str) -> Kind | None:
    """The kind with this code."""
    return _KINDS.get(code)


def every() -> tuple[Kind, ...]:
    """Every declared kind, in declaration order."""
    return tuple(_KINDS.values())


def codes() -> tuple[str, ...]:
    """Every kind's code (the CHECK constraint's list)."""
    return tuple(_KINDS)


def with_clock(role: str) -> frozenset[str]:
    """The codes of the kinds whose ``Clock`` has ``role`` set (e.g. "responds")."""
    found = _ROLES.get(role)
    if found is None:
        found = _ROLES[role] = frozenset(k.code for k in _KINDS.values() if getattr(k.clock, role))
    return found


def pause_kinds(pause: str) -> tuple[frozenset[str], frozenset[str]]:
    """The kinds that start and that end a pause."""
    return (
        frozenset(k.code for k in _KINDS.values() if k.clock.pause_starts == pause),
        frozenset(k.code for k in _KINDS.values() if k.clock.pause_ends == pause),
    )


def field_names() -> frozenset[str]:
    """Every field name of every kind."""
    return frozenset(f.name for k in _KINDS.values() for f in k.fields)


class _Labels(Mapping[str, str]):
    """code -> label of the declared kinds (all, or the reporter's), read live."""

    def __init__(self, added_by: str | None) -> None:
        self._added_by = added_by

    def _kinds(self) -> list[Kind]:
        return [k for k in _KINDS.values() if self._added_by in (None, k.added_by)]

    def __getitem__(self, code: str) -> str:
        kind = _KINDS.get(code)
        if kind is None or self._added_by not in (None, kind.added_by):
            raise KeyError(code)
        return kind.label

    def __iter__(self) -> Iterator[str]:
        return iter([k.code for k in self._kinds()])

    def __len__(self) -> int:
        return len(self._kinds())


LABELS: Mapping[str, str] = _Labels(None)
REPORTER_KINDS: Mapping[str, str] = _Labels("reporter")


def entry_label(code: str, details: Mapping[str, Any] | None) -> str:
    """The heading of one entry: its kind's label, or the kind's heading from its details."""
    kind = _KINDS.get(code)
    if kind is None:
        return code
    if kind.heading is not None:
        return kind.heading(details or {})
    return str(kind.label)


# -- Reading an entry -------------------------------------------------------------------------


def counted(value: int, unit: str) -> str:
    """``3 days``, ``1 page`` in the reader's language (``3 jours``, ``1 page``)."""
    if unit == "days":
        return ngettext("%(num)s day", "%(num)s days", value)
    if unit == "pages":
        return ngettext("%(num)s page", "%(num)s pages", value)
    return f"{value} {unit}"


def _shown(f: Field, value: Any) -> str:
    if f.type == "choice" and f.choices is not None and not callable(f.choices):
        return str(f.choices.get(value, value))
    if f.type == "integer" and f.unit and isinstance(value, int):
        return counted(value, f.unit)
    if f.type == "boolean":
        return str(f.label)
    return _("%(label)s: %(value)s", label=f.label, value=value)


def summary(code: str, details: Mapping[str, Any]) -> str:
    """The request page's line for an entry's facts, in plain text ("" for none)."""
    kind = _KINDS.get(code)
    if kind is None:
        return ""
    if kind.summary is not None:
        return kind.summary(details)
    return " · ".join(
        _shown(f, details[f.name])
        for f in kind.fields
        if details.get(f.name) not in (None, "", False)
    )


def _every_detail(details: Mapping[str, Any], law: deadlines.Law) -> str:
    return "; ".join(
        f"{key.replace('_', ' ')}: {value}"
        for key, value in sorted(details.items())
        if value not in (None, "", [], {})
    )


def record(code: str, details: Mapping[str, Any], law: deadlines.Law) -> str:
    """The packet's words for an entry's facts (chronology and timeline.csv)."""
    if not details:
        return ""
    kind = _KINDS.get(code)
    if kind is None or kind.record is None:
        return _every_detail(details, law)
    return kind.record(details, law)


# -- Checking an entry's facts ----------------------------------------------------------------


def _integer(f: Field, value: Any) -> int | None:
    if value is None or value == "":
        if f.required:
            raise KindError(f.refusal("missing"), f.name)
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise KindError(f.refusal("not_whole"), f.name)
    if value < f.minimum:
        raise KindError(f.refusal("below"), f.name)
    if f.maximum is not None and value > f.maximum:
        raise KindError(f.refusal("above"), f.name)
    return value


def _date(f: Field, value: Any) -> str | None:
    if value is None or value == "":
        if f.required:
            raise KindError(f.missing, f.name)
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise KindError(_("Give the date as YYYY-MM-DD."), f.name) from None


def clean(code: str, details: Mapping[str, Any], context: Context) -> Details:
    """The entry's details checked field by field, then by the kind's own rules.

    Types, required values, choices (under the request's law) and numeric limits are
    checked here, for the web and the API alike; text lengths are the inputs' (the form's
    and the API's, from the same ``Field``). Details no field declares are kept as given.
    """
    kind = _KINDS.get(code)
    if kind is None:
        raise KindError(_("Pick what happened from the list."), "kind")
    out: Details = dict(details)
    for f in kind.fields:
        value = out.get(f.name)
        cleaned: Any
        if f.type == "integer":
            cleaned = _integer(f, value)
        elif f.type == "date":
            cleaned = _date(f, value)
        elif f.type == "boolean":
            out[f.name] = bool(value)  # a box left unticked is a "no" worth keeping
            continue
        elif f.type == "text":
            cleaned = str(value or "").strip()
            if f.required and not cleaned:
                raise KindError(f.missing, f.name)
        else:
            cleaned = value or f.default
            if cleaned is None and not f.required:
                pass
            elif cleaned not in {code for code, _ in f.options(context.law)}:
                raise KindError(f.missing, f.name)
        # A fact left out stays out (an import's response without pages); one sent is kept.
        if f.name in out or cleaned not in (None, ""):
            out[f.name] = cleaned
    if kind.check is not None:
        kind.check(out, context)
    return out


# -- The kinds --------------------------------------------------------------------------------


def _reasons(law: deadlines.Law) -> list[tuple[str, str]]:
    reasons = law.extension.reasons if law.extension else ()
    return [(r.code, f"{_reason_label(r)} ({_law_cite(law, r.section)})") for r in reasons]


def _french() -> bool:
    return str(get_locale() or "en") == "fr"


def _reason_label(reason: deadlines.ExtensionReason) -> str:
    """An extension ground in the reader's language (tracker.deadlines.french)."""
    return french.reason_label(reason.label) if _french() else reason.label


def _law_cite(law: deadlines.Law, section: str) -> str:
    return french.cite(law, section) if _french() else law.cite(section)


def _by_permission(law: deadlines.Law) -> bool:
    # BC FIPPA s.10(1), Alberta s.14(1): beyond 30 days only with the Commissioner's permission.
    return law.extension is not None and law.extension.max_kind == "permission"


def _within(value: date, context: Context, message: str, name: str) -> None:
    if value < context.received_on or value > context.today:
        raise KindError(message, name)


def _check_extension(d: Details, context: Context) -> None:
    notice_on = date.fromisoformat(d.get("notice_on") or context.occurred_on.isoformat())
    _within(
        notice_on, context, _("The notice date must fall between receipt and today."), "notice_on"
    )
    d["notice_on"] = notice_on.isoformat()
    # BC FIPPA s.10(1), Alberta s.14(1): a permission counts only with its date.
    permission_on = d.get("commissioner_permission_on")
    if d.get("commissioner_permission") and permission_on is None:
        raise KindError(
            _(
                "Give the date of the Commissioner’s permission; without it only the days the "
                "head may take alone count."
            ),
            "commissioner_permission_on",
        )
    if permission_on is not None:
        _within(
            date.fromisoformat(permission_on),
            context,
            _("The permission’s date must fall between receipt and today."),
            "commissioner_permission_on",
        )
        d["commissioner_permission"] = True
    else:
        d.pop("commissioner_permission_on", None)
        d.pop("commissioner_permission", None)


def _extension_summary(d: Mapping[str, Any]) -> str:
    days = d.get("days")
    parts = [
        counted(days, "days") if isinstance(days, int) else str(days or ""),
        _("reason: %(reason)s", reason=d.get("reason", "")),
        _("notice %(date)s", date=d.get("notice_on", "")),
    ]
    if d.get("commissioner_notified"):
        parts.append(_("Commissioner notified"))
    return " · ".join(parts)


def _extension_record(d: Mapping[str, Any], law: deadlines.Law) -> str:
    reasons = {r.code: r for r in (law.extension.reasons if law.extension else ())}
    reason = reasons.get(str(d.get("reason")))
    why = (
        f"{_reason_label(reason)} ({_law_cite(law, reason.section)})"
        if reason
        else str(d.get("reason"))
    )
    days = d.get("days")
    return _(
        "%(days)s; ground: %(why)s; notice dated %(date)s; Commissioner notified: %(notified)s",
        days=counted(days, "days") if isinstance(days, int) else days,
        why=why,
        date=d.get("notice_on"),
        notified=_("yes") if d.get("commissioner_notified") else _("no"),
    )


def _response_summary(d: Mapping[str, Any]) -> str:
    outcome = str(RESPONSE_OUTCOMES.get(d["outcome"], d["outcome"])) if "outcome" in d else ""
    pages = f" · {counted(d['pages'], 'pages')}" if d.get("pages") else ""
    return f"{outcome}{pages}"


def _complaint_summary(d: Mapping[str, Any]) -> str:
    grounds = COMPLAINT_GROUNDS.get(str(d.get("grounds")), d.get("grounds", ""))
    text = _("Filed with %(body)s · grounds: %(grounds)s", body=d.get("body", ""), grounds=grounds)
    if d.get("body_file_number"):
        text += " · " + _("file %(number)s", number=d["body_file_number"])
    return text


def _complaint_record(d: Mapping[str, Any], law: deadlines.Law) -> str:
    grounds = str(d.get("grounds"))
    parts = [
        _("to %(body)s", body=d.get("body")),
        _("grounds: %(grounds)s", grounds=GROUNDS_IN_PROSE.get(grounds, d.get("grounds"))),
    ]
    if d.get("body_file_number"):
        parts.append(_("file number %(number)s", number=d["body_file_number"]))
    return "; ".join(parts)


def _complaint_body(d: Details, context: Context) -> None:
    if not d.get("body"):
        d["body"] = deadlines.LAWS[context.law_code].complaint_body


def _acknowledgement_help(law: deadlines.Law) -> str:
    if not law.acknowledgement_section:
        return ""
    return _(
        "%(law)s: give the date of the acknowledgement. If it came within %(length)s "
        "business days of receipt, the %(days)s business days to grant or "
        "deny run from that date (%(cite)s).",
        law=law.name,
        length=law.length,
        days=law.acknowledgement_days,
        cite=law.cite(law.acknowledgement_section),
    )


def _extension_help(law: deadlines.Law) -> str:
    return _(
        "%(law)s: the reasons offered are those the law names. The tracker checks the "
        "notice date and length against the law and shows any problem on the request page.",
        law=law.name,
    )


def _unit(law: deadlines.Law) -> str:
    if law.unit == "working":
        return _("In working days, as this law counts them.")
    return _("In calendar days, as this law counts them.")


_AMOUNT = Field("amount", lazy_gettext("Amount"), "text", maximum=50)
_PAGES = Field("pages", lazy_gettext("Pages released"), "integer", maximum=MAX_PAGES, unit="pages")

register(Kind("filed", lazy_gettext("Request filed"), added_by="system", after_receipt=False))
register(
    Kind(
        "acknowledgement",
        lazy_gettext("Acknowledgement received"),
        clock=Clock(acknowledges=True),
        help=_acknowledgement_help,
    )
)
register(
    Kind(
        "extension",
        lazy_gettext("Extension notice"),
        fields=(
            Field(
                "days",
                lazy_gettext("Days of extension"),
                "integer",
                required=True,
                minimum=1,
                maximum=MAX_EXTENSION_DAYS,
                unit="days",
                description=_unit,
                missing=lazy_gettext("Enter the number of days."),
                below=lazy_gettext("An extension is at least one day."),
            ),
            Field(
                "reason",
                lazy_gettext("Reason given"),
                "choice",
                required=True,
                choices=_reasons,
                missing=lazy_gettext("Pick the reason the law names."),
            ),
            Field(
                "notice_on",
                lazy_gettext("Notice date"),
                "date",
                description=lazy_gettext(
                    "When the institution sent the notice (default: the date above)."
                ),
            ),
            Field(
                "commissioner_notified",
                lazy_gettext("The institution says it notified the Commissioner"),
                "boolean",
            ),
            Field(
                "commissioner_permission",
                lazy_gettext("The Commissioner gave permission for a longer extension"),
                "boolean",
                applies=_by_permission,
            ),
            Field(
                "commissioner_permission_on",
                lazy_gettext("Date of the Commissioner's permission"),
                "date",
                description=lazy_gettext(
                    "Required with the permission: without it only 30 days count."
                ),
                applies=_by_permission,
            ),
        ),
        clock=Clock(extends=True),
        summary=_extension_summary,
        record=_extension_record,
        check=_check_extension,
        help=_extension_help,
    )
)
register(
    Kind(
        "fee_notice",
        lazy_gettext("Fee notice or estimate"),
        fields=(_AMOUNT,),
        clock=Clock(pause_starts="fee"),
        summary=lambda d: _("Amount: %(amount)s", amount=d["amount"]) if d.get("amount") else "",
    )
)
register(
    Kind(
        "fee_paid",
        lazy_gettext("Fee paid or waived"),
        fields=(_AMOUNT,),
        clock=Clock(pause_ends="fee"),
        summary=lambda d: _("Amount: %(amount)s", amount=d["amount"]) if d.get("amount") else "",
    )
)
register(
    Kind(
        "clarification_requested",
        lazy_gettext("Clarification requested by the institution"),
        clock=Clock(pause_starts="clarification"),
    )
)
register(
    Kind(
        "clarification_answered",
        lazy_gettext("Clarification sent by the reporter"),
        clock=Clock(pause_ends="clarification", restarts=True),
    )
)
register(
    Kind(
        "transfer",
        lazy_gettext("Transferred to another institution"),
        # ATIA s.8: the receipt date is kept, so the clock does not move.
        fields=(
            Field(
                "to_institution",
                lazy_gettext("Transferred to"),
                "text",
                required=True,
                maximum=300,
                missing=lazy_gettext("Name the institution it was transferred to."),
            ),
        ),
        summary=lambda d: _("To %(institution)s", institution=d.get("to_institution", "")),
    )
)
register(Kind("partial_release", lazy_gettext("Partial release"), fields=(_PAGES,)))
register(
    Kind(
        "final_response",
        lazy_gettext("Final response"),
        fields=(
            Field(
                "outcome",
                lazy_gettext("Response"),
                "choice",
                required=True,
                choices=RESPONSE_OUTCOMES,
                missing=lazy_gettext("Pick what the response was."),
            ),
            _PAGES,
        ),
        clock=Clock(responds=True),
        summary=_response_summary,
        record=lambda d, law: str(
            RESPONSE_OUTCOMES.get(str(d.get("outcome")), str(d.get("outcome")))
        ),
    )
)
register(
    Kind(
        "complaint_filed",
        lazy_gettext("Complaint or appeal filed"),
        fields=(
            Field(
                "body",
                lazy_gettext("Filed with"),
                "text",
                maximum=200,
                description=lazy_gettext("Left empty: the body the law names."),
                initial=lambda law: deadlines.LAWS[law.code].complaint_body,
            ),
            Field(
                "grounds",
                lazy_gettext("Grounds"),
                "choice",
                required=True,
                choices=COMPLAINT_GROUNDS,
                missing=lazy_gettext("Pick the grounds of the complaint."),
            ),
            Field("body_file_number", lazy_gettext("The body's file number"), "text", maximum=100),
        ),
        clock=Clock(complaint=True),
        summary=_complaint_summary,
        record=_complaint_record,
        check=_complaint_body,
    )
)
register(
    Kind(
        "complaint_finding",
        lazy_gettext("Finding on the complaint"),
        fields=(
            Field(
                "finding",
                lazy_gettext("Finding"),
                "choice",
                required=True,
                choices=COMPLAINT_FINDINGS,
                missing=lazy_gettext("Pick the finding."),
            ),
        ),
        clock=Clock(finding=True),
        summary=lambda d: _(
            "Finding: %(finding)s",
            finding=COMPLAINT_FINDINGS.get(str(d.get("finding")), d.get("finding", "")),
        ),
        record=lambda d, law: _(
            "finding: %(finding)s",
            finding=str(
                COMPLAINT_FINDINGS.get(str(d.get("finding")), str(d.get("finding")))
            ).lower(),
        ),
    )
)


# Each law's words for silence past the due date (``Law.silence_label``), as the reader's
# language says them; a label not listed here is shown as the law gives it.
SILENCE_LABELS: Mapping[str, Any] = {
    "Deemed refusal": lazy_gettext("Deemed refusal"),
    "No response by the due date: constructive exhaustion": lazy_gettext(
        "No response by the due date: constructive exhaustion"
    ),
    "No response by the due date: petition for a writ of mandate": lazy_gettext(
        "No response by the due date: petition for a writ of mandate"
    ),
    "No response by the due date: time for compliance breached": lazy_gettext(
        "No response by the due date: time for compliance breached"
    ),
    "No response by the due date: failure to respond": lazy_gettext(
        "No response by the due date: failure to respond"
    ),
}


def _silence_heading(details: Mapping[str, Any]) -> str:
    # The sweep stores the law's own words (Law.silence_label); an entry stored before it did
    # names a deemed refusal only where it cites the law's deemed-refusal section.
    label = details.get("label")
    if isinstance(label, str) and label:
        return str(SILENCE_LABELS.get(label, label))
    return _("Deemed refusal") if details.get("section") else _("No response by the due date")


# Added by the overdue sweep (tracker/alerts/sweep.py) the day after the due date; its note cites
# the law's section, its details carry the due date and its heading in the law's own words
# ("Deemed refusal" only for laws that have one: issue 15 part 3).
register(
    Kind(
        "deemed_refusal",
        lazy_gettext("No response by the due date (deemed refusal where the law has one)"),
        added_by="system",
        after_receipt=False,
        heading=_silence_heading,
    )
)
register(
    Kind(
        "withdrawn",
        lazy_gettext("Closed without an answer (withdrawn, abandoned, transferred)"),
        fields=(
            Field(
                "closure",
                lazy_gettext("How it ended"),
                "choice",
                choices=CLOSURES,
                default="withdrawn",
                description=lazy_gettext(
                    "Days late are counted up to this day, and only if the due date "
                    "had already passed."
                ),
                missing=lazy_gettext("Pick how the request ended."),
            ),
        ),
        clock=Clock(closes=True),
    )
)
register(Kind("imported", lazy_gettext("Imported"), added_by="system", after_receipt=False))
register(Kind("note", lazy_gettext("Note"), after_receipt=False))
# Added when an editor hands the request to another reporter (tracker.requests.people);
# its details carry both names as they were then.
register(
    Kind(
        "reassigned",
        lazy_gettext("Reassigned"),
        added_by="system",
        after_receipt=False,
        summary=lambda d: _(
            "From %(old)s to %(new)s", old=d.get("from_name", ""), new=d.get("to_name", "")
        ),
    )
)
