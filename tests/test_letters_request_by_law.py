"""The request letter under each law whose "how to make a request" section was read in the
official text: it cites that section and states the form (and the fee, where the law has one)
in the letter's language; a law whose section was not read keeps the Act's name alone."""

from __future__ import annotations

from datetime import date

import pytest

from tracker import deadlines
from tracker.letters import compose
from tracker.letters.rules import LetterFacts, offers
from tracker.requests.state import derive_state

RECEIVED = date(2026, 1, 5)
REPORTER = compose.Reporter("Marie Côté", "marie@lapresse.ca", "La Presse")
REQUEST = compose.RequestFacts(
    "The Ministry", "foi@ministry.test", "Records", "All records.", None, RECEIVED, None
)


def request_letter(law: str, language: str) -> str:
    version = deadlines.law_in_force(law, RECEIVED)
    facts = LetterFacts(
        version, derive_state(law, None, RECEIVED, [], RECEIVED), RECEIVED, RECEIVED
    )
    (offer,) = [x for x in offers(facts) if x.kind == "request"]
    return compose.draft(offer, facts, REQUEST, REPORTER, language).body


def test_privacy_act_request_cites_s13_2_in_english(app):
    with app.app_context():
        body = request_letter("ca-privacy", "en")
    assert "I make this request under the Privacy Act (Privacy Act s.13(2))," in body
    assert "in writing, to the government institution that has control of the information" in body
    assert "reasonably retrievable by the institution" in body
    # The Act sets no application fee: the letter offers none.
    assert "fee" not in body.lower()


def test_privacy_act_request_in_the_acts_own_french_words(app):
    with app.app_context():
        body = request_letter("ca-privacy", "fr")
    assert (
        "Je présente cette demande en vertu de la Loi sur la protection des renseignements "
        "personnels (par. 13(2) de la Loi sur la protection des renseignements personnels), "
        "par écrit auprès de l'institution fédérale de qui relèvent les renseignements" in body
    )
    assert "sans problèmes sérieux" in body
    assert "frais" not in body


@pytest.mark.parametrize("language", compose.LANGUAGES)
def test_atia_request_keeps_its_section_and_fee(app, language):
    with app.app_context():
        body = request_letter("ca-atia", language)
    if language == "en":
        assert "(ATIA s.6), in writing" in body and "application fee" in body
    else:
        assert (
            "(art. 6 de la Loi sur l'accès à l'information), par écrit auprès de l'institution "
            "fédérale dont relève le document" in body
        )
        assert "par. 11(1) de la Loi sur l'accès à l'information" in body


def test_quebec_request_cites_s43_in_both_languages(app):
    with app.app_context():
        en = request_letter("ca-qc-access", "en")
        fr = request_letter("ca-qc-access", "fr")
    assert "s.43), in writing, addressed to the person in charge of access to documents" in en
    assert (
        "(art. 43 de la Loi sur l'accès), par écrit, adressée au responsable de l'accès aux "
        "documents au sein de l'organisme public" in fr
    )


@pytest.mark.parametrize(
    "law", ["ca-on-fippa", "ca-on-mfippa", "ca-bc-fippa", "ca-mb-fippa", "ca-nb-rtippa"]
)
def test_a_law_whose_request_section_was_not_read_names_the_act_alone(app, law):
    with app.app_context():
        body = request_letter(law, "en")
    name = deadlines.law_in_force(law, RECEIVED).name
    assert f"I make this request under the {name}. I ask for:" in body
    assert "fee" not in body.lower()
