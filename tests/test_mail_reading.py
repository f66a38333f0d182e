"""What an agency message says, in English and French, portal notices included."""

from __future__ import annotations

import pytest

from tracker.mail_in.reading import read

CASES = [
    # (subject, body, kind, details)
    (
        "Accusé de réception",
        "Nous accusons réception de votre demande d'accès.",
        "acknowledgement",
        {},
    ),
    ("Your request", "We have received your request on March 3.", "acknowledgement", {}),
    (
        "Prorogation de délai",
        "Le délai est prorogé de 120 jours en vertu de l'alinéa 9(1)a) de la Loi.",
        "extension",
        {"days": 120, "section": "9(1)a)"},
    ),
    (
        "Extension notice",
        "Pursuant to paragraph 9(1)(b) of the Act we extend the time limit by thirty days "
        "to consult other institutions.",
        "extension",
        {"days": 30, "section": "9(1)(b)", "reason": "consultation"},
    ),
    (
        "Fee estimate",
        "The estimated fees are $45.00 for preparation.",
        "fee_notice",
        {"amount": "$45.00"},
    ),
    ("Frais", "Des frais de 25,00 $ sont exigibles.", "fee_notice", {"amount": "25,00 $"}),
    (
        "Transfer",
        "Your request has been transferred to the Department of Justice for processing.",
        "transfer",
        {"to_institution": "Department of Justice"},
    ),
    (
        "Réponse",
        "Nous ne pouvons vous communiquer ces documents en vertu des articles 53, 54 et 59. "
        "Votre demande est refusée.",
        "final_response",
        {"outcome": "refused", "exemptions": "53, 54, 59"},
    ),
    (
        "Final response",
        "Please find attached the records, released in full.",
        "final_response",
        {"outcome": "full"},
    ),
    (
        "Response",
        "No records responsive to your request were found. This is our final response.",
        "final_response",
        {"outcome": "no_records"},
    ),
    (
        "Première communication",
        "Première communication de 45 pages.",
        "partial_release",
        {"pages": 45},
    ),
    # NextRequest and GovQA notices.
    (
        "[Due Date Changed] Request 24-301",
        "The due date for record request #24-301 has been extended by 10 days.",
        "extension",
        {"days": 10},
    ),
    (
        "[Document Released] Request 24-301",
        "Documents have been released for record request #24-301: 12 pages.",
        "partial_release",
        {"pages": 12},
    ),
    (
        "Public Records Request :: R000123-031124",
        "Records have been released for your request R000123-031124.",
        "partial_release",
        {},
    ),
    # No entry: auto-replies and bounces.
    ("Automatic reply: ATI request", "I am out of the office until Monday.", "", {}),
    ("Réponse automatique : absent", "Je suis absente du bureau.", "", {}),
    ("Undeliverable: your request", "Delivery has failed to these recipients.", "", {}),
    ("Lunch?", "Are we still on for lunch?", "", {}),
]


@pytest.mark.parametrize(("subject", "body", "kind", "details"), CASES)
def test_reading(subject: str, body: str, kind: str, details: dict[str, object]) -> None:
    found = read(subject, body)
    assert (found.kind, found.details) == (kind, details), found.why


def test_automatic_header_means_no_entry_whatever_the_text() -> None:
    found = read("Extension", "We extend by 30 days.", automatic="Auto-Submitted: auto-replied")
    assert found.kind == "" and "automatic message" in found.why


def test_language_is_recorded() -> None:
    assert read("Accusé", "Nous accusons réception de votre demande.").language == "fr"
    assert read("Ack", "We acknowledge receipt of your request.").language == "en"
