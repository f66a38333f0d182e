"""The law in French (issue 20): citations in the French statute's own form and the due date's
explanation in French, for the laws whose French version is official and that a French
newsroom cites most: the federal Access to Information Act and Privacy Act, and Québec's Act
respecting access to documents held by public bodies (official in French).

Pure: no Flask, no database. The explanation is built from the structured Explanation the
engine computes (not from its English sentences), so the engine keeps one computation and two
wordings; a law or a case this module does not word yet (pauses, acknowledgements, two
readings) keeps the English steps (``explanation_steps`` returns None).

Sources, read in French: Loi sur l'accès à l'information, L.R.C. (1985), ch. A-1, art. 7
(« dans les trente jours suivant sa réception »), art. 9 (prorogation), par. 10(3) (« vaut
décision de refus »), art. 31 (plainte « dans les soixante jours »); Loi sur la protection des
renseignements personnels, L.R.C. (1985), ch. P-21, art. 14, 15, par. 16(3), art. 31; Loi sur
l'accès aux documents des organismes publics et sur la protection des renseignements
personnels, RLRQ c. A-2.1, art. 47 (« dans les vingt jours qui suivent la date de la réception
d'une demande »), art. 52 (défaut de répondre : refus), art. 135 (demande de révision « dans
les trente jours »); Loi d'interprétation, L.R.C. (1985), ch. I-21, art. 27.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tracker.deadlines.engine import ReporterWindow
from tracker.deadlines.explain import Explanation, Step
from tracker.deadlines.lawtypes import Law


@dataclass(frozen=True)
class FrenchLaw:
    """A law's names in French, as its official French version and its bodies write them."""

    name: str  # the Act's short title
    cited_as: str  # how a citation ends: "de la Loi sur l'accès à l'information"
    body: str  # who receives complaints, in its official French form
    jurisdiction: str


FRENCH_LAWS: dict[str, FrenchLaw] = {
    "ca-atia": FrenchLaw(
        "Loi sur l'accès à l'information",
        "de la Loi sur l'accès à l'information",
        "Commissariat à l'information du Canada",
        "Canada (fédéral)",
    ),
    "ca-privacy": FrenchLaw(
        "Loi sur la protection des renseignements personnels",
        "de la Loi sur la protection des renseignements personnels",
        "Commissariat à la protection de la vie privée du Canada",
        "Canada (fédéral)",
    ),
    "ca-qc-access": FrenchLaw(
        "Loi sur l'accès aux documents des organismes publics et sur la protection des "
        "renseignements personnels",
        "de la Loi sur l'accès",
        "Commission d'accès à l'information du Québec",
        "Québec",
    ),
}

# "s.10(1)(a)(i)": the section, then its subsections, paragraphs and subparagraphs.
_SECTION = re.compile(
    r"^s\.\s?(\d+(?:\.\d+)?)((?:\(\d+(?:\.\d+)?\))?)((?:\([a-z]\))?)((?:\([ivx]+\))?)$"
)


def french_law(law: Law | str) -> FrenchLaw | None:
    """The French names of a law (a Law or its code), or None where this module has none."""
    return FRENCH_LAWS.get(law if isinstance(law, str) else law.code)


def section_fr(section: str) -> str | None:
    """ "s.7" as "art. 7", "s.10(3)" as "par. 10(3)", "s.10(1)(a)" as "al. 10(1)a)"."""
    found = _SECTION.match(section.strip())
    if found is None:
        return None
    number, sub, para, subpara = found.groups()
    para_fr = f"{para[1:-1]})" if para else ""
    if subpara:
        return f"sous-al. {number}{sub}{para_fr}{subpara}"
    if para:
        return f"al. {number}{sub}{para_fr}"
    if sub:
        return f"par. {number}{sub}"
    return f"art. {number}"


def cite(law: Law, section: str) -> str:
    """A section as the French statute cites it: "par. 10(3) de la Loi sur l'accès à
    l'information", "art. 47 de la Loi sur l'accès"; the English citation where this module
    has no French for the law or cannot read the section."""
    names = french_law(law)
    short = section_fr(section)
    if names is None or short is None:
        return law.cite(section)
    return f"{short} {names.cited_as}"


# The other texts the explanation cites, in their French form.
_OTHER_CITATIONS: dict[str, str] = {
    "TBS Access to Information Manual 7.1.1 (the next work day)": (
        "Manuel de l'accès à l'information du Secrétariat du Conseil du Trésor, 7.1.1 (le jour "
        "ouvrable suivant)"
    ),
    'Interpretation Act (CQLR c. I-16) s.52: "jour ouvrable suivant", read as the next '
    "business day": (
        "art. 52 de la Loi d'interprétation (RLRQ c. I-16) : « jour ouvrable suivant », lu "
        "comme le jour ouvrable suivant"
    ),
    'Interpretation Act (CQLR c. I-16) s.52: "jour ouvrable suivant", read as the next day '
    "that is not a holiday": (
        "art. 52 de la Loi d'interprétation (RLRQ c. I-16) : « jour ouvrable suivant », lu "
        "comme le jour suivant qui n'est pas férié"
    ),
}
_INTERPRETATION = re.compile(r"^Interpretation Act( \(CQLR c\. I-16\))? (s\.\S+)$")


def other_citation(text: str | None) -> str | None:
    """An interpretation act's section or a manual, cited in French; unknown ones as given."""
    if text is None:
        return None
    if text in _OTHER_CITATIONS:
        return _OTHER_CITATIONS[text]
    found = _INTERPRETATION.match(text)
    if found and (short := section_fr(found.group(2))):
        quebec = " (RLRQ c. I-16)" if found.group(1) else ""
        return f"{short} de la Loi d'interprétation{quebec}"
    return text


# The non-working days' names (the engine's, from its holiday tables) in French.
_DAY_NAMES: dict[str, str] = {
    "Saturday": "samedi",
    "Sunday": "dimanche",
    "Saturday (not a business day)": "samedi, qui n'est pas un jour ouvrable",
    "New Year's Day": "jour de l'An",
    "Good Friday": "Vendredi saint",
    "Easter Monday": "lundi de Pâques",
    "Victoria Day": "fête de la Reine",
    "National Patriots' Day": "Journée nationale des patriotes",
    "Saint-Jean-Baptiste Day": "fête nationale du Québec",
    "Canada Day": "fête du Canada",
    "Civic Holiday": "congé civique",
    "Labour Day": "fête du Travail",
    "National Day for Truth and Reconciliation": (
        "Journée nationale de la vérité et de la réconciliation"
    ),
    "Thanksgiving": "Action de grâce",
    "Thanksgiving Day": "Action de grâce",
    "Remembrance Day": "jour du Souvenir",
    "Christmas Day": "Noël",
    "Boxing Day": "lendemain de Noël",
}


def day_name(name: str) -> str:
    """A non-working day's name in French ("Good Friday": "Vendredi saint"); others as given."""
    return _DAY_NAMES.get(name, name)


def _period_section(law: Law) -> str:
    return law.citation.rsplit(", ", 1)[-1]


def _unit(unit: str, n: int) -> str:
    if unit == "working":
        return "jour ouvrable" if n <= 1 else "jours ouvrables"
    return "jour" if n <= 1 else "jours"


def explanation_steps(e: Explanation, day: Callable[[date], str]) -> tuple[Step, ...] | None:
    """The explanation's steps in French (``day`` writes a date), or None to keep English."""
    law = e.law
    names = french_law(law)
    if names is None or e.pauses or e.acknowledged:
        return None
    period = cite(law, _period_section(law))
    steps = [Step("Réception", f"Demande reçue le {day(e.received)} (jour 0).", None)]
    if e.extension_days:
        ext_cite = (
            cite(law, law.extension.sections[0])
            if law.extension and law.extension.sections
            else None
        )
        steps.append(
            Step(
                "Prorogation",
                f"Le délai de {e.base_length} {_unit(e.unit, e.base_length)} ({period}) est "
                f"prorogé de {e.extension_days} {_unit(e.unit, e.extension_days)}"
                + (f" ({ext_cite})" if ext_cite else "")
                + f" : {e.count} {_unit(e.unit, e.count)} en tout, comptés à partir de la "
                "réception.",
                ext_cite,
            )
        )
    count = (
        f"En comptant {e.count} {_unit(e.unit, e.count)} à partir du {day(e.start)}, "
        f"lendemain de la réception ({period}; {other_citation(law.count_citation)}), on "
        f"arrive au {day(e.last_counted_day)}."
    )
    if e.unit == "working" and e.skipped:
        count += f" Jours non ouvrables écartés : {len(e.skipped)}."
    steps.append(Step("Calcul", count, period))
    if e.roll is not None:
        roll_cite = other_citation(e.roll.citation)
        steps.append(
            Step(
                "Report",
                f"Le {day(e.roll.from_date)} n'est pas un jour ouvrable "
                f"({day_name(e.roll.skipped[0].name)}) : l'échéance passe au jour ouvrable suivant, le "
                f"{day(e.roll.to_date)}" + (f" ({roll_cite})" if roll_cite else "") + ".",
                roll_cite,
            )
        )
    if e.earlier_due is not None and e.roll is not None:
        strict = other_citation(law.strict_roll_citation)
        steps.append(
            Step(
                "Deux lectures",
                f"Selon la seule loi d'interprétation ({strict}), le délai se terminerait le "
                f"{day(e.earlier_due)} : il ne passe qu'un jour férié, et ni un samedi ni un jour "
                "de fermeture des bureaux n'en sont un. Le suivi accorde à l'organisme la date la "
                f"plus tardive, le {day(e.due)} ({other_citation(law.roll_citation)}), pour "
                "qu'aucune demande ne soit déclarée en retard trop tôt.",
                strict,
            )
        )
    due = f"Échéance : {day(e.due)}."
    refusal = law.deemed_refusal_section
    refusal_cite = cite(law, refusal) if refusal else None
    if refusal_cite:
        due += (
            " Faute de réponse à la fin de ce jour, la demande est réputée refusée "
            f"({refusal_cite})."
        )
    steps.append(Step("Échéance", due, refusal_cite))
    steps.append(
        Step(
            "Jours fériés",
            "Jours non ouvrables : les samedis, les dimanches et les jours fériés que la loi "
            "retient; données des jours fériés : python-holidays "
            f"{e.holidays_version.split(' ')[0]}.",
            None,
        )
    )
    return tuple(steps)


_STAGES = {
    "complaint": "Plainte",
    "request for review": "Demande de révision",
    "appeal": "Appel",
    "application": "Demande",
}


def cited_as_given(law: Law, citation: str) -> str:
    """An English citation of this law ("ATIA s.31") in its French form; others as given."""
    prefix = f"{law.short_name} "
    if french_law(law) is not None and citation.startswith(prefix):
        return cite(law, citation[len(prefix) :])
    return other_citation(citation) or citation


def window_text(law: Law, window: ReporterWindow, day: Callable[[date], str]) -> str | None:
    """A reporter's window as one French sentence, or None to keep the English one."""
    names = french_law(law)
    stage = _STAGES.get(window.stage)
    if names is None or stage is None or window.kind not in ("statute", "no-limit"):
        return None
    citation = cited_as_given(law, window.citation)
    if window.kind == "no-limit" or window.end is None:
        return f"{stage} auprès de : {names.body}; la loi ne fixe aucun délai ({citation})."
    start = (
        "à compter du lendemain de l'échéance (refus présumé)"
        if "deemed refusal" in window.trigger or "due date" in window.trigger
        else "à compter de la réponse"
    )
    text = f"{stage} auprès de : {names.body}, {start}, au plus tard le {day(window.end)} ({citation})."
    if window.later_end is not None and window.later_end != window.end:
        text += f" Selon la lecture la plus favorable au demandeur : le {day(window.later_end)}."
    return text
