"""Which letter each law offers at each milestone, to whom, citing what, until when (issue 22).

Pure: the request's state is derived from a timeline as the tracker derives it
(tracker.requests.state), and the offers read it with the law registry.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker import deadlines
from tracker.letters.rules import ComplaintFact, LetterFacts, SentLetter, offers, stance
from tracker.packets.letter import rules_for
from tracker.requests.state import EventFact, derive_state

RECEIVED = date(2026, 1, 5)  # a Monday, no holiday in the first days anywhere


def facts(
    law: str,
    events: list[tuple[str, date, dict]],
    today: date,
    *,
    received: date = RECEIVED,
    outcome: str | None = None,
    complaints: tuple[ComplaintFact, ...] = (),
    letters: tuple[SentLetter, ...] = (),
    sent_on: date | None = RECEIVED,
    fee_pending: bool = False,
    province: str | None = None,
) -> LetterFacts:
    """A request's letter facts from its timeline (entries as (kind, date, details))."""
    state = derive_state(
        law,
        province,
        received,
        [EventFact(i + 1, k, d, None, det) for i, (k, d, det) in enumerate(events)],
        today,
    )
    return LetterFacts(
        law=deadlines.law_in_force(law, received),
        state=state,
        today=today,
        received_on=received,
        province=province,
        sent_on=sent_on,
        outcome=outcome,
        fee_pending=fee_pending,
        complaints=complaints,
        letters=letters,
    )


def keys(f: LetterFacts) -> list[str]:
    return [o.key for o in offers(f)]


def by_key(f: LetterFacts, key: str):
    found = [o for o in offers(f) if o.key == key]
    assert found, f"{key} not offered: {keys(f)}"
    return found[0]


def due(law: str, received: date = RECEIVED) -> date:
    return deadlines.due_date(law, received)


# Each law: the body a delay complaint goes to and the section it is made under, or None where
# silence leads elsewhere (US FOIA: court, (6)(C)(i); CPRA: a petition to the court), and
# the first step where the authority reviews first.
DELAY = {
    "ca-atia": ("Information Commissioner of Canada", "ATIA s.30(1)(a)"),
    "ca-privacy": ("Privacy Commissioner of Canada", "Privacy Act s.29(1)(b)"),
    "ca-on-fippa": ("Information and Privacy Commissioner of Ontario", "FIPPA (Ont.) s.50(1)"),
    "ca-on-mfippa": ("Information and Privacy Commissioner of Ontario", "MFIPPA (Ont.) s.39(1)"),
    "ca-bc-fippa": (None, "s.52(1)"),
    # Alberta's Access to Information Act (from 2025-06-11): cited by subject (packets/letter.py).
    "ca-ab-foip": (None, "request for review"),
    "ca-qc-access": ("Commission d'accès à l'information", "s.135"),
    "ca-nb-rtippa": (None, "s.67(1)(a)(i)"),
    "ca-mb-fippa": (None, "s.59"),
    "ca-sk-foip": (None, "s.49(1)"),
    "ca-sk-lafoip": (None, "s.38(1)"),
    "us-ny-foil": ("the agency's records access appeals officer", "N.Y. Pub. Off. Law s.89(4)(a)"),
}


def test_every_law_is_covered_here():
    assert set(DELAY) | {"us-foia", "us-ca-cpra", "uk-foia", "uk-sct-foisa"} == set(
        deadlines.LAW_CODES
    )


@pytest.mark.parametrize("law", deadlines.LAW_CODES)
def test_follow_up_in_the_week_before_the_due_date(law):
    d = due(law)
    f = facts(law, [], d - timedelta(days=3))
    offer = by_key(f, "follow_up")
    assert not offer.to_body and offer.window_ends == d
    assert offer.sections == (f.law.period_text,)
    # Not earlier than a week ahead, and never a complaint before the due date.
    assert keys(facts(law, [], d - timedelta(days=8))) == []
    assert not any(k.startswith(("complaint", "review")) for k in keys(f))
    assert stance(f) == "not_yet"


@pytest.mark.parametrize("law", sorted(DELAY))
def test_after_silence_the_delay_complaint_goes_to_the_body_the_law_names(law):
    d = due(law)
    f = facts(law, [], d + timedelta(days=1))
    assert "follow_up_overdue" in keys(f)
    offer = by_key(f, "complaint:delay")
    body, section = DELAY[law]
    law_obj = f.law
    expected_body = body or (
        law_obj.complaint_window.body
        if law_obj.complaint_window and law_obj.complaint_window.body
        else law_obj.complaint_body
    )
    assert offer.to_body and offer.addressee == expected_body
    assert offer.sections[-1].endswith(section)
    rules = rules_for(law, law_obj.effective_from)
    assert offer.sections[-1] == law_obj.cite(rules.complaint_section)
    # The window the state computed after the deemed refusal, where the law sets one.
    assert offer.window_ends == f.state.complaint_due_on
    assert stance(f) == "ongoing"


def test_atia_seed_case_dates_and_sections():
    """La Presse / RCMP: received 2020-02-10, due 2020-03-11, window to 2020-05-11."""
    received = date(2020, 2, 10)
    ack = [("acknowledgement", date(2020, 2, 14), {})]
    f = facts("ca-atia", ack, date(2020, 3, 12), received=received, sent_on=received)
    offer = by_key(f, "complaint:delay")
    assert offer.sections == ("ATIA s.7", "ATIA s.10(3)", "ATIA s.30(1)(a)")
    assert offer.window_ends == date(2020, 5, 11) and offer.window_section == "s.31"
    # Past the window nothing more about the delay is offered while the RCMP stays silent.
    later = facts("ca-atia", ack, date(2020, 5, 12), received=received, sent_on=received)
    assert keys(later) == ["follow_up_overdue"]
    # Once the response came (late), the delay is a past fact with a new window.
    answered = [*ack, ("final_response", date(2022, 4, 15), {"outcome": "partial"})]
    f = facts("ca-atia", answered, date(2022, 4, 16), received=received, outcome="partial")
    assert stance(f) == "past"
    assert "follow_up_overdue" not in keys(f)
    assert by_key(f, "complaint:delay").window_ends == date(2022, 6, 14)
    assert by_key(f, "complaint:exemptions").window_ends == date(2022, 6, 14)
    # Once the delay complaint is filed: no second one; a follow-up citing its file number.
    filed = ComplaintFact(
        "delay", date(2022, 4, 20), "Information Commissioner of Canada", "5820-00123"
    )
    events = [*answered, ("complaint_filed", date(2022, 4, 20), {"grounds": "delay"})]
    f = facts(
        "ca-atia",
        events,
        date(2022, 4, 21),
        received=received,
        outcome="partial",
        complaints=(filed,),
    )
    assert "complaint:delay" not in keys(f)
    follow = by_key(f, "complaint_follow_up:delay")
    assert follow.file_number == "5820-00123" and follow.to_body
    assert stance(f) == "filed"
    # Decided: the request is closed and nothing is offered.
    decided = ComplaintFact(
        "delay", date(2022, 4, 20), "", "5820-00123", "well_founded", date(2023, 3, 1)
    )
    events = [*events, ("complaint_finding", date(2023, 3, 1), {"finding": "well_founded"})]
    f = facts(
        "ca-atia",
        events,
        date(2026, 11, 22),
        received=received,
        outcome="partial",
        complaints=(decided,),
    )
    assert f.state.status == "closed" and keys(f) == []


def test_nothing_overdue_during_a_pause_or_a_lawful_extension():
    d = due("uk-foia")
    paused = facts(
        "uk-foia", [("fee_notice", RECEIVED + timedelta(days=3), {})], d + timedelta(days=2)
    )
    assert paused.state.status == "on_hold"
    assert not any(k.startswith(("follow_up_overdue", "complaint", "review")) for k in keys(paused))
    # ATIA s.9(1): 30 days more, noticed in time; the original due date passing is not late.
    ext = [
        (
            "extension",
            RECEIVED + timedelta(days=10),
            {
                "days": 30,
                "reason": "volume",
                "notice_on": (RECEIVED + timedelta(days=10)).isoformat(),
            },
        )
    ]
    f = facts("ca-atia", ext, due("ca-atia") + timedelta(days=5))
    assert f.state.status == "awaiting"
    assert keys(f) == []


def test_nothing_once_withdrawn():
    f = facts(
        "ca-atia",
        [("withdrawn", RECEIVED + timedelta(days=40), {"closure": "withdrawn"})],
        RECEIVED + timedelta(days=45),
    )
    assert keys(f) == []


def test_the_request_letter_until_it_is_sent():
    f = facts("us-foia", [], RECEIVED, sent_on=None)
    offer = by_key(f, "request")
    assert offer.sections == ("5 U.S.C. 552(a)(3)(A)",) and not offer.to_body
    sent = facts(
        "us-foia", [], RECEIVED, sent_on=None, letters=(SentLetter("request", None, RECEIVED),)
    )
    assert "request" not in keys(sent)


def test_us_foia_appeal_within_90_days_of_an_adverse_determination():
    d = due("us-foia")
    silent = facts("us-foia", [], d + timedelta(days=1))
    # Silence: constructive exhaustion ((6)(C)(i)) leads to court, not to an appeal.
    assert keys(silent) == ["follow_up_overdue"]
    assert by_key(silent, "follow_up_overdue").sections[-1] == "5 U.S.C. 552(a)(6)(C)(i)"
    responded = RECEIVED + timedelta(days=10)
    events = [("final_response", responded, {"outcome": "refused"})]
    f = facts("us-foia", events, responded + timedelta(days=1), outcome="refused")
    offer = by_key(f, "complaint:exemptions")
    assert offer.addressee == "the agency's FOIA appeal authority"
    assert offer.sections == ("5 U.S.C. 552(a)(6)(A)(i)(III)(aa)",)
    assert offer.window_ends == responded + timedelta(days=90)
    closed = facts("us-foia", events, responded + timedelta(days=91), outcome="refused")
    assert "complaint:exemptions" not in keys(closed)


def test_ny_foil_appeal_within_30_days_of_a_denial():
    responded = RECEIVED + timedelta(days=3)
    events = [("final_response", responded, {"outcome": "partial"})]
    f = facts("us-ny-foil", events, responded + timedelta(days=1), outcome="partial")
    offer = by_key(f, "complaint:exemptions")
    assert offer.addressee == "the agency's records access appeals officer"
    assert offer.sections == ("N.Y. Pub. Off. Law s.89(4)(a)",)
    # 30 days from the denial (General Construction Law s.25-a: past a weekend or holiday).
    end = offer.window_ends
    assert (end - responded).days >= 30 and (end - responded).days <= 33
    assert deadlines.is_working_day("us-ny-foil", end)


def test_uk_foia_internal_review_first_then_the_commissioner():
    d = due("uk-foia")
    f = facts("uk-foia", [], d + timedelta(days=1))
    assert "review:delay" in keys(f)
    assert not any(k.startswith("complaint:") for k in keys(f))
    review = by_key(f, "review:delay")
    assert review.sections == ("FOIA 2000 s.45",) and not review.to_body
    after = facts(
        "uk-foia",
        [],
        d + timedelta(days=30),
        letters=(SentLetter("review", "delay", d + timedelta(days=2)),),
    )
    offer = by_key(after, "complaint:delay")
    assert offer.addressee == "Information Commissioner's Office"
    assert offer.sections[-1] == "FOIA 2000 s.50(1)"
    assert offer.after_review_on == d + timedelta(days=2)
    assert "review:delay" not in keys(after)


def test_foisa_requirement_for_review_then_application_after_20_working_days():
    d = due("uk-sct-foisa")
    f = facts("uk-sct-foisa", [], d + timedelta(days=1))
    review = by_key(f, "review:delay")
    assert review.sections == ("FOISA s.20(1)",)
    assert review.addressee == "the Scottish public authority"
    assert review.window_ends == f.state.complaint_due_on and review.window_section == "s.20(5)"
    sent = d + timedelta(days=2)
    letters = (SentLetter("review", "delay", sent),)
    waiting = facts("uk-sct-foisa", [], sent + timedelta(days=10), letters=letters)
    assert not any(k.startswith(("complaint:", "review:")) for k in keys(waiting))
    answer_by = deadlines.add_working_days("uk-sct-foisa", sent, 20)
    ready = facts("uk-sct-foisa", [], answer_by + timedelta(days=1), letters=letters)
    offer = by_key(ready, "complaint:delay")
    assert offer.addressee == "the Scottish Information Commissioner"
    assert offer.sections[-1] == "FOISA s.47(1)"
    assert offer.window_ends == deadlines.next_stage_deadline(
        "uk-sct-foisa", answer_by, received=RECEIVED
    )
    assert offer.window_section == "s.47(4)"
    # Past the 40 working days of s.20(5), which the review was made within, still offered.
    later = facts("uk-sct-foisa", [], f.state.complaint_due_on + timedelta(days=5), letters=letters)
    assert "complaint:delay" in keys(later)


def test_cpra_offers_no_letter_to_a_court():
    d = due("us-ca-cpra")
    f = facts("us-ca-cpra", [], d + timedelta(days=3))
    assert keys(f) == ["follow_up_overdue"]
    petition = ComplaintFact("delay", d + timedelta(days=2), "Superior Court")
    f = facts("us-ca-cpra", [], d + timedelta(days=3), complaints=(petition,))
    assert keys(f) == ["follow_up_overdue"]


def test_fees_and_extension_grounds():
    f = facts(
        "ca-atia",
        [("fee_notice", RECEIVED + timedelta(days=5), {})],
        RECEIVED + timedelta(days=6),
        fee_pending=True,
    )
    offer = by_key(f, "complaint:fees")
    assert offer.sections == ("ATIA s.30(1)(b)",)
    # An extension noticed after the deadline has a problem: a complaint under s.30(1)(c).
    late_notice = due("ca-atia") + timedelta(days=2)
    ext = [
        (
            "extension",
            late_notice,
            {"days": 30, "reason": "volume", "notice_on": late_notice.isoformat()},
        )
    ]
    state_facts = facts("ca-atia", ext, late_notice + timedelta(days=1))
    from dataclasses import replace

    f = replace(state_facts, extension_problems=True)
    assert by_key(f, "complaint:extension").sections == ("ATIA s.30(1)(c)",)


def test_the_complaint_forms_description_names_the_days_claimed(app):
    """Issue 22 part 4: the form's description, from the timeline. An extension noticed after
    the ATIA deadline (s.9(1)) moves nothing, but the 30 days claimed are what is complained of."""
    from dataclasses import replace

    from tracker.letters import compose

    late_notice = due("ca-atia") + timedelta(days=2)
    ext = [
        (
            "extension",
            late_notice,
            {"days": 30, "reason": "volume", "notice_on": late_notice.isoformat()},
        )
    ]
    f = replace(facts("ca-atia", ext, late_notice + timedelta(days=1)), extension_problems=True)
    assert f.state.extension_days == 0  # not counted in the due date
    offer = by_key(f, "complaint:extension")
    reporter = compose.Reporter("Marie Côté", "marie@lapresse.ca", "La Presse", "", "")
    request = compose.RequestFacts("Ministry", None, "Records", "", "A-1", RECEIVED, RECEIVED, ())
    form = dict(compose.complaint_form(offer, f, request, reporter, "en"))
    assert form["Description"] == (
        f"Request received {RECEIVED.isoformat()}; the extension of 30 day(s) was not taken "
        f"as the law requires; response due {due('ca-atia').isoformat()}."
    )
    form_fr = dict(compose.complaint_form(offer, f, request, reporter, "fr"))
    assert form_fr["Description"].startswith("Demande reçue le 2026-01-05; la prorogation de 30")
