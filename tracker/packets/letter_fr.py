"""The French version of the complaint letter, for the bodies that take complaints in French
(Manitoba's Ombudsman): the same facts and sections as the English letter (letter.py), which
appends it under "VERSION FRANÇAISE", built from the law's own data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker import deadlines
from tracker.packets.dossier import Dossier
from tracker.packets.letter import rules_for

_JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class FrenchRules:
    """How the letter reads in French under one law (or version)."""

    kind: str  # "plainte", "demande de révision"
    article: str  # "la" or "le": the kind's article
    salutation: str
    law_name: str  # the Act's name in French
    remedy: str
    body: str = ""  # who receives it, in its own French name ("" : the law's English name)


RULES_FR: dict[tuple[str, date | None], FrenchRules] = {
    ("ca-mb-fippa", None): FrenchRules(
        "plainte",
        "la",
        "Madame l'Ombudsman, Monsieur l'Ombudsman",
        "Loi sur l'accès à l'information et la protection de la vie privée (Manitoba)",
        "Je demande à l'ombudsman d'enquêter et de recommander à l'organisme public de "
        "répondre à la demande en entier sans autre délai.",
        # ombudsman.mb.ca/fr: "Ombudsman du Manitoba" (read 2026-12-07).
        "Ombudsman du Manitoba",
    ),
}


def rules_fr(law: deadlines.Law) -> FrenchRules | None:
    """The French letter rules of a law version, or None when its body takes no French."""
    return RULES_FR.get((law.code, law.effective_from)) or RULES_FR.get((law.code, None))


def _cite(law: deadlines.Law, section: str) -> str:
    """A section as French cites it: "FIPPA (Man.), art. 11(1)"."""
    if section.startswith("s."):
        return f"{law.short_name}, art. {section[2:]}"
    return law.cite(section)


def _jour(d: date) -> str:
    return f"{_JOURS[d.weekday()]} {d.isoformat()}"


def letter_blocks_fr(d: Dossier) -> list[str] | None:
    """The French letter as blocks, or None when the law's body takes no complaint in French."""
    law = d.law
    fr = rules_fr(law)
    if fr is None:
        return None
    rules = rules_for(law.code, law.effective_from)
    file_number = d.file_number or "[aucun numéro de dossier enregistré]"
    complaint_cite = _cite(law, rules.complaint_section)
    blocks = [
        "PROJET : vérifiez chaque fait à l'aide des pièces jointes, corrigez, puis signez.",
        "\n".join([d.reporter_name, d.newsroom, d.reporter_email]),
        d.generated_local.date().isoformat(),
        "\n".join(
            [
                f"À : {fr.body or law.complaint_body}",
                f"Objet : {fr.kind.capitalize()} en vertu de la {fr.law_name}",
                f"Organisme : {d.institution}; son numéro de dossier : {file_number}",
                f"Demande : « {d.title} », reçue le {d.received_on.isoformat()}",
            ]
        ),
        f"{fr.salutation},",
        f"Je présente cette {fr.kind} ({complaint_cite}) au sujet du traitement, par "
        f"{d.institution}, de ma demande présentée en vertu de la {fr.law_name}, reçue le "
        f"{d.received_on.isoformat()}. Le numéro de dossier de l'organisme est {file_number}.",
    ]
    exp = d.explanation
    unit = "jours civils" if exp.unit == "calendar" else "jours ouvrables"
    blocks.append(
        f"Selon la loi ({_cite(law, law.citation.rsplit(', ', 1)[-1])}), l'organisme disposait de "
        f"{exp.base_length} {unit} pour répondre"
        + (f", délai prorogé de {exp.extension_days} {unit}" if exp.extension_days else "")
        + ". En comptant à partir du lendemain de la réception, l'échéance était le "
        f"{_jour(d.due_on)}. Le dossier joint montre le calcul jour par jour, avec chaque jour "
        "non ouvrable écarté."
    )
    for x in d.extensions:
        text = (
            f"Le {x.notice_on.isoformat()}, l'organisme a prorogé le délai de {x.days} jours "
            f"({x.reason_section})."
        )
        if x.problems:
            text += " Cette prorogation n'est pas conforme à la loi : " + "; ".join(
                p.citation for p in x.problems
            )
            text += " (voir le dossier joint)."
        blocks.append(text)
    if d.responded_on is not None and d.late:
        blocks.append(
            f"L'organisme a répondu le {d.responded_on.isoformat()} : "
            f"{d.days_late_calendar} jours civils ({d.days_late_business} jours ouvrables) "
            "après l'échéance."
        )
    elif d.responded_on is not None:
        blocks.append(f"L'organisme a répondu le {d.responded_on.isoformat()}, dans le délai.")
    elif d.late:
        blocks.append(
            f"Au {d.today.isoformat()}, l'organisme n'a pas répondu : {d.days_late_calendar} "
            f"jours civils ({d.days_late_business} jours ouvrables) après l'échéance."
        )
    else:
        blocks.append(
            f"Au {d.today.isoformat()}, l'échéance n'est pas passée; une plainte pour retard "
            f"ne peut être présentée qu'après le {d.due_on.isoformat()}."
        )
    grounds = []
    if d.late:
        sections = ", ".join(_cite(law, s) for s in rules.delay_sections)
        if law.deemed_refusal_section and d.deemed_refusal_on is not None:
            grounds.append(
                "L'organisme n'a pas répondu dans le délai. Selon la loi "
                f"({_cite(law, law.deemed_refusal_section)}), ce défaut équivaut à un refus de "
                f"communication, à compter du {d.deemed_refusal_on.isoformat()}. Je me plains "
                f"de ce refus et du retard ({sections}; {complaint_cite})."
            )
        else:
            grounds.append(
                f"L'organisme n'a pas répondu dans le délai ({sections}). Je me plains du "
                f"retard ({complaint_cite})."
            )
    if rules.extension_section and any(x.problems for x in d.extensions):
        grounds.append(
            "Je me plains aussi de ce que la prorogation n'a pas été prise comme la loi l'exige "
            f"({_cite(law, rules.extension_section)})."
        )
    if not grounds:
        grounds.append(
            "[Exposez les motifs de la plainte : exceptions invoquées, frais, documents "
            "manquants ou autres.]"
        )
    blocks.extend(grounds)
    windows = deadlines.reporter_windows(
        law.code,
        received=d.received_on,
        due=d.state.reporter_due_on,
        responded=d.responded_on,
        province=d.province,
    )
    dated = [w for w in windows if w.end is not None and w.kind == "statute"]
    if dated and dated[0].end is not None and dated[0].end >= d.today:
        blocks.append(
            f"Cette {fr.kind} est présentée dans le délai prévu par la loi, qui expire au plus "
            f"tard le {_jour(dated[0].end)} (voir le dossier joint)."
        )
    elif dated and dated[0].end is not None:
        blocks.append(
            f"Le délai prévu par la loi pour cette {fr.kind} a expiré le {_jour(dated[0].end)} "
            "(voir le dossier joint); je vous demande de l'accepter néanmoins."
        )
    if d.responded_on is not None:
        # The response has come: nothing is left to order but a finding on the delay.
        blocks.append(
            "Je demande que la plainte soit déclarée fondée et que le retard soit constaté."
        )
    else:
        blocks.append(fr.remedy)
    enclosed = (
        f"Pièces jointes : un dossier de preuve produit le {d.generated_at.isoformat()} "
        "(packet.pdf : le dossier avec le calcul du délai et la chronologie; timeline.csv; "
        "manifest.json avec l'empreinte SHA-256 de chaque fichier)"
    )
    if d.files:
        enclosed += " et les documents originaux : " + "; ".join(
            f.path.removeprefix("attachments/") for f in d.files
        )
    blocks.append(enclosed + ".")
    blocks.append(
        "\n".join(
            [
                "Veuillez agréer l'expression de mes sentiments distingués,",
                "",
                "[signature]",
                d.reporter_name,
                d.newsroom,
            ]
        )
    )
    return blocks
