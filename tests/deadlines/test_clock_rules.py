"""What a pause or a restart does to each law's clock (tracker/deadlines/clockrules.py).

Law, tested as law: the table of which laws stop or restart their count, with the section
of each, and hand-counted vectors of the request's due date when a fee notice, a
clarification or its answer is on the timeline. The rules live in tracker/deadlines, so a
change to them is a change of the rules fingerprint (``recompute-deadlines`` follows).
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker import deadlines
from tracker.deadlines import fingerprint
from tracker.requests.state import EventFact, derive_state

# law -> ({pause: section}, restart section), as the statutes read (reason in the comment).
AS_READ: dict[str, tuple[dict[str, str], str | None]] = {
    # UK FOIA s.10(2): days between a fees notice and payment are disregarded; s.1(3): a
    # request for further information restarts the 20 working days from its answer.
    "uk-foia": ({"fee": "FOIA s.10(2)"}, "FOIA s.1(3)"),
    # FOISA s.10(2) and s.1(3), the same two rules in the Scottish Act.
    "uk-sct-foisa": ({"fee": "FOISA s.10(2)"}, "FOISA s.1(3)"),
    # BC FIPPA s.7(4): the fee estimate stops the clock until the fee is paid.
    "ca-bc-fippa": ({"fee": "BC FIPPA s.7(4)"}, None),
    # New Brunswick RTIPPA s.11(1)(c): the 30 business days run "unless ... an estimate is
    # given to the applicant under section 80".
    "ca-nb-rtippa": ({"fee": "RTIPPA (N.B.) s.11(1)(c)"}, None),
    # 5 U.S.C. 552(a)(6)(A)(ii)(I)-(II): one toll for information, tolls for fee clarification.
    "us-foia": (
        {
            "fee": "5 U.S.C. 552(a)(6)(A)(ii)(II)",
            "clarification": "5 U.S.C. 552(a)(6)(A)(ii)(I)",
        },
        None,
    ),
    # Saskatchewan FOIP s.6(4) / LA FOIP s.6(4): where more detail is invited, the application
    # is deemed made when the record is identified.
    "ca-sk-foip": ({}, "FOIP (Sask.) s.6(4)"),
    "ca-sk-lafoip": ({}, "LA FOIP (Sask.) s.6(4)"),
}


@pytest.mark.parametrize("law", deadlines.LAW_CODES)
def test_each_law_pauses_and_restarts_as_its_statute_reads(law: str) -> None:
    pauses, restart = AS_READ.get(law, ({}, None))
    assert dict(deadlines.pause_rules(law)) == pauses
    assert deadlines.restart_rule(law) == restart


def test_the_rules_are_law_inside_the_fingerprint() -> None:
    names = {name for name, _ in fingerprint.rule_files(fingerprint.PACKAGE_DIR)}
    assert "clockrules.py" in names
    assert set(deadlines.PAUSE_RULES) | set(deadlines.RESTART_RULES) <= set(deadlines.LAW_CODES)


def _events(*entries: tuple[str, date]) -> list[EventFact]:
    return [EventFact(i + 1, kind, day) for i, (kind, day) in enumerate(entries)]


RECEIVED = date(2024, 3, 4)  # a Monday
TODAY = date(2024, 3, 20)

# law, timeline entries after receipt, due date, why (counted by hand on a 2024 calendar).
VECTORS = [
    (
        "uk-foia",
        (),
        date(2024, 4, 4),
        "20 working days from Tue 5 March, skipping Mon 18 March (St Patrick's Day on a "
        "Sunday, substitute bank holiday in Northern Ireland), Good Friday 29 March and Easter "
        "Monday 1 April (bank holidays in any part of the UK, s.10(6)): Thu 4 April (s.10(1))",
    ),
    (
        "uk-foia",
        (("fee_notice", date(2024, 3, 11)), ("fee_paid", date(2024, 3, 15))),
        date(2024, 4, 10),
        "the fees notice of Mon 11 March to the payment on Fri 15 March: 11-14 March (4 "
        "working days) disregarded (s.10(2)); the 20th working day moves from 4 to 10 April",
    ),
    (
        "uk-foia",
        (("clarification_answered", date(2024, 3, 11)),),
        date(2024, 4, 11),
        "the answer to a request for further information on Mon 11 March restarts the count "
        "(s.1(3)): 20 working days from Tue 12 March, past 18 March, Good Friday and Easter "
        "Monday, end Thu 11 April",
    ),
    (
        "us-foia",
        (),
        date(2024, 4, 1),
        "20 working days from Tue 5 March (no federal holiday in March 2024): Mon 1 April "
        "(5 U.S.C. 552(a)(6)(A)(i))",
    ),
    (
        "us-foia",
        (
            ("clarification_requested", date(2024, 3, 6)),
            ("clarification_answered", date(2024, 3, 8)),
        ),
        date(2024, 4, 3),
        "the request for information of Wed 6 March tolls the clock until its answer on Fri 8 "
        "March ((6)(A)(ii)(I)): 6-7 March not counted, the due date moves 2 working days",
    ),
    (
        "ca-sk-foip",
        (),
        date(2024, 4, 3),
        "30 days from Tue 5 March (s.7(2); The Legislation Act s.2-28(2)): Wed 3 April",
    ),
    (
        "ca-sk-foip",
        (("clarification_answered", date(2024, 3, 11)),),
        date(2024, 4, 10),
        "the record is identified on Mon 11 March, the application is made that day (s.6(4)): "
        "30 days from 12 March end Wed 10 April",
    ),
    (
        "ca-sk-lafoip",
        (("clarification_answered", date(2024, 3, 11)),),
        date(2024, 4, 10),
        "LA FOIP s.6(4) as FOIP s.6(4): 30 days from 12 March end Wed 10 April",
    ),
    (
        "ca-nb-rtippa",
        (),
        date(2024, 4, 17),
        "30 business days from Tue 5 March (s.11(1); s.1 'business day': not a Saturday or a "
        "holiday), past Good Friday 29 March and Easter Monday 1 April (the public body's "
        "later reading of the Interpretation Act s.38): Wed 17 April",
    ),
    (
        "ca-nb-rtippa",
        (("fee_notice", date(2024, 3, 11)), ("fee_paid", date(2024, 3, 15))),
        date(2024, 4, 23),
        "the 30 business days do not run while an estimate under s.80 is outstanding "
        "(s.11(1)(c)): 11-14 March (4 business days) not counted, Wed 17 April moves to "
        "Tue 23 April",
    ),
    (
        "ca-atia",
        (("fee_notice", date(2024, 3, 11)),),
        date(2024, 4, 3),
        "the ATIA stops no clock for a fee notice: 30 days from Tue 5 March end Wed 3 April "
        "(s.7; Interpretation Act s.27)",
    ),
    (
        "ca-atia",
        (("clarification_answered", date(2024, 3, 11)),),
        date(2024, 4, 3),
        "nor does the answer to a clarification restart it (no section says so): Wed 3 April",
    ),
]


@pytest.mark.parametrize(("law", "entries", "due", "why"), VECTORS)
def test_the_due_date_with_pauses_and_restarts(
    law: str, entries: tuple[tuple[str, date], ...], due: date, why: str
) -> None:
    state = derive_state(law, None, RECEIVED, _events(("filed", RECEIVED), *entries), TODAY)
    assert state.due_on == due, why


def test_a_restart_names_its_section_and_an_open_pause_holds_the_request() -> None:
    restarted = derive_state(
        "ca-sk-foip",
        None,
        RECEIVED,
        _events(("filed", RECEIVED), ("clarification_answered", date(2024, 3, 11))),
        TODAY,
    )
    assert (restarted.clock_start, restarted.restarted_by) == (
        date(2024, 3, 11),
        "FOIP (Sask.) s.6(4)",
    )
    held = derive_state(
        "ca-bc-fippa",
        None,
        RECEIVED,
        _events(("filed", RECEIVED), ("fee_notice", date(2024, 3, 11))),
        TODAY,
    )
    assert (held.status, held.open_pause_since) == ("on_hold", date(2024, 3, 11))
    # A law with no fee pause keeps counting through a fee notice.
    counting = derive_state(
        "ca-on-fippa",
        None,
        RECEIVED,
        _events(("filed", RECEIVED), ("fee_notice", date(2024, 3, 11))),
        TODAY,
    )
    assert (counting.status, counting.open_pause_since, counting.pauses) == ("awaiting", None, ())


def test_us_foia_tolls_only_requests_received_from_2008_12_31() -> None:
    """Pub. L. 110-175 s.6(a) (121 Stat. 2526) added the tolls of (6)(A)(ii)(I)-(II), in
    effect one year after its enactment on 31 December 2007 (s.6(a)(2))."""
    assert deadlines.pause_rules("us-foia", date(2008, 12, 30)) == {}
    assert set(deadlines.pause_rules("us-foia", date(2008, 12, 31))) == {"fee", "clarification"}
    # Received Mon 2008-06-02: 20 working days from 3 June, no federal holiday before 4 July:
    # Mon 30 June; a request for information then tolled nothing.
    received = date(2008, 6, 2)
    entries = (
        ("clarification_requested", date(2008, 6, 4)),
        ("clarification_answered", date(2008, 6, 10)),
    )
    before = derive_state(
        "us-foia", None, received, _events(("filed", received), *entries), date(2008, 6, 20)
    )
    assert (before.due_on, before.pauses) == (date(2008, 6, 30), ())
    # The same timeline ten years later is tolled.
    received = date(2018, 6, 4)  # a Monday
    entries = (
        ("clarification_requested", date(2018, 6, 6)),
        ("clarification_answered", date(2018, 6, 12)),
    )
    after = derive_state(
        "us-foia", None, received, _events(("filed", received), *entries), date(2018, 6, 20)
    )
    # Without the toll: 20 working days from Tue 5 June reach Mon 2 July 2018. The toll runs
    # 6-11 June (the answer's day counts): 4 working days, and past Wed 4 July (Independence
    # Day) the 20th working day is Mon 9 July.
    assert after.pauses == ((date(2018, 6, 6), date(2018, 6, 11)),)
    assert after.due_on == date(2018, 7, 9)
