"""The law in French (issue 20, part 3): citations in the French statute's own form and the
due date's explanation worded in French, from the engine's structured explanation."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import builders
from tests.conftest import PASSWORD, AuthActions, page
from tracker import deadlines
from tracker.core import clock
from tracker.deadlines import french
from tracker.deadlines.explain import explain

ATIA = deadlines.LAWS["ca-atia"]
QUEBEC = deadlines.LAWS["ca-qc-access"]


@pytest.mark.parametrize(
    ("law", "section", "cited"),
    [
        (ATIA, "s.7", "art. 7 de la Loi sur l'accès à l'information"),
        (ATIA, "s.10(3)", "par. 10(3) de la Loi sur l'accès à l'information"),
        (ATIA, "s.9(1)(a)", "al. 9(1)a) de la Loi sur l'accès à l'information"),
        (ATIA, "s.67(1)(a)(i)", "sous-al. 67(1)a)(i) de la Loi sur l'accès à l'information"),
        (QUEBEC, "s.47", "art. 47 de la Loi sur l'accès"),
        (QUEBEC, "s.52", "art. 52 de la Loi sur l'accès"),
        (
            deadlines.LAWS["ca-privacy"],
            "s.16(3)",
            "par. 16(3) de la Loi sur la protection des renseignements personnels",
        ),
        (ATIA, "Schedule II", ATIA.cite("Schedule II")),  # unreadable: the English citation
        (deadlines.LAWS["us-foia"], "(a)(6)(A)", deadlines.LAWS["us-foia"].cite("(a)(6)(A)")),
    ],
)
def test_citations_in_the_french_form(law, section: str, cited: str) -> None:
    assert french.cite(law, section) == cited


def test_explanation_in_french_from_the_engines_facts() -> None:
    e = explain("ca-atia", date(2020, 2, 10), extension_days=30)
    steps = french.explanation_steps(e, lambda d: d.isoformat())
    assert steps is not None
    assert [s.label for s in steps] == [
        "Réception",
        "Prorogation",
        "Calcul",
        "Report",
        "Deux lectures",
        "Échéance",
        "Jours fériés",
    ]
    text = " ".join(s.text for s in steps)
    assert "Le délai de 30 jours (art. 7 de la Loi sur l'accès à l'information)" in text
    assert "(Vendredi saint)" in text and "le 2020-04-14" in text
    assert "réputée refusée (par. 10(3) de la Loi sur l'accès à l'information)" in text
    assert e.due == date(2020, 4, 14)  # the same computation, only worded in French
    quebec = french.explanation_steps(explain("ca-qc-access", date(2020, 2, 10)), str)
    assert quebec is not None
    assert "art. 47 de la Loi sur l'accès" in quebec[1].text
    assert "art. 52 de la Loi d'interprétation (RLRQ c. I-16)" in quebec[1].text
    # An English-only statute is explained in French and cited by its English title.
    foia = french.explanation_steps(explain("us-foia", date(2020, 2, 10)), str)
    assert foia is not None
    assert "(5 U.S.C. 552(a)(6)(A)(i);" in foia[1].text


def test_request_page_cites_the_french_statute(app: Flask, client: FlaskClient) -> None:
    with builders.desk(app, "journaliste@example.org", today=date(2020, 6, 1)) as desk:
        rcmp = desk.institution("Gendarmerie royale du Canada", "ca-atia")
        request_id = desk.request(rcmp, "Clearview AI", received=date(2020, 2, 10)).row.id
    AuthActions(client).login("journaliste@example.org", PASSWORD)
    with clock.frozen(date(2020, 6, 1)):
        french_page = page(client.get(f"/requests/{request_id}", headers={"Accept-Language": "fr"}))
        english_page = page(
            client.get(f"/requests/{request_id}", headers={"Accept-Language": "en"})
        )
    lateness = " ".join(french_page.select_one("#lateness").get_text().split())
    assert "(par. 10(3) de la Loi sur l'accès à l'information)" in lateness
    steps = [li.get_text(" ", strip=True) for li in french_page.select("details.explanation li")]
    assert steps[0].startswith("Réception.") and "11 mars 2020" in " ".join(steps)
    facts = " ".join(french_page.select_one("dl.facts").get_text().split())
    assert "Loi sur l'accès à l'information (Canada (fédéral))" in facts
    assert "Plainte auprès de : Commissariat à l'information du Canada" in facts
    assert "(art. 31 de la Loi sur l'accès à l'information)" in facts
    english = [li.get_text(" ", strip=True) for li in english_page.select("details.explanation li")]
    assert english[0].startswith("Received.")
    assert "ATIA s.10(3)" in english_page.select_one("#lateness").get_text()
