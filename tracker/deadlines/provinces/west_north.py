"""Manitoba, Saskatchewan, Yukon, the Northwest Territories and Nunavut: their access laws
(ca-mb-fippa, ca-sk-foip, ca-sk-lafoip, ca-yt-atippa, ca-nt-atipp, ca-nu-atipp) and the
days their public offices close.

Sources and readings (the README's "Deadlines, law by law" says the same for a reporter):

- Sections are cited only where the official text, or an official guide quoting it, was
  read: Manitoba FIPPA s.11, s.12.1, s.15, s.59 and S.M. 2021, c. 43 (45 days from
  2022-01-01); Saskatchewan FOIP s.6(4), s.7(2), s.7(5), s.12, s.49(1) and LA FOIP s.7(2),
  s.7(5), s.12, s.38(1)-(2), with The Legislation Act s.2-28 (in force 2019-05-15), quoted
  by the Saskatchewan Commissioner's guides; Yukon's former Act (R.S.Y. 2002, c. 1) s.11,
  s.12 and s.48; the Northwest Territories' Act s.11(1) and its 2019 amendment (30 calendar
  days become 20 business days, an extension of at most 20 business days), in force
  2021-07-30. Where a section number could not be read, the rule is cited by its subject
  ("request for review"), never by a guessed number.
- The interpretation acts' lists of holidays could not be read in full (only Manitoba's
  s.23(1) item 2.1, Louis Riel Day, S.M. 2007, c. 18). So each calendar here is the later
  reading, for the institution: every day the jurisdiction's public offices close (the
  usual statutory holidays, the civic holiday, Boxing Day, and the next working day when a
  fixed holiday falls on a weekend), so that a request is never called overdue too early;
  and the reporter's windows take the earlier reading: their last day is not moved at all
  (ComplaintWindow.roll = "none"), and the explanation shows the later date beside it.
- Where a period itself could not be read (Nunavut since S.Nu. 2012, c. 13; the Yukon Act
  of 2018), the institution's deadline takes the later of the periods reported, and the
  reporter's window the shorter of the windows reported; each note says so.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from dateutil.easter import easter

from .._rules import (
    _WEEKDAY_NAMES,
    MON,
    SAT,
    CalendarSet,
    Holiday,
    Reading,
    _canada_day,
    _easter_days,
    _next_weekday_free,
    _Rows,
    _thanksgiving_ca,
    _victoria_day,
    nth_weekday,
)
from ..lawtypes import ComplaintWindow, ExtensionReason, ExtensionRule, Law

_SAT_SUN = (5, 6)

# --- calendars: the later reading (days public offices close) ---------------------------


def _closures(rows: _Rows, section: str, *, observed: bool = True) -> None:
    """A holiday on a Saturday or Sunday: public servants get the next working day off (the
    later reading for the institution's deadline)."""
    taken = rows.days()
    for h in sorted(rows.rows, key=lambda h: h.day):
        if h.day.weekday() >= SAT and observed and "(observed)" not in h.name:
            sub = _next_weekday_free(h.day, taken)
            taken.add(sub)
            rows.rows.append(
                Holiday(
                    sub,
                    f"{h.name} (observed)",
                    f"next working day after {h.name} on a {_WEEKDAY_NAMES[h.day.weekday()]}",
                    section,
                )
            )


def _common(rows: _Rows, section: str, *, easter_monday: bool) -> None:
    """The days every one of these five jurisdictions closes its offices."""
    y = rows.year
    rows.add(date(y, 1, 1), "New Year's Day", "1 January", section)
    if easter_monday:
        _easter_days(rows, section)
    else:
        rows.add(
            _good_friday(y),
            "Good Friday",
            "Friday before Easter Sunday",
            section,
        )
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
    # public offices close; 30 September: provincial offices closed from 2021 and a bill
    # (Bill 4, 2023) adds it to s.23(1); both are the later reading here.
    rows = _Rows(year)
    y = year
    _common(rows, _MB_LATER, easter_monday=False)
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
    if y >= 2021:
        rows.add(
            date(y, 9, 30),
            "National Day for Truth and Reconciliation",
            "30 September, from 2021",
            _MB_LATER,
        )
    _closures(rows, _MB_LATER)
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
    _common(rows, _SK_LATER, easter_monday=False)
    if y >= 2007:
        rows.add(
            nth_weekday(y, 2, MON, 3),
            "Family Day",
            "third Monday in February, from 2007",
            _SK_LATER,
        )
    rows.add(nth_weekday(y, 8, MON, 1), "Saskatchewan Day", "first Monday in August", _SK_LATER)
    _closures(rows, _SK_LATER)
    return rows.done()


_YT_LATER = (
    "later reading for the public body: a day Yukon government offices close (the "
    "Interpretation Act's list of holidays could not be read)"
)


def _ca_yt(year: int, province: str | None) -> list[Holiday]:
    rows = _Rows(year)
    y = year
    _common(rows, _YT_LATER, easter_monday=True)
    rows.add(
        _yt_heritage_day(y), "Heritage Day", "Friday before the last Sunday in February", _YT_LATER
    )
    if y >= 2017:
        rows.add(date(y, 6, 21), "National Indigenous Peoples Day", "21 June, from 2017", _YT_LATER)
    rows.add(nth_weekday(y, 8, MON, 3), "Discovery Day", "third Monday in August", _YT_LATER)
    if y >= 2023:
        rows.add(
            date(y, 9, 30),
            "National Day for Truth and Reconciliation",
            "30 September, from 2023",
            _YT_LATER,
        )
    _closures(rows, _YT_LATER)
    return rows.done()


def _yt_heritage_day(year: int) -> date:
    last_sunday = nth_weekday(year, 2, 6, -1)
    return last_sunday - timedelta(days=2)


_NT_LATER = (
    "later reading for the public body: a day Northwest Territories government offices "
    "close (the Interpretation Act's list of holidays could not be read)"
)
_NU_LATER = (
    "later reading for the public body: a day Government of Nunavut offices close (the "
    "Interpretation Act's list of holidays could not be read)"
)


def _territory(year: int, section: str, *, nunavut: bool) -> list[Holiday]:
    rows = _Rows(year)
    y = year
    _common(rows, section, easter_monday=True)
    rows.add(date(y, 6, 21), "National Indigenous Peoples Day", "21 June", section)
    if nunavut:
        rows.add(date(y, 7, 9), "Nunavut Day", "9 July", section)
    rows.add(nth_weekday(y, 8, MON, 1), "Civic Holiday", "first Monday in August", section)
    if y >= 2021:
        rows.add(
            date(y, 9, 30),
            "National Day for Truth and Reconciliation",
            "30 September, from 2021",
            section,
        )
    _closures(rows, section)
    return rows.done()


def _ca_nt(year: int, province: str | None) -> list[Holiday]:
    return _territory(year, _NT_LATER, nunavut=False)


def _ca_nu(year: int, province: str | None) -> list[Holiday]:
    return _territory(year, _NU_LATER, nunavut=True)


def _readings(key: str, year: int) -> tuple[Reading, ...]:
    out: list[Reading] = []
    if key == "ca-mb" and year >= 2021:
        out.append(
            Reading(
                date(year, 9, 30),
                "National Day for Truth and Reconciliation",
                True,
                "Manitoba's public offices close on 30 September and a bill adds it to the "
                "Interpretation Act s.23(1); the public body's deadline takes the later "
                "reading and moves past it, a reporter's window does not rely on it.",
            )
        )
    return tuple(out)


CALENDARS = CalendarSet(
    builders={"ca-mb": _ca_mb, "ca-sk": _ca_sk, "ca-yt": _ca_yt, "ca-nt": _ca_nt, "ca-nu": _ca_nu},
    descriptions={
        "ca-mb": (
            "Days Manitoba's public offices close (later reading, for the public body): New "
            "Year's Day, Louis Riel Day (Interpretation Act s.23(1) item 2.1, from 2008), Good "
            "Friday, Victoria Day, Canada Day, Terry Fox Day, Labour Day, 30 September from "
            "2021, Thanksgiving, Remembrance Day, Christmas Day, Boxing Day, and the next "
            "working day for a holiday on a weekend; Saturdays and Sundays"
        ),
        "ca-sk": (
            "Days Saskatchewan's public offices are closed (The Legislation Act s.2-28(6), "
            "later reading): New Year's Day, Family Day, Good Friday, Victoria Day, Canada "
            "Day, Saskatchewan Day, Labour Day, Thanksgiving, Remembrance Day, Christmas Day, "
            "Boxing Day, and the next working day for a holiday on a weekend; Saturdays and "
            "Sundays"
        ),
        "ca-yt": (
            "Days Yukon government offices close (later reading, for the public body): New "
            "Year's Day, Heritage Day, Good Friday, Easter Monday, Victoria Day, National "
            "Indigenous Peoples Day from 2017, Canada Day (Holidays Act s.2), Discovery "
            "Day, Labour Day, 30 September from 2023, Thanksgiving, Remembrance Day, "
            "Christmas Day, Boxing Day, and the next working day for a holiday on a weekend; "
            "Saturdays and Sundays"
        ),
        "ca-nt": (
            "Days Northwest Territories government offices close (later reading, for the "
            "public body; ATIPP Act s.11(1) extensions count the same days): New Year's Day, "
            "Good Friday, Easter Monday, Victoria Day, National Indigenous Peoples Day, Canada "
            "Day, Civic Holiday, Labour Day, 30 September from 2021, Thanksgiving, Remembrance "
            "Day, Christmas Day, Boxing Day, and the next working day for a holiday on a "
            "weekend; Saturdays and Sundays"
        ),
        "ca-nu": (
            "Days Government of Nunavut offices close (later reading, for the public body; "
            "the ATIPP Act as amended by S.Nu. 2012, c. 13, in force 2013-05-11): New "
            "Year's Day, Good Friday, Easter Monday, Victoria Day, National Indigenous Peoples "
            "Day, Canada Day (Holidays Act s.2), Nunavut Day, Civic Holiday, Labour Day, 30 September from 2021, "
            "Thanksgiving, Remembrance Day, Christmas Day, Boxing Day, and the next working "
            "day for a holiday on a weekend; Saturdays and Sundays"
        ),
    },
    readings=_readings,
)


# --- laws -------------------------------------------------------------------------------

# The reporter's windows: the last day is not moved (earlier reading), because the
# interpretation acts' holiday lists could not be read; the explanation shows the later date.
_NO_ROLL = (
    "the last day is not moved: the tracker could not read the list of holidays of the "
    "{act}, so it takes the earlier reading"
)


def _window(
    length: int,
    section: str,
    body: str,
    act: str,
    *,
    unit: str = "calendar",
    stage: str = "request for review",
    note: str = "",
    trigger: str = "the day the applicant was notified of the decision",
) -> ComplaintWindow:
    return ComplaintWindow(
        length,
        unit,  # type: ignore[arg-type]
        section,
        note=note,
        roll="none",
        roll_citation=_NO_ROLL.format(act=act),
        stage=stage,
        body=body,
        trigger_text=trigger,
    )


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
    complaint_window=_window(
        60,
        "s.59 (complaint to the Ombudsman)",
        _MB_BODY,
        "Interpretation Act (Manitoba)",
        stage="complaint",
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


# Yukon ------------------------------------------------------------------------------------

_YT_BODY = "Yukon Information and Privacy Commissioner"
_YT_NAME = "Access to Information and Protection of Privacy Act (Yukon)"
_YT_WINDOW_NOTE = (
    "The time limit for asking the Commissioner could not be read from the statute: the "
    "tracker shows 20 days, the shortest of the periods it holds for these acts, so that a "
    "reporter is early rather than late."
)

_YT_OLD = Law(
    code="ca-yt-atippa",
    name=_YT_NAME,
    short_name="ATIPP Act (Yukon)",
    jurisdiction="Yukon",
    citation=f"{_YT_NAME}, s.11",
    unit="calendar",
    length=30,
    holiday_calendar="Days Yukon government offices close; Saturdays and Sundays",
    calendar_key="ca-yt",
    weekend_days=_SAT_SUN,
    count_citation="ATIPP Act (Yukon) s.11: 30 days counted from the day after receipt",
    roll_citation="the next day Yukon government offices are open (later reading)",
    extension=ExtensionRule(
        unit="calendar",
        sections=("s.12",),
        reasons=(
            ExtensionReason("extension", "An extension of the time limit for responding", "s.12"),
        ),
        notice_section="s.12",
        max_days=None,  # the cap could not be read: every day counts (later reading)
        note="The cap of s.12 could not be read; the tracker counts every day of an extension (later reading).",
    ),
    deemed_refusal_section="failure to respond in time",
    complaint_body=_YT_BODY,
    complaint_window=_window(
        20,
        "s.48 (request for review)",
        _YT_BODY,
        "Interpretation Act (Yukon)",
        note=_YT_WINDOW_NOTE,
    ),
    province_mode="fixed",
    default_province="YT",
    act_citation="R.S.Y. 2002, c. 1",
    # The first year of the statute table reviewed for Yukon: earlier requests are refused.
    effective_from=date(2015, 1, 1),
    aliases=(
        "ATIPP Act Yukon",
        "Yukon ATIPP",
        "Yukon ATIPPA",
        "ATIPPA (Yukon)",
        "Yukon",
        "Loi sur l'accès à l'information et la protection de la vie privée (Yukon)",
    ),
)

# The Act of 2018, in force 2021-04-01, replaced the former Act: requests go to the access
# and privacy officer, complaints to the Commissioner. Its section numbers could not be read,
# so its rules are cited by subject; the Government of Yukon states 30 calendar days.
_YT_2018 = replace(
    _YT_OLD,
    citation=f"{_YT_NAME} (2018), time limit for responding",
    count_citation="ATIPP Act (Yukon, 2018), time limit for responding: 30 days from the day after receipt",
    extension=ExtensionRule(
        unit="calendar",
        sections=("extension by the access and privacy officer",),
        reasons=(
            ExtensionReason(
                "extension",
                "An extension granted by the access and privacy officer",
                "extension by the access and privacy officer",
            ),
        ),
        notice_section="extension by the access and privacy officer",
        max_days=None,
        note="The cap could not be read; the tracker counts every day of an extension (later reading).",
    ),
    deemed_refusal_section=None,
    silence_section="time limit for responding",
    silence_term="failure to respond",
    lateness_effect="Without a response by then, the applicant may complain to the Information and Privacy Commissioner that the response is late ({cite}).",
    complaint_window=_window(
        20,
        "complaint to the Commissioner",
        _YT_BODY,
        "Interpretation Act (Yukon)",
        stage="complaint",
        note=_YT_WINDOW_NOTE,
    ),
    act_citation="Access to Information and Protection of Privacy Act (Yukon, 2018), in force 2021-04-01",
    effective_from=date(2021, 4, 1),
    notes=(
        "Requests received from 2021-04-01 fall under the Act of 2018; requests received "
        "before keep the former Act (R.S.Y. 2002, c. 1).",
    ),
)


# Northwest Territories and Nunavut -------------------------------------------------------

_NT_BODY = "Information and Privacy Commissioner of the Northwest Territories"
_NU_BODY = "Information and Privacy Commissioner of Nunavut"
_NT_NAME = "Access to Information and Protection of Privacy Act (Northwest Territories)"
_NU_NAME = "Access to Information and Protection of Privacy Act (Nunavut)"
_TERR_WINDOW_NOTE = (
    "30 days after notice of the decision; after silence the tracker counts them from the day "
    "after the due date (the earlier reading)."
)


def _reasonable_extension(unit: str, section: str = "s.11(1)") -> ExtensionRule:
    return ExtensionRule(
        unit=unit,  # type: ignore[arg-type]
        sections=(section,),
        reasons=(
            ExtensionReason("reasonable-period", "Extension for a reasonable period", section),
        ),
        notice_section=section,
        max_days=None,  # "for a reasonable period"
    )


_NT_V1 = Law(
    code="ca-nt-atipp",
    name=_NT_NAME,
    short_name="ATIPP Act (N.W.T.)",
    jurisdiction="Northwest Territories",
    citation=f"{_NT_NAME}, time limit for responding",
    unit="calendar",
    length=30,
    holiday_calendar="Days Northwest Territories government offices close; Saturdays and Sundays",
    calendar_key="ca-nt",
    weekend_days=_SAT_SUN,
    count_citation="ATIPP Act (N.W.T.): 30 days counted from the day after receipt",
    roll_citation="the next day the territory's government offices are open (later reading)",
    extension=_reasonable_extension("calendar"),
    deemed_refusal_section="failure to respond within the time limit",
    complaint_body=_NT_BODY,
    complaint_window=_window(
        30,
        "request for review",
        _NT_BODY,
        "Interpretation Act (N.W.T.)",
        note=_TERR_WINDOW_NOTE,
    ),
    province_mode="fixed",
    default_province="NT",
    act_citation="S.N.W.T. 1994, c. 20",
    effective_from=date(1996, 12, 31),
    aliases=(
        "ATIPP Act NWT",
        "NWT ATIPP",
        "ATIPP (N.W.T.)",
        "Northwest Territories",
        "Territoires du Nord-Ouest",
        "Loi sur l'accès à l'information et la protection de la vie privée (Territoires du Nord-Ouest)",
    ),
    notes=(
        "Requests received from 2021-07-30 have 20 business days and an extension of at most "
        "20 business days (the 2019 amendments); requests received before keep 30 days and an "
        "extension for a reasonable period.",
    ),
)

# The 2019 amendments (Bill 29), in force 2021-07-30: 20 business days to respond, an
# extension by the head of at most 20 business days (s.11(1)), longer only with the
# Commissioner's authorization.
_NT_V2 = replace(
    _NT_V1,
    unit="working",
    length=20,
    count_citation="ATIPP Act (N.W.T.) as amended in 2019: 20 business days, the day after receipt being day 1",
    roll_citation=None,
    extension=ExtensionRule(
        unit="working",
        sections=("s.11(1)",),
        reasons=(ExtensionReason("extension", "Extension by the head (s.11(1))", "s.11(1)"),),
        notice_section="s.11(1)",
        max_days=20,  # s.11(1): "for a period not exceeding 20 business days"
        max_section="s.11(1)",
        max_kind="permission",
        note="Longer than 20 business days only with the Information and Privacy Commissioner's authorization.",
    ),
    act_citation="S.N.W.T. 1994, c. 20, as amended by S.N.W.T. 2019 (Bill 29), in force 2021-07-30",
    effective_from=date(2021, 7, 30),
)

_NU_V1 = replace(
    _NT_V1,
    code="ca-nu-atipp",
    name=_NU_NAME,
    short_name="ATIPP Act (Nu.)",
    jurisdiction="Nunavut",
    citation=f"{_NU_NAME}, time limit for responding",
    holiday_calendar="Days Government of Nunavut offices close; Saturdays and Sundays",
    calendar_key="ca-nu",
    count_citation="ATIPP Act (Nu.): 30 days counted from the day after receipt",
    extension=_reasonable_extension("calendar", "extension of the time limit"),
    complaint_body=_NU_BODY,
    complaint_window=_window(
        30, "request for review", _NU_BODY, "Interpretation Act (Nunavut)", note=_TERR_WINDOW_NOTE
    ),
    default_province="NU",
    act_citation="S.N.W.T. (Nu.) 1994, c. 20 (law of Nunavut from 1999-04-01)",
    effective_from=date(1999, 4, 1),
    aliases=(
        "ATIPP Act Nunavut",
        "Nunavut ATIPP",
        "ATIPPA (Nunavut)",
        "Nunavut",
        "Loi sur l'accès à l'information et la protection de la vie privée (Nunavut)",
    ),
    notes=(
        "From 2013-05-11 (S.Nu. 2012, c. 13) the tracker counts 25 business days: the "
        "period in force since could not be read, and 25 business days is the later of "
        "the periods reported (30 days; 25 days), so that a request is never called "
        "overdue too early.",
    ),
)

_NU_V2 = replace(
    _NU_V1,
    unit="working",
    length=25,
    count_citation="ATIPP Act (Nu.) as amended by S.Nu. 2012, c. 13: 25 business days (later reading), the day after receipt being day 1",
    roll_citation=None,
    extension=_reasonable_extension("working", "extension of the time limit"),
    act_citation="S.N.W.T. (Nu.) 1994, c. 20, as amended by S.Nu. 2012, c. 13 (in force 2013-05-11)",
    effective_from=date(2013, 5, 11),
)

LAWS: tuple[Law, ...] = (
    _MB_V1,
    _MB_V2,
    _SK_FOIP,
    _SK_LAFOIP,
    _YT_OLD,
    _YT_2018,
    _NT_V1,
    _NT_V2,
    _NU_V1,
    _NU_V2,
)
