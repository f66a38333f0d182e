"""What each law says about the letters a requester writes: the request itself, the review
the authority must be asked for first, and the sections a complaint on each ground cites.

Pure data (no Flask, no database), read by tracker/letters/. Only the facts the law registry
(laws.py, lawtypes.py) does not already hold: the body, windows and stages of a complaint live
there (``Law.complaint_window``, ``Law.next_stage``). Sections were read from the statutes:
ATIA s.6, s.30(1); 5 U.S.C. 552(a)(3)(A), (a)(4)(A); N.Y. Pub. Off. Law s.89(3)(a), s.89(4)(a);
FOIA 2000 s.8(1), s.50(1), s.50(2)(a); FOISA s.8(1), s.20(1), s.20(3), s.21(1), s.47(1).

When a request sent by e-mail is received (issue 22): ``email_receipt`` gives the day the
tracker records and, where the law leaves room, the later day an institution may count from,
each with its source (``EMAIL_RULES``). Read: UK FOIA s.10(6)(a) with the Information
Commissioner's line to take LTT47 and Berend v ICO (EA/2006/0049); 5 U.S.C. 552(a)(6)(A)(ii)
as amended by Pub. L. 110-175 s.6(a)(1), and one agency's rule on after-hours e-mail
(40 CFR 2.104(a)(2), EPA); New Brunswick's Electronic Transactions Act s.17(2)(a) (French
version, laws.gnb.ca). No other law's rule on e-mailed requests was found in its text, its
interpretation act or the electronic commerce acts searched (2026-12-07: the Ontario Electronic
Commerce Act, 2000 s.22 and British Columbia's Electronic Transactions Act were found only as
tables of contents or secondary summaries, Québec's LCCJTI only as its art. 28 and 32, not
art. 31; Manitoba's and Saskatchewan's acts to their opening or table of contents; Alberta's
Electronic Transactions Act lists only a time of sending, s.30; the federal Access to
Information Regulations (SOR/83-507, consolidated in 2019) s.4 say a request is made by
forwarding it to the institution's appropriate officer, not when an e-mail arrives): the
tracker then records the day the mail left, the earliest day the institution's time can run
from, for the reporter's own windows (never later than the law allows), and the later day
(``EmailReceipt.later_on``: the institution's next working day) for the institution's due date
(never called overdue too early); the page shows both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType

from tracker.deadlines.engine import non_working_reason
from tracker.deadlines.laws import LAWS


@dataclass(frozen=True)
class ReviewStep:
    """A review the authority itself must be asked for before the outside body."""

    section: str  # the section under which the review is asked for
    why: str  # why it comes first, with its section
    answer_days: int | None = None  # working days the authority has to answer it
    answer_section: str | None = None
    form_section: str | None = None  # what the requirement must contain


@dataclass(frozen=True)
class LetterLaw:
    """The letter facts of one law."""

    request_section: str  # the section under which a request is made
    request_form: str  # what the request must contain, as the Act says it
    fee_text: str = ""  # fees, waiver or media-fee language the request may include
    review: ReviewStep | None = None
    # The section a complaint (or appeal) on each ground is made under; grounds not listed
    # use the law's complaint section (tracker.packets.letter RULES).
    grounds: Mapping[str, str] = field(default_factory=dict)


_LETTER_LAWS: dict[str, LetterLaw] = {
    # ATIA s.6: in writing, to the institution, with enough detail to identify the record.
    # s.30(1)(a) refusal (deemed refusal s.10(3), exemptions, records not found), (b) fees
    # (s.11), (c) extension (s.9).
    "ca-atia": LetterLaw(
        request_section="s.6",
        request_form="in writing, to the institution that controls the record, with enough "
        "detail for an experienced employee to identify it with a reasonable effort",
        fee_text="The application fee set by the Access to Information Regulations is "
        "enclosed or paid online.",
        grounds=MappingProxyType(
            {
                "delay": "s.30(1)(a)",
                "exemptions": "s.30(1)(a)",
                "missing_records": "s.30(1)(a)",
                "fees": "s.30(1)(b)",
                "extension": "s.30(1)(c)",
            }
        ),
    ),
    # 5 U.S.C. 552(a)(3)(A): a request that reasonably describes the records, made under the
    # agency's published rules; (a)(4)(A)(ii)(II): a representative of the news media pays
    # duplication only; (a)(4)(A)(iii): waiver in the public interest. The appeal from an
    # adverse determination: (a)(6)(A)(i)(III)(aa), at least 90 days.
    "us-foia": LetterLaw(
        request_section="(3)(A)",
        request_form="reasonably describing the records and made under the agency's "
        "published rules",
        fee_text="I am a representative of the news media and ask to be charged duplication "
        "costs only (5 U.S.C. 552(a)(4)(A)(ii)(II)); I also ask for a waiver of all fees, as "
        "disclosure is in the public interest and not primarily in my commercial interest "
        "(5 U.S.C. 552(a)(4)(A)(iii)).",
        grounds=MappingProxyType(
            {
                "exemptions": "(6)(A)(i)(III)(aa)",
                "missing_records": "(6)(A)(i)(III)(aa)",
                "fees": "(6)(A)(i)(III)(aa)",
            }
        ),
    ),
    # N.Y. Pub. Off. Law s.89(3)(a): a written request reasonably describing the record;
    # s.89(4)(a): the appeal, within thirty days of a denial (silence past the time limit is a
    # denial).
    "us-ny-foil": LetterLaw(
        request_section="s.89(3)(a)",
        request_form="in writing, reasonably describing the records",
        grounds=MappingProxyType(
            {
                "delay": "s.89(4)(a)",
                "exemptions": "s.89(4)(a)",
                "missing_records": "s.89(4)(a)",
            }
        ),
    ),
    # FOIA 2000 s.8(1): in writing, the applicant's name and an address for correspondence,
    # a description of the information. s.50(2)(a): the Commissioner need not decide while the
    # complainant has not exhausted the authority's complaints procedure (the internal review
    # the s.45 code of practice provides for).
    "uk-foia": LetterLaw(
        request_section="s.8(1)",
        request_form="in writing, stating my name and an address for correspondence and "
        "describing the information requested",
        review=ReviewStep(
            section="s.45",
            why="The Commissioner may decline an application while the authority's own "
            "complaints procedure (the internal review provided for by the code of practice "
            "under s.45) has not been exhausted (s.50(2)(a)).",
        ),
        grounds=MappingProxyType({g: "s.50(1)" for g in ("delay", "exemptions", "fees")}),
    ),
    # FOISA s.8(1): as FOIA s.8(1). s.20(1): the requirement for review; s.20(3): in a
    # permanent form, with the name, an address for correspondence, the request and the
    # matter the applicant is dissatisfied with; s.21(1): 20 working days to answer it;
    # s.47(1): the application to the Commissioner after it.
    "uk-sct-foisa": LetterLaw(
        request_section="s.8(1)",
        request_form="in writing, stating my name and an address for correspondence and "
        "describing the information requested",
        review=ReviewStep(
            section="s.20(1)",
            why="An application to the Commissioner (s.47(1)) follows a requirement for "
            "review made to the authority (s.20(1)).",
            answer_days=20,
            answer_section="s.21(1)",
            form_section="s.20(3)",
        ),
        grounds=MappingProxyType({g: "s.47(1)" for g in ("delay", "exemptions", "fees")}),
    ),
}
LETTER_LAWS: Mapping[str, LetterLaw] = MappingProxyType(_LETTER_LAWS)


def letter_law(code: str) -> LetterLaw | None:
    """The letter facts of a law code, or None where the registry holds none beyond laws.py."""
    return LETTER_LAWS.get(code)


@dataclass(frozen=True)
class EmailRule:
    """A law's rule on when a request sent by e-mail is received."""

    section: str  # the rule, cited
    text: str  # what it says, in a clause
    # Whether an institution may still count from a later day than the day the mail arrived
    # (a day its office is closed, an e-mail after office hours).
    later_reading: bool = True


_EMAIL_RULES: dict[str, EmailRule] = {
    # FOIA 2000 s.10(6): '"the date of receipt" means (a) the day on which the public
    # authority receives the request for information'. ICO line to take LTT47: "There is no
    # requirement for this to be a working day"; Berend v ICO and LB Richmond upon Thames
    # (EA/2006/0049, 12 July 2007): a day is the calendar day, not the working day's hours.
    "uk-foia": EmailRule(
        section="FOIA s.10(6)(a)",
        text='the "date of receipt" is "the day on which the public authority receives the '
        'request"; the Information Commissioner reads it as any day, a weekend or a bank '
        "holiday included (line to take LTT47), and the Information Tribunal a day as the "
        "whole calendar day (Berend v ICO, EA/2006/0049)",
        later_reading=False,
    ),
    # 5 U.S.C. 552(a)(6)(A)(ii), second sentence, added by the OPEN Government Act of 2007
    # (Pub. L. 110-175, s.6(a)(1)). Agencies' FOIA rules may move after-hours e-mail: EPA,
    # 40 CFR 2.104(a)(2) (at or after 5 p.m. Eastern Time: the next business day).
    "us-foia": EmailRule(
        section="5 U.S.C. 552(a)(6)(A)(ii)",
        text='the 20 days start "on the date on which the request is first received by the '
        "appropriate component of the agency, but in any event not later than ten days after "
        "the request is first received by any component of the agency that is designated in "
        "the agency's regulations\" to receive requests; an agency's own FOIA rules may count "
        "an e-mail that arrives after office hours from the next business day (e.g. EPA, "
        "40 CFR 2.104(a)(2): at or after 5 p.m. Eastern Time)",
    ),
    # New Brunswick's Electronic Transactions Act (R.S.N.B. 2011, c. 145) s.17(2)(a), read in
    # its French version on laws.gnb.ca (at 14 May 2014): "L'information électronique est
    # présumée être reçue ... lorsque l'information entre dans un système d'information
    # désigné ou utilisé par le destinataire pour recevoir des informations du genre de
    # celles expédiées et qu'il est possible pour le destinataire de la récupérer et de la
    # traiter". s.5(1): an Act that expressly regulates electronic information prevails (the
    # RTIPPA does not say when a request is received); s.5(2): regulations may exclude matters
    # (not read).
    "ca-nb-rtippa": EmailRule(
        section="Electronic Transactions Act (N.B.) s.17(2)(a)",
        text="electronic information is presumed received when it enters an information "
        "system the addressee designates or uses to receive information of that kind and the "
        "addressee can retrieve and process it: the public body's mailbox, the day the mail "
        "arrives",
        later_reading=False,
    ),
}
EMAIL_RULES: Mapping[str, EmailRule] = MappingProxyType(_EMAIL_RULES)

# Where a law's rule leaves room, an e-mail arriving at or after this local time may be
# counted from the next working day (the cut-off of 40 CFR 2.104(a)(2)).
OFFICE_CLOSES = time(17, 0)


@dataclass(frozen=True)
class EmailReceipt:
    """When a request e-mailed at ``sent_at`` is received, under one law."""

    law_code: str
    sent_at: datetime
    received_on: date  # the day the tracker records as received
    later_on: date | None  # the later day an institution may count from, where it differs
    rule: EmailRule | None  # None: no rule on e-mailed requests was read for this law
    # Why the later day: "closed" (the mail left on a day the law's calendar does not count)
    # or "after hours" (at or after OFFICE_CLOSES); "" without a later day.
    why_later: str = ""


def closed_reason(law_code: str, day: date, province: str | None = None) -> str | None:
    """Why the institution's office is closed on ``day`` under its law (a holiday's name, or
    the weekday), or None on its working days. The law's own calendar, and a Saturday where the
    law's institution deadline rolls past one (Québec's IA s.52 "jour ouvrable suivant", read
    as the next business day: ``Law.roll_past_saturday``), although the law counts it."""
    reason = non_working_reason(law_code, day, province)
    if reason is None and day.weekday() == 5 and LAWS[law_code].roll_past_saturday:
        return "Saturday"
    return reason


def next_open_day(law_code: str, day: date, province: str | None = None) -> date:
    """``day`` if the institution's office is open under its law (``closed_reason``), else
    the next day it is."""
    while closed_reason(law_code, day, province) is not None:
        day += timedelta(days=1)
    return day


def email_receipt(law_code: str, sent_at: datetime, *, province: str | None = None) -> EmailReceipt:
    """When a request e-mailed at ``sent_at`` (aware, in the sender's local time) is received.

    The tracker records the day the mail left: the rule's own day where a rule was read (UK
    FOIA s.10(6)(a), US FOIA (6)(A)(ii), New Brunswick's Electronic Transactions Act
    s.17(2)(a)), otherwise the earliest day the institution's time
    can run from (the reporter's reading). ``later_on`` is the day an institution may count
    from instead, where the law leaves room: the next working day when the mail left on a day
    the law's calendar does not count, or at or after OFFICE_CLOSES."""
    if sent_at.tzinfo is None or sent_at.utcoffset() is None:
        raise ValueError("sent_at must be timezone-aware")
    rule = EMAIL_RULES.get(law_code)
    day = sent_at.date()
    later: date | None = None
    why = ""
    if rule is None or rule.later_reading:
        if closed_reason(law_code, day, province) is not None:
            later, why = next_open_day(law_code, day, province), "closed"
        elif sent_at.time() >= OFFICE_CLOSES:
            later, why = next_open_day(law_code, day + timedelta(days=1), province), "after hours"

    return EmailReceipt(law_code, sent_at, day, later, rule, why)
