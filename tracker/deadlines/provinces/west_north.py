"""Manitoba and Saskatchewan: their access laws (ca-mb-fippa, ca-sk-foip, ca-sk-lafoip) and
the days their public offices close.

Sources and readings (the README's "Deadlines, law by law" says the same for a reporter):

- Sections are cited only where the official text, or an official guide quoting it, was
  read: Manitoba FIPPA s.11, s.12.1, s.15, s.59 and S.M. 2021, c. 43 (45 days from
  2022-01-01); Saskatchewan FOIP s.6(4), s.7(2), s.7(5), s.12, s.49(1) and LA FOIP s.7(2),
  s.7(5), s.12, s.38(1)-(2), with The Legislation Act s.2-28 (in force 2019-05-15), quoted
  by the Saskatchewan Commissioner's guides.
- The interpretation acts' lists of holidays could not be read in full (only Manitoba's
  s.23(1) item 2.1, Louis Riel Day, S.M. 2007, c. 18). So each calendar here is the later
  reading, for the institution: every day the province's public offices close (the usual
  statutory holidays, the civic holiday, Boxing Day, and the next working day when a fixed
  holiday falls on a weekend), so that a request is never called overdue too early; and the
  reporter's windows take the earlier reading: their last day is not moved at all
  (ComplaintWindow.roll = "none"), and the explanation shows the later date beside it.

Yukon, the Northwest Territories and Nunavut (ca-yt-atippa, ca-nt-atipp, ca-nu-atipp) are not
offered: their periods and windows could not be read from the statutes (the README's "not yet
offered" note lists what to check).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from dateutil.easter import easter

from .._rules import (
    MON,
    CalendarSet,
    Holiday,
    Reading,
    _canada_day,
    _Rows,
    _thanksgiving_ca,
    _victoria_day,
    nth_weekday,
    observe_weekend_holidays,
)
from ..lawtypes import ComplaintWindow, ExtensionReason, ExtensionRule, Law

_SAT_SUN = (5, 6)

# --- calendars: the later reading (days public offices close) ---------------------------


def _common(rows: _Rows, section: str) -> None:
    """The days both provinces close their offices."""
    y = rows.year
    rows.add(date(y, 1, 1), "New Year's Day", "1 January", section)
    rows.add(_good_friday(y), "Good Friday", "Friday before Easter Sunday", section)
    _victoria_day(rows, section)
    _canada_day(rows, section)
    rows.add(nth_weekday(y, 9, MON, 1), "Labour Day", "first Monday in September", section)
    _thanksgiving_ca(rows, section)
    rows.add(date(y, 11, 11), "Remembrance Day", "11 November", section)
    rows.add(date(y, 12, 25), "Christmas Day", "25 December", section)
    rows.add(date(y, 12, 26), "Boxing Day", "26 December", section)


def _good_friday(year: int) -> date:
    return easter(year) - timedelta(days=2)


_MB_IA = "Interpretation Act (C.C.S.M. c. I80) s.23(1)"
_MB_LATER = (
    "later reading for the public body: a day Manitoba's public offices close "
    f"(the full list of the {_MB_IA} could not be read)"
)


def _ca_mb(year: int, province: str | None) -> list[Holiday]:
    # Interpretation Act s.23(1) item 2.1 (S.M. 2007, c. 18, s.2, assented 2007-11-08):
    # the third Monday in February, "Louis Riel Day". The other days are those Manitoba's
    # public offices close; 30 September: provincial offices closed from 2021 (the later
    # reading), and a holiday of s.23(1) from 2024: The Employment Standards Code Amendment and
    # Interpretation Amendment Act (Orange Shirt Day), S.M. 2023, c. 50, assented 2023-12-07
    # (web2.gov.mb.ca/laws/statutes/2023/c05023.php, read: it amends The Interpretation Act so
    # that Orange Shirt Day, 30 September, is a provincial statutory holiday).
    rows = _Rows(year)
    y = year
    _common(rows, _MB_LATER)
    if y >= 2008:
        rows.add(
            nth_weekday(y, 2, MON, 3),
            "Louis Riel Day",
            "third Monday in February, from 2008",
            f"{_MB_IA} item 2.1 (S.M. 2007, c. 18)",
        )
    rows.add(
        nth_weekday(y, 8, MON, 1),
        "Terry Fox Day (Civic Holiday)",
        "first Monday in August",
        _MB_LATER,
    )
    if y >= 2024:
        rows.add(
            date(y, 9, 30),
            "Orange Shirt Day (National Day for Truth and Reconciliation)",
            "30 September, from 2024",
            f"{_MB_IA}, as amended by S.M. 2023, c. 50 (assented 2023-12-07)",
        )
    elif y >= 2021:
        rows.add(
            date(y, 9, 30),
            "National Day for Truth and Reconciliation",
            "30 September, from 2021",
            _MB_LATER,
        )
    observe_weekend_holidays(rows, _MB_LATER)
    return rows.done()


_SK_LA = "The Legislation Act (S.S. 2019, c. L-10.2) s.2-28(6)"
_SK_LATER = f"{_SK_LA}: a day Saskatchewan's public offices are closed (later reading)"


def _ca_sk(year: int, province: str | None) -> list[Holiday]:
    # The Legislation Act s.2-28(6): a time limit expiring on a day the office is closed runs
    # to the next day it is open. Saskatchewan's ten public holidays, Boxing Day (provincial
    # offices close) and the next working day for a holiday on a weekend. Saskatchewan has not
    # made 30 September a holiday.
    rows = _Rows(year)
    y = year
    _common(rows, _SK_LATER)
    if y >= 2007:
        rows.add(
            nth_weekday(y, 2, MON, 3),
            "Family Day",
            "third Monday in February, from 2007",
            _SK_LATER,
        )
    rows.add(nth_weekday(y, 8, MON, 1), "Saskatchewan Day", "first Monday in August", _SK_LATER)
    observe_weekend_holidays(rows, _SK_LATER)
    return rows.done()


def _readings(key: str, year: int) -> tuple[Reading, ...]:
    out: list[Reading] = []
    if key == "ca-mb" and 2021 <= year <= 2023:
        out.append(
            Reading(
                date(year, 9, 30),
                "National Day for Truth and Reconciliation",
                True,
                "Manitoba's public offices closed on 30 September before the Interpretation "
                "Act s.23(1) made it a holiday (S.M. 2023, c. 50, from 2024); the public "
                "body's deadline takes the later reading and moves past it, a reporter's "
                "window does not rely on it.",
            )
        )
    return tuple(out)


CALENDARS = CalendarSet(
    builders={"ca-mb": _ca_mb, "ca-sk": _ca_sk},
    descriptions={
        "ca-mb": (
            "Days Manitoba's public offices close (later reading, for the public body): New "
            "Year's Day, Louis Riel Day (Interpretation Act s.23(1) item 2.1, from 2008), Good "
            "Friday, Victoria Day, Canada Day, Terry Fox Day, Labour Day, 30 September from "
            "2021 (Interpretation Act s.23(1), S.M. 2023, c. 50, from 2024), Thanksgiving, Remembrance Day, Christmas Day, Boxing Day, and the next "
            "working day for a holiday on a weekend; Saturdays and Sundays"
        ),
        "ca-sk": (
            "Days Saskatchewan's public offices are closed (The Legislation Act s.2-28(6), "
            "later reading): New Year's Day, Family Day, Good Friday, Victoria Day, Canada "
            "Day, Saskatchewan Day, Labour Day, Thanksgiving, Remembrance Day, Christmas Day, "
            "Boxing Day, and the next working day for a holiday on a weekend; Saturdays and "
            "Sundays"
        ),
    },
    readings=_readings,
)


# --- laws -------------------------------------------------------------------------------

# Manitoba ---------------------------------------------------------------------------------

_MB_BODY = "Manitoba Ombudsman"
_MB_NAME = "Freedom of Information and Protection of Privacy Act (Manitoba)"


def _mb_extension(days: int) -> ExtensionRule:
    return ExtensionRule(
        unit="calendar",
        sections=("s.15(1)",),
        reasons=(
            ExtensionReason(
                "insufficient-detail",
                "The applicant did not give enough detail to identify the record",
                "s.15(1)(a)",
            ),
            ExtensionReason(
                "volume",
                "A large number of records is requested or must be searched; meeting the time limit would unreasonably interfere with operations",
                "s.15(1)(b)",
            ),
            ExtensionReason(
                "consultation", "Time is needed to consult a third party", "s.15(1)(c)"
            ),
            ExtensionReason(
                "third-party-complaint",
                "A third party made a complaint under s.59(2)",
                "s.15(1)(d)",
            ),
        ),
        notice_section="s.15(2)",
        max_days=days,  # s.15(1): "up to an additional N days, or for a longer period if the Ombudsman agrees"
        max_section="s.15(1)",
        max_kind="permission",
        approver="Ombudsman",
    )


_MB_V1 = Law(
    code="ca-mb-fippa",
    name=_MB_NAME,
    short_name="FIPPA (Man.)",
    jurisdiction="Manitoba",
    citation=f"{_MB_NAME}, s.11(1)",
    unit="calendar",
    length=30,
    holiday_calendar="Days Manitoba's public offices close; Saturdays and Sundays",
    calendar_key="ca-mb",
    weekend_days=_SAT_SUN,
    count_citation='FIPPA (Man.) s.11(1): "within 30 days after receiving" the request',
    roll_citation="the next day Manitoba's public offices are open (later reading)",
    extension=_mb_extension(30),
    deemed_refusal_section="s.11(2)",
    complaint_body=_MB_BODY,
    # The reporter's window: the last day is not moved (earlier reading), because the
    # Interpretation Act's holiday list could not be read; the explanation shows the later date.
    complaint_window=ComplaintWindow(
        60,
        "calendar",
        "s.59 (complaint to the Ombudsman)",
        roll="none",
        roll_citation=(
            "the last day is not moved: the tracker could not read the list of holidays of "
            "the Interpretation Act (Manitoba), so it takes the earlier reading"
        ),
        stage="complaint",
        body=_MB_BODY,
        trigger_text="the day the applicant was notified of the decision",
        note="60 days after notice of the decision (the period the Manitoba government and the Ombudsman state); after silence the head is treated as having refused access (s.11(2)) and the 60 days run from the day after the due date.",
    ),
    province_mode="fixed",
    default_province="MB",
    act_citation="C.C.S.M. c. F175",
    # The earliest consolidation read (in effect from 2007-01-01) already gives 30 days.
    effective_from=date(2007, 1, 1),
    transfer_note="A transferred request is answered by the new public body within the time s.16(2) gives from the transfer.",
    aliases=(
        "FIPPA Manitoba",
        "FIPPA (MB)",
        "Manitoba FIPPA",
        "Manitoba",
        "Loi sur l'accès à l'information et la protection de la vie privée (Manitoba)",
        "LAIPVP (Manitoba)",
    ),
)

# S.M. 2021, c. 43, in force 2022-01-01: 45 days to respond (s.11(1)) and extensions of up
# to 45 days (s.15(1)); a request for clarification affects the time limits (s.12.1(4)).
# s.12.1(4) "Effect of request on time limits" exists (the consolidation's table of contents)
# but its words could not be read, so a request for more information stops nothing here and
# the note says what the other reading would give.
_MB_MORE_INFORMATION = (
    "A request for more information (s.12.1) does not stop the count here: what s.12.1(4) "
    "does to the time limits could not be read. If it suspends them, the public body has as "
    "many more days as the applicant took to answer (the later reading); the date shown is "
    "the earlier one, from which the 60 days to complain after silence are also counted."
)
_MB_V2 = replace(
    _MB_V1,
    length=45,
    count_citation='FIPPA (Man.) s.11(1): "within 45 days after receiving" the request',
    extension=_mb_extension(45),
    effective_from=date(2022, 1, 1),
    act_citation="C.C.S.M. c. F175, as amended by S.M. 2021, c. 43",
    pause_sections=("s.12.1(4) (a request for more information affects the time limits)",),
    notes=(
        "Requests received from 2022-01-01 have 45 days (S.M. 2021, c. 43); requests "
        "received before keep 30 days.",
        _MB_MORE_INFORMATION,
    ),
)


# Saskatchewan -----------------------------------------------------------------------------

_SK_BODY = "Saskatchewan Information and Privacy Commissioner"
_SK_LEG = "The Legislation Act (S.S. 2019, c. L-10.2)"


def _sk_extension(third_party_section: str) -> ExtensionRule:
    return ExtensionRule(
        unit="calendar",
        sections=("s.12(1)",),
        reasons=(
            ExtensionReason(
                "volume",
                "A large number of records is requested or must be searched; completing the work within the original period would unreasonably interfere with operations",
                "s.12(1)(a)(i)",
            ),
            ExtensionReason(
                "many-requests",
                "A large number of requests; completing the work within the original period would unreasonably interfere with operations",
                "s.12(1)(a)(ii)",
            ),
            ExtensionReason(
                "consultation",
                "Consultations necessary to comply cannot reasonably be completed within the original period",
                "s.12(1)(b)",
            ),
            ExtensionReason(
                "third-party",
                f"A third party notice is required under {third_party_section}",
                "s.12(1)(c)",
            ),
        ),
        notice_section="s.12(2)",
        max_days=30,  # s.12(1): "a reasonable period not exceeding 30 days"
        max_section="s.12(1)",
    )


def _sk(
    code: str,
    name: str,
    short: str,
    review: str,
    window_section: str,
    third_party: str,
    act: str,
    aliases: tuple[str, ...],
) -> Law:
    return Law(
        code=code,
        name=name,
        short_name=short,
        jurisdiction="Saskatchewan",
        citation=f"{name}, s.7(2)",
        unit="calendar",
        length=30,
        holiday_calendar="Days Saskatchewan's public offices are closed; Saturdays and Sundays",
        calendar_key="ca-sk",
        weekend_days=_SAT_SUN,
        count_citation=f"{_SK_LEG} s.2-28(2): a period after a day excludes that day",
        roll_citation=f"{_SK_LEG} s.2-28(6): the next day the office is open",
        extension=_sk_extension(third_party),
        deemed_refusal_section="s.7(5)",
        complaint_body=_SK_BODY,
        complaint_window=ComplaintWindow(
            12,
            "months",
            window_section,
            note="One year after written notice of the decision, or after the expiration of the time to respond (a deemed refusal under s.7(5) on the 30th day).",
            roll="none",
            stage="application for review",
            body=_SK_BODY,
            trigger_text="the day the applicant was given written notice of the decision",
        ),
        province_mode="fixed",
        default_province="SK",
        act_citation=act,
        # The counting and roll rules cited are those of The Legislation Act, in force
        # 2019-05-15 (it replaced The Interpretation Act, 1995); earlier requests are refused
        # rather than counted under a text the tracker has not read.
        effective_from=date(2019, 5, 15),
        restart_note="Where the head invites more detail to identify the record, the application is deemed made when the record is identified (s.6(4)): pass that date as the received date.",
        aliases=aliases,
        notes=(
            f"The last day moves past a day the office is closed ({_SK_LEG} s.2-28(6)); read "
            "by s.2-28(5) alone it moves only past a holiday.",
        ),
    )


_SK_FOIP = _sk(
    "ca-sk-foip",
    "Freedom of Information and Protection of Privacy Act (Saskatchewan)",
    "FOIP (Sask.)",
    "s.49(1)",
    "application for review, within one year",
    "s.34(1)",
    "S.S. 1990-91, c. F-22.01",
    (
        "FOIP Saskatchewan",
        "Saskatchewan FOIP",
        "FOIP (SK)",
        "The Freedom of Information and Protection of Privacy Act (Saskatchewan)",
    ),
)
_SK_LAFOIP = _sk(
    "ca-sk-lafoip",
    "Local Authority Freedom of Information and Protection of Privacy Act (Saskatchewan)",
    "LA FOIP (Sask.)",
    "s.38(1)",
    "s.38(2)",
    "s.33(1)",
    "S.S. 1990-91, c. L-27.1",
    (
        "LA FOIP",
        "LAFOIP",
        "LA FOIP Saskatchewan",
        "Saskatchewan LA FOIP",
        "The Local Authority Freedom of Information and Protection of Privacy Act",
    ),
)


LAWS: tuple[Law, ...] = (
    _MB_V1,
    _MB_V2,
    _SK_FOIP,
    _SK_LAFOIP,
)
