"""Every letter each law offers, at each milestone, drafts in English and French: addressed as
offered, citing its sections and dates, with nothing left unfilled."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tracker import deadlines
from tracker.letters import compose
from tracker.letters.rules import ComplaintFact, LetterFacts, SentLetter, offers
from tracker.requests.state import EventFact, derive_state

RECEIVED = date(2026, 1, 5)
REPORTER = compose.Reporter("Marie Côté", "marie@lapresse.ca", "La Presse", "7 rue X", "514")
REQUEST = compose.RequestFacts(
    "The Ministry", "foi@ministry.test", "Records", "All records.", "F-1", RECEIVED, None
)


def milestones(law: str) -> list[LetterFacts]:
    """The request before its due date, after it, answered in part, under complaint, reviewed."""
    due = deadlines.due_date(law, RECEIVED)
    answered_on = RECEIVED + timedelta(days=4)
    answered = [EventFact(1, "final_response", answered_on, None, {"outcome": "partial"})]
    complaint = ComplaintFact("delay", due + timedelta(days=3), "", "C-77")
    version = deadlines.law_in_force(law, RECEIVED)

    def at(today, events=(), **more):
        state = derive_state(law, None, RECEIVED, list(events), today)
        return LetterFacts(version, state, today, RECEIVED, **more)

    return [
        at(RECEIVED),  # the request letter
        at(due - timedelta(days=2), sent_on=RECEIVED),
        at(due + timedelta(days=1), sent_on=RECEIVED),
        at(answered_on + timedelta(days=1), answered, sent_on=RECEIVED, outcome="partial"),
        at(
            due + timedelta(days=5),
            [EventFact(1, "complaint_filed", due + timedelta(days=3), None, {"grounds": "delay"})],
            sent_on=RECEIVED,
            complaints=(complaint,),
        ),
        at(
            due + timedelta(days=60),
            sent_on=RECEIVED,
            letters=(SentLetter("review", "delay", due + timedelta(days=2)),),
        ),
    ]


@pytest.mark.parametrize("law", deadlines.LAW_CODES)
def test_every_offered_letter_drafts_in_both_languages(app, law):
    drafted = set()
    with app.app_context():
        for facts in milestones(law):
            for offer in offers(facts):
                for language in compose.LANGUAGES:
                    d = compose.draft(offer, facts, REQUEST, REPORTER, language)
                    drafted.add(offer.kind)
                    where = f"{law} {offer.key} {language}"
                    assert d.subject and d.body.strip(), where
                    for leftover in (
                        "None",
                        "{{",
                        "{%",
                        "[]",
                        "()",
                        " 1 calendar days",
                        " 1 jours",
                    ):
                        assert leftover not in d.body, (where, leftover, d.body)
                    assert "The Ministry" in d.body, where
                    if language == "fr" and law.startswith("ca-"):
                        # The French statute's own form, never the English "s.".
                        assert not re.search(r"\bs\.\s?\d", d.body), (where, d.body)
                    assert "Marie Côté" in d.body and "F-1" in d.body, where
                    if offer.to_body:
                        assert d.recipient_name and not d.recipient_email, where
                    else:
                        assert d.recipient_email == "foi@ministry.test", where
                    if offer.window_ends is not None and offer.kind != "follow_up":
                        assert offer.window_ends.isoformat() in d.body, where
                    if offer.kind == "follow_up":
                        assert facts.state.due_on.isoformat() in d.body, where
                    if offer.file_number:
                        assert offer.file_number in d.body, where
                    if offer.kind == "complaint":
                        # The section it is made under, as the language cites it.
                        section = offer.sections[-1].rsplit(" ", 1)[-1].removeprefix("s.")
                        if language == "fr":
                            section = compose.cite(facts.law, offer.sections[-1], "fr")
                        assert section in d.body, (where, section)
    assert {"request", "follow_up", "follow_up_overdue"} <= drafted
    if law != "us-ca-cpra":
        assert "complaint" in drafted and "complaint_follow_up" in drafted
    if law in ("uk-foia", "uk-sct-foisa"):
        assert "review" in drafted
