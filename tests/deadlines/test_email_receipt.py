"""When a request sent by e-mail is received, law by law (tracker/deadlines/letters.py).

The rules as read: UK FOIA s.10(6)(a) ('"the date of receipt" means ... the day on which the
public authority receives the request'; ICO line to take LTT47: "There is no requirement for
this to be a working day"); 5 U.S.C. 552(a)(6)(A)(ii) (the 20 days start "on the date on
which the request is first received by the appropriate component of the agency"; an agency's
rules may move after-hours e-mail, 40 CFR 2.104(a)(2): "at or after 5 p.m. Eastern Time ...
the next business day"); New Brunswick's Electronic Transactions Act s.17(2)(a) (presumed
received when it enters a system the addressee uses to receive it). No other law's rule was
found: the tracker records the day the mail
left (the reporter's reading) and names the later day an institution may count from.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tracker import deadlines
from tracker.deadlines.letters import EMAIL_RULES, OFFICE_CLOSES, email_receipt

TORONTO = ZoneInfo("America/Toronto")
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
WINNIPEG = ZoneInfo("America/Winnipeg")


def at(day: str, hour: int, minute: int = 0, zone: ZoneInfo = TORONTO) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=zone).replace(
        hour=hour, minute=minute
    )


# law, sent at (local), recorded received date, later day (None: none), why the later day.
VECTORS = [
    # UK FOIA s.10(6)(a): the day the authority receives it, a Saturday included (LTT47).
    ("uk-foia", at("2024-03-02", 10, zone=LONDON), "2024-03-02", None, ""),
    # ... and the whole calendar day (Berend): no after-hours reading.
    ("uk-foia", at("2024-03-04", 23, 30, LONDON), "2024-03-04", None, ""),
    # Good Friday 2024-03-29 (a bank holiday): still the day of receipt.
    ("uk-foia", at("2024-03-29", 9, zone=LONDON), "2024-03-29", None, ""),
    # US FOIA (6)(A)(ii): first received by the appropriate component, the day it arrives;
    # at or after 5 p.m. an agency's rule may count from the next business day.
    ("us-foia", at("2024-03-28", 16, 59, NEW_YORK), "2024-03-28", None, ""),
    ("us-foia", at("2024-03-28", 17, 0, NEW_YORK), "2024-03-28", "2024-03-29", "after hours"),
    # Friday after hours: the next business day is Monday.
    ("us-foia", at("2024-03-29", 18, zone=NEW_YORK), "2024-03-29", "2024-04-01", "after hours"),
    # Juneteenth 2024 (Wed 19 June, 5 U.S.C. 6103): the next business day is Thu 20 June.
    ("us-foia", at("2024-06-19", 9, zone=NEW_YORK), "2024-06-19", "2024-06-20", "closed"),
    # ATIA: no rule read. Saturday: recorded Saturday (day 0), Monday the later day.
    ("ca-atia", at("2024-03-02", 10), "2024-03-02", "2024-03-04", "closed"),
    # Good Friday and Easter Monday (Interpretation Act s.35): Thursday's late mail -> Tuesday.
    ("ca-atia", at("2024-03-28", 19), "2024-03-28", "2024-04-02", "after hours"),
    ("ca-atia", at("2024-03-04", 9), "2024-03-04", None, ""),
    # Québec: Sunday 23 June 2024, then the Fête nationale (s.61(23)): Tuesday 25 June.
    ("ca-qc-access", at("2024-06-23", 9), "2024-06-23", "2024-06-25", "closed"),
    # Manitoba: Louis Riel Day 2024-02-19 (Interpretation Act s.23(1)).
    ("ca-mb-fippa", at("2024-02-19", 11, zone=WINNIPEG), "2024-02-19", "2024-02-20", "closed"),
    # New Brunswick: Electronic Transactions Act s.17(2)(a), presumed received when it enters
    # the public body's system: the Saturday, with no later reading, after hours too.
    ("ca-nb-rtippa", at("2024-03-02", 10), "2024-03-02", None, ""),
    ("ca-nb-rtippa", at("2024-03-04", 22), "2024-03-04", None, ""),
]


@pytest.mark.parametrize(("law", "sent_at", "received", "later", "why"), VECTORS)
def test_the_received_date_of_an_e_mailed_request(
    law: str, sent_at: datetime, received: str, later: str | None, why: str
) -> None:
    receipt = email_receipt(law, sent_at)
    assert receipt.received_on == date.fromisoformat(received)
    assert receipt.later_on == (date.fromisoformat(later) if later else None)
    assert receipt.why_later == why
    assert (receipt.rule is not None) == (law in EMAIL_RULES)


def test_only_the_rules_read_are_cited() -> None:
    assert {code: rule.section for code, rule in EMAIL_RULES.items()} == {
        "uk-foia": "FOIA s.10(6)(a)",
        "us-foia": "5 U.S.C. 552(a)(6)(A)(ii)",
        "ca-nb-rtippa": "Electronic Transactions Act (N.B.) s.17(2)(a)",
    }
    assert EMAIL_RULES["uk-foia"].later_reading is False
    assert EMAIL_RULES["ca-nb-rtippa"].later_reading is False
    assert "first received by the appropriate component" in EMAIL_RULES["us-foia"].text
    assert set(EMAIL_RULES) <= set(deadlines.LAW_CODES)
    assert OFFICE_CLOSES.hour == 17


def test_the_recorded_day_is_never_after_the_later_day() -> None:
    """The reporter's reading: the recorded day is the earliest the time can run from."""
    for law in deadlines.LAW_CODES:
        for day in ("2024-03-02", "2024-03-28", "2024-12-24"):
            for hour in (9, 20):
                sent = at(day, hour)
                receipt = email_receipt(law, sent)
                assert receipt.received_on == sent.date()
                if receipt.later_on is not None:
                    assert receipt.later_on > receipt.received_on


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        email_receipt("ca-atia", datetime(2024, 3, 4, 9))


def test_every_rule_on_e_mailed_requests_has_its_french():
    """A rule added to EMAIL_RULES without its French fails here, not on a French page."""
    from tracker.deadlines import french
    from tracker.deadlines.letters import EMAIL_RULES

    for code in EMAIL_RULES:
        section, text = french.email_rule(code)
        assert section and text
        assert " s." not in section  # the French citation form: art., par., al.
