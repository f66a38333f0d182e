"""French letters cite Canadian Acts in the French statute's own form and by their official
French titles (English-only Acts keep their English titles)."""

from __future__ import annotations

import pytest

from tracker import deadlines
from tracker.letters.compose import cite, law_name


def law(code: str) -> deadlines.Law:
    return deadlines.LAW_VERSIONS[code][-1]


@pytest.mark.parametrize(
    ("code", "section", "french"),
    [
        ("ca-atia", "ATIA s.10(3)", "par. 10(3) de la Loi sur l'accès à l'information"),
        ("ca-atia", "s.30(1)(a)", "al. 30(1)a) de la Loi sur l'accès à l'information"),
        (
            "ca-atia",
            "Access to Information Act s.7",
            "art. 7 de la Loi sur l'accès à l'information",
        ),
        (
            "ca-privacy",
            "s.29(1)",
            "par. 29(1) de la Loi sur la protection des renseignements personnels",
        ),
        ("ca-qc-access", "Access Act (Qc) s.52", "art. 52 de la Loi sur l'accès"),
        ("ca-qc-access", "s.135", "art. 135 de la Loi sur l'accès"),
        (
            "ca-on-fippa",
            "FIPPA (Ont.) s.29(4)",
            "par. 29 (4) de la Loi sur l'accès à l'information et la protection de la vie privée",
        ),
        (
            "ca-on-mfippa",
            "s.39(1)(a)",
            "alinéa 39 (1) a) de la Loi sur l'accès à l'information municipale et la "
            "protection de la vie privée",
        ),
        (
            "ca-nb-rtippa",
            "s.67(1)(a)(i)",
            "sous-al. 67(1)a)(i) de la Loi sur le droit à l'information et la protection de "
            "la vie privée",
        ),
        (
            "ca-mb-fippa",
            "s.59 (complaint to the Ombudsman)",
            "art. 59 de la Loi sur l'accès à l'information et la protection de la vie privée",
        ),
        (
            "ca-bc-fippa",
            "s.53(2)(a)",
            "al. 53(2)a) de la Freedom of Information and Protection of Privacy Act "
            "(British Columbia)",
        ),
    ],
)
def test_french_citations(code, section, french):
    assert cite(law(code), section, "fr") == french
    assert " s." not in cite(law(code), section, "fr")


def test_english_citations_are_unchanged():
    assert cite(law("ca-atia"), "s.30(1)(a)", "en") == "ATIA s.30(1)(a)"


def test_official_french_titles():
    assert law_name(law("ca-qc-access"), "fr") == (
        "Loi sur l'accès aux documents des organismes publics et sur la protection des "
        "renseignements personnels"
    )
    assert law_name(law("ca-on-fippa"), "fr").startswith("Loi sur l'accès à l'information et")
    # Enacted in English only: the English title.
    assert law_name(law("ca-ab-foip"), "fr") == law("ca-ab-foip").name


def test_ontarios_commissioner_is_named_in_french():
    from tracker.letters.compose import _body_name

    assert _body_name("Information and Privacy Commissioner of Ontario", "fr") == (
        "Commissaire à l'information et à la protection de la vie privée de l'Ontario"
    )


def test_manitobas_ombudsman_is_named_in_french():
    """The office's own French name (ombudsman.mb.ca/fr: "Ombudsman du Manitoba")."""
    from tracker.letters.compose import _body_name

    assert law("ca-mb-fippa").complaint_body == "Manitoba Ombudsman"
    assert _body_name("Manitoba Ombudsman", "fr") == "Ombudsman du Manitoba"
    assert _body_name("Manitoba Ombudsman", "en") == "Manitoba Ombudsman"
