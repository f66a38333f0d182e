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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from tracker.deadlines.engine import Problem, ReporterWindow
from tracker.deadlines.explain import Explanation, Step
from tracker.deadlines.lawtypes import ComplaintWindow, Law


@dataclass(frozen=True)
class FrenchLaw:
    """A law's names in French, as its official French version and its bodies write them.

    ``style`` says how a section is cited: "ca" the Canadian French form ("par. 10(3)",
    "al. 9(1)a)"), "on" Ontario's ("par. 27 (1)", "al. 27 (1) a)"), "article" an English-only
    foreign statute's sections as articles ("art. 10(1)"), "code" a code citation that reads
    the same in both languages ("5 U.S.C. 552(a)(6)(A)(i)")."""

    name: str  # the Act's short title (an English-only Act keeps its English title)
    cited_as: str  # how a citation ends: "de la Loi sur l'accès à l'information"
    body: str  # who receives complaints, in its official French form
    jurisdiction: str
    act_citation: str = ""  # the Act's citation in French ("L.R.O. 1990, chap. F.31")
    style: str = "ca"


_BC_ACT = "Freedom of Information and Protection of Privacy Act (C.-B.)"
_AB_ACT = "Freedom of Information and Protection of Privacy Act (Alb.)"
_ON_ACT = "Loi sur l'accès à l'information et la protection de la vie privée (Ontario)"
_ON_M_ACT = "Loi sur l'accès à l'information municipale et la protection de la vie privée (Ontario)"
_MB_ACT = "Loi sur l'accès à l'information et la protection de la vie privée (Manitoba)"
_NB_ACT = "Loi sur le droit à l'information et la protection de la vie privée (N.-B.)"
_SK_ACT = "Freedom of Information and Protection of Privacy Act (Sask.)"
_SK_LA_ACT = "Local Authority Freedom of Information and Protection of Privacy Act (Sask.)"
_UK_ACT = "Freedom of Information Act 2000 (R.-U.)"
_SCT_ACT = "Freedom of Information (Scotland) Act 2002"
_NY_ACT = "Public Officers Law (New York)"

# Sources of the French titles, read in the official French versions: Ontario's Lois-en-ligne
# (ontario.ca/fr/lois/loi/90f31, 90m56: « Loi sur l'accès à l'information et la protection de
# la vie privée, L.R.O. 1990, chap. F.31 »; « Loi sur l'accès à l'information municipale et la
# protection de la vie privée, L.R.O. 1990, chap. M.56 »), Manitoba's C.P.L.M. c. F175
# (web2.gov.mb.ca/laws/statutes/ccsm/f175.php?lang=fr: 11(1) « Délai », 11(2) « Présomption
# de refus », 15(1) « Prorogation du délai ») and New Brunswick's L.N.-B. 2009, ch.
# (laws.gnb.ca/fr: « Loi sur le droit à l'information et la protection de la vie privée »,
# complaints to « l'ombud »). British Columbia, Alberta, Saskatchewan, the United States and
# the United Kingdom enact in English only: their Acts keep their English titles.
FRENCH_LAWS: dict[str, FrenchLaw] = {
    "ca-atia": FrenchLaw(
        "Loi sur l'accès à l'information",
        "de la Loi sur l'accès à l'information",
        "Commissariat à l'information du Canada",
        "Canada (fédéral)",
        "L.R.C. (1985), ch. A-1",
    ),
    "ca-privacy": FrenchLaw(
        "Loi sur la protection des renseignements personnels",
        "de la Loi sur la protection des renseignements personnels",
        "Commissariat à la protection de la vie privée du Canada",
        "Canada (fédéral)",
        "L.R.C. (1985), ch. P-21",
    ),
    "ca-qc-access": FrenchLaw(
        "Loi sur l'accès aux documents des organismes publics et sur la protection des "
        "renseignements personnels",
        "de la Loi sur l'accès",
        "Commission d'accès à l'information du Québec",
        "Québec",
        "RLRQ c. A-2.1",
    ),
    "ca-on-fippa": FrenchLaw(
        _ON_ACT,
        f"de la {_ON_ACT}",
        "Commissaire à l'information et à la protection de la vie privée de l'Ontario",
        "Ontario",
        "L.R.O. 1990, chap. F.31",
        "on",
    ),
    "ca-on-mfippa": FrenchLaw(
        _ON_M_ACT,
        f"de la {_ON_M_ACT}",
        "Commissaire à l'information et à la protection de la vie privée de l'Ontario",
        "Ontario",
        "L.R.O. 1990, chap. M.56",
        "on",
    ),
    "ca-mb-fippa": FrenchLaw(
        _MB_ACT, f"de la {_MB_ACT}", "Ombudsman du Manitoba", "Manitoba", "C.P.L.M. c. F175"
    ),
    "ca-nb-rtippa": FrenchLaw(
        _NB_ACT,
        f"de la {_NB_ACT}",
        "Ombud du Nouveau-Brunswick",
        "Nouveau-Brunswick",
        "L.N.-B. 2009, ch. R-10.6",
    ),
    "ca-bc-fippa": FrenchLaw(
        _BC_ACT,
        f"de la {_BC_ACT}",
        "Commissaire à l'information et à la protection de la vie privée de la "
        "Colombie-Britannique",
        "Colombie-Britannique",
        "R.S.B.C. 1996, c. 165",
    ),
    "ca-ab-foip": FrenchLaw(
        _AB_ACT,
        f"de la {_AB_ACT}",
        "Commissaire à l'information et à la protection de la vie privée de l'Alberta",
        "Alberta",
        "R.S.A. 2000, c. F-25",
    ),
    "ca-sk-foip": FrenchLaw(
        _SK_ACT,
        f"de la {_SK_ACT}",
        "Commissaire à l'information et à la protection de la vie privée de la Saskatchewan",
        "Saskatchewan",
        "S.S. 1990-91, c. F-22.01",
    ),
    "ca-sk-lafoip": FrenchLaw(
        _SK_LA_ACT,
        f"de la {_SK_LA_ACT}",
        "Commissaire à l'information et à la protection de la vie privée de la Saskatchewan",
        "Saskatchewan",
        "S.S. 1990-91, c. L-27.1",
    ),
    "us-foia": FrenchLaw(
        "Freedom of Information Act (États-Unis)",
        "du Freedom of Information Act (États-Unis)",
        "l'instance d'appel de l'organisme fédéral en matière de FOIA",
        "États-Unis (fédéral)",
        "5 U.S.C. 552",
        "code",
    ),
    "us-ca-cpra": FrenchLaw(
        "California Public Records Act",
        "du Government Code de la Californie",
        "la Superior Court (requête en mandamus)",
        "Californie",
        "Government Code de la Californie, art. 7920.000 et suiv.",
        "article",
    ),
    "us-ny-foil": FrenchLaw(
        "Freedom of Information Law (New York)",
        f"de la {_NY_ACT}",
        "le responsable des appels en matière d'accès aux documents de l'organisme",
        "État de New York",
        "Public Officers Law (New York), art. 6",
        "article",
    ),
    "uk-foia": FrenchLaw(
        _UK_ACT,
        f"de la {_UK_ACT}",
        "Information Commissioner's Office (après la révision interne de l'autorité publique)",
        "Royaume-Uni",
        "2000 c. 36",
        "article",
    ),
    "uk-sct-foisa": FrenchLaw(
        _SCT_ACT,
        f"de la {_SCT_ACT}",
        "l'autorité publique écossaise (demande de réexamen), puis le Scottish Information "
        "Commissioner",
        "Écosse",
        "2002 asp 13",
        "article",
    ),
}

# A law version whose Act differs from the code's first (Alberta's Access to Information Act
# replaced FOIP from 2025-06-11), keyed by the code and the English Act citation.
_AB_AIA_ACT = "Access to Information Act (Alb.)"
FRENCH_VERSIONS: dict[tuple[str, str], FrenchLaw] = {
    ("ca-ab-foip", "S.A. 2024, c. A-1.4"): FrenchLaw(
        _AB_AIA_ACT,
        f"de l'{_AB_AIA_ACT}",
        "Commissaire à l'information et à la protection de la vie privée de l'Alberta",
        "Alberta",
        "S.A. 2024, c. A-1.4",
    ),
}

# "s.10(1)(a)(i)": the section, then its subsections, paragraphs and subparagraphs.
_SECTION = re.compile(
    r"^s\.\s?(\d+(?:\.\d+)?)((?:\(\d+(?:\.\d+)?\))?)((?:\([a-z]\))?)((?:\([ivx]+\))?)$"
)


def french_law(law: Law | str) -> FrenchLaw | None:
    """The French names of a law (a Law or its code), or None where this module has none."""
    if isinstance(law, str):
        return FRENCH_LAWS.get(law)
    return FRENCH_VERSIONS.get((law.code, law.act_citation)) or FRENCH_LAWS.get(law.code)


def section_fr(section: str, style: str = "ca") -> str | None:
    """ "s.7" as "art. 7", "s.10(3)" as "par. 10(3)", "s.10(1)(a)" as "al. 10(1)a)";
    Ontario's style spaces the parentheses ("par. 27 (1)"), "article" keeps every part
    ("art. 89(3)(a)")."""
    section = section.strip()
    if style == "article" and re.fullmatch(r"s\.\d[\w.()-]*", section):
        return f"art. {section[2:]}"  # "s.7922.535(c)(1)", "s.25-a": every part as written
    found = _SECTION.match(section)
    if found is None:
        return None
    number, sub, para, subpara = found.groups()
    if style == "on" and sub:
        sub = f" {sub}"
    para_fr = f"{' ' if style == 'on' else ''}{para[1:-1]})" if para else ""
    if subpara:
        return f"sous-al. {number}{sub}{para_fr}{subpara}"
    if para:
        return f"al. {number}{sub}{para_fr}"
    if sub:
        return f"par. {number}{sub}"
    return f"art. {number}"


# Sections the law data names by their subject, or with a description after the number.
_SECTION_PHRASES: dict[str, str] = {
    "time limit for responding": "disposition sur le délai de réponse",
    "extension of the time limit": "disposition sur la prorogation du délai",
    "failure to respond in time": "disposition sur le défaut de répondre dans le délai",
    "request for review": "disposition sur la demande de révision",
    "application for review, within one year": "demande de révision, dans un délai d'un an",
    "Schedule 1": "annexe 1",
}
_DESCRIPTIONS: dict[str, str] = {
    "request for approval to decline to act suspends the clock": (
        "la demande d'autorisation de ne pas donner suite suspend le délai"
    ),
    "fee estimate: the clock stops until the fee is paid or waived": (
        "estimation des frais : le délai s'arrête jusqu'au paiement ou à la dispense des frais"
    ),
    "a fee estimate under s.80: the 30 business days do not run as set while it is outstanding": (
        "estimation des frais prévue à l'art. 80 : les 30 jours ouvrables ne courent pas tant "
        "qu'elle est en suspens"
    ),
    "a request for more information affects the time limits": (
        "une demande de précisions a une incidence sur les délais"
    ),
    "tolling for a request for information or fee clarification": (
        "suspension pour une demande de renseignements ou de précisions sur les frais"
    ),
    "days between a fees notice and payment are disregarded": (
        "les jours entre l'avis de frais et le paiement ne sont pas comptés"
    ),
    "complaint to the Ombudsman": "plainte à l'ombudsman",
}
_DESCRIBED = re.compile(r"^(\S+) \((.+)\)$")


def _section_text(names: FrenchLaw, law: Law, section: str) -> str | None:
    section = section.strip()
    if section in _SECTION_PHRASES:
        return _SECTION_PHRASES[section]
    described = _DESCRIBED.match(section)
    if described and described.group(2) in _DESCRIPTIONS:
        short = _section_text(names, law, described.group(1))
        return f"{short} ({_DESCRIPTIONS[described.group(2)]})" if short else None
    if names.style == "code":
        return None
    return section_fr(section, names.style)


def cite(law: Law, section: str) -> str:
    """A section as the French statute cites it: "par. 10(3) de la Loi sur l'accès à
    l'information", "art. 47 de la Loi sur l'accès", "art. 7 de la Freedom of Information and
    Protection of Privacy Act (C.-B.)"; a code citation ("5 U.S.C. 552(a)(6)(A)(i)") reads the
    same in French; the English citation where the section cannot be read."""
    names = french_law(law)
    if names is None:
        return law.cite(section)
    described = _DESCRIBED.match(section.strip())
    if names.style == "code":
        if described and described.group(2) in _DESCRIPTIONS:
            return f"{law.cite(described.group(1))} ({_DESCRIPTIONS[described.group(2)]})"
        return law.cite(section)
    short = _section_text(names, law, section)
    if short is None:
        return law.cite(section)
    if described and short.endswith(")"):
        # "art. 6.1 (la demande ...)": the Act's name goes after the number, not the note.
        number, _sep, note = short.partition(" (")
        return f"{number} {names.cited_as} ({note}"
    return f"{short} {names.cited_as}"


# The other texts the explanation cites (interpretation acts, manuals, guidance), in French.
_LEG_ON = "de la Loi de 2006 sur la législation (Ontario)"
_SK_LEG = "de The Legislation Act (L.S. 2019, ch. L-10.2)"
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
    # Ontario: Legislation Act, 2006 (official in French as the Loi de 2006 sur la législation).
    "Legislation Act, 2006 s.89": f"art. 89 {_LEG_ON}",
    "Legislation Act, 2006 s.89(1)": f"par. 89 (1) {_LEG_ON}",
    "Legislation Act, 2006 s.89: the next day the office is open": (
        f"art. 89 {_LEG_ON} : le jour suivant où le bureau est ouvert"
    ),
    "Legislation Act, 2006 s.89(1): the next day that is not a holiday": (
        f"par. 89 (1) {_LEG_ON} : le jour suivant qui n'est pas un jour férié"
    ),
    # British Columbia and Alberta: English only.
    'FIPPA Schedule 1 definition of "day"; Interpretation Act (B.C.) s.25': (
        f"définition de « day » à l'annexe 1 de la {_BC_ACT}; art. 25 de l'Interpretation Act "
        "(C.-B.)"
    ),
    "Interpretation Act (Alta.) s.22": "art. 22 de l'Interpretation Act (Alb.)",
    "Interpretation Act (Alta.) s.22(1)": "par. 22(1) de l'Interpretation Act (Alb.)",
    "Interpretation Act (Alta.) s.22(1): the next day that is not a holiday": (
        "par. 22(1) de l'Interpretation Act (Alb.) : le jour suivant qui n'est pas un jour férié"
    ),
    "the next business day (public bodies are closed on Saturdays)": (
        "le jour ouvrable suivant (les organismes publics sont fermés le samedi)"
    ),
    'Access to Information Act (Alberta) s.1 "business day"': (
        f"définition de « business day » à l'art. 1 de l'{_AB_AIA_ACT}"
    ),
    # New Brunswick and Manitoba: official in French.
    'RTIPPA (N.B.) s.1 "business day" and s.11(1): within 30 business days after receiving '
    "the request": (
        f"définition de « jour ouvrable » à l'art. 1 et par. 11(1) de la {_NB_ACT} : dans les "
        "trente jours ouvrables qui suivent la réception de la demande"
    ),
    'FIPPA (Man.) s.11(1): "within 30 days after receiving" the request': (
        f"par. 11(1) de la {_MB_ACT} : dans les 30 jours qui suivent la réception de la demande"
    ),
    'FIPPA (Man.) s.11(1): "within 45 days after receiving" the request': (
        f"par. 11(1) de la {_MB_ACT} : dans les 45 jours qui suivent la réception de la demande"
    ),
    "the next day Manitoba's public offices are open (later reading)": (
        "le jour suivant où les bureaux publics du Manitoba sont ouverts (lecture la plus tardive)"
    ),
    "the last day is not moved: the tracker could not read the list of holidays of the "
    "Interpretation Act (Manitoba), so it takes the earlier reading": (
        "le dernier jour n'est pas reporté : le suivi n'a pas pu lire la liste des jours fériés "
        "de la Loi d'interprétation (Manitoba) et retient donc la lecture la plus hâtive"
    ),
    # Saskatchewan: English only.
    "The Legislation Act (S.S. 2019, c. L-10.2) s.2-28(2): a period after a day excludes "
    "that day": f"par. 2-28(2) {_SK_LEG} : un délai qui suit un jour exclut ce jour",
    "The Legislation Act (S.S. 2019, c. L-10.2) s.2-28(6): the next day the office is open": (
        f"par. 2-28(6) {_SK_LEG} : le jour suivant où le bureau est ouvert"
    ),
    # United States and United Kingdom.
    "DOJ OIP guidance (2009): the day after receipt is working day 1": (
        "lignes directrices de l'Office of Information Policy du DOJ (2009) : le lendemain de "
        "la réception est le premier jour ouvrable"
    ),
    "Code Civ. Proc. s.12": "art. 12 du Code of Civil Procedure de la Californie",
    "Code Civ. Proc. s.12a: the next day that is not a holiday": (
        "art. 12a du Code of Civil Procedure de la Californie : le jour suivant qui n'est pas "
        "un jour férié"
    ),
    "General Construction Law s.20": "art. 20 de la General Construction Law (New York)",
    "General Construction Law s.25-a": "art. 25-a de la General Construction Law (New York)",
    "FOIA 2000 s.10(6); ICO guidance: the day after receipt is working day 1": (
        f"art. 10(6) de la {_UK_ACT}; lignes directrices de l'ICO : le lendemain de la "
        "réception est le premier jour ouvrable"
    ),
    'FOISA s.73 "working day"; the day after receipt is working day 1': (
        f"définition de « working day » à l'art. 73 de la {_SCT_ACT}; le lendemain de la "
        "réception est le premier jour ouvrable"
    ),
    "ICO guidance on s.10(3): at most 20 further working days": (
        "lignes directrices de l'ICO sur l'art. 10(3) : au plus 20 jours ouvrables de plus"
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
    "paused": "délai suspendu",
    "Saturday (not a business day)": "samedi, qui n'est pas un jour ouvrable",
    "New Year's Day": "jour de l'An",
    "2nd January": "2 janvier",
    "Good Friday": "Vendredi saint",
    "Easter Monday": "lundi de Pâques",
    "Victoria Day": "fête de la Reine",
    "National Patriots' Day": "Journée nationale des patriotes",
    "Sovereign's birthday (National Patriots' Day)": (
        "anniversaire du souverain (Journée nationale des patriotes)"
    ),
    "Saint-Jean-Baptiste Day": "fête nationale du Québec",
    "Fête nationale (Saint-Jean-Baptiste)": "fête nationale (Saint-Jean-Baptiste)",
    "Canada Day": "fête du Canada",
    "Canada Day; Memorial Day": "fête du Canada; Jour du souvenir (T.-N.-L.)",
    "Civic Holiday": "congé civique",
    "Labour Day": "fête du Travail",
    "National Day for Truth and Reconciliation": (
        "Journée nationale de la vérité et de la réconciliation"
    ),
    "Orange Shirt Day (National Day for Truth and Reconciliation)": (
        "Journée du chandail orange (Journée nationale de la vérité et de la réconciliation)"
    ),
    "National Day of Mourning (Queen Elizabeth II)": (
        "jour de deuil national (reine Elizabeth II)"
    ),
    "Thanksgiving": "Action de grâce",
    "Thanksgiving Day": "Action de grâce",
    "Remembrance Day": "jour du Souvenir",
    "Christmas Day": "Noël",
    "Boxing Day": "lendemain de Noël",
    "Family Day": "fête de la Famille",
    "Alberta Family Day": "fête de la Famille de l'Alberta",
    "Louis Riel Day": "journée Louis Riel",
    "Terry Fox Day (Civic Holiday)": "journée Terry Fox (congé civique)",
    "Saskatchewan Day": "fête de la Saskatchewan",
    "British Columbia Day": "fête de la Colombie-Britannique",
    "New Brunswick Day": "fête du Nouveau-Brunswick",
    "Heritage Day": "fête du Patrimoine",
    "Islander Day": "fête des Insulaires",
    "Discovery Day": "jour de la Découverte",
    "National Aboriginal Day": "Journée nationale des peuples autochtones",
    "Nunavut Day": "jour du Nunavut",
    # United States.
    "Birthday of Martin Luther King, Jr.": "anniversaire de Martin Luther King Jr.",
    "Dr. Martin Luther King, Jr. Day": "journée de Martin Luther King Jr.",
    "Washington's Birthday": "anniversaire de Washington",
    "Lincoln's Birthday": "anniversaire de Lincoln",
    "Lincoln Day": "journée de Lincoln",
    "Cesar Chavez Day": "journée de Cesar Chavez",
    "Memorial Day": "Memorial Day (jour du Souvenir des États-Unis)",
    "Flag Day": "jour du Drapeau",
    "Juneteenth": "Juneteenth (fin de l'esclavage)",
    "Juneteenth National Independence Day": "Juneteenth (fin de l'esclavage)",
    "Independence Day": "fête de l'Indépendance",
    "Labor Day": "fête du Travail",
    "Native American Day": "journée des Autochtones d'Amérique",
    "Columbus Day": "jour de Christophe Colomb",
    "Veterans Day": "jour des Anciens combattants",
    "Veterans' Day": "jour des Anciens combattants",
    "General Election Day": "jour des élections générales",
    "Day after Thanksgiving": "lendemain de l'Action de grâce",
    # United Kingdom.
    "Early May bank holiday": "jour férié bancaire du début de mai",
    "Early May bank holiday (VE Day)": "jour férié bancaire du début de mai (jour de la Victoire)",
    "Spring bank holiday": "jour férié bancaire du printemps",
    "Summer bank holiday": "jour férié bancaire d'été",
    "St Andrew's Day": "fête de la Saint-André",
    "St Patrick's Day": "fête de la Saint-Patrick",
    "Battle of the Boyne (Orangemen's Day)": "bataille de la Boyne (fête des orangistes)",
    "Battle of the Boyne": "bataille de la Boyne",
    "Bank holiday for Scotland at the FIFA World Cup": (
        "jour férié bancaire en Écosse pour la Coupe du monde de la FIFA"
    ),
    "Coronation of King Charles III": "couronnement du roi Charles III",
    "Platinum Jubilee of Queen Elizabeth II": "jubilé de platine de la reine Elizabeth II",
    "State Funeral of Queen Elizabeth II": "funérailles nationales de la reine Elizabeth II",
}
_DAY_SUFFIXES: dict[str, str] = {
    "observed": "jour de congé reporté",
    "substitute day": "jour de remplacement",
    "Monday": "lundi",
    "Tuesday": "mardi",
    "Friday": "vendredi",
    "Scotland": "Écosse",
    "Northern Ireland": "Irlande du Nord",
    "England and Wales, Northern Ireland": "Angleterre et pays de Galles, Irlande du Nord",
}
_DAY_SUFFIX = re.compile(r"^(.*) \(([^()]+)\)$")


def day_name(name: str) -> str:
    """A non-working day's name in French ("Good Friday": "Vendredi saint"), with its notes
    ("(observed)", "(Scotland)") and a province's code kept; unknown names as given."""
    if name in _DAY_NAMES:
        return _DAY_NAMES[name]
    found = _DAY_SUFFIX.match(name)
    if found is None:
        return name
    base, suffix = found.groups()
    if suffix in _DAY_SUFFIXES:
        return f"{day_name(base)} ({_DAY_SUFFIXES[suffix]})"
    if re.fullmatch(r"[A-Z]{2}", suffix):  # a province's code: "Canada Day (MB)"
        return f"{day_name(base)} ({suffix})"
    return name


# Each calendar's list, in French (tracker.deadlines.calendars.CALENDAR_DESCRIPTIONS).
_CALENDARS: dict[str, str] = {
    "ca-federal": (
        "les jours fériés de l'art. 35 de la Loi d'interprétation (jour de l'An, Vendredi "
        "saint, lundi de Pâques, fête de la Reine, fête du Canada, fête du Travail, Journée "
        "nationale de la vérité et de la réconciliation à compter de 2021, Action de grâce, jour "
        "du Souvenir, Noël) et les jours de fermeture des bureaux fédéraux (lendemain de Noël, "
        "congé civique, jour férié tombant une fin de semaine reporté au jour ouvrable suivant, jour de "
        "deuil national du 19 septembre 2022 : Manuel du SCT, 7.1.1), ainsi que les jours fériés "
        "de la province de l'institution lorsqu'elle est indiquée (al. 35(1)a)); les samedis et "
        "les dimanches"
    ),
    "ca-on": (
        "les jours fériés de l'art. 88 de la Loi de 2006 sur la législation (jour de l'An, fête "
        "de la Famille, Vendredi saint, lundi de Pâques, fête de la Reine, fête du Canada, fête "
        "du Travail, Action de grâce, jour du Souvenir, Noël, lendemain de Noël, avec les jours "
        "de remplacement des par. 88 (3) à (5)) et le congé civique, où les bureaux du "
        "gouvernement de l'Ontario sont fermés (art. 89 : le jour suivant où le bureau est "
        "ouvert); les samedis et les dimanches"
    ),
    "ca-bc": (
        "les jours fériés de l'art. 29 de l'Interpretation Act (C.-B.) (jour de l'An, fête de la "
        "Famille, Vendredi saint, lundi de Pâques, fête de la Reine, fête du Canada, fête de la "
        "Colombie-Britannique, fête du Travail, Journée nationale de la vérité et de la "
        "réconciliation à compter de 2023, Action de grâce, jour du Souvenir, Noël, 26 "
        "décembre), sans jour de remplacement; les samedis et les dimanches"
    ),
    "ca-ab": (
        "les jours fériés de l'al. 28(1)v) de l'Interpretation Act (Alb.) (jour de l'An, fête de "
        "la Famille de l'Alberta, Vendredi saint, lundi de Pâques, fête de la Reine, fête du "
        "Canada, fête du Travail, Action de grâce, jour du Souvenir, Noël), ainsi que la fête du "
        "Patrimoine (Heritage Day) et le lendemain de Noël, que la Loi peut aussi nommer (son "
        "texte n'a pas pu être lu; la fonction publique de l'Alberta a congé ces deux jours : "
        "la lecture la plus tardive); pas la Journée nationale de la vérité et de la "
        "réconciliation; sans jour de remplacement; les samedis et les dimanches"
    ),
    "ca-qc": (
        "les jours fériés du par. 61(23) de la Loi d'interprétation (RLRQ c. I-16) (1er janvier, "
        "Vendredi saint, lundi de Pâques, anniversaire du souverain, 24 juin, 1er juillet ou 2 "
        "juillet si le 1er juillet est un dimanche, fête du Travail, deuxième lundi d'octobre, "
        "25 décembre; ni le 2 janvier ni le 26 décembre, sans jour de remplacement) et les "
        "dimanches; le samedi n'y est pas un jour férié"
    ),
    "ca-nb": (
        "les jours fériés du Nouveau-Brunswick retenus pour l'échéance de l'organisme public "
        "(lecture la plus tardive) : jour de l'An, fête de la Famille à compter de 2018 (art. "
        "38 de la Loi d'interprétation (N.-B.), tel qu'il a été lu), ainsi que Vendredi saint, "
        "lundi de Pâques, fête de la Reine, fête du Canada, fête du Nouveau-Brunswick, fête du "
        "Travail, Action de grâce, jour du Souvenir, Noël, lendemain de Noël et le jour de deuil "
        "du 19 septembre 2022; les samedis et les dimanches"
    ),
    "ca-mb": (
        "les jours de fermeture des bureaux publics du Manitoba (lecture la plus tardive, pour "
        "l'organisme public) : jour de l'An, journée Louis Riel (Loi d'interprétation, par. "
        "23(1), point 2.1, à compter de 2008), Vendredi saint, fête de la Reine, fête du Canada, "
        "journée Terry Fox, fête du Travail, 30 septembre à compter de 2021 (Loi "
        "d'interprétation, par. 23(1), L.M. 2023, c. 50, à compter de 2024), Action de grâce, "
        "jour du Souvenir, Noël, lendemain de Noël, et le jour ouvrable suivant pour un jour "
        "férié tombant une fin de semaine; les samedis et les dimanches"
    ),
    "ca-sk": (
        "les jours de fermeture des bureaux publics de la Saskatchewan (par. 2-28(6) de The "
        "Legislation Act, lecture la plus tardive) : jour de l'An, fête de la Famille, Vendredi "
        "saint, fête de la Reine, fête du Canada, fête de la Saskatchewan, fête du Travail, "
        "Action de grâce, jour du Souvenir, Noël, lendemain de Noël, et le jour ouvrable suivant "
        "pour un jour férié tombant une fin de semaine; les samedis et les dimanches"
    ),
    "us-federal": (
        "les jours fériés légaux des États-Unis (5 U.S.C. 6103(a); Juneteenth à compter de "
        "2021), observés le vendredi précédent s'ils tombent un samedi et le lundi suivant "
        "s'ils tombent un dimanche; les fermetures par décret présidentiel comptent comme "
        "jours ouvrables; les samedis et les dimanches"
    ),
    "us-ca": (
        "les jours fériés judiciaires de la Californie (art. 12a et 135 du Code of Civil "
        "Procedure : les jours fériés complets de l'art. 6700 du Government Code, reportés du "
        "dimanche selon l'art. 6701, sauf l'Admission Day, le Columbus Day à compter de 2022, "
        "le Nouvel An lunaire, le Genocide Remembrance Day et Diwali; le lendemain de l'Action "
        "de grâce; Juneteenth à compter de 2023); les samedis et les dimanches"
    ),
    "us-ny": (
        "les jours fériés de l'État de New York (art. 24 de la General Construction Law, avec "
        "l'anniversaire de Lincoln, le jour des élections générales et Juneteenth à compter de "
        "2021; un jour férié tombant un dimanche passe au lundi, un jour férié tombant un "
        "samedi n'est pas reporté); les samedis et les dimanches"
    ),
    "uk-all": (
        "Noël, le Vendredi saint et les jours fériés bancaires de toute partie du Royaume-Uni "
        "(art. 10(6) de la Freedom of Information Act 2000 : annexe 1 de la Banking and "
        "Financial Dealings Act 1971 et jours proclamés en vertu de son art. 1(3)); les samedis "
        "et les dimanches"
    ),
    "uk-sct": (
        "Noël et les jours fériés bancaires de l'Écosse (art. 73 de la Freedom of Information "
        "(Scotland) Act 2002 : annexe 1, para. 2, de la Banking and Financial Dealings Act "
        "1971, la St Andrew's Day Bank Holiday (Scotland) Act 2007 et les jours proclamés en "
        "vertu de l'art. 1(3)); les samedis et les dimanches"
    ),
}

# Each law's notes (Law.notes), in French.
_NOTES: dict[str, str] = {
    "Requests received from 2025-06-11 fall under Alberta's Access to Information Act "
    "(S.A. 2024, c. A-1.4), which replaced FOIP; requests received before keep FOIP.": (
        "Les demandes reçues à compter du 11 juin 2025 relèvent de l'Access to Information Act "
        "(Alb.), S.A. 2024, c. A-1.4, qui a remplacé la FOIP; les demandes reçues "
        "auparavant restent régies par la FOIP."
    ),
    "Alberta's Access to Information Act applies to requests received from 2025-06-11 "
    "and counts business days; requests received before keep FOIP.": (
        "L'Access to Information Act (Alb.) s'applique aux demandes reçues à compter du "
        "11 juin 2025 et compte des jours ouvrables; les demandes reçues auparavant restent "
        "régies par la FOIP."
    ),
    "A time limit ending on a Saturday is not extended: Saturday is not a holiday under "
    "s.61(23) of the Interpretation Act, and s.52 extends only a time limit that expires "
    "on a holiday.": (
        "Un délai qui se termine un samedi n'est pas prolongé : le samedi n'est pas un jour "
        "férié selon le par. 61(23) de la Loi d'interprétation, et l'art. 52 ne prolonge que le "
        "délai qui expire un jour férié."
    ),
    "New Brunswick's Act and its complaint are bilingual: the draft letter is in English "
    "and in French. The holidays other than New Year's Day and Family Day are counted "
    "for the public body only (the later reading); the reporter's window does not rely "
    "on them (the earlier reading).": (
        "La loi du Nouveau-Brunswick et sa plainte sont bilingues : le projet de lettre est en "
        "français et en anglais. Les jours fériés autres que le jour de l'An et la fête de la "
        "Famille ne comptent que pour l'organisme public (la lecture la plus tardive); le délai "
        "du journaliste ne s'y fie pas (la lecture la plus hâtive)."
    ),
    "Requests received from 2022-01-01 have 45 days (S.M. 2021, c. 43); requests "
    "received before keep 30 days.": (
        "Les demandes reçues à compter du 1er janvier 2022 ont 45 jours (L.M. 2021, c. 43); "
        "les demandes reçues auparavant gardent 30 jours."
    ),
    "A request for more information (s.12.1) does not stop the count here: what s.12.1(4) "
    "does to the time limits could not be read. If it suspends them, the public body has as "
    "many more days as the applicant took to answer (the later reading); the date shown is "
    "the earlier one, from which the 60 days to complain after silence are also counted.": (
        "Une demande de renseignements supplémentaires (art. 12.1) n'arrête pas le calcul ici : "
        "l'effet du par. 12.1(4) sur les délais n'a pas pu être lu. S'il les suspend, "
        "l'organisme public dispose d'autant de jours de plus que l'auteur de la demande en a "
        "mis à répondre (la lecture la plus tardive); la date indiquée est la plus hâtive, à "
        "partir de laquelle sont aussi comptés les 60 jours pour porter plainte après un silence."
    ),
    "The last day moves past a day the office is closed (The Legislation Act (S.S. 2019, "
    "c. L-10.2) s.2-28(6)); read by s.2-28(5) alone it moves only past a holiday.": (
        "Le dernier jour passe au-delà d'un jour où le bureau est fermé (par. 2-28(6) de The "
        "Legislation Act (L.S. 2019, ch. L-10.2)); lu selon le seul par. 2-28(5), il ne passe "
        "qu'au-delà d'un jour férié."
    ),
}

# Versions' Act citations in French where they differ from the code's.
_ACT_CITATIONS: dict[str, str] = {
    "C.C.S.M. c. F175": "C.P.L.M. c. F175",
    "C.C.S.M. c. F175, as amended by S.M. 2021, c. 43": (
        "C.P.L.M. c. F175, modifiée par L.M. 2021, c. 43"
    ),
    "Cal. Gov. Code s.6250 et seq.": "Government Code de la Californie, art. 6250 et suiv.",
    "Cal. Gov. Code s.7920.000 et seq.": (
        "Government Code de la Californie, art. 7920.000 et suiv."
    ),
}


def _date_value(values: Mapping[str, object], key: str) -> date:
    """A problem's date value (the engine puts dates there; anything else is a bug)."""
    value = values[key]
    if not isinstance(value, date):
        raise TypeError(f"{key} is {type(value).__name__}, not a date")
    return value


def note_text(note: str) -> str:
    """A law's note in French; an unknown note as given."""
    return _NOTES.get(note, note)


def calendar_text(law: Law) -> str:
    """The law's non-working days, in French."""
    from . import calendars

    english = calendars.CALENDAR_DESCRIPTIONS.get(law.calendar_key, law.holiday_calendar)
    return _CALENDARS.get(law.calendar_key, english)


def act_citation(law: Law) -> str:
    """The Act's citation (its chapter) as the French version writes it."""
    return _ACT_CITATIONS.get(law.act_citation, law.act_citation)


def law_step_name(law: Law) -> str:
    """The law's name for a sentence, with its article: "la Loi sur ...", "le Freedom ..."."""
    names = french_law(law)
    if names is None:
        return law.name
    article = names.cited_as.split(" ", 1)[0]  # "de", "du", "de l'..."
    if article == "du":
        return f"le {names.name}"
    if names.cited_as.startswith("de l'"):
        return f"l'{names.name}"
    return f"la {names.name}"


def _period_section(law: Law) -> str:
    citation = law.citation
    if ", " in citation:
        return citation.rsplit(", ", 1)[-1]
    if citation.startswith(law.short_name):
        return citation[len(law.short_name) :].strip()
    return citation.rsplit(" ", 1)[-1]


def _unit(unit: str, n: int) -> str:
    if unit == "working":
        return "jour ouvrable" if n <= 1 else "jours ouvrables"
    if unit == "months":
        return "mois"
    return "jour" if n <= 1 else "jours"


def _days(n: int, unit: str = "calendar") -> str:
    return f"{n} {_unit(unit, n)}"


# What silence past the due date means (Law.lateness_effect), in French; {cite} as there.
_LATENESS: dict[str, str] = {
    "Without a response by the end of that day, the request is treated as refused ({cite}).": (
        "Faute de réponse à la fin de ce jour, la demande est réputée refusée ({cite})."
    ),
    "Without a response by then, the requester is treated as having exhausted "
    "administrative remedies and may go to court ({cite}).": (
        "Faute de réponse à cette date, le demandeur est réputé avoir épuisé les recours "
        "administratifs et peut saisir le tribunal ({cite})."
    ),
    "Without a response by then, the requester may petition the superior court for a "
    "writ of mandate ({cite}).": (
        "Faute de réponse à cette date, le demandeur peut demander à la Superior Court une "
        "ordonnance de mandamus (writ of mandate) ({cite})."
    ),
    "A response after that day breaches {cite}.": (
        "Une réponse donnée après ce jour contrevient à l'{cite}."
    ),
    "Without a response by then, the applicant may require a review ({cite}).": (
        "Faute de réponse à cette date, le demandeur peut exiger un réexamen ({cite})."
    ),
}
_SILENCE_TERMS: dict[str, str] = {
    "deemed refusal": "refus présumé",
    "constructive exhaustion": "épuisement présumé des recours",
    "petition for a writ of mandate": "requête en mandamus",
    "breach of the time for compliance": "manquement au délai de réponse",
    "failure to respond": "défaut de répondre",
}


def lateness_effect(law: Law) -> str | None:
    """What silence past the due date means under this law, in French, with its citation
    (None where the law gives silence no effect)."""
    section = law.deemed_refusal_section or law.silence_section
    if not section:
        return None
    template = _LATENESS.get(law.lateness_effect)
    if template is None:
        return law.lateness_effect.format(cite=cite(law, section))
    citation = cite(law, section)
    if template.endswith("l'{cite}.") and not citation.startswith("art."):
        template = template.replace("l'{cite}", "{cite}")
    return template.format(cite=citation)


def explanation_steps(e: Explanation, day: Callable[[date], str]) -> tuple[Step, ...] | None:
    """The explanation's steps in French (``day`` writes a date), or None to keep English
    (a law this module has no French names for)."""
    from .laws import LAW_VERSIONS, version_end

    law = e.law
    names = french_law(law)
    if names is None:
        return None
    period = cite(law, _period_section(law))
    steps = [Step("Réception", f"Demande reçue le {day(e.received)} (jour 0).", None)]
    if len(LAW_VERSIONS.get(law.code, ())) > 1:
        end = version_end(law)
        act = act_citation(law)
        steps.append(
            Step(
                "Loi",
                f"Ce jour-là, {law_step_name(law)} ({act}) s'appliquait : elle régit les "
                f"demandes reçues à compter du {day(law.effective_from)}"
                + (f" jusqu'au {day(end)}" if end else "")
                + ".",
                act,
            )
        )
    if law.acknowledgement_section and (e.acknowledged is not None or e.acknowledgement_late):
        ack_cite = cite(law, law.acknowledgement_section)
        if e.acknowledged is not None:
            text = (
                f"L'organisme a accusé réception de la demande le {day(e.acknowledged)}, dans "
                f"les {_days(law.length, 'working')} qui suivent la réception; les "
                f"{_days(law.acknowledgement_days or 0, 'working')} pour accorder ou refuser "
                f"l'accès courent à compter de cette date ({ack_cite})."
            )
        else:
            text = (
                f"L'accusé de réception est arrivé après les {_days(law.length, 'working')} "
                f"que permet la loi : il ne fait pas courir un nouveau délai ({ack_cite})."
            )
        steps.append(Step("Accusé de réception", text, ack_cite))
    ext_rule = law.extension
    if e.extension_days and ext_rule is not None:
        ext_sections = [ext_rule.sections[0]]
        if (
            ext_rule.commissioner_notice_threshold is not None
            and ext_rule.commissioner_section
            and e.extension_days > ext_rule.commissioner_notice_threshold
        ):
            ext_sections.append(ext_rule.commissioner_section)
        ext_cite = "; ".join(cite(law, s) for s in dict.fromkeys(ext_sections))
        steps.append(
            Step(
                "Prorogation",
                f"Le délai de {_days(e.base_length, e.unit)} ({period}) est prorogé de "
                f"{_days(e.extension_days, e.unit)} ({ext_cite}) : {_days(e.count, e.unit)} "
                "en tout, comptés à partir de la réception"
                + (", puis reportés une fois à la fin." if e.unit == "calendar" else "."),
                ext_cite,
            )
        )
    pause_cite = "; ".join(cite(law, s) for s in law.pause_sections) or None
    paused_total = 0
    for p in e.pauses:
        paused_total += p.days_not_counted
        fell = "y tombait" if p.days_not_counted <= 1 else "y tombaient"
        counted = "n'a pas été compté" if p.days_not_counted <= 1 else "n'ont pas été comptés"
        steps.append(
            Step(
                "Suspension",
                f"Le délai a été suspendu du {day(p.start)} au {day(p.end)} inclusivement : "
                f"{_days(p.days_not_counted)} du calcul {fell} et {counted}"
                + (f" ({pause_cite})." if pause_cite else "."),
                pause_cite,
            )
        )
    count = (
        f"En comptant {_days(e.count, e.unit)} à partir du {day(e.start)} "
        f"({period}; {other_citation(law.count_citation)})"
        + (f", sans compter {_days(paused_total)} de suspension," if paused_total else ",")
        + f" on arrive au {day(e.last_counted_day)}."
    )
    if e.unit == "working" and e.skipped:
        weekend = [s for s in e.skipped if s.is_weekend]
        holidays = [s for s in e.skipped if not s.is_weekend]
        parts = []
        if weekend:
            parts.append(f"{len(weekend)} jours de fin de semaine")
        if holidays:
            listed = ", ".join(f"{day(h.day)} ({day_name(h.name)})" for h in holidays[:12])
            if len(holidays) > 12:
                listed += f" et {len(holidays) - 12} autres"
            word = "jour férié" if len(holidays) == 1 else "jours fériés"
            parts.append(f"{len(holidays)} {word} : {listed}")
        count += f" Jours non comptés comme ouvrables : {' et '.join(parts)}."
    steps.append(Step("Calcul", count, period))
    if e.roll is not None:
        roll_cite = other_citation(e.roll.citation)
        steps.append(
            Step(
                "Report",
                f"Le {day(e.roll.from_date)} n'est pas un jour ouvrable "
                f"({day_name(e.roll.skipped[0].name)}) : l'échéance passe au jour ouvrable "
                f"suivant, le {day(e.roll.to_date)}"
                + (f" ({roll_cite})" if roll_cite else "")
                + ".",
                roll_cite,
            )
        )
    elif e.unit == "calendar":
        note = ""
        if 5 not in law.weekend_days and e.due.weekday() == 5:
            note = (
                " Le samedi n'est pas un jour férié selon le par. 61(23) de la Loi "
                "d'interprétation (RLRQ c. I-16), et l'art. 52 ne prolonge que le délai qui "
                "expire un jour férié : l'échéance n'est pas reportée."
            )
        roll_cite = other_citation(law.roll_citation)
        steps.append(
            Step(
                "Aucun report",
                f"Le {day(e.due)} est un jour ouvrable : l'échéance y reste.{note}",
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
    effect = lateness_effect(law)
    section = law.deemed_refusal_section or law.silence_section
    due_cite = cite(law, section) if section else None
    if effect:
        due += f" {effect}"
    steps.append(Step("Échéance", due, due_cite))
    province = (
        f" (province : {e.province})" if law.province_mode == "institution" and e.province else ""
    )
    steps.append(
        Step(
            "Jours fériés",
            f"Jours non ouvrables : {calendar_text(law)}{province}. Données des jours fériés : "
            f"python-holidays {e.holidays_version.split(' ')[0]}.",
            None,
        )
    )
    for note in law.notes:
        steps.append(Step("Note", note_text(note), None))
    return tuple(steps)


_STAGES = {
    "complaint": "Plainte",
    "request for review": "Demande de révision",
    "application for review": "Demande de révision",
    "appeal": "Appel",
    "administrative appeal": "Appel administratif",
    "requirement for review": "Demande de réexamen",
    "application": "Demande",
}
# A stage after "une"/"un" in a sentence ("aucun délai pour une plainte").
_STAGES_IN_SENTENCE = {
    "complaint": "une plainte",
    "request for review": "une demande de révision",
    "application for review": "une demande de révision",
    "appeal": "un appel",
    "administrative appeal": "un appel administratif",
    "requirement for review": "une demande de réexamen",
    "application": "une demande",
}
_BODIES: dict[str, str] = {
    "Information Commissioner of Canada": "Commissariat à l'information du Canada",
    "Privacy Commissioner of Canada": "Commissariat à la protection de la vie privée du Canada",
    "Commission d'accès à l'information": "Commission d'accès à l'information du Québec",
    "Information and Privacy Commissioner of Ontario": (
        "Commissaire à l'information et à la protection de la vie privée de l'Ontario"
    ),
    "Office of the Information and Privacy Commissioner for British Columbia": (
        "Commissaire à l'information et à la protection de la vie privée de la Colombie-Britannique"
    ),
    "Information and Privacy Commissioner of Alberta": (
        "Commissaire à l'information et à la protection de la vie privée de l'Alberta"
    ),
    "Manitoba Ombudsman": "Ombudsman du Manitoba",
    "Ombud New Brunswick": "Ombud du Nouveau-Brunswick",
    "Saskatchewan Information and Privacy Commissioner": (
        "Commissaire à l'information et à la protection de la vie privée de la Saskatchewan"
    ),
    "the agency's FOIA appeal authority": (
        "l'instance d'appel de l'organisme fédéral en matière de FOIA"
    ),
    "the agency's records access appeals officer": (
        "le responsable des appels en matière d'accès aux documents de l'organisme"
    ),
    "Information Commissioner's Office": "Information Commissioner's Office (ICO)",
    "Information Commissioner's Office (after the authority's internal review)": (
        "Information Commissioner's Office (après la révision interne de l'autorité publique)"
    ),
    "Superior Court (petition, Gov. Code s.7923.000)": (
        "Superior Court de la Californie (requête, art. 7923.000 du Government Code)"
    ),
    "Superior Court (petition, Gov. Code s.6258)": (
        "Superior Court de la Californie (requête, art. 6258 du Government Code)"
    ),
    "the Scottish public authority (requirement for review), then the Scottish Information "
    "Commissioner": (
        "l'autorité publique écossaise (demande de réexamen), puis le Scottish Information "
        "Commissioner"
    ),
    "the Scottish public authority": "l'autorité publique écossaise",
    "the Scottish Information Commissioner": "le Scottish Information Commissioner",
}
_TRIGGERS: dict[str, str] = {
    "the response": "la réponse",
    "the late response": "la réponse tardive",
    "the end of the time for compliance": "la fin du délai de réponse",
}
# Window notes (ComplaintWindow.note) the English sentence adds, in French.
_WINDOW_NOTES: dict[str, str] = {
    '"day" excludes Saturdays and holidays (Schedule 1); the Commissioner may allow longer '
    "(s.53(2)(b)).": (
        "Le mot « day » exclut les samedis et les jours fériés (annexe 1); le commissaire peut "
        "accorder un délai plus long (al. 53(2)b))."
    ),
    "Business days (s.1). After silence (s.11(2), s.67(5)) the 40 business days run from the "
    "end of the time to respond; the Ombud may extend the period (s.67(4)). Instead of the "
    "Ombud the applicant may refer the matter to a judge of the Court of King's Bench "
    "(s.65(1)), not both (s.67(2)).": (
        "Jours ouvrables (art. 1). Faute de réponse (par. 11(2) et 67(5)), les 40 jours "
        "ouvrables courent à compter de la fin du délai de réponse; l'ombud peut proroger ce "
        "délai (par. 67(4)). Au lieu de l'ombud, l'auteur de la demande peut déférer l'affaire à "
        "un juge de la Cour du Banc du Roi (par. 65(1)), mais pas les deux (par. 67(2))."
    ),
    "One year after written notice of the decision, or after the expiration of the time to "
    "respond (a deemed refusal under s.7(5) on the 30th day).": (
        "Un an après l'avis écrit de la décision, ou après l'expiration du délai de réponse "
        "(refus présumé selon le par. 7(5) le trentième jour)."
    ),
    "Counted from the expiry of the s.10 period, or from the receipt of a late response "
    "(s.20(5)(b)).": (
        "Comptés à partir de l'expiration du délai de l'art. 10, ou de la réception d'une "
        "réponse tardive (art. 20(5)(b))."
    ),
    "The ICO expects a complaint within six weeks of the last substantive contact with the "
    "authority (e.g. the internal review's outcome); it may decline one made after undue "
    "delay (s.50(2)(b)). This is guidance, not a time limit in the Act.": (
        "L'ICO s'attend à recevoir une plainte dans les six semaines qui suivent le dernier "
        "échange de fond avec l'autorité publique (par exemple l'issue de la révision interne); "
        "il peut refuser une plainte présentée après un retard injustifié (art. 50(2)(b)). C'est "
        "une ligne directrice, non un délai fixé par la loi."
    ),
}
_NEXT_STAGES: dict[str, str] = {
    "Then an application to the Scottish Information Commissioner (s.47(1)) within six "
    "months of receiving the review's outcome, or of the end of the 20 working days the "
    "authority has to answer the requirement for review (s.21(1), s.47(4)).": (
        "Ensuite, une demande au Scottish Information Commissioner (art. 47(1)) dans les six "
        "mois qui suivent la réception de l'issue du réexamen, ou la fin des 20 jours ouvrables "
        "dont l'autorité dispose pour répondre à la demande de réexamen (art. 21(1) et 47(4))."
    ),
}


def body_name(body: str) -> str:
    """A complaint body's name in its French form; unknown bodies as given."""
    return _BODIES.get(body, body)


def cited_as_given(law: Law, citation: str) -> str:
    """An English citation of this law ("ATIA s.31") in its French form; others as given."""
    prefix = f"{law.short_name} "
    if french_law(law) is not None and citation.startswith(prefix):
        return cite(law, citation[len(prefix) :])
    if french_law(law) is not None and citation.startswith(law.short_name):
        return cite(law, citation[len(law.short_name) :])
    return other_citation(citation) or citation


def _trigger(law: Law, trigger: str) -> str:
    if trigger in _TRIGGERS:
        return _TRIGGERS[trigger]
    if trigger.startswith("the due date"):
        term = _SILENCE_TERMS.get(law.silence_term, law.silence_term)
        return f"l'échéance ({term})"
    return trigger


def _window_rule(law: Law, window: ReporterWindow) -> ComplaintWindow | None:
    for rule in (law.complaint_window, law.refusal_window, law.guidance_window, law.next_stage):
        if (
            rule is not None
            and law.cite(rule.section) == window.citation
            and rule.stage == window.stage
        ):
            return rule
    return None


def window_text(law: Law, window: ReporterWindow, day: Callable[[date], str]) -> str | None:
    """A reporter's window as French sentences, or None to keep the English one."""
    names = french_law(law)
    if names is None:
        return None
    citation = cited_as_given(law, window.citation)
    rule = _window_rule(law, window)
    stage = _STAGES.get(window.stage, window.stage)
    body = body_name(window.body)
    if window.kind == "next-stage":
        return _NEXT_STAGES.get(law.next_stage_text, law.next_stage_text)
    if window.kind == "no-limit" or window.end is None:
        if law.refusal_no_limit and window.trigger.startswith("the due date"):
            what = _STAGES_IN_SENTENCE.get(window.stage, window.stage)
            return (
                f"Aucun délai : la loi n'en fixe pas pour {what} portant sur l'absence de "
                f"réponse ({citation}). Le recours reste ouvert."
            )
        effect = lateness_effect(law)
        if window.trigger.startswith("the due date") and law.silence_section and effect:
            return f"Aucun délai ne court à partir du silence : {effect[0].lower()}{effect[1:]}"
        return f"{stage} auprès de : {body}; la loi ne fixe aucun délai ({citation})."
    if window.kind == "guidance":
        note = _WINDOW_NOTES.get(rule.note, rule.note) if rule else ""
        return (
            f"La loi ne fixe aucun délai. Ligne directrice, non règle de droit : {note} Les six "
            f"semaines se terminent le {day(window.end)}."
        )
    start = f"à compter du lendemain de {_trigger(law, window.trigger)}"
    length = f"{_days(rule.length, rule.unit)}, " if rule else ""
    text = (
        f"{stage} auprès de : {body}, {length}{start}, au plus tard le {day(window.end)} "
        f"({citation})."
    )
    if rule is not None and rule.note and rule.unit != "calendar":
        text += " " + _WINDOW_NOTES.get(rule.note, rule.note)
    if window.later_end is not None and window.later_end != window.end:
        text += (
            " Le suivi retient la plus hâtive de deux lectures; selon la plus favorable au "
            f"demandeur, le délai se terminerait le {day(window.later_end)}. Agir au plus tard "
            f"le {day(window.end)}."
        )
    return text


# Extension problems (tracker.deadlines.engine.Problem), by code, in French.
_APPROVERS = {
    "Commissioner": "du commissaire",
    "Ombud": "de l'ombud",
    "Ombudsman": "de l'ombudsman",
}


def problem_text(law: Law, problem: Problem, day: Callable[[date], str]) -> str:
    """An extension problem as a French sentence, from its code and values; the English
    message where this module does not know the code."""
    v = dict(problem.values)
    names = french_law(law)
    rule = law.extension
    unit = law.unit
    if names is None:
        return problem.message
    code = problem.code
    if code == "no-extension":
        return f"La {names.name} ne prévoit aucune prorogation du délai de réponse."
    if code == "unknown-reason" and rule is not None:
        valid = ", ".join(dict.fromkeys(cite(law, r.section) for r in rule.reasons))
        return (
            f"« {v.get('reason')} » n'est pas un motif de prorogation prévu par "
            f"{law_step_name(law)}; les motifs valides sont ceux de : {valid}."
        )
    if code == "no-notice" and "original_due" in v:
        return (
            "Aucun avis de prorogation n'a été consigné; le demandeur doit en être avisé dans le "
            f"délai initial (au plus tard le {day(_date_value(v, 'original_due'))})."
        )
    if code == "late-notice" and "notice_date" in v:
        return (
            f"L'avis de prorogation a été donné le {day(_date_value(v, 'notice_date'))}, après l'échéance "
            f"initiale du {day(_date_value(v, 'original_due'))}; une prorogation doit être demandée dans le "
            "délai initial."
        )
    days = v.get("days")
    if rule is None or not isinstance(days, int):
        return problem.message
    limit = rule.max_days or 0
    if code == "commissioner-permission-required":
        approver = _APPROVERS.get(rule.approver, rule.approver)
        return (
            f"Une prorogation de {_days(days, unit)} dépasse les {_days(limit, unit)} que la "
            f"personne responsable peut prendre seule; au-delà, il faut la permission "
            f"{approver}. Seuls {_days(limit, unit)} comptent dans le calcul de l'échéance tant "
            "qu'aucune permission n'est consignée."
        )
    if code == "exceeds-maximum" and rule.max_kind == "written-reasons":
        return (
            f"Une prorogation de {_days(days, unit)} va au-delà des 20 jours ouvrables qui "
            "suivent l'accusé de réception; l'organisme doit en donner les motifs par écrit et "
            "fixer une date précise, dans un délai raisonnable."
        )
    if code == "exceeds-maximum":
        return (
            f"Une prorogation de {_days(days, unit)} dépasse les {_days(limit, unit)} que "
            f"permet la loi; seuls {_days(limit, unit)} comptent dans le calcul de l'échéance."
        )
    if code == "commissioner-notice-missing":
        threshold = rule.commissioner_notice_threshold or 0
        return (
            f"Une prorogation de {_days(days)} dépasse {_days(threshold)} : il faut en aviser "
            f"le {body_name(law.complaint_body)}."
        )
    if code == "exceeds-guidance":
        return (
            f"Une prorogation de {_days(days, unit)} dépasse les "
            f"{_days(rule.guidance_max_days or 0, unit)} que l'autorité de contrôle accepte "
            "d'ordinaire comme raisonnables."
        )
    return problem.message


def problem_citation(law: Law, problem: Problem) -> str:
    """An extension problem's citation in French ("par. 9(1) de la Loi ...")."""
    parts = [cited_as_given(law, part) for part in problem.citation.split("; ")]
    if problem.citation == law.period_text:
        return cite(law, _period_section(law))
    return "; ".join(parts)


# Each extension ground's label (ExtensionReason.label), in French.
_REASONS: dict[str, str] = {
    "Large number of records; meeting the time limit would unreasonably interfere with "
    "operations": (
        "Grand nombre de documents : respecter le délai entraverait de façon sérieuse le "
        "fonctionnement de l'institution"
    ),
    "Consultations that cannot reasonably be completed within the time limit": (
        "Consultations qui ne peuvent raisonnablement être menées à bien dans le délai"
    ),
    "Notice to a third party under s.27(1)": "Avis à un tiers en application du par. 27(1)",
    "Meeting the time limit would unreasonably interfere with operations": (
        "Respecter le délai entraverait de façon sérieuse le fonctionnement de l'institution"
    ),
    "Translation or conversion into an alternative format": (
        "Traduction ou transfert sur un support de substitution"
    ),
    "Consultations outside the institution that cannot reasonably be completed within the "
    "time limit": (
        "Consultations à l'extérieur de l'institution qui ne peuvent raisonnablement être menées "
        "à bien dans le délai"
    ),
    "The applicant did not give enough detail to identify the record": (
        "L'auteur de la demande n'a pas donné assez de précisions pour identifier le document"
    ),
    "More time needed to consult a third party or another public body": (
        "Plus de temps est nécessaire pour consulter un tiers ou un autre organisme public"
    ),
    "The applicant consented to the extension": (
        "L'auteur de la demande a consenti à la prorogation"
    ),
    "A third party asked for a review under s.65(2) or s.77(3)": (
        "Un tiers a demandé une révision en vertu du par. 65(2) ou 77(3)"
    ),
    "A third party asked for a review": "Un tiers a demandé une révision",
    "Processing within 20 days is not possible without impeding the normal course of operations": (
        "Le traitement dans les 20 jours n'est pas possible sans nuire au déroulement normal "
        "des activités de l'organisme"
    ),
    "The applicant did not give enough detail to identify a requested record": (
        "L'auteur de la demande n'a pas donné assez de précisions pour identifier un document "
        "demandé"
    ),
    "The applicant did not answer a request for clarification as soon as the circumstances "
    "permit": (
        "L'auteur de la demande n'a pas répondu à une demande de précisions dès que les "
        "circonstances le permettaient"
    ),
    "Large number of records, or responding in time would interfere unreasonably with operations": (
        "Grand nombre de documents, ou répondre dans le délai entraverait de façon "
        "déraisonnable le fonctionnement de l'organisme"
    ),
    "Time to notify a third party and receive representations, or to consult another public body": (
        "Temps d'aviser un tiers et de recevoir ses observations, ou de consulter un autre "
        "organisme public"
    ),
    "A third party referred the matter to a judge (s.65(1)) or complained to the Ombud "
    "(s.67(1)(b))": (
        "Un tiers a déféré l'affaire à un juge (par. 65(1)) ou a porté plainte auprès de "
        "l'ombud (al. 67(1)b))"
    ),
    "The records relate to a proceeding commenced by a Notice of Action or a Notice of "
    "Application": (
        "Les documents se rapportent à une instance introduite par un avis de poursuite ou un "
        "avis de requête"
    ),
    "A large number of records is requested or must be searched; meeting the time limit "
    "would unreasonably interfere with operations": (
        "Un grand nombre de documents est demandé ou doit être examiné : respecter le délai "
        "entraverait de façon déraisonnable le fonctionnement de l'organisme"
    ),
    "Time is needed to consult a third party": "Du temps est nécessaire pour consulter un tiers",
    "A third party made a complaint under s.59(2)": (
        "Un tiers a déposé une plainte en vertu du par. 59(2)"
    ),
    "A large number of records is requested or must be searched; completing the work within "
    "the original period would unreasonably interfere with operations": (
        "Un grand nombre de documents est demandé ou doit être examiné : terminer le travail "
        "dans le délai initial entraverait de façon déraisonnable le fonctionnement de "
        "l'organisme"
    ),
    "A large number of requests; completing the work within the original period would "
    "unreasonably interfere with operations": (
        "Un grand nombre de demandes : terminer le travail dans le délai initial entraverait de "
        "façon déraisonnable le fonctionnement de l'organisme"
    ),
    "Consultations necessary to comply cannot reasonably be completed within the original period": (
        "Les consultations nécessaires ne peuvent raisonnablement être menées à bien dans le "
        "délai initial"
    ),
    "A third party notice is required under s.34(1)": (
        "Un avis à un tiers est exigé par le par. 34(1)"
    ),
    "A third party notice is required under s.33(1)": (
        "Un avis à un tiers est exigé par le par. 33(1)"
    ),
    "Unusual circumstances (distant records, voluminous records, or consultation)": (
        "Circonstances inhabituelles (documents éloignés, documents volumineux ou consultation)"
    ),
    "Records held in field facilities or other separate establishments": (
        "Documents conservés dans des installations régionales ou d'autres établissements distincts"
    ),
    "Voluminous records": "Documents volumineux",
    "Consultation with another agency": "Consultation d'un autre organisme",
    "Compiling or extracting electronic data": "Compilation ou extraction de données électroniques",
    "Approximate date given in the acknowledgement, beyond 20 business days from it": (
        "Date approximative donnée dans l'accusé de réception, au-delà de 20 jours ouvrables "
        "après celui-ci"
    ),
    "Written reasons and a date certain beyond 20 business days from the acknowledgement": (
        "Motifs écrits et date précise au-delà de 20 jours ouvrables après l'accusé de réception"
    ),
    "Time to consider the public interest test": "Temps d'examiner le critère de l'intérêt public",
    # Alberta's Access to Information Act, s.16(1).
    "The applicant agrees": "L'auteur de la demande y consent",
    "A large number of records are requested and more time is required to process the request": (
        "Un grand nombre de documents est demandé et il faut plus de temps pour traiter la demande"
    ),
    "More time needed to consult a third party, another public body or another entity": (
        "Plus de temps est nécessaire pour consulter un tiers, un autre organisme public ou une "
        "autre entité"
    ),
}


def reason_label(label: str) -> str:
    """An extension ground's label in French; an unknown label as given."""
    return _REASONS.get(label, label)


# The rules on e-mailed requests (tracker.deadlines.letters.EMAIL_RULES) in French, keyed by
# law code: (the rule cited, what it says). New Brunswick's is the French version's own words
# (Loi sur les opérations électroniques, L.R.N.-B. 2011, ch. 145, al. 17(2)a)); the UK and US
# rules are English-only texts, explained in French with the words quoted in English.
_EMAIL_RULES: dict[str, tuple[str, str]] = {
    "uk-foia": (
        "al. 10(6)a) du Freedom of Information Act 2000 (R.-U.)",
        "la « date of receipt » est « the day on which the public authority receives the "
        "request »; l'Information Commissioner y lit n'importe quel jour, fin de semaine et "
        "jour férié compris (ligne directrice LTT47), et l'Information Tribunal un jour "
        "civil entier (Berend v ICO, EA/2006/0049)",
    ),
    "us-foia": (
        "5 U.S.C. 552(a)(6)(A)(ii)",
        "les 20 jours courent à compter de la date où la demande est reçue pour la première "
        "fois par la composante compétente de l'organisme, et au plus tard dix jours après sa "
        "première réception par une composante désignée par le règlement de l'organisme; les "
        "règles FOIA d'un organisme peuvent compter un courriel arrivé après les heures de "
        "bureau à partir du jour ouvrable suivant (p. ex. l'EPA, 40 CFR 2.104(a)(2) : à "
        "17 h, heure de l'Est, ou plus tard)",
    ),
    "ca-nb-rtippa": (
        "al. 17(2)a) de la Loi sur les opérations électroniques (N.-B.)",
        "l'information électronique est présumée être reçue lorsqu'elle entre dans un "
        "système d'information désigné ou utilisé par le destinataire pour recevoir des "
        "informations du genre de celles expédiées et qu'il est possible pour le destinataire "
        "de la récupérer et de la traiter : la boîte de l'organisme public, le jour où le "
        "courriel y arrive",
    ),
}


def email_rule(law_code: str) -> tuple[str, str] | None:
    """A law's rule on when an e-mailed request is received, in French: (section, text)."""
    return _EMAIL_RULES.get(law_code)
