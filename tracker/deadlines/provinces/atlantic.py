"""Newfoundland and Labrador, Nova Scotia, New Brunswick and Prince Edward Island: their
access laws (ca-nl-atippa, ca-ns-foipop, ca-ns-mga, ca-nb-rtippa, ca-pe-foipp) and the
holiday lists of their interpretation acts.

Registered so far: New Brunswick's RTIPPA. Sections were read from the official text
(laws.gnb.ca / lois.gnb.ca, both languages); where a text could not be read the README says
so and the calendars take the safe readings (the institution's later, the reporter's earlier).
"""

from __future__ import annotations

from datetime import date

from .._rules import (
    MON,
    CalendarSet,
    Holiday,
    Reading,
    _canada_day,
    _easter_days,
    _Rows,
    _thanksgiving_ca,
    _victoria_day,
    nth_weekday,
)
from ..lawtypes import ComplaintWindow, ExtensionReason, ExtensionRule, Law

_SAT_SUN = (5, 6)

# --- New Brunswick ----------------------------------------------------------------------

_NB_IA = 'Interpretation Act (N.B.) (R.S.N.B. 1973, c. I-13) s.38 "holiday"'
# S.N.B. 2017 (Bill 67, 58th Legislature, 3rd session) s.3: "New Year's Day, Family Day" in
# the s.38 definition; Family Day is the third Monday in February (Employment Standards Act).
_NB_FAMILY = f"{_NB_IA}, as amended by Bill 67 (58th Legislature, 3rd session) s.3"
# The rest of the s.38 list could not be read from the official text: the institution's
# calendar counts every day New Brunswick observes as a holiday (the later reading).
_NB_LATER = f"{_NB_IA}: the later reading (the full list was not read from the official text)"
_NB_MOURNING = "National Day of Mourning (Queen Elizabeth II)"


def _nb_verified(rows: _Rows) -> None:
    """The days of s.38 the tracker read in the official text (Bill 67 s.3)."""
    y = rows.year
    rows.add(date(y, 1, 1), "New Year's Day", "1 January", _NB_FAMILY)
    if y >= 2018:
        rows.add(
            nth_weekday(y, 2, MON, 3),
            "Family Day",
            "third Monday in February, from 2018",
            _NB_FAMILY,
        )


def _ca_nb(year: int, province: str | None) -> list[Holiday]:
    # The public body's calendar (the LATER reading): the two days read in s.38 and every
    # other day New Brunswick observes as a holiday, with the 2022 day of mourning.
    rows = _Rows(year)
    _nb_verified(rows)
    _easter_days(rows, _NB_LATER)
    _victoria_day(rows, _NB_LATER)
    _canada_day(rows, _NB_LATER)
    rows.add(nth_weekday(year, 8, MON, 1), "New Brunswick Day", "first Monday in August", _NB_LATER)
    rows.add(nth_weekday(year, 9, MON, 1), "Labour Day", "first Monday in September", _NB_LATER)
    _thanksgiving_ca(rows, _NB_LATER)
    rows.add(date(year, 11, 11), "Remembrance Day", "11 November", _NB_LATER)
    rows.add(date(year, 12, 25), "Christmas Day", "25 December", _NB_LATER)
    rows.add(date(year, 12, 26), "Boxing Day", "26 December", _NB_LATER)
    if year == 2022:
        rows.add(
            date(2022, 9, 19),
            _NB_MOURNING,
            "one-off: proclaimed day of mourning",
            f"{_NB_LATER}: a day of mourning proclaimed by the Governor General",
        )
    return rows.done()


def _ca_nb_ia(year: int, province: str | None) -> list[Holiday]:
    # The reporter's windows (the EARLIER reading): only the days read in the official
    # text; every other day is counted as a business day until the list is checked.
    rows = _Rows(year)
    _nb_verified(rows)
    return rows.done()


def _nb_readings(key: str, year: int) -> tuple[Reading, ...]:
    if key not in ("ca-nb", "ca-nb-ia"):
        return ()
    read = {h.day for h in _ca_nb_ia(year, None)}
    return tuple(
        Reading(
            h.day,
            h.name,
            key == "ca-nb",
            f"{h.name} is counted as a holiday for the public body's deadline (the later "
            "reading) but not in the reporter's window (the earlier reading): the tracker "
            "could not read the whole list of the Interpretation Act (N.B.) s.38 in the "
            "official text.",
        )
        for h in _ca_nb(year, None)
        if h.day not in read
    )


_NB_BODY = "Ombud New Brunswick"

_NB = Law(
    code="ca-nb-rtippa",
    name="Right to Information and Protection of Privacy Act (New Brunswick)",
    short_name="RTIPPA (N.B.)",
    jurisdiction="New Brunswick",
    citation="Right to Information and Protection of Privacy Act (New Brunswick), s.11(1)",
    unit="working",  # s.11(1): 30 business days; s.1 "business day": not a Saturday or holiday
    length=30,
    holiday_calendar="New Brunswick holidays (Interpretation Act (N.B.) s.38); Saturdays and Sundays",
    calendar_key="ca-nb",
    weekend_days=_SAT_SUN,
    count_citation='RTIPPA (N.B.) s.1 "business day" and s.11(1): within 30 business days after receiving the request',
    roll_citation=None,
    extension=ExtensionRule(
        unit="working",
        sections=("s.11(3)", "s.11(4)"),
        reasons=(
            ExtensionReason(
                "insufficient-detail",
                "The applicant did not give enough detail to identify a requested record",
                "s.11(3)(a)",
            ),
            ExtensionReason(
                "no-clarification",
                "The applicant did not answer a request for clarification as soon as the circumstances permit",
                "s.11(3)(b)",
            ),
            ExtensionReason(
                "volume",
                "Large number of records, or responding in time would interfere unreasonably with operations",
                "s.11(3)(c)",
            ),
            ExtensionReason(
                "consultation",
                "Time to notify a third party and receive representations, or to consult another public body",
                "s.11(3)(d)",
            ),
            ExtensionReason(
                "third-party-review",
                "A third party referred the matter to a judge (s.65(1)) or complained to the Ombud (s.67(1)(b))",
                "s.11(3)(e)",
            ),
            ExtensionReason(
                "litigation",
                "The records relate to a proceeding commenced by a Notice of Action or a Notice of Application",
                "s.11(3)(f)",
            ),
        ),
        notice_section="s.11(5)",
        max_days=30,  # s.11(3): up to 30 more business days; longer only if the Ombud approves
        max_section="s.11(3)",
        max_kind="permission",
        approver="Ombud",
    ),
    deemed_refusal_section="s.11(2)",
    complaint_body=_NB_BODY,
    complaint_window=ComplaintWindow(
        40,
        "working",
        "s.67(3)(a)",
        note=(
            "Business days (s.1). After silence (s.11(2), s.67(5)) the 40 business days run "
            "from the end of the time to respond; the Ombud may extend the period (s.67(4)). "
            "Instead of the Ombud the applicant may refer the matter to a judge of the Court "
            "of King's Bench (s.65(1)), not both (s.67(2))."
        ),
        roll="none",
        stage="complaint",
        body=_NB_BODY,
        trigger_text="the date the applicant was notified of the decision",
    ),
    province_mode="fixed",
    default_province="NB",
    pause_sections=(
        "s.11(1)(c) (a fee estimate under s.80: the 30 business days do not run as set while "
        "it is outstanding)",
    ),
    act_citation="S.N.B. 2009, c. R-10.6",
    # The earliest day on which the tracker read this text in force (the consolidation at
    # 14 June 2019: complaints to the Ombud, 2019, c. 19). Earlier requests are refused
    # rather than counted under a text not read.
    effective_from=date(2019, 6, 14),
    window_calendar=("ca-nb-ia", _SAT_SUN),
    window_holiday_text=(
        "Saturdays, Sundays and the holidays of the Interpretation Act (N.B.) s.38 read in "
        "the official text (New Year's Day, Family Day)"
    ),
    notes=(
        "New Brunswick's Act and its complaint are bilingual: the draft letter is in English "
        "and in French. The holidays other than New Year's Day and Family Day are counted "
        "for the public body only (the later reading); the reporter's window does not rely "
        "on them (the earlier reading).",
    ),
    aliases=(
        "Loi sur le droit à l'information et la protection de la vie privée",
        "LDIPVP",
        "RTIPPA",
        "Nouveau-Brunswick",
        "New Brunswick RTIPPA",
    ),
)


LAWS: tuple[Law, ...] = (_NB,)

CALENDARS = CalendarSet(
    builders={"ca-nb": _ca_nb, "ca-nb-ia": _ca_nb_ia},
    descriptions={
        "ca-nb": (
            "New Brunswick holidays for the public body's deadline (the later reading): New "
            "Year's Day, Family Day from 2018 (Interpretation Act (N.B.) s.38, as read), and "
            "Good Friday, Easter Monday, Victoria Day, Canada Day, New Brunswick Day, Labour "
            "Day, Thanksgiving, Remembrance Day, Christmas Day, Boxing Day and the day of "
            "mourning of 19 September 2022; Saturdays and Sundays"
        ),
        "ca-nb-ia": (
            "New Brunswick holidays for the reporter's window (the earlier reading): New "
            "Year's Day and Family Day from 2018, the days of the Interpretation Act (N.B.) "
            "s.38 read in the official text; Saturdays and Sundays"
        ),
    },
    readings=_nb_readings,
)
