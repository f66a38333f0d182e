"""Statutory facts for each access-to-information regime the tracker knows.

Constant tables only: nothing here is computed from holiday data at import time.
Items marked "(verify)" come from secondary sources (see /work/shared/law/RULES.md);
check the statute text before relying on them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Unit = Literal["calendar", "working"]


@dataclass(frozen=True)
class ExtensionReason:
    """One ground on which a law lets the institution extend its deadline."""

    code: str
    label: str
    section: str
    # True where the statute sets no day cap for this ground (e.g. Privacy Act s.15(b)).
    uncapped: bool = False


@dataclass(frozen=True)
class ExtensionRule:
    """What a law allows by way of extending the response period."""

    unit: Unit
    sections: tuple[str, ...]
    reasons: tuple[ExtensionReason, ...]
    # Section requiring notice to the requester within the original period.
    notice_section: str
    # Cap in the law's unit; None = "a reasonable period" (no fixed cap).
    max_days: int | None = None
    max_section: str | None = None
    # "hard": longer is unlawful; "permission": longer needs the Commissioner's
    # permission (BC s.10(1), AB s.14(1)); "written-reasons": longer needs a written
    # statement of reasons and a date certain (NY POL s.89(3)(a)).
    max_kind: Literal["hard", "permission", "written-reasons"] = "hard"
    # ATIA s.9(2): an extension longer than this needs notice to the Commissioner.
    commissioner_notice_threshold: int | None = None
    commissioner_section: str | None = None
    # Non-statutory guidance cap (UK: ICO expects at most 20 further working days).
    guidance_max_days: int | None = None
    guidance_citation: str | None = None
    note: str = ""

    @property
    def reason_codes(self) -> tuple[str, ...]:
        """Codes of the valid extension reasons, in statutory order."""
        return tuple(r.code for r in self.reasons)


@dataclass(frozen=True)
class ComplaintWindow:
    """The period to complain or appeal; day 1 is the trigger day itself."""

    length: int
    unit: Unit
    section: str
    # Whether the window also runs after a deemed refusal (silence past the due date).
    covers_deemed_refusal: bool = True
    note: str = ""


@dataclass(frozen=True)
class Law:
    """One access-to-information regime: response period, calendar, extensions, remedies."""

    code: str
    name: str
    short_name: str
    jurisdiction: str
    citation: str  # the response period, e.g. "Access to Information Act, s.7"
    unit: Unit
    length: int
    holiday_calendar: str  # human description of the non-working days
    calendar_key: str  # internal key used by tracker.deadlines.calendars
    weekend_days: tuple[int, ...]  # date.weekday() values that are never working days
    count_citation: str  # why receipt is day 0 and counting starts the next day
    roll_citation: str | None  # calendar-day laws: why the last day rolls forward
    extension: ExtensionRule | None
    deemed_refusal_section: str | None
    complaint_body: str
    complaint_window: ComplaintWindow | None
    # "institution": province is the institution's province, adding its holidays
    # (Canadian federal laws); "fixed": the law has one subdivision (default_province);
    # "none": national calendar. For "fixed"/"none" a province argument is ignored.
    province_mode: Literal["institution", "fixed", "none"]
    default_province: str | None
    pause_sections: tuple[str, ...] = ()
    restart_note: str = ""
    transfer_note: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    # What lateness means, as a sentence; {cite} is the deemed-refusal section.
    lateness_effect: str = (
        "Without a response by the end of that day, the request is treated as refused ({cite})."
    )

    @property
    def period_text(self) -> str:
        """The response-period citation as it reads in a sentence ("Access to Information Act s.7")."""
        return self.citation.replace(", ", " ", 1)

    def cite(self, section: str) -> str:
        """Cite a section of this law, e.g. cite("s.9(2)") -> "ATIA s.9(2)"."""
        if section.startswith("("):
            return f"{self.short_name}{section}"
        return f"{self.short_name} {section}"


_SAT_SUN = (5, 6)
_SUN = (6,)

_FEDERAL_CAL = (
    "Federal government holidays (python-holidays CA, category 'government') plus Easter "
    "Monday (Interpretation Act s.35), plus the institution's province's public holidays "
    "when a province is given; Saturdays and Sundays"
)

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
    roll_citation="Interpretation Act s.26; TBS Access to Information Manual 7.1.1",
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
        note="For a deemed refusal the window starts the day after the due date (OIC guidance).",
    ),
    province_mode="institution",
    default_province=None,
    pause_sections=("s.6.1 (request for approval to decline to act suspends the clock)",),
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
    roll_citation="Interpretation Act s.26; TBS manual 7.1.1",
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
            # Privacy Act s.15(b): "such period of time as is reasonable" (verify).
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
    complaint_window=None,  # Privacy Act s.29 states no time limit
    province_mode="institution",
    default_province=None,
    transfer_note="A transfer under s.13(2) keeps the original receipt date (verify).",
)


def _ontario(
    code: str,
    name: str,
    short: str,
    s_period: str,
    s_ext: str,
    s_notice: str,
    s_deemed: str,
    s_appeal: str,
) -> Law:
    return Law(
        code=code,
        name=name,
        short_name=short,
        jurisdiction="Ontario",
        citation=f"{name}, {s_period}",
        unit="calendar",
        length=30,
        # Legislation Act, 2006 s.87 "holiday" includes Easter Monday, Civic Holiday and
        # Remembrance Day, which python-holidays files under ON 'optional' (verify).
        holiday_calendar="Ontario public holidays plus Easter Monday, Civic Holiday and Remembrance Day (Legislation Act, 2006 s.87, verify); Saturdays and Sundays",
        calendar_key="ca-on",
        weekend_days=_SAT_SUN,
        count_citation="Legislation Act, 2006 s.89 (verify)",
        roll_citation="Legislation Act, 2006 s.89: next day the office is open (verify)",
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
            max_days=None,  # "a period of time that is reasonable in the circumstances" (verify)
        ),
        deemed_refusal_section=s_deemed,
        complaint_body="Information and Privacy Commissioner of Ontario",
        complaint_window=ComplaintWindow(30, "calendar", s_appeal, note="(verify)"),
        province_mode="fixed",
        default_province="ON",
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
)

_BC = Law(
    code="ca-bc-fippa",
    name="Freedom of Information and Protection of Privacy Act (British Columbia)",
    short_name="FIPPA (B.C.)",
    jurisdiction="British Columbia",
    citation="Freedom of Information and Protection of Privacy Act (British Columbia), s.7",
    unit="working",  # Schedule 1: "day" does not include a Saturday or a holiday
    length=30,
    # BC Interpretation Act s.29 "holiday" includes Sunday, Easter Monday and 26 December (verify).
    holiday_calendar="British Columbia public holidays plus Easter Monday and Boxing Day (Interpretation Act (B.C.) s.29, verify); Saturdays and Sundays",
    calendar_key="ca-bc",
    weekend_days=_SAT_SUN,
    count_citation='FIPPA Schedule 1 definition of "day"; Interpretation Act (B.C.) s.25 (verify)',
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
                "The applicant consented to the extension (verify)",
                "s.10(1)(d)",
            ),
        ),
        notice_section="s.10(2)",
        max_days=30,  # s.10(1): up to 30 days; longer only with the Commissioner's permission
        max_section="s.10(1)",
        max_kind="permission",
    ),
    deemed_refusal_section="s.53(3) (verify)",
    complaint_body="Office of the Information and Privacy Commissioner for British Columbia",
    complaint_window=ComplaintWindow(
        30, "working", "s.53(2)(a)", note='"day" per Schedule 1 (verify)'
    ),
    province_mode="fixed",
    default_province="BC",
    pause_sections=("s.7(4) (fee estimate: the clock stops until the fee is paid or waived)",),
)

_AB = Law(
    code="ca-ab-foip",
    name="Freedom of Information and Protection of Privacy Act (Alberta)",
    short_name="FOIP (Alta.)",
    jurisdiction="Alberta",
    citation="Freedom of Information and Protection of Privacy Act (Alberta), s.11",
    unit="calendar",
    length=30,
    # Interpretation Act (Alta.) s.28(1)(v) "holiday" includes Easter Monday (verify).
    holiday_calendar="Alberta public holidays plus Easter Monday (Interpretation Act (Alta.) s.28, verify); Saturdays and Sundays",
    calendar_key="ca-ab",
    weekend_days=_SAT_SUN,
    count_citation="Interpretation Act (Alta.) s.22 (verify)",
    roll_citation="Interpretation Act (Alta.) s.22: next business day (verify)",
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
                "third-party-review", "A third party asked for a review (verify)", "s.14(1)(d)"
            ),
        ),
        notice_section="s.14(3) (verify)",
        max_days=30,  # s.14(1): up to 30 days; longer only with the Commissioner's permission
        max_section="s.14(1)",
        max_kind="permission",
    ),
    deemed_refusal_section="s.11(2)",
    complaint_body="Information and Privacy Commissioner of Alberta",
    complaint_window=ComplaintWindow(60, "calendar", "s.69(2)(a)", note="(verify)"),
    province_mode="fixed",
    default_province="AB",
    notes=(
        (
            "Alberta replaced FOIP with the Access to Information Act (S.A. 2024, c. A-1.4), in force "
            "2025-06-11 (verify): requests received after that date may be governed by the new Act."
        ),
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
    holiday_calendar="Québec holidays of the Interpretation Act (CQLR c. I-16) s.61(23), including Easter Monday, and Sundays; Saturday is not a holiday there",
    calendar_key="ca-qc",
    # Saturday is not in s.61(23): a deadline ending on a Saturday is not extended (verify
    # how the CAI treats it). Only Sundays are treated as weekly non-working days.
    weekend_days=_SUN,
    count_citation="Interpretation Act (CQLR c. I-16) s.52",
    roll_citation="Interpretation Act (CQLR c. I-16) s.52 (next day that is not a holiday)",
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
    complaint_window=ComplaintWindow(30, "calendar", "s.135"),
    province_mode="fixed",
    default_province="QC",
    notes=(
        "A deadline ending on a Saturday is not extended: Saturday is not a holiday under s.61(23) of the Interpretation Act (verify how the CAI treats it).",
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
    deemed_refusal_section="(6)(C)(i)",
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
        note="At least 90 days after an adverse determination; after silence the requester may sue (constructive exhaustion, (6)(C)(i)).",
    ),
    province_mode="none",
    default_province=None,
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
    count_citation="Code Civ. Proc. s.12 (verify)",
    roll_citation="Code Civ. Proc. s.12a: next business day (verify)",
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
    complaint_body="Superior Court (petition, Gov. Code s.7923.000)",
    complaint_window=None,
    province_mode="fixed",
    default_province="CA",
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
    count_citation="General Construction Law s.20 (verify)",
    roll_citation=None,
    extension=ExtensionRule(
        unit="working",
        sections=("s.89(3)(a)",),
        reasons=(
            ExtensionReason(
                "acknowledgment",
                "Written acknowledgment giving an approximate date for the response",
                "s.89(3)(a)",
            ),
        ),
        notice_section="s.89(3)(a)",
        max_days=20,  # normally within 20 business days; longer needs written reasons and a date certain
        max_section="s.89(3)(a)",
        max_kind="written-reasons",
        note="The statute counts the approximate date from the acknowledgment; this engine adds the extension to the 5-business-day period.",
    ),
    deemed_refusal_section="s.89(4)(a)",
    complaint_body="the agency's records access appeals officer",
    complaint_window=ComplaintWindow(30, "calendar", "s.89(4)(a)"),
    province_mode="fixed",
    default_province="NY",
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
    deemed_refusal_section="s.10(1)",
    lateness_effect="A response after that day breaches {cite}.",
    complaint_body="Information Commissioner's Office (after the authority's internal review)",
    complaint_window=None,  # s.50 states no window (the ICO asks within 6 weeks of the review outcome)
    province_mode="none",
    default_province=None,
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
    complaint_window=ComplaintWindow(
        40,
        "working",
        "s.20(5)",
        note="Requirement for review within 40 working days; then the Scottish Information Commissioner within 6 months (s.47(4)).",
    ),
    province_mode="fixed",
    default_province="SCT",
    pause_sections=("s.10(2) (days between a fees notice and payment are disregarded)",),
    restart_note="A request for clarification under s.1(3) restarts the clock: pass the date the clarification was received as the new receipt date.",
)

LAW_CODES: tuple[str, ...] = (
    "ca-atia",
    "ca-privacy",
    "ca-on-fippa",
    "ca-on-mfippa",
    "ca-bc-fippa",
    "ca-ab-foip",
    "ca-qc-access",
    "us-foia",
    "us-ca-cpra",
    "us-ny-foil",
    "uk-foia",
    "uk-sct-foisa",
)

LAWS: Mapping[str, Law] = MappingProxyType(
    {
        law.code: law
        for law in (
            _ATIA,
            _PRIVACY,
            _ON_FIPPA,
            _ON_MFIPPA,
            _BC,
            _AB,
            _QC,
            _US_FOIA,
            _CPRA,
            _NY,
            _UK,
            _FOISA,
        )
    }
)

EXTENSION_REASONS: Mapping[str, tuple[ExtensionReason, ...]] = MappingProxyType(
    {code: (law.extension.reasons if law.extension else ()) for code, law in LAWS.items()}
)


def get_law(code: str) -> Law:
    """Return the Law for a code, or raise ValueError naming the valid codes."""
    try:
        return LAWS[code]
    except (KeyError, TypeError):
        raise ValueError(f"unknown law {code!r}; valid codes: {', '.join(LAW_CODES)}") from None


def extension_reasons(code: str) -> tuple[ExtensionReason, ...]:
    """Return the valid extension reasons (code, label, section) for a law."""
    return EXTENSION_REASONS[get_law(code).code]
