"""The law in French for every law the tracker offers (issue 20, part 3): each explanation
step, each extension problem and each reporter's window reads in French when the reader's
language is French, with no English sentence left, and in English with no French one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests import builders
from tests.conftest import PASSWORD, AuthActions, page
from tracker import deadlines
from tracker.core import clock
from tracker.deadlines import french
from tracker.deadlines.explain import explain

# Proper names a French sentence keeps in English: the titles of Acts enacted in English only,
# bodies and courts known by their English names, defined terms quoted from an English Act.
KEPT_IN_ENGLISH = (
    "Local Authority Freedom of Information and Protection of Privacy Act",
    "Freedom of Information and Protection of Privacy Act",
    "Freedom of Information (Scotland) Act 2002",
    "Freedom of Information Act 2000",
    "Electronic Freedom of Information Act Amendments of 1996",
    "Freedom of Information Act",
    "Freedom of Information Law",
    "California Public Records Act",
    "Access to Information Act (Alb.)",
    "Interpretation Act",
    "The Legislation Act",
    "Public Officers Law",
    "General Construction Law",
    "Code of Civil Procedure",
    "Government Code",
    "Banking and Financial Dealings Act 1971",
    "St Andrew's Day Bank Holiday (Scotland) Act 2007",
    "Information Commissioner's Office",
    "Scottish Information Commissioner",
    "Office of Information Policy",
    "Superior Court",
    "writ of mandate",
    "python-holidays",
    "« day »",
    "« business day »",
    "« working day »",
    "Heritage Day",
    "Admission Day",
    "Columbus Day",
    "Genocide Remembrance Day",
    "Memorial Day",
    "Juneteenth",
)
# Words that only an English sentence or citation would hold once the names above are gone.
ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "is",
        "are",
        "to",
        "by",
        "from",
        "within",
        "after",
        "before",
        "not",
        "which",
        "that",
        "with",
        "for",
        "was",
        "working",
        "business",
        "request",
        "response",
        "extension",
        "due",
        "counted",
        "counting",
        "day",
        "days",
        "holiday",
        "holidays",
        "notice",
        "law",
        "act",
        "agency",
        "appeal",
        "review",
        "complaint",
        "petition",
        "guidance",
        "code",
        "gov",
        "received",
        "applicant",
        "requester",
    ]
)
ENGLISH_SECTION = re.compile(r"\bs\.\s?\d")  # "s.10(3)": an English citation
# Words that only a French sentence would hold.
FRENCH_WORDS = frozenset(
    [
        "jours",
        "délai",
        "échéance",
        "réputée",
        "prorogation",
        "prorogé",
        "lendemain",
        "compter",
        "auprès",
        "réception",
        "suivant",
        "loi",
        "sur",
        "demande",
        "révision",
        "plainte",
        "aucun",
    ]
)


def english_left(text: str) -> list[str]:
    """The English words or citations left in a French text once proper names are removed."""
    for name in KEPT_IN_ENGLISH:
        text = text.replace(name, " ")
    words = {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH_WORDS}
    return sorted(words | set(ENGLISH_SECTION.findall(text)))


def french_left(text: str) -> list[str]:
    """The French words left in an English text."""
    # The Québec Act's bodies and quoted phrases are French in English text too.
    for name in ("Commission d'accès à l'information", '"jour ouvrable suivant"'):
        text = text.replace(name, " ")
    return sorted({w for w in re.findall(r"[^\W\d_]+", text) if w.lower() in FRENCH_WORDS})


def test_the_checks_can_fail() -> None:
    english = explain("ca-on-fippa", date(2024, 3, 20), extension_days=10)
    assert english_left(" ".join(s.text for s in english.steps))
    steps = french.explanation_steps(english, str)
    assert steps is not None
    assert french_left(" ".join(s.text for s in steps))
    assert english_left("art. 7 de la Loi sur l'accès (ATIA s.7)") == ["s.7"]


def _versions() -> Iterator[tuple[str, deadlines.Law]]:
    for code, versions in deadlines.LAW_VERSIONS.items():
        for law in versions:
            yield code, law


VERSIONS = [pytest.param(code, law, id=f"{code}@{law.effective_from}") for code, law in _versions()]


def _scenarios(law: deadlines.Law) -> Iterator[dict[str, Any]]:
    """Cases that bring out every step: plain, extended, paused, acknowledged (on time, late),
    and received on each weekday so that a roll, or its absence, shows."""
    start = max(law.effective_from, date(2016, 1, 1))
    for offset in range(40, 47):
        yield {"received": start + timedelta(days=offset)}
    yield {"received": start + timedelta(days=95), "extension_days": 10}
    paused = start + timedelta(days=203)
    yield {"received": start + timedelta(days=200), "pauses": [(paused, paused + timedelta(3))]}
    if law.acknowledgement_days:
        received = start + timedelta(days=300)
        yield {"received": received, "acknowledged": received + timedelta(days=2)}
        yield {"received": received, "acknowledged": received + timedelta(days=30)}


def _iso(d: date) -> str:
    return d.isoformat()


@pytest.mark.parametrize(("code", "law"), VERSIONS)
def test_every_law_has_french_names(code: str, law: deadlines.Law) -> None:
    names = french.french_law(law)
    assert names is not None
    assert not english_left(names.jurisdiction)
    assert not english_left(french.body_name(law.complaint_body))


@pytest.mark.parametrize(("code", "law"), VERSIONS)
def test_explanations_in_french_for_every_law(code: str, law: deadlines.Law) -> None:
    labels: set[str] = set()
    for case in _scenarios(law):
        e = explain(code, **case)
        assert e.law == law
        steps = french.explanation_steps(e, _iso)
        assert steps is not None
        assert len(steps) == len(e.steps)  # one French step for each English one
        for step in steps:
            labels.add(step.label)
            assert not english_left(step.text), (step.label, step.text)
            if step.citation:
                assert not english_left(step.citation), step.citation
        # The reverse: the English explanation has no French sentence.
        for step in e.steps:
            assert not french_left(step.text), step.text
    assert {"Réception", "Calcul", "Échéance", "Jours fériés"} <= labels


@pytest.mark.parametrize(("code", "law"), VERSIONS)
def test_windows_in_french_for_every_law(code: str, law: deadlines.Law) -> None:
    received = max(law.effective_from, date(2016, 1, 1)) + timedelta(days=40)
    due = deadlines.due_date(code, received)
    kinds = set()
    for responded in (None, due - timedelta(days=1), due + timedelta(days=9)):
        for window in deadlines.reporter_windows(
            code, received=received, due=due, responded=responded
        ):
            kinds.add(window.kind)
            text = french.window_text(law, window, _iso)
            assert text is not None
            assert not english_left(text), text
            assert not english_left(french.cited_as_given(law, window.citation))
            assert not french_left(window.text), window.text
    assert kinds


@pytest.mark.parametrize(("code", "law"), VERSIONS)
def test_extension_problems_in_french_for_every_law(code: str, law: deadlines.Law) -> None:
    received = max(law.effective_from, date(2016, 1, 1)) + timedelta(days=30)
    reason = law.extension.reasons[0].code if law.extension else "volume"
    found = set()
    for notice, days, chosen, notified in (
        (None, 400, "not-a-ground", False),
        (received + timedelta(days=120), 400, reason, False),
        (received + timedelta(days=1), 5, reason, True),
    ):
        for problem in deadlines.check_extension(code, received, notice, days, chosen, notified):
            found.add(problem.code)
            text = french.problem_text(law, problem, _iso)
            assert text != problem.message
            assert not english_left(text.replace("not-a-ground", "")), text
            assert not english_left(french.problem_citation(law, problem))
            assert not french_left(problem.message)
    assert found


def test_french_citations_in_each_statutes_form() -> None:
    laws = deadlines.LAWS
    assert french.cite(laws["ca-on-fippa"], "s.27(1)(a)") == (
        "al. 27 (1) a) de la Loi sur l'accès à l'information et la protection de la vie privée "
        "(Ontario)"
    )
    assert french.cite(laws["ca-on-mfippa"], "s.39(2)").startswith(
        "par. 39 (2) de la Loi sur l'accès à l'information municipale"
    )
    assert french.cite(laws["ca-mb-fippa"], "s.11(2)") == (
        "par. 11(2) de la Loi sur l'accès à l'information et la protection de la vie privée "
        "(Manitoba)"
    )
    assert french.cite(laws["ca-nb-rtippa"], "s.67(3)(a)") == (
        "al. 67(3)a) de la Loi sur le droit à l'information et la protection de la vie privée "
        "(N.-B.)"
    )
    assert french.cite(laws["ca-bc-fippa"], "s.7") == (
        "art. 7 de la Freedom of Information and Protection of Privacy Act (C.-B.)"
    )
    assert french.cite(laws["us-ny-foil"], "s.89(3)(a)") == (
        "art. 89(3)(a) de la Public Officers Law (New York)"
    )
    assert french.cite(laws["us-ca-cpra"], "s.7922.535(c)(1)") == (
        "art. 7922.535(c)(1) du Government Code de la Californie"
    )
    assert french.cite(laws["us-foia"], "(6)(B)(i)") == "5 U.S.C. 552(a)(6)(B)(i)"
    assert french.cite(
        laws["uk-foia"], "s.10(2) (days between a fees notice and payment are disregarded)"
    ) == (
        "art. 10(2) de la Freedom of Information Act 2000 (R.-U.) (les jours entre l'avis de "
        "frais et le paiement ne sont pas comptés)"
    )


def test_holiday_names_in_french() -> None:
    assert french.day_name("Canada Day (MB)") == "fête du Canada (MB)"
    assert french.day_name("Christmas Day (substitute day)") == "Noël (jour de remplacement)"
    assert french.day_name("Summer bank holiday (Scotland)") == (
        "jour férié bancaire d'été (Écosse)"
    )
    assert french.day_name("Veterans Day (observed)") == (
        "jour des Anciens combattants (jour de congé reporté)"
    )


def test_ontario_request_page_in_french(app: Flask, client: FlaskClient) -> None:
    with builders.desk(app, "journaliste@example.org", today=date(2024, 6, 1)) as desk:
        city = desk.institution("Ville d'Ottawa", "ca-on-mfippa")
        request = desk.request(city, "Contrats de déneigement", received=date(2024, 3, 4))
        request.extension(date(2024, 5, 1), 30)  # notice after the original 30 days
        request_id = request.row.id
    AuthActions(client).login("journaliste@example.org", PASSWORD)
    with clock.frozen(date(2024, 6, 1)):
        fr = page(client.get(f"/requests/{request_id}", headers={"Accept-Language": "fr"}))
        en = page(client.get(f"/requests/{request_id}", headers={"Accept-Language": "en"}))
    steps = " ".join(li.get_text(" ", strip=True) for li in fr.select("details.explanation li"))
    assert "art. 19 de la Loi sur l'accès à l'information municipale" in steps
    assert not english_left(steps)
    windows = " ".join(li.get_text(" ", strip=True) for li in fr.select("li.window"))
    assert "Appel auprès de : Commissaire à l'information" in windows
    assert not english_left(windows)
    problems = fr.get_text(" ", strip=True)
    assert "L'avis de prorogation a été donné le 1 mai 2024" in problems
    assert "par. 20 (2) de la Loi sur l'accès à l'information municipale" in problems
    english = en.get_text(" ", strip=True)
    assert "Notice of the extension was given on 2024-05-01" in english
    assert "MFIPPA (Ont.) s.20(2)" in english


@pytest.mark.parametrize(("code", "law"), VERSIONS)
def test_extension_grounds_in_french(code: str, law: deadlines.Law) -> None:
    for reason in law.extension.reasons if law.extension else ():
        label = french.reason_label(reason.label)
        assert label != reason.label
        assert not english_left(label), label
        assert not english_left(french.cite(law, reason.section))


def test_extension_ground_in_the_readers_language(app: Flask) -> None:
    from tracker.language.i18n import force_locale
    from tracker.timeline import kinds

    law = deadlines.LAWS["ca-on-fippa"]
    details = {"days": 30, "reason": "volume", "notice_on": "2024-04-01"}
    with app.test_request_context(), force_locale("fr"):
        record = kinds.record("extension", details, law)
        choices = dict(kinds._reasons(law))
    assert "Grand nombre de documents : respecter le délai" in record
    assert "(al. 27 (1) a) de la Loi sur l'accès à l'information" in record
    assert choices["volume"].startswith("Grand nombre de documents")
    with app.test_request_context(), force_locale("en"):
        assert "Large number of records" in kinds.record("extension", details, law)
