"""Step-by-step explanation of a due date, in words a reporter can check by hand."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import calendars
from ._core import (
    check_date,
    check_extension_days,
    normalise_pauses,
    resolve,
    roll_past_holidays,
    window_calendar,
)
from .calendars import HOLIDAYS_VERSION, MAX_YEAR
from .laws import LAW_VERSIONS, Law, version_end

_ONE_DAY = timedelta(days=1)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _day(d: date) -> str:
    return f"{_WEEKDAYS[d.weekday()]} {d.isoformat()}"


@dataclass(frozen=True)
class SkippedDay:
    """A day that did not count: a weekend day or a holiday (with its name)."""

    day: date
    name: str

    @property
    def is_weekend(self) -> bool:
        """True when the day is skipped only for being a weekly rest day."""
        return self.name in _WEEKDAYS


@dataclass(frozen=True)
class Roll:
    """The move of a last day that is not a working day to the next working day."""

    from_date: date
    to_date: date
    skipped: tuple[SkippedDay, ...]
    citation: str | None


@dataclass(frozen=True)
class AppliedPause:
    """A pause interval (inclusive) and how many counted days it held back."""

    start: date
    end: date
    days_not_counted: int


@dataclass(frozen=True)
class Step:
    """One line of the explanation: a short label, a sentence and an optional citation."""

    label: str
    text: str
    citation: str | None = None


@dataclass(frozen=True)
class Explanation:
    """How a due date was reached, with every skipped day, roll, extension and pause."""

    law: Law
    received: date
    province: str | None
    start: date
    base_length: int
    extension_days: int
    count: int
    unit: str
    skipped: tuple[SkippedDay, ...]
    pauses: tuple[AppliedPause, ...]
    last_counted_day: date
    roll: Roll | None
    due: date
    sections: tuple[str, ...]
    holidays_version: str
    steps: tuple[Step, ...] = field(default_factory=tuple)
    # The earlier reading of the institution's deadline where the law reads two ways (the
    # interpretation act alone, without the next-work-day practice); None when both agree.
    earlier_due: date | None = None
    # NY POL s.89(3)(a): the acknowledgement that started the 20 business days, if counted.
    acknowledged: date | None = None
    acknowledgement_late: bool = False

    def as_text(self) -> str:
        """Return the explanation as plain text: the reasoning, then data and notes."""
        main = " ".join(s.text for s in self.steps if s.label not in ("Holiday data", "Note"))
        extra = [s.text for s in self.steps if s.label in ("Holiday data", "Note")]
        return "\n".join([main, *extra])

    def __str__(self) -> str:
        return self.as_text()


def _pause_lookup(pauses: tuple[tuple[date, date], ...]) -> Callable[[date], int | None]:
    ranges = [(s.toordinal(), e.toordinal(), i) for i, (s, e) in enumerate(pauses)]

    def find(d: date) -> int | None:
        o = d.toordinal()
        for s, e, i in ranges:
            if s <= o <= e:
                return i
        return None

    return find


def _list_days(days: Iterable[SkippedDay], limit: int = 12) -> str:
    items = [f"{d.day.isoformat()} ({d.name})" for d in days]
    if len(items) > limit:
        items = [*items[:limit], f"and {len(items) - limit} more"]
    return ", ".join(items)


def explain(
    law: str,
    received: date,
    *,
    extension_days: int = 0,
    province: str | None = None,
    pauses: Iterable[tuple[date, date]] = (),
    acknowledged: date | None = None,
) -> Explanation:
    """Compute the due date day by day and return an Explanation of every step."""
    check_date(received, "received")
    law_obj, cal = resolve(law, province, received)
    ext = check_extension_days(extension_days)
    merged = normalise_pauses(pauses)
    find_pause = _pause_lookup(merged)
    paused_counts = [0] * len(merged)

    n = law_obj.length + ext
    working = law_obj.unit == "working"
    skipped: list[SkippedDay] = []
    d = received
    ack_counted: date | None = None
    ack_late = False
    if acknowledged is not None and law_obj.acknowledgement_days is not None:
        check_date(acknowledged, "acknowledged")
        if acknowledged < received:
            raise ValueError(
                f"acknowledged {acknowledged.isoformat()} is before receipt {received.isoformat()}"
            )
        # NY POL s.89(3)(a): an acknowledgement within the 5 business days starts 20 business
        # days from its own date; one sent later is not counted (the period had run out).
        if acknowledged <= cal.add_working_days(received, law_obj.length):
            ack_counted, d = acknowledged, acknowledged
            n = law_obj.acknowledgement_days + ext
        else:
            ack_late = True
    counted = 0
    year = 0
    closed: dict[date, str] = {}  # the year's non-working days, read once a year
    # Day of receipt is day 0; counting starts the next day (law_obj.count_citation).
    while counted < n:
        d += _ONE_DAY
        if d.year != year:
            year = d.year
            if year > MAX_YEAR:
                raise ValueError(f"the due date falls after {MAX_YEAR}, beyond the holiday data")
            if working:
                closed = cal.non_working_in_year(year)
        if merged:
            p = find_pause(d)
            if p is not None:
                paused_counts[p] += 1
                continue
        if working:
            reason = closed.get(d)
            if reason is not None:
                skipped.append(SkippedDay(d, reason))
                continue
        counted += 1
    last = d

    roll: Roll | None = None
    due = last
    if not working:
        # Calendar-day laws: a last day that is not a working day rolls forward once.
        rolled: list[SkippedDay] = []
        while True:
            reason = cal.non_working_reason(due)
            p = find_pause(due)
            if reason is None and p is None:
                break
            rolled.append(SkippedDay(due, reason if reason is not None else "paused"))
            due += _ONE_DAY
            if (
                law_obj.roll_past_saturday
                and due.weekday() == 5
                and cal.non_working_reason(due) is None
            ):
                # Québec IA s.52 "jour ouvrable", read as a business day: past a Saturday too.
                rolled.append(SkippedDay(due, "Saturday (not a business day)"))
                due += _ONE_DAY
        if due != last:
            roll = Roll(last, due, tuple(rolled), law_obj.roll_citation)
    earlier: date | None = None
    if roll is not None and law_obj.strict_roll_citation:
        strict = roll_past_holidays(window_calendar(law_obj, cal), last)
        if strict != due:
            earlier = strict

    applied = tuple(AppliedPause(s, e, c) for (s, e), c in zip(merged, paused_counts, strict=False))
    sections = [law_obj.period_text, law_obj.count_citation]
    ext_rule = law_obj.extension
    if ext and ext_rule is not None:
        sections.extend(law_obj.cite(s) for s in ext_rule.sections)
    if roll is not None and roll.citation:
        sections.append(roll.citation)
    if any(c for c in paused_counts):
        sections.extend(law_obj.cite(s) for s in law_obj.pause_sections)
    if law_obj.silence_cite:
        sections.append(law_obj.silence_cite)

    exp = Explanation(
        law=law_obj,
        received=received,
        province=cal.province
        if law_obj.province_mode == "institution"
        else law_obj.default_province,
        start=received + _ONE_DAY,
        base_length=law_obj.length,
        extension_days=ext,
        count=n,
        unit=law_obj.unit,
        skipped=tuple(skipped),
        pauses=applied,
        last_counted_day=last,
        roll=roll,
        due=due,
        sections=tuple(dict.fromkeys(sections)),
        holidays_version=HOLIDAYS_VERSION,
        earlier_due=earlier,
        acknowledged=ack_counted,
        acknowledgement_late=ack_late,
    )
    if ack_counted is not None:
        object.__setattr__(exp, "start", ack_counted + _ONE_DAY)
        object.__setattr__(exp, "base_length", law_obj.acknowledgement_days)
    object.__setattr__(exp, "steps", _steps(exp))
    return exp


def _calendar_text(law: Law) -> str:
    # The calendars' own sentence for the list they hold, where they give one.
    descriptions: dict[str, str] = calendars.CALENDAR_DESCRIPTIONS
    return descriptions.get(law.calendar_key, law.holiday_calendar)


def _steps(e: Explanation) -> tuple[Step, ...]:
    law = e.law
    steps: list[Step] = [Step("Received", f"Received {e.received.isoformat()} (day 0).", None)]
    if len(LAW_VERSIONS[law.code]) > 1:
        end = version_end(law)
        steps.append(
            Step(
                "Law",
                f"On that day the {law.name} ({law.act_citation}) applied: it governs requests "
                f"received from {law.effective_from.isoformat()}"
                + (f" to {end.isoformat()}" if end else "")
                + ".",
                law.act_citation,
            )
        )
    if e.acknowledged is not None and law.acknowledgement_section:
        ack_cite = law.cite(law.acknowledgement_section)
        steps.append(
            Step(
                "Acknowledgement",
                f"The agency acknowledged the request on {e.acknowledged.isoformat()}, within "
                f"{law.length} business days of receipt; the {law.acknowledgement_days} business "
                f"days to grant or deny run from that date ({ack_cite}).",
                ack_cite,
            )
        )
    elif e.acknowledgement_late and law.acknowledgement_section:
        ack_cite = law.cite(law.acknowledgement_section)
        steps.append(
            Step(
                "Acknowledgement",
                f"The acknowledgement came after the {law.length} business days the law allows, "
                f"so it does not start a new period ({ack_cite}).",
                ack_cite,
            )
        )
    unit_word = "calendar days" if e.unit == "calendar" else "working days"
    ext_rule = law.extension
    if e.extension_days and ext_rule is not None:
        ext_sections = [ext_rule.sections[0]]
        if (
            ext_rule.commissioner_notice_threshold is not None
            and ext_rule.commissioner_section
            and e.extension_days > ext_rule.commissioner_notice_threshold
        ):
            ext_sections.append(ext_rule.commissioner_section)  # e.g. ATIA s.9(2)
        ext_cite = "; ".join(law.cite(s) for s in dict.fromkeys(ext_sections))
        steps.append(
            Step(
                "Extension",
                f"The {e.base_length}-{e.unit.replace('calendar', 'day').replace('working', 'working-day')} "
                f"period ({law.period_text}) is extended by {e.extension_days} {unit_word} ({ext_cite}): "
                f"{e.count} {unit_word} in all, counted from receipt"
                + (" and rolled once at the end." if e.unit == "calendar" else "."),
                ext_cite,
            )
        )
    pause_cite = "; ".join(law.cite(s) for s in law.pause_sections) or None
    paused_total = 0
    for p in e.pauses:
        paused_total += p.days_not_counted
        steps.append(
            Step(
                "Pause",
                f"The clock was paused from {p.start.isoformat()} to {p.end.isoformat()} (inclusive): "
                f"{p.days_not_counted} day{'s' if p.days_not_counted != 1 else ''} of the count fell inside "
                "and did not count" + (f" ({pause_cite})." if pause_cite else "."),
                pause_cite,
            )
        )
    paused_text = (
        f", not counting {paused_total} paused day{'s' if paused_total != 1 else ''},"
        if paused_total
        else ""
    )
    count_text = (
        f"Counting {e.count} {unit_word} from {e.start.isoformat()} "
        f"({law.period_text}; {law.count_citation}){paused_text} reaches {_day(e.last_counted_day)}."
    )
    if e.unit == "working" and e.skipped:
        weekend = [s for s in e.skipped if s.is_weekend]
        holidays_ = [s for s in e.skipped if not s.is_weekend]
        parts = []
        if weekend:
            parts.append(f"{len(weekend)} weekend days")
        if holidays_:
            parts.append(
                f"{len(holidays_)} holiday{'s' if len(holidays_) != 1 else ''}: {_list_days(holidays_)}"
            )
        count_text += f" Not counted as working days: {' and '.join(parts)}."
    steps.append(Step("Count", count_text, law.period_text))
    if e.roll is not None:
        r = e.roll
        steps.append(
            Step(
                "Roll",
                f"{_day(r.from_date)} is not a working day ({r.skipped[0].name}), so the deadline moves "
                f"to the next working day, {_day(r.to_date)}"
                + (f" ({r.citation})" if r.citation else "")
                + f". Skipped: {_list_days(r.skipped)}.",
                r.citation,
            )
        )
    elif e.unit == "calendar":
        note = ""
        if 5 not in law.weekend_days and e.due.weekday() == 5:
            # Québec Interpretation Act s.52 extends only a time limit ending on a holiday.
            note = (
                " Saturday is not a holiday under the Interpretation Act (CQLR c. I-16) "
                "s.61(23), and s.52 extends only a time limit that expires on a holiday, so "
                "the deadline is not extended."
            )
        steps.append(
            Step(
                "No roll",
                f"{_day(e.due)} is a working day, so the deadline stays there.{note}",
                law.roll_citation,
            )
        )
    if e.earlier_due is not None and e.roll is not None:
        steps.append(
            Step(
                "Two readings",
                f"Read by the interpretation act alone ({law.strict_roll_citation}), the time "
                f"limit would end on {_day(e.earlier_due)}: it moves only past a holiday, and "
                "a Saturday or a day offices close is not one. The tracker gives the "
                f"institution the later date, {_day(e.due)} ({law.roll_citation}), so that a "
                "request is never called overdue too early.",
                law.strict_roll_citation,
            )
        )
    due_text = f"Due {_day(e.due)}."
    due_cite = law.silence_cite
    if due_cite:
        due_text += " " + law.lateness_effect.format(cite=due_cite)
    steps.append(Step("Due", due_text, due_cite))
    steps.append(
        Step(
            "Holiday data",
            f"Non-working days: {_calendar_text(law)}"
            + (
                f" (province: {e.province})"
                if law.province_mode == "institution" and e.province
                else ""
            )
            + f". Holiday data: python-holidays {e.holidays_version}.",
            None,
        )
    )
    for note in law.notes:
        steps.append(Step("Note", note, None))
    return tuple(steps)
