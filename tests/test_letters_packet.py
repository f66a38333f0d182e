"""The seed case's packet letter reads right at every point of its timeline (issue 22 part 3):
La Presse's request to the RCMP, received 2020-02-10, due 2020-03-11, answered 2022-04-15,
complaint 5820-00123 filed 2022-04-20 and found well-founded 2023-03-01."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests import builders
from tracker.core import db
from tracker.core.models import InfoRequest
from tracker.packets.letter import draft_letter
from tracker.packets.service import dossier_for

RECEIVED = date(2020, 2, 10)
ORDER = "order the institution to respond to the request in full"


def _words(text: str) -> str:
    return " ".join(text.split())


def letter_on(app, today: date, stage: int) -> str:
    """The packet letter of the seed case as it stood on ``today`` (``stage`` entries in)."""
    with builders.desk(app, "marie@lapresse.ca", today=today, name="Marie Côté") as desk:
        request = desk.request(
            desk.institution("Royal Canadian Mounted Police", "ca-atia"),
            f"Clearview AI ({today.isoformat()})",
            received=RECEIVED,
            sent_on=RECEIVED,
            file_number=f"A-2019-{stage}",
        )
        request.acknowledgement(date(2020, 2, 14))
        if stage >= 1:
            request.final_response(date(2022, 4, 15), outcome="partial")
        if stage >= 2:
            request.complaint(date(2022, 4, 20), grounds="delay", body_file_number="5820-00123")
        if stage >= 3:
            request.finding(date(2023, 3, 1))
        request_id = request.id
    with app.app_context():
        row = db.session().get(InfoRequest, request_id)
        generated = datetime.combine(today, datetime.min.time(), UTC).replace(hour=15)
        dossier = dossier_for(row, generated_at=generated, today=today, tz="America/Toronto")
        return _words(draft_letter(dossier))


@pytest.mark.parametrize(
    ("today", "stage", "present", "absent"),
    [
        (
            date(2020, 3, 5),
            0,
            ["the deadline has not passed", "investigate the matters set out above"],
            [ORDER, "deemed refusal of access"],
        ),
        (
            date(2020, 3, 20),
            0,
            [
                "has not responded: 9 calendar days",
                "deemed refusal of access, from 2020-03-12",
                ORDER,
                "the last day to complain to the Information Commissioner of Canada (ATIA s.31) "
                "is 2020-05-11",
            ],
            ["I write about my complaint"],
        ),
        (
            date(2022, 4, 16),
            1,
            [
                "responded on 2022-04-15: 765 calendar days",
                "The delay ended with the response of 2022-04-15, but it happened",
                "no response left to order",
            ],
            [ORDER, "has not responded"],
        ),
        (
            date(2022, 4, 21),
            2,
            [
                "Re: My complaint of 2022-04-20, your file 5820-00123",
                "I write about my complaint of 2022-04-20 under ATIA s.30(1)(a) (your file "
                "5820-00123)",
                "take the enclosed packet into account in its investigation",
            ],
            [ORDER, "I make this complaint"],
        ),
        (
            date(2026, 11, 22),
            3,
            [
                "decided that complaint on 2023-03-01 (well founded)",
                "I ask for nothing further on that ground",
            ],
            [ORDER, "I make this complaint", "investigation of that complaint"],
        ),
    ],
)
def test_seed_case_letter_at_each_point(app, today, stage, present, absent):
    letter = letter_on(app, today, stage)
    for text in present:
        assert text in letter, text
    for text in absent:
        assert text not in letter, text
