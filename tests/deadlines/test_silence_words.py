"""What silence past the due date is called (issue 15 part 3): "deemed refusal" only for the
laws that have one (ATIA s.10(3), Privacy Act s.16(3), Ontario, BC, Alberta, Québec s.52, NY
FOIL s.89(4)(a), and the provinces' acts with such a section); US FOIA, California and the UK
acts in their own words. The overdue sweep heads its timeline entry with ``silence_label``."""

from __future__ import annotations

import pytest

from tracker.deadlines import LAW_VERSIONS

VERSIONS = [law for versions in LAW_VERSIONS.values() for law in versions]

OWN_WORDS = {
    # 5 U.S.C. 552(a)(6)(C)(i): the requester is deemed to have exhausted remedies.
    "us-foia": "constructive exhaustion",
    # Gov. Code s.7923.000 (before 2023 s.6258): a petition for a writ of mandate.
    "us-ca-cpra": "petition for a writ of mandate",
    # FOIA 2000 s.10(1): the time for compliance.
    "uk-foia": "time for compliance breached",
    # FOISA s.20(5)(a): a failure to respond, after which a review may be required.
    "uk-sct-foisa": "failure to respond",
}


@pytest.mark.parametrize("law", VERSIONS, ids=lambda law: f"{law.code}@{law.effective_from}")
def test_deemed_refusal_only_where_the_law_has_one(law) -> None:
    words = (law.silence_label + " " + law.silence_term).lower()
    if law.deemed_refusal_section:
        assert law.silence_label == "Deemed refusal"
        assert law.silence_term == "deemed refusal"
    else:
        assert "deemed refus" not in words
        assert OWN_WORDS[law.code] in law.silence_label
        assert law.silence_section  # the section that gives silence its effect


def test_every_laws_words_for_silence_have_their_translation() -> None:
    from tracker.timeline.kinds import SILENCE_LABELS

    assert {law.silence_label for law in VERSIONS} <= set(SILENCE_LABELS)
