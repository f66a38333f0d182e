"""The seed case's journey with the interface in French (issue 20, part 7): La Presse's
request to the RCMP, logged, extended, answered 765 days late, and its packet, all read in
French in a real browser (Playwright driving Debian's Chromium)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import screenshot
from tests.packets_helpers import pdf_text, read_zip
from tracker.core import clock

pytestmark = pytest.mark.browser


def text_of(tab, selector: str) -> str:  # type: ignore[no-untyped-def]
    """The visible text of the first element matching ``selector``, spaces normalised."""
    return " ".join(tab.locator(selector).first.inner_text().replace("\u202f", " ").split())


def test_seed_case_journey_in_french(app, live_server, browser_page, make_user, tmp_path):
    tab = browser_page
    make_user("journaliste@example.org", name="Marie Journaliste", newsroom="La Presse")
    with clock.frozen(date(2022, 5, 2)):
        # The switch on the login page: French before logging in, kept by the account.
        tab.goto(f"{live_server}/login")
        assert tab.locator("html").get_attribute("lang") == "en"
        tab.get_by_role("button", name="Français").click()
        assert tab.locator("h1").inner_text() == "Se connecter"
        assert tab.locator("html").get_attribute("lang") == "fr"
        tab.get_by_label("Courriel").fill("journaliste@example.org")
        tab.get_by_label("Mot de passe").fill("correct horse battery")
        tab.get_by_role("button", name="Se connecter").click()
        tab.wait_for_url(f"{live_server}/")
        assert tab.locator("h1").inner_text() == "Tableau de bord"
        assert "Nous sommes le lun. 2 mai 2022" in text_of(tab, "main")

        # The institution.
        tab.get_by_role("link", name="Organismes", exact=True).first.click()
        assert "Aucun organisme pour l’instant" in text_of(tab, "main")
        tab.get_by_role("link", name="Ajouter un organisme").click()
        tab.get_by_label("Nom").fill("Gendarmerie royale du Canada (GRC)")
        tab.get_by_label("Loi").select_option("ca-atia")
        tab.get_by_role("button", name="Enregistrer l’organisme").click()
        tab.wait_for_selector("h1:has-text('Gendarmerie royale du Canada (GRC)')")
        assert "a été ajouté" in text_of(tab, ".flashes")

        # The request, received on 10 February 2020: due 30 days later, 11 March 2020.
        tab.get_by_role("link", name="Demandes", exact=True).first.click()
        assert "Aucune demande pour l’instant" in text_of(tab, "main")
        tab.get_by_role("link", name="Inscrivez votre première demande").click()
        assert tab.locator("h1").inner_text() == "Inscrire une demande"
        tab.get_by_label("Organisme", exact=True).select_option(
            label="Gendarmerie royale du Canada (GRC)"
        )
        tab.get_by_label("Titre").fill("GRC : Clearview AI et la reconnaissance faciale")
        tab.get_by_label("Ce que vous avez demandé").fill(
            "Tous les documents sur l’utilisation de Clearview AI par la GRC."
        )
        tab.get_by_label("Date d’envoi").fill("2020-02-10")
        tab.get_by_label("Date de réception par l’organisme").fill("2020-02-10")
        tab.get_by_role("button", name="Enregistrer la demande").click()
        assert text_of(tab, "#due-date") == "mer. 11 mars 2020"
        assert "Demande inscrite. Échéance : mer. 11 mars 2020." in text_of(tab, ".flashes")
        assert "Échéance" in text_of(tab, "#deadline-heading")
        assert "jours civils de retard" in text_of(tab, "#lateness")

        # An extension of 30 days, noticed within the period: due 10 April 2020, Good Friday,
        # so the next working day after Easter Monday.
        tab.get_by_label("Ajouter à la chronologie").select_option("extension")
        tab.get_by_role("button", name="Ajouter…").click()
        assert tab.locator("h1").inner_text() == "Avis de prorogation"
        tab.get_by_label("Date", exact=True).fill("2020-03-05")
        tab.get_by_label("Jours de prorogation").fill("30")
        tab.get_by_label("Motif invoqué").select_option("consultation")
        tab.get_by_role("button", name="Ajouter à la chronologie").click()
        assert "Ajouté à la chronologie." in text_of(tab, ".flashes")
        assert text_of(tab, "#due-date") == "mar. 14 avril 2020"
        assert "dont 30 jours de prorogation" in text_of(tab, "dl.facts")

        # The final response, 15 April 2022: 731 days after the extended due date.
        tab.get_by_label("Ajouter à la chronologie").select_option("final_response")
        tab.get_by_role("button", name="Ajouter…").click()
        tab.get_by_label("Date", exact=True).fill("2022-04-15")
        tab.get_by_label("Réponse", exact=True).select_option("partial")
        tab.get_by_label("Pages communiquées").fill("212")
        tab.get_by_role("button", name="Ajouter à la chronologie").click()
        lateness = text_of(tab, "#lateness")
        assert "731 jours civils de retard" in lateness
        assert "la réponse est arrivée 731 jours après l’échéance" in lateness
        # The law in French: the statute's own citation and the explanation.
        assert "(par. 10(3) de la Loi sur l'accès à l'information)" in lateness
        assert "Vendredi saint" in text_of(tab, "details.explanation")
        timeline = text_of(tab, "#timeline")
        assert "Documents communiqués en partie · 212 pages" in timeline
        assert "Avis de prorogation" in timeline and "Réponse finale" in timeline
        # The packet's language: the reporter's (French), unless chosen otherwise.
        assert "Par défaut : Français" in text_of(tab, "#packet-language")
        screenshot(tab, "seed-case-fr")

        # The packet, in French.
        with tab.expect_download() as info:
            tab.get_by_role("link", name="Télécharger le dossier de preuve (ZIP)").click()
        archive = read_zip(Path(info.value.path()))
        pdf = " ".join(pdf_text(archive["packet.pdf"]).split())
        for words in (
            "Dossier de preuve",
            "En bref",
            "Échéance : mardi 14 avril 2020",
            "Réponse finale : 15 avril 2022.",
            "731 jours civils de retard",
            "1. La demande",
            "3. Prorogations",
            "4. Refus présumé et jours de retard",
            "6. Chronologie",
            "Avis de prorogation",
            "Documents communiqués en partie",
            "par. 10(3) de la Loi sur l'accès à l'information",
            "Réception",
        ):
            assert words in pdf, words

        # The dashboard and the switch back to English.
        tab.get_by_role("link", name="Tableau de bord").click()
        assert "Aucun retard." in text_of(tab, "#overdue")
        tab.get_by_role("button", name="English").click()
        assert tab.locator("h1").inner_text() == "Dashboard"
