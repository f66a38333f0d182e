"""Statutory facts for each access-to-information regime the tracker knows.

Constant tables only: nothing here is computed from holiday data at import time.

Each regime (a stable law code stored on requests) is a sequence of versions, each a `Law`
with the date it took effect; a request uses the version in force on the day it was received
(`law_in_force`). Adding a law or a version is data: a `Law(...)` entry in `_VERSIONS`, plus
its vectors in tests/deadlines/. Sections were checked against the statute texts (see the
README's "Deadlines, law by law").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta
from types import MappingProxyType

from .lawtypes import ComplaintWindow, ExtensionReason, ExtensionRule, Law, Unit, WindowUnit
from .provinces import atlantic, west_north

__all__ = [
    "EXTENSION_REASONS",
    "LAWS",
    "LAW_CODES",
    "LAW_CODE_ALIASES",
    "LAW_VERSIONS",
    "SCHEMA_LAW_CODES",
    "ComplaintWindow",
    "ExtensionReason",
    "ExtensionRule",
    "Law",
    "Unit",
    "WindowUnit",
    "extension_reasons",
    "get_law",
    "law_in_force",
    "version_end",
]


_SAT_SUN = (5, 6)
_SUN = (6,)

_FEDERAL_CAL = (
    "Days federal offices are closed: the holidays of the Interpretation Act s.35 and federal "
    "office closures, plus the institution's province's holidays when a province is given; "
    "Saturdays and Sundays"
)
# Federal Interpretation Act s.26: a time limit ending on a holiday (s.35: Sunday and the
# listed days, not Saturday, not an office closure) runs to the next day that is not one.
# Read in the official consolidation (justicecanada/laws-lois-xml eng/acts/I-21.xml, as
# Markdown XYOca/laws-lois-markdown laws/en/acts/I-21-interpretation-act.md), 2026-12-07:
# s.26, s.27(2)/(5) (day 0 excluded), s.35(1) "holiday"; s.35(2) is not about holidays.
# ATIA (eng/acts/A-1.xml; laws/en/acts/A-1-access-to-information-act.md): s.6, s.6.1(1.2),
# s.7, s.8(1)-(2), s.9(1)-(2), s.10(3), s.30(1)(a)-(c), s.31 (60 days after the notice of
# refusal, the access given, or "in any other case" awareness of the grounds), s.41(1).
_FEDERAL_WINDOW_CAL = ("ca-federal-ia", (6,))
_FEDERAL_WINDOW_TEXT = (
    "holidays of the Interpretation Act s.35 (Sunday and the listed days; Saturday and "
    "federal office closures are not holidays)"
)
_IA_FED_ROLL = "Interpretation Act s.26"

_ATIA = Law(
    code="ca-atia",
    name="Access to Information Act",
    short_name="ATIA",
    jurisdiction="Canada (federal)",
    citation="Access to Information Act, s.7",
    unit="calendar",
    length=30,
    holiday_calendar=_FEDERAL_CAL,
    calendar_key="ca-federal",
    weekend_days=_SAT_SUN,
    count_citation="Interpretation Act s.27",
    roll_citation="TBS Access to Information Manual 7.1.1 (the next work day)",
    extension=ExtensionRule(
        unit="calendar",
        sections=("s.9(1)", "s.9(2)"),
        reasons=(
            ExtensionReason(
                "volume",
                "Large number of records; meeting the time limit would unreasonably interfere with operations",
                "s.9(1)(a)",
            ),
            ExtensionReason(
                "consultation",
                "Consultations that cannot reasonably be completed within the time limit",
                "s.9(1)(b)",
            ),
            ExtensionReason("third-party", "Notice to a third party under s.27(1)", "s.9(1)(c)"),
        ),
        notice_section="s.9(1)",
        max_days=None,  # ATIA s.9(1): "a reasonable period of time"
        commissioner_notice_threshold=30,  # ATIA s.9(2)
        commissioner_section="s.9(2)",
        note="Base and extension are counted from receipt, then rolled once (TBS manual 7.1.1).",
    ),
    deemed_refusal_section="s.10(3)",
    complaint_body="Information Commissioner of Canada",
    complaint_window=ComplaintWindow(
        60,
        "calendar",
        "s.31",
        note="For a deemed refusal the window starts the day after the due date.",
        roll_citation=_IA_FED_ROLL,
        body="Information Commissioner of Canada",
        trigger_text="the day the response was received",
    ),
    province_mode="institution",
    default_province=None,
    pause_sections=("s.6.1 (request for approval to decline to act suspends the clock)",),
    act_citation="R.S.C. 1985, c. A-1",
    effective_from=date(1983, 7, 1),
    window_calendar=_FEDERAL_WINDOW_CAL,
    window_holiday_text=_FEDERAL_WINDOW_TEXT,
    strict_roll_citation=_IA_FED_ROLL,
    restart_note="",
    transfer_note="A transfer under s.8(2) keeps the original receipt date: pass the date the first institution received the request.",
)

_PRIVACY = Law(
    code="ca-privacy",
    name="Privacy Act",
    short_name="Privacy Act",
    jurisdiction="Canada (federal)",
    citation="Privacy Act, s.14",
    unit="calendar",
    length=30,
    holiday_calendar=_FEDERAL_CAL,
    calendar_key="ca-federal",
    weekend_days=_SAT_SUN,
    count_citation="Interpretation Act s.27",
    roll_citation="TBS Access to Information Manual 7.1.1 (the next work day)",
    extension=ExtensionRule(
        unit="calendar",
        sections=("s.15",),
        reasons=(
            ExtensionReason(
                "interference",
                "Meeting the time limit would unreasonably interfere with operations",
                "s.15(a)(i)",
            ),
            ExtensionReason(
                "consultation",
                "Consultations that cannot reasonably be completed within the time limit",
                "s.15(a)(ii)",
            ),
            # Privacy Act s.15(b): "for such period of time as is reasonable".
            ExtensionReason(
                "translation",
                "Translation or conversion into an alternative format",
                "s.15(b)",
                uncapped=True,
            ),
        ),
        notice_section="s.15",
        max_days=30,  # Privacy Act s.15(a): "a maximum of thirty days"
        max_section="s.15(a)",
    ),
    deemed_refusal_section="s.16(3)",
    complaint_body="Privacy Commissioner of Canada",
    # Privacy Act s.29(1) (the grounds: (b) refusal, (d) extension, (f) fee) and s.30 (in
    # writing) state no time limit; read in the official consolidation (P-21.xml above).
    complaint_window=None,
    refusal_no_limit=True,
    refusal_no_limit_section="s.29(1)",
    province_mode="institution",
    default_province=None,
    # The Act itself has no transfer section: s.13(1)-(2) say how a request is made (official
    # consolidation, justicecanada/laws-lois-xml eng/acts/P-21.xml, read 2026-12-07).
    transfer_note=(
        "The Privacy Act has no transfer section (s.13 says how a request is made): count "
        "from the date the request was received."
    ),
    act_citation="R.S.C. 1985, c. P-21",
    effective_from=date(1983, 7, 1),
    window_calendar=_FEDERAL_WINDOW_CAL,
    window_holiday_text=_FEDERAL_WINDOW_TEXT,
    strict_roll_citation=_IA_FED_ROLL,
)


def _extension_of(law: Law) -> ExtensionRule:
    """The extension rule of a law that has one (a version built from it keeps its own)."""
    if law.extension is None:
        raise ValueError(f"{law.code} has no extension rule")
    return law.extension


def _ontario(
    code: str,
    name: str,
    short: str,
    s_period: str,
    s_ext: str,
    s_notice: str,
    s_deemed: str,
    s_appeal: str,
    act: str,
    effective: date,
) -> Law:
    return Law(
        code=code,
        name=name,
        short_name=short,
        jurisdiction="Ontario",
        citation=f"{name}, {s_period}",
        unit="calendar",
        length=30,
        holiday_calendar="Ontario's holidays (Legislation Act, 2006 s.87 and s.88); Saturdays and Sundays",
        calendar_key="ca-on",
        weekend_days=_SAT_SUN,
        count_citation="Legislation Act, 2006 s.89",
        roll_citation="Legislation Act, 2006 s.89: the next day the office is open",
        strict_roll_citation="Legislation Act, 2006 s.89(1): the next day that is not a holiday",
        extension=ExtensionRule(
            unit="calendar",
            sections=(s_ext,),
            reasons=(
                ExtensionReason(
                    "volume",
                    "Large number of records; meeting the time limit would unreasonably interfere with operations",
                    f"{s_ext}(1)(a)",
                ),
                ExtensionReason(
                    "consultation",
                    "Consultations outside the institution that cannot reasonably be completed within the time limit",
                    f"{s_ext}(1)(b)",
                ),
            ),
            notice_section=s_notice,
            max_days=None,  # "a period of time that is reasonable in the circumstances"
        ),
        deemed_refusal_section=s_deemed,
        complaint_body="Information and Privacy Commissioner of Ontario",
        complaint_window=ComplaintWindow(
            30,
            "calendar",
            s_appeal,
            note=f"After silence the head is deemed to have given notice of refusal on the last day ({s_deemed}).",
            roll_citation="Legislation Act, 2006 s.89(1)",
            stage="appeal",
            body="Information and Privacy Commissioner of Ontario",
            trigger_text="the day notice of the decision was given",
        ),
        province_mode="fixed",
        default_province="ON",
        act_citation=act,
        effective_from=effective,
        window_holiday_text="holidays of the Legislation Act, 2006 s.87-88 (Saturday is not one)",
        window_calendar=("ca-on-ia", _SUN),
    )


_ON_FIPPA = _ontario(
    "ca-on-fippa",
    "Freedom of Information and Protection of Privacy Act (Ontario)",
    "FIPPA (Ont.)",
    "s.26",
    "s.27",
    "s.27(2)",
    "s.29(4)",
    "s.50(2)",
    "R.S.O. 1990, c. F.31",
    date(1988, 1, 1),
)
_ON_MFIPPA = _ontario(
    "ca-on-mfippa",
    "Municipal Freedom of Information and Protection of Privacy Act (Ontario)",
    "MFIPPA (Ont.)",
    "s.19",
    "s.20",
    "s.20(2)",
    "s.22(4)",
    "s.39(2)",
    "R.S.O. 1990, c. M.56",
    date(1991, 1, 1),
)

_BC = Law(
    code="ca-bc-fippa",
    name="Freedom of Information and Protection of Privacy Act (British Columbia)",
    short_name="FIPPA (B.C.)",
    jurisdiction="British Columbia",
    citation="Freedom of Information and Protection of Privacy Act (British Columbia), s.7",
    unit="working",  # Schedule 1: "day" does not include a Saturday or a holiday
    length=30,
    holiday_calendar="British Columbia's holidays (Interpretation Act (B.C.) s.29); Saturdays and Sundays",
    calendar_key="ca-bc",
    weekend_days=_SAT_SUN,
    count_citation='FIPPA Schedule 1 definition of "day"; Interpretation Act (B.C.) s.25',
    roll_citation=None,
    extension=ExtensionRule(
        unit="working",
        sections=("s.10(1)",),
        reasons=(
            ExtensionReason(
                "insufficient-detail",
                "The applicant did not give enough detail to identify the record",
                "s.10(1)(a)",
            ),
            ExtensionReason(
                "volume",
                "Large number of records; meeting the time limit would unreasonably interfere with operations",
                "s.10(1)(b)",
            ),
            ExtensionReason(
                "consultation",
                "More time needed to consult a third party or another public body",
                "s.10(1)(c)",
            ),
            ExtensionReason(
                "applicant-consent",
                "The applicant consented to the extension",
                "s.10(1)(d)",
            ),
        ),
        notice_section="s.10(2)",
        max_days=30,  # s.10(1): up to 30 days; longer only with the Commissioner's permission
        max_section="s.10(1)",
        max_kind="permission",
    ),
    deemed_refusal_section="s.53(3)",
    complaint_body="Office of the Information and Privacy Commissioner for British Columbia",
    complaint_window=ComplaintWindow(
        30,
        "working",
        "s.53(2)(a)",
        note='"day" excludes Saturdays and holidays (Schedule 1); the Commissioner may allow longer (s.53(2)(b)).',
        roll="none",
        stage="request for review",
        body="Office of the Information and Privacy Commissioner for British Columbia",
        trigger_text="the day the applicant was notified of the decision",
    ),
    refusal_no_limit=True,
    refusal_no_limit_section="s.53(3)",
    province_mode="fixed",
    default_province="BC",
    act_citation="R.S.B.C. 1996, c. 165",
    effective_from=date(1993, 10, 4),
    pause_sections=("s.7(4) (fee estimate: the clock stops until the fee is paid or waived)",),
    # The review window counts FIPPA "days" (Schedule 1: not a Saturday or a holiday) on the
    # s.29 list without the 2022 day of mourning (the earlier reading).
    window_calendar=("ca-bc-ia", _SAT_SUN),
    window_holiday_text=(
        "Saturdays and the holidays of the Interpretation Act (B.C.) s.29, not the day of "
        "mourning of 19 September 2022"
    ),
)

_AB = Law(
    code="ca-ab-foip",
    name="Freedom of Information and Protection of Privacy Act (Alberta)",
    short_name="FOIP (Alta.)",
    jurisdiction="Alberta",
    citation="Freedom of Information and Protection of Privacy Act (Alberta), s.11",
    unit="calendar",
    length=30,
    holiday_calendar="Alberta's holidays (Interpretation Act (Alta.) s.28(1)); Saturdays and Sundays",
    calendar_key="ca-ab",
    weekend_days=_SAT_SUN,
    count_citation="Interpretation Act (Alta.) s.22",
    roll_citation="the next business day (public bodies are closed on Saturdays)",
    strict_roll_citation="Interpretation Act (Alta.) s.22(1): the next day that is not a holiday",
    extension=ExtensionRule(
        unit="calendar",
        sections=("s.14(1)",),
        reasons=(
            ExtensionReason(
                "insufficient-detail",
                "The applicant did not give enough detail to identify the record",
                "s.14(1)(a)",
            ),
            ExtensionReason(
                "volume",
                "Large number of records; meeting the time limit would unreasonably interfere with operations",
                "s.14(1)(b)",
            ),
            ExtensionReason(
                "consultation",
                "More time needed to consult a third party or another public body",
                "s.14(1)(c)",
            ),
            ExtensionReason(
                "third-party-review",
                "A third party asked for a review under s.65(2) or s.77(3)",
                "s.14(1)(d)",
            ),
        ),
        notice_section="s.14(4)",
        max_days=30,  # s.14(1): up to 30 days; longer only with the Commissioner's permission
        max_section="s.14(1)",
        max_kind="permission",
    ),
    deemed_refusal_section="s.11(2)",
    complaint_body="Information and Privacy Commissioner of Alberta",
    complaint_window=ComplaintWindow(
        60,
        "calendar",
        "s.66(2)",
        note="A request for review under s.65(1); after silence (s.11(2)) the 60 days run from the day after the due date.",
        roll_citation="Interpretation Act (Alta.) s.22(1)",
        stage="request for review",
        body="Information and Privacy Commissioner of Alberta",
        trigger_text="the day the applicant was notified of the decision",
    ),
    province_mode="fixed",
    default_province="AB",
    act_citation="R.S.A. 2000, c. F-25",
    effective_from=date(1995, 10, 1),
    window_holiday_text="holidays of the Interpretation Act (Alta.) s.28(1) (Saturday is not one)",
    window_calendar=("ca-ab-ia", _SUN),
    notes=(
        "Requests received from 2025-06-11 fall under Alberta's Access to Information Act "
        "(S.A. 2024, c. A-1.4), which replaced FOIP; requests received before keep FOIP.",
    ),
)

# Alberta's Access to Information Act (S.A. 2024, c.) replaced FOIP for requests
# received from 2025-06-11: the same periods, counted in business days (s.1 "business day":
# not a Saturday or a holiday). Its review window is read in calendar days for the
# reporter (the earlier reading) and in business days as the alternative.
_AB_AIA = replace(
    _AB,
    name="Access to Information Act (Alberta)",
    short_name="ATIA (Alta.)",
    citation="Access to Information Act (Alberta), S.A. 2024, c. A-1.4, time limit for responding",
    unit="working",
    length=30,
    count_citation='Access to Information Act (Alberta) s.1 "business day"',
    roll_citation=None,
    strict_roll_citation=None,
    # s.16(1), as quoted by the Information and Privacy Commissioner of Alberta (guidance on
    # expedited inquiries into time extensions, oipc.ab.ca, read 2026-12-07): "The head of a
    # public body may extend the time for responding to a request for up to 30 business days
    # if (a) the applicant agrees, (b) a large number of records are requested and more time
    # is required to process the request, or (c) more time is needed to consult with a third
    # party, another public body or another entity before deciding whether to grant access to
    # a record." s.16(2) could be read only to its opening words ("The head of a public body
    # may extend the time for responding to a request fo..."): a longer extension keeps FOIP's
    # rule (the Commissioner's permission, recorded with its date) until it is read.
    extension=replace(
        _extension_of(_AB),
        unit="working",
        sections=("s.16(1)",),
        reasons=(
            ExtensionReason("applicant-agrees", "The applicant agrees", "s.16(1)(a)"),
            ExtensionReason(
                "volume",
                "A large number of records are requested and more time is required to process "
                "the request",
                "s.16(1)(b)",
            ),
            ExtensionReason(
                "consultation",
                "More time needed to consult a third party, another public body or another entity",
                "s.16(1)(c)",
            ),
        ),
        notice_section="s.16",
        max_section="s.16(1)",
    ),
    deemed_refusal_section="failure to respond in time",
    complaint_window=ComplaintWindow(
        60,
        "calendar",
        "request for review",
        note="Read in calendar days, the earlier of the two readings; the later counts 60 business days.",
        roll_citation="Interpretation Act (Alta.) s.22(1)",
        stage="request for review",
        body="Information and Privacy Commissioner of Alberta",
        trigger_text="the day the applicant was notified of the decision",
    ),
    act_citation="S.A. 2024, c. A-1.4",
    effective_from=date(2025, 6, 11),
    notes=(
        "Alberta's Access to Information Act applies to requests received from 2025-06-11 "
        "and counts business days; requests received before keep FOIP.",
    ),
)

_QC = Law(
    code="ca-qc-access",
    name="Act respecting Access to documents held by public bodies and the Protection of personal information (Québec)",
    short_name="Access Act (Qc)",
    jurisdiction="Québec",
    citation="Act respecting Access to documents held by public bodies (Québec), s.47",
    unit="calendar",
    length=20,
    # Interpretation Act (CQLR c. I-16) s.61(23): Sundays, 1 Jan, Good Friday, Easter Monday,
    # 24 June, 1 July, Labour Day, Thanksgiving, 25 Dec, the Sovereign's birthday day.
    # python-holidays files Easter Monday under QC 'optional', so it is requested too.
    holiday_calendar="Québec holidays of the Interpretation Act (CQLR c. I-16) s.61(23), and Sundays; Saturday is not a holiday there",
    calendar_key="ca-qc",
    # Saturday is not in s.61(23): a time limit ending on a Saturday is not extended. Only
    # Sundays are weekly holidays.
    weekend_days=_SUN,
    count_citation="Interpretation Act (CQLR c. I-16) s.52",
    roll_citation='Interpretation Act (CQLR c. I-16) s.52: "jour ouvrable suivant", read as the next business day',
    strict_roll_citation='Interpretation Act (CQLR c. I-16) s.52: "jour ouvrable suivant", read as the next day that is not a holiday',
    roll_past_saturday=True,
    extension=ExtensionRule(
        unit="calendar",
        sections=("s.47",),
        reasons=(
            ExtensionReason(
                "processing-time",
                "Processing within 20 days is not possible without impeding the normal course of operations",
                "s.47",
            ),
        ),
        notice_section="s.47",
        max_days=10,  # s.47: one extension of at most 10 days, notice before day 20
        max_section="s.47",
    ),
    deemed_refusal_section="s.52",
    complaint_body="Commission d'accès à l'information",
    complaint_window=ComplaintWindow(
        30,
        "calendar",
        "s.135",
        note="After silence the 30 days run from the expiry of the time to respond (s.135).",
        roll_citation="Interpretation Act (CQLR c. I-16) s.52",
        stage="application for review",
        body="Commission d'accès à l'information",
        trigger_text="the date of the decision",
    ),
    province_mode="fixed",
    default_province="QC",
    act_citation="CQLR c. A-2.1",
    # 1982, c. 30: assented 1982-06-23; the access to documents part in force 1982-10-01.
    effective_from=date(1982, 10, 1),
    window_holiday_text="holidays of the Interpretation Act (CQLR c. I-16) s.61(23) (Saturday is not one)",
    window_calendar=("ca-qc-ia", _SUN),
    notes=(
        "A time limit ending on a Saturday is not extended: Saturday is not a holiday under "
        "s.61(23) of the Interpretation Act, and s.52 extends only a time limit that expires "
        "on a holiday.",
    ),
)

_US_FOIA = Law(
    code="us-foia",
    name="Freedom of Information Act",
    short_name="5 U.S.C. 552(a)",
    jurisdiction="United States (federal)",
    citation="5 U.S.C. 552(a)(6)(A)(i)",
    unit="working",
    length=20,
    holiday_calendar="US legal public holidays (5 U.S.C. 6103; python-holidays US default category); executive-order closures count as working days; Saturdays and Sundays",
    calendar_key="us-federal",
    weekend_days=_SAT_SUN,
    count_citation="DOJ OIP guidance (2009): the day after receipt is working day 1",
    roll_citation=None,
    extension=ExtensionRule(
        unit="working",
        sections=("(6)(B)(i)", "(6)(B)(ii)"),
        reasons=(
            ExtensionReason(
                "unusual-circumstances",
                "Unusual circumstances (distant records, voluminous records, or consultation)",
                "(6)(B)(i)",
            ),
        ),
        notice_section="(6)(B)(i)",
        max_days=10,  # (6)(B)(i); longer requires offering the requester (6)(B)(ii) options
        max_section="(6)(B)(i)",
    ),
    deemed_refusal_section=None,
    silence_section="(6)(C)(i)",
    silence_term="constructive exhaustion",
    silence_label="No response by the due date: constructive exhaustion",
    lateness_effect=(
        "Without a response by then, the requester is treated as having exhausted "
        "administrative remedies and may go to court ({cite})."
    ),
    complaint_body="the agency's FOIA appeal authority",
    complaint_window=ComplaintWindow(
        90,
        "calendar",
        "(6)(A)(i)(III)(aa)",
        covers_deemed_refusal=False,
        note="The agency must allow at least 90 days after an adverse determination; its own regulations may allow longer. After silence the requester may sue (constructive exhaustion, (6)(C)(i)).",
        roll="none",
        stage="administrative appeal",
        body="the agency's FOIA appeal authority",
        trigger_text="the date of the adverse determination",
    ),
    province_mode="none",
    default_province=None,
    act_citation="5 U.S.C. 552, as amended by the Electronic Freedom of Information Act Amendments of 1996",
    # Pub. L. 104-231 s.12(b) (110 Stat. 3054, read in the Statutes at Large): "Sections 7 and
    # 8 shall take effect one year after the date of the enactment of this Act", approved
    # 2 October 1996; s.8 is the 20-day time limit (its page was not read). The tolls of
    # (6)(A)(ii) came later, from 2008-12-31 (clockrules.PAUSES_FROM).
    effective_from=date(1997, 10, 2),
    pause_sections=(
        "(6)(A)(ii)(I)-(II) (tolling for a request for information or fee clarification)",
    ),
)

_CPRA = Law(
    code="us-ca-cpra",
    name="California Public Records Act",
    short_name="Cal. Gov. Code",
    jurisdiction="California",
    citation="California Gov. Code s.7922.535(a)",
    unit="calendar",
    length=10,
    holiday_calendar="California state holidays (python-holidays US subdiv CA, without the commemorative Susan B. Anthony Day); Saturdays and Sundays",
    calendar_key="us-ca",
    weekend_days=_SAT_SUN,
    count_citation="Code Civ. Proc. s.12",
    roll_citation="Code Civ. Proc. s.12a: the next day that is not a holiday",
    extension=ExtensionRule(
        unit="calendar",
        sections=("s.7922.535(b)",),
        reasons=(
            ExtensionReason(
                "field-facilities",
                "Records held in field facilities or other separate establishments",
                "s.7922.535(c)(1)",
            ),
            ExtensionReason("voluminous", "Voluminous records", "s.7922.535(c)(2)"),
            ExtensionReason("consultation", "Consultation with another agency", "s.7922.535(c)(3)"),
            ExtensionReason(
                "data-extraction", "Compiling or extracting electronic data", "s.7922.535(c)(4)"
            ),
        ),
        notice_section="s.7922.535(b)",
        max_days=14,  # s.7922.535(b): not more than 14 days, by written notice
        max_section="s.7922.535(b)",
    ),
    deemed_refusal_section=None,
    silence_section="s.7923.000",
    silence_term="petition for a writ of mandate",
    silence_label="No response by the due date: petition for a writ of mandate",
    lateness_effect=(
        "Without a response by then, the requester may petition the superior court for a "
        "writ of mandate ({cite})."
    ),
    complaint_body="Superior Court (petition, Gov. Code s.7923.000)",
    complaint_window=None,
    province_mode="fixed",
    default_province="CA",
    act_citation="Cal. Gov. Code s.7920.000 et seq.",
    effective_from=date(2023, 1, 1),
)

# Before the 2023 recodification the same rule was Gov. Code s.6253(c) (10 days, an
# extension of at most 14 days by written notice), enforced under s.6258.
_CPRA_6253 = replace(
    _CPRA,
    citation="California Gov. Code s.6253(c)",
    extension=replace(
        _extension_of(_CPRA),
        sections=("s.6253(c)",),
        reasons=tuple(
            replace(r, section=r.section.replace("s.7922.535(c)", "s.6253(c)"))
            for r in _extension_of(_CPRA).reasons
        ),
        notice_section="s.6253(c)",
        max_section="s.6253(c)",
    ),
    silence_section="s.6258",
    complaint_body="Superior Court (petition, Gov. Code s.6258)",
    act_citation="Cal. Gov. Code s.6250 et seq.",
    effective_from=date(1999, 1, 1),
)

_NY = Law(
    code="us-ny-foil",
    name="New York Freedom of Information Law",
    short_name="N.Y. Pub. Off. Law",
    jurisdiction="New York",
    citation="New York Public Officers Law s.89(3)(a)",
    unit="working",
    length=5,
    holiday_calendar="New York public holidays (python-holidays US subdiv NY, without the commemorative Susan B. Anthony Day); Saturdays and Sundays",
    calendar_key="us-ny",
    weekend_days=_SAT_SUN,
    count_citation="General Construction Law s.20",
    roll_citation=None,
    extension=ExtensionRule(
        unit="working",
        sections=("s.89(3)(a)",),
        reasons=(
            ExtensionReason(
                "acknowledgment",
                "Approximate date given in the acknowledgement, beyond 20 business days from it",
                "s.89(3)(a)",
            ),
            ExtensionReason(
                "date-certain",
                "Written reasons and a date certain beyond 20 business days from the acknowledgement",
                "s.89(3)(a)",
            ),
        ),
        notice_section="s.89(3)(a)",
        max_days=0,  # any time beyond the 20 business days: written reasons and a date certain
        max_section="s.89(3)(a)",
        max_kind="written-reasons",
        note="Record the acknowledgement as a timeline entry on its date: the 20 business days run from it; an extension adds business days to that period.",
    ),
    deemed_refusal_section="s.89(4)(a)",
    complaint_body="the agency's records access appeals officer",
    complaint_window=ComplaintWindow(
        30,
        "calendar",
        "s.89(4)(a)",
        roll="working",
        roll_citation="General Construction Law s.25-a",
        stage="appeal",
        body="the agency's records access appeals officer",
        trigger_text="the date of the denial",
    ),
    province_mode="fixed",
    default_province="NY",
    act_citation="N.Y. Public Officers Law art. 6, as amended by ch. 22 of the Laws of 2005",
    # Chapter 22 of the Laws of 2005 added the 20 business days from the acknowledgement.
    # The Committee on Open Government (Public Officers Law s.89(1)) dates it: "New language
    # was added to that provision on May 3 (Chapter 22, Laws of 2005)" (FOIL-AO-15436, 18
    # August 2005; FOIL-AO-15665, 30 November 2005; docsopengovernment.dos.ny.gov). The
    # chapter's own effective-date clause was not found; requests received from that day use
    # this rule, an earlier one is refused rather than computed under a rule not yet law.
    effective_from=date(2005, 5, 3),
    acknowledgement_days=20,
    acknowledgement_section="s.89(3)(a)",
)

_UK = Law(
    code="uk-foia",
    name="Freedom of Information Act 2000",
    short_name="FOIA 2000",
    jurisdiction="United Kingdom",
    citation="Freedom of Information Act 2000, s.10(1)",
    unit="working",
    length=20,
    holiday_calendar="Bank holidays in any part of the UK (England, Wales, Scotland, Northern Ireland: s.10(6)); Saturdays and Sundays",
    calendar_key="uk-all",
    weekend_days=_SAT_SUN,
    count_citation="FOIA 2000 s.10(6); ICO guidance: the day after receipt is working day 1",
    roll_citation=None,
    extension=ExtensionRule(
        unit="working",
        sections=("s.10(3)",),
        reasons=(
            ExtensionReason(
                "public-interest", "Time to consider the public interest test", "s.10(3)"
            ),
        ),
        notice_section="s.17(2)",
        max_days=None,  # s.10(3): "such time as is reasonable in the circumstances"
        guidance_max_days=20,
        guidance_citation="ICO guidance on s.10(3): at most 20 further working days",
    ),
    deemed_refusal_section=None,
    silence_section="s.10(1)",
    silence_term="breach of the time for compliance",
    silence_label="No response by the due date: time for compliance breached",
    lateness_effect="A response after that day breaches {cite}.",
    complaint_body="Information Commissioner's Office (after the authority's internal review)",
    complaint_window=None,  # s.50 sets no time limit
    guidance_window=ComplaintWindow(
        6 * 7,
        "calendar",
        "s.50(2)(b)",
        note="The ICO expects a complaint within six weeks of the last substantive contact with the authority (e.g. the internal review's outcome); it may decline one made after undue delay (s.50(2)(b)). This is guidance, not a time limit in the Act.",
        roll="none",
        status="guidance",
        body="Information Commissioner's Office",
        trigger_text="the last substantive contact with the authority",
    ),
    province_mode="none",
    default_province=None,
    act_citation="2000 c. 36",
    effective_from=date(2005, 1, 1),
    pause_sections=("s.10(2) (days between a fees notice and payment are disregarded)",),
    restart_note="A request for clarification under s.1(3) restarts the clock: pass the date the clarification was received as the new receipt date.",
)

_FOISA = Law(
    code="uk-sct-foisa",
    name="Freedom of Information (Scotland) Act 2002",
    short_name="FOISA",
    jurisdiction="Scotland",
    citation="Freedom of Information (Scotland) Act 2002, s.10(1)",
    unit="working",
    length=20,
    holiday_calendar='Scottish bank holidays (s.73 "working day"); Saturdays and Sundays',
    calendar_key="uk-sct",
    weekend_days=_SAT_SUN,
    count_citation='FOISA s.73 "working day"; the day after receipt is working day 1',
    roll_citation=None,
    extension=None,  # FOISA s.10 allows no extension; the fee period is disregarded (s.10(2))
    deemed_refusal_section=None,
    complaint_body="the Scottish public authority (requirement for review), then the Scottish Information Commissioner",
    silence_section="s.20(5)(a)",
    silence_term="failure to respond",
    silence_label="No response by the due date: failure to respond",
    lateness_effect="Without a response by then, the applicant may require a review ({cite}).",
    complaint_window=ComplaintWindow(
        40,
        "working",
        "s.20(5)",
        note="Counted from the expiry of the s.10 period, or from the receipt of a late response (s.20(5)(b)).",
        roll="none",
        stage="requirement for review",
        body="the Scottish public authority",
        trigger_text="the expiry of the time for compliance (s.10), or a late response",
    ),
    window_from_due=True,
    next_stage=ComplaintWindow(
        6,
        "months",
        "s.47(4)",
        roll="none",
        stage="application",
        body="the Scottish Information Commissioner",
        trigger_text="the review's outcome, or the end of the 20 working days the authority has to answer it (s.21(1))",
    ),
    next_stage_text=(
        "Then an application to the Scottish Information Commissioner (s.47(1)) within six "
        "months of receiving the review's outcome, or of the end of the 20 working days the "
        "authority has to answer the requirement for review (s.21(1), s.47(4))."
    ),
    province_mode="fixed",
    default_province="SCT",
    act_citation="2002 asp 13",
    effective_from=date(2005, 1, 1),
    pause_sections=("s.10(2) (days between a fees notice and payment are disregarded)",),
    restart_note="A request for clarification under s.1(3) restarts the clock: pass the date the clarification was received as the new receipt date.",
)

# Every law code, in the order the forms show them. A code is offered once its versions are
# registered below; migration 0013 allows all of these in the database.
_ORDER: tuple[str, ...] = (
    "ca-atia",
    "ca-privacy",
    "ca-on-fippa",
    "ca-on-mfippa",
    "ca-bc-fippa",
    "ca-ab-foip",
    "ca-qc-access",
    "ca-nl-atippa",
    "ca-ns-foipop",
    "ca-ns-mga",
    "ca-nb-rtippa",
    "ca-pe-foipp",
    "ca-mb-fippa",
    "ca-sk-foip",
    "ca-sk-lafoip",
    "ca-yt-atippa",
    "ca-nt-atipp",
    "ca-nu-atipp",
    "us-foia",
    "us-ca-cpra",
    "us-ny-foil",
    "uk-foia",
    "uk-sct-foisa",
)


def _by_code(laws: tuple[Law, ...]) -> dict[str, tuple[Law, ...]]:
    """Group a province module's Law versions by code, oldest first."""
    out: dict[str, list[Law]] = {}
    for law in laws:
        out.setdefault(law.code, []).append(law)
    return {code: tuple(sorted(v, key=lambda law: law.effective_from)) for code, v in out.items()}


# Each law code's versions, oldest first: a request uses the one in force on its received date.
_REGISTERED: dict[str, tuple[Law, ...]] = {
    "ca-atia": (_ATIA,),
    "ca-privacy": (_PRIVACY,),
    "ca-on-fippa": (_ON_FIPPA,),
    "ca-on-mfippa": (_ON_MFIPPA,),
    "ca-bc-fippa": (_BC,),
    "ca-ab-foip": (_AB, _AB_AIA),
    "ca-qc-access": (_QC,),
    "us-foia": (_US_FOIA,),
    "us-ca-cpra": (_CPRA_6253, _CPRA),
    "us-ny-foil": (_NY,),
    "uk-foia": (_UK,),
    "uk-sct-foisa": (_FOISA,),
}
# Provincial and territorial laws: one module each region, one line each.
_REGISTERED.update(_by_code(atlantic.LAWS))
_REGISTERED.update(_by_code(west_north.LAWS))

_VERSIONS: dict[str, tuple[Law, ...]] = {c: _REGISTERED[c] for c in _ORDER if c in _REGISTERED}
LAW_CODES: tuple[str, ...] = tuple(_VERSIONS)
# Every code the schema allows (models.py and migration 0013), registered or not yet.
SCHEMA_LAW_CODES: tuple[str, ...] = _ORDER
# Codes the schema allows whose law is not offered yet (issue 24), with the province or
# territory of each: no section of these Acts was read in the official text, so nothing is
# computed under them and an import naming one is told why. A code leaves this table by
# itself once its versions are registered above.
NOT_YET_OFFERED: Mapping[str, str] = MappingProxyType(
    {
        code: province
        for code, province in (
            ("ca-nl-atippa", "NL"),
            ("ca-ns-foipop", "NS"),
            ("ca-ns-mga", "NS"),
            ("ca-pe-foipp", "PE"),
            ("ca-yt-atippa", "YT"),
            ("ca-nt-atipp", "NT"),
            ("ca-nu-atipp", "NU"),
        )
        if code not in _VERSIONS
    }
)
# Other names an import accepts for a code: Alberta's Access to Information Act is a version
# of ca-ab-foip (from 2025-06-11), not a law of its own.
LAW_CODE_ALIASES: Mapping[str, str] = MappingProxyType({"ca-ab-atia": "ca-ab-foip"})
LAW_VERSIONS: Mapping[str, tuple[Law, ...]] = MappingProxyType(_VERSIONS)

# The version in force today, for labels and forms (a request's own version: law_in_force).
LAWS: Mapping[str, Law] = MappingProxyType({code: v[-1] for code, v in _VERSIONS.items()})

EXTENSION_REASONS: Mapping[str, tuple[ExtensionReason, ...]] = MappingProxyType(
    {code: (law.extension.reasons if law.extension else ()) for code, law in LAWS.items()}
)


def get_law(code: str) -> Law:
    """Return the Law for a code, or raise ValueError naming the valid codes."""
    try:
        return LAWS[code]
    except (KeyError, TypeError):
        raise ValueError(f"unknown law {code!r}; valid codes: {', '.join(LAW_CODES)}") from None


def extension_reasons(code: str, received: date | None = None) -> tuple[ExtensionReason, ...]:
    """Return the valid extension reasons (code, label, section) for a law (and version)."""
    if received is None:
        return EXTENSION_REASONS[get_law(code).code]
    rule = law_in_force(code, received).extension
    return rule.reasons if rule else ()


def version_end(law: Law) -> date | None:
    """The last day a law version applies to (None while it is the version in force)."""
    versions = LAW_VERSIONS[law.code]
    i = versions.index(law)
    return versions[i + 1].effective_from - timedelta(days=1) if i + 1 < len(versions) else None


def law_in_force(code: str, received: date) -> Law:
    """Return the version of a law in force on a received date (ValueError before the first)."""
    versions = LAW_VERSIONS[get_law(code).code]
    if received < versions[0].effective_from:
        first = versions[0]
        raise ValueError(
            f"{code} ({first.name}, {first.act_citation}) applies to requests received from "
            f"{first.effective_from.isoformat()}; {received.isoformat()} is before it"
        )
    found = versions[0]
    for version in versions:
        if version.effective_from <= received:
            found = version
    return found
