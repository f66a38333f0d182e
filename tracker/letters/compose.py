"""Drafting: an offer and the request's facts become a letter's subject and text, in English
or French, from the plain-text templates in templates/letters/text/.

The facts (dates, sections, file numbers, the complaint form's fields) are gathered here; the
wording lives in the templates, one per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask import render_template

from tracker import deadlines
from tracker.letters.rules import LetterFacts as Facts
from tracker.letters.rules import Offer, late, stance
from tracker.packets.letter import rules_for

LANGUAGES = ("en", "fr")
# The Acts' official French titles, read from the French versions of the statutes: federal
# (Justice Canada, laws-lois.justice.gc.ca), Québec (LégisQuébec, RLRQ c. ), Ontario
# (Lois-en-ligne: L.R.O. 1990, chap. F.31 and chap. M.56), New Brunswick (LN-B 2009,
# c.) and Manitoba (C.P.L.M. c. F175). British Columbia, Alberta and Saskatchewan
# enact these Acts in English only: their letters name them by their English titles.
FRENCH_LAW_NAMES: dict[str, str] = {
    "ca-atia": "Loi sur l'accès à l'information",
    "ca-privacy": "Loi sur la protection des renseignements personnels",
    "ca-qc-access": "Loi sur l'accès aux documents des organismes publics et sur la "
    "protection des renseignements personnels",
    "ca-on-fippa": "Loi sur l'accès à l'information et la protection de la vie privée",
    "ca-on-mfippa": "Loi sur l'accès à l'information municipale et la protection de la vie privée",
    "ca-nb-rtippa": "Loi sur le droit à l'information et la protection de la vie privée",
    "ca-mb-fippa": "Loi sur l'accès à l'information et la protection de la vie privée",
}
# How a citation names the Act where it is shorter than its title (Québec's "Loi sur l'accès").
FRENCH_CITE_NAMES: dict[str, str] = {"ca-qc-access": "Loi sur l'accès"}
# A section as the registry writes it: "s.30(1)(a)(i)", "s.47", "s.29(4)".
SECTION = re.compile(
    r"s\.(?P<num>\d+(?:\.\d+)?)(?P<subs>(?:\(\d+(?:\.\d+)?\))*)"
    r"(?:\((?P<para>[a-z](?:\.\d+)?)\))?(?:\((?P<sub>[ivx]+)\))?"
    r"(?: \((?P<gloss>[^()]*)\))?"  # an English gloss ("(complaint to the Ombudsman)"): dropped
)
FRENCH_BODIES: dict[str, str] = {
    "Information Commissioner of Canada": "Commissaire à l'information du Canada",
    "Privacy Commissioner of Canada": "Commissaire à la protection de la vie privée du Canada",
    "Information and Privacy Commissioner of Ontario": "Commissaire à l'information et à la "
    "protection de la vie privée de l'Ontario",
    # The office's own French name (ombudsman.mb.ca/fr, "Ombudsman du Manitoba"; the
    # Government of Manitoba's French FIPPA page: "Bureau de l'ombudsman du Manitoba"), read
    # 2026-12-07. The French FIPPA (C.P.L.M. c. F175) calls the officer "l'ombudsman".
    "Manitoba Ombudsman": "Ombudsman du Manitoba",
}


@dataclass(frozen=True)
class Reporter:
    """Who signs: the complaint form's complainant."""

    name: str
    email: str
    newsroom: str
    address: str = ""
    telephone: str = ""


@dataclass(frozen=True)
class RequestFacts:
    """The request as a letter names it."""

    institution: str
    institution_email: str | None
    title: str
    text: str
    file_number: str | None
    received_on: date
    sent_on: date | None
    attachments: tuple[str, ...] = ()  # "2020-02-14 Acknowledgement received: accusé.txt"
    extensions: tuple[str, ...] = ()  # each extension and its problems, in words


@dataclass(frozen=True)
class Draft:
    """A drafted letter: who it goes to, its subject and text."""

    kind: str
    ground: str | None
    language: str
    recipient_name: str
    recipient_email: str
    subject: str
    body: str
    form: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def law_name(law: deadlines.Law, language: str) -> str:
    """The Act's name in the letter's language."""
    if language == "fr":
        return FRENCH_LAW_NAMES.get(law.code, law.name)
    return law.name


def cite(law: deadlines.Law, section: str, language: str) -> str:
    """A section as the letter's language cites it: "ATIA s.30(1)(a)" in English; in French,
    for a Canadian Act, the French statute's own form and the Act's French title
    ("al. 30(1)a) de la Loi sur l'accès à l'information", "art. 47 de la Loi sur l'accès")."""
    text = law.cite(section) if not section.startswith(law.short_name) else section
    if language != "fr":
        return text
    if law.code.startswith("ca-"):
        bare = section
        for prefix in (law.name, law.short_name):
            bare = bare.removeprefix(f"{prefix} ")
        found = SECTION.fullmatch(bare.strip())
        if found is not None:
            name = FRENCH_CITE_NAMES.get(law.code) or law_name(law, "fr")
            parts = found.groupdict()
            parts.pop("gloss")
            return f"{french_section(law.code, **parts)} de la {name}"
    return text.replace(" s.", ", art. ")


def french_section(
    code: str, num: str, subs: str, para: str | None = None, sub: str | None = None
) -> str:
    """A section in French drafting: "art. 6", "par. 10(3)", "al. 30(1)a)", "sous-al.
    67(1)a)(i)"; Ontario's statutes space them ("par. 29 (4)", "alinéa 49 b)") and Québec's
    are articles ("art. 47")."""
    if code == "ca-qc-access":
        return f"art. {num}{subs}"
    gap = " " if code.startswith("ca-on-") else ""
    place = f"{num}{gap}{subs}"
    if sub:
        word = "sous-alinéa" if gap else "sous-al."
        return f"{word} {place}{gap}{para}){gap}({sub})"
    if para:
        word = "alinéa" if gap else "al."
        return f"{word} {place}{gap}{para})"
    if subs:
        return f"par. {place}"
    return f"art. {num}"


def _body_name(name: str, language: str) -> str:
    return FRENCH_BODIES.get(name, name) if language == "fr" else name


def _power(law: deadlines.Law) -> str:
    """Whether the body orders or recommends (read from the law's letter rules)."""
    remedy = rules_for(law.code, law.effective_from).remedy
    return "recommend" if "recommend" in remedy else "order"


def _description(offer: Offer, facts: Facts, request: RequestFacts, language: str) -> str:
    """The complaint form's description: the facts and dates of the ground, from the
    timeline, in the letter's language."""
    s, today = facts.state, facts.today
    received = request.received_on.isoformat()
    due = s.due_on.isoformat()
    responded = s.responded_on.isoformat() if s.responded_on else None
    late_days = max(((s.responded_on or today) - s.due_on).days, 0)
    fr = language == "fr"
    if offer.ground == "delay":
        if responded is not None:
            return (
                f"Demande reçue le {received}; réponse attendue le {due}; réponse reçue le "
                f"{responded}, {late_days} jour(s) civil(s) de retard."
                if fr
                else f"Request received {received}; response due {due}; response received "
                f"{responded}, {late_days} calendar day(s) late."
            )
        return (
            f"Demande reçue le {received}; réponse attendue le {due}; aucune réponse au "
            f"{today.isoformat()}, {late_days} jour(s) civil(s) de retard."
            if fr
            else f"Request received {received}; response due {due}; no response as of "
            f"{today.isoformat()}, {late_days} calendar day(s) late."
        )
    if offer.ground == "extension":
        # The days claimed (the due date counts only the lawful ones).
        claimed = sum(x.days for x in s.extensions)
        return (
            f"Demande reçue le {received}; la prorogation de {claimed} jour(s) n'a pas été "
            f"prise comme la loi l'exige; réponse attendue le {due}."
            if fr
            else f"Request received {received}; the extension of {claimed} day(s) was not "
            f"taken as the law requires; response due {due}."
        )
    if offer.ground == "fees":
        return (
            f"Demande reçue le {received}; l'institution exige des frais (avis au dossier)."
            if fr
            else f"Request received {received}; the institution asks for fees (notice attached)."
        )
    if offer.ground == "exemptions":
        return (
            f"Réponse du {responded} : des documents ou des parties de documents sont refusés "
            "en vertu d'exceptions."
            if fr
            else f"Response of {responded}: records or parts of records withheld under exemptions."
        )
    if offer.ground == "missing_records":
        return (
            f"Réponse du {responded} : des documents qui existent n'y sont pas."
            if fr
            else f"Response of {responded}: records that exist are missing from it."
        )
    return ""


def complaint_form(
    offer: Offer,
    facts: Facts,
    request: RequestFacts,
    reporter: Reporter,
    language: str = "en",
) -> tuple[tuple[str, str], ...]:
    """The fields of a Canadian commissioner's complaint form, filled from the profile and the
    timeline (empty values are left for the reporter; the page says which)."""
    grounds = {
        "delay": "Delay or deemed refusal",
        "extension": "Extension of time",
        "fees": "Fees",
        "exemptions": "Exemptions",
        "missing_records": "Missing records",
    }
    return (
        ("Complainant", reporter.name),
        (
            "Mailing address",
            ", ".join(x.strip() for x in reporter.address.splitlines() if x.strip()),
        ),
        ("Telephone", reporter.telephone),
        ("E-mail", reporter.email),
        ("On behalf of", reporter.newsroom),
        ("Institution", request.institution),
        ("Request number", request.file_number or ""),
        ("Date of the request", (request.sent_on or request.received_on).isoformat()),
        ("Complaint type", grounds.get(offer.ground or "", "Other")),
        ("Description", _description(offer, facts, request, language)),
        ("Attached", "; ".join(request.attachments)),
    )


def draft(
    offer: Offer,
    facts: Facts,
    request: RequestFacts,
    reporter: Reporter,
    language: str = "en",
) -> Draft:
    """Draft the offered letter in a language (needs an app context for the templates)."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    law, s = facts.law, facts.state
    rules = rules_for(law.code, law.effective_from)
    form = complaint_form(offer, facts, request, reporter, language) if offer.to_body else ()
    canadian = law.code.startswith("ca-")
    days_late = max(((s.responded_on or facts.today) - s.due_on).days, 0) if late(facts) else 0
    context = {
        "offer": offer,
        "law": law,
        "law_name": law_name(law, language),
        "state": s,
        "facts": facts,
        "request": request,
        "reporter": reporter,
        "today": facts.today,
        "stance": stance(facts),
        "days_late": days_late,
        "power": _power(law),
        "rules": rules,
        "own": deadlines_letters(law.code),
        "body": _body_name(offer.addressee, language),
        "sections": [cite(law, x, language) for x in offer.sections],
        "form": form if canadian and offer.kind == "complaint" else (),
        "cite": lambda x: cite(law, x, language),
        "unit": law.unit,
        "period": law.period_text
        if language == "en"
        else cite(law, law.citation.rsplit(", ", 1)[-1], language),
        "the": lambda name: name if name.lower().startswith("the ") else f"the {name}",
    }
    subject = render_template(f"letters/text/{language}/subject.txt", **context).strip()
    body = render_template(f"letters/text/{language}/letter.txt", **context)
    body = _tidy(body)
    recipient = _body_name(offer.addressee, language) if offer.to_body else request.institution
    email = "" if offer.to_body else (request.institution_email or "")
    return Draft(
        kind=offer.kind,
        ground=offer.ground,
        language=language,
        recipient_name=recipient,
        recipient_email=email,
        subject=" ".join(subject.split()),
        body=body,
        form=form,
    )


def deadlines_letters(code: str) -> object:
    """The law's letter facts (tracker.deadlines.letters), for the templates."""
    from tracker.deadlines.letters import letter_law

    return letter_law(code)


def _tidy(text: str) -> str:
    """Paragraphs separated by one blank line; lines kept as the template wrote them."""
    paragraphs, current = [], []
    for line in text.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs) + "\n"
