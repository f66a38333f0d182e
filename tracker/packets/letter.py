"""The draft complaint letter, addressed to the body each law names and citing its sections.

A draft: the reporter checks every fact against the enclosed files, edits and signs it.
Sections were checked against the statute texts (README, "Deadlines, law by law").
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date

from tracker.packets.dossier import ComplaintRecord, Dossier


@dataclass(frozen=True)
class LetterRules:
    """How a complaint or appeal is made under one law."""

    kind: str  # "complaint", "appeal", "request for review"...
    salutation: str
    delay_sections: tuple[str, ...]  # the response period and what silence means
    complaint_section: str  # the section under which the complaint or appeal is made
    extension_section: str | None  # where an extension can be challenged
    remedy: str
    before: str = ""  # a step the law expects first (internal review)
    # The languages the body takes complaints in, where it takes more than English.
    languages: tuple[str, ...] = ()


RULES: dict[str, LetterRules] = {
    # ATIA s.7 (30 days), s.10(3) (deemed refusal), s.30(1)(a) (refusal), s.30(1)(c) (extension).
    "ca-atia": LetterRules(
        "complaint",
        "Dear Commissioner",
        ("s.7", "s.10(3)"),
        "s.30(1)(a)",
        "s.30(1)(c)",
        "I ask the Commissioner to investigate, to find the complaint well-founded and to "
        "order the institution to respond to the request in full by a fixed date.",
    ),
    # Privacy Act s.14, s.16(3) (deemed refusal), s.29(1)(b) (refusal), s.29(1)(d) (extension).
    "ca-privacy": LetterRules(
        "complaint",
        "Dear Commissioner",
        ("s.14", "s.16(3)"),
        "s.29(1)(b)",
        "s.29(1)(d)",
        "I ask the Commissioner to investigate and to recommend that the institution give "
        "access to the personal information without further delay.",
    ),
    # FIPPA (Ont.) s.26, s.29(4) (deemed refusal); appeal to the Commissioner s.50(1).
    "ca-on-fippa": LetterRules(
        "appeal",
        "Dear Registrar",
        ("s.26", "s.29(4)"),
        "s.50(1)",
        "s.50(1)",
        "I ask the Commissioner to order the institution to issue a decision on the request "
        "without further delay.",
    ),
    # MFIPPA s.19, s.22(4) (deemed refusal); appeal to the Commissioner s.39(1).
    "ca-on-mfippa": LetterRules(
        "appeal",
        "Dear Registrar",
        ("s.19", "s.22(4)"),
        "s.39(1)",
        "s.39(1)",
        "I ask the Commissioner to order the institution to issue a decision on the request "
        "without further delay.",
    ),
    # BC FIPPA s.7, s.53(3) (silence is a refusal); review s.52(1); extension complaint s.42(2)(b).
    "ca-bc-fippa": LetterRules(
        "request for review",
        "Dear Commissioner",
        ("s.7", "s.53(3)"),
        "s.52(1)",
        "s.42(2)(b)",
        "I ask the Commissioner to review the deemed refusal and to order the public body to "
        "respond without further delay.",
    ),
    # AB FOIP s.11(1), s.11(2) (deemed refusal); review by the Commissioner s.65(1), asked
    # within 60 days (s.66(2)); an extension is an "act" of the head reviewable under s.65(1).
    "ca-ab-foip": LetterRules(
        "request for review",
        "Dear Commissioner",
        ("s.11(1)", "s.11(2)"),
        "s.65(1)",
        "s.65(1)",
        "I ask the Commissioner to review the deemed refusal and to order the public body to "
        "respond without further delay.",
    ),
    # Québec Access Act s.47 (20 days), s.52 (deemed refusal); review by the CAI s.135.
    "ca-qc-access": LetterRules(
        "application for review",
        "Madame, Monsieur",
        ("s.47", "s.52"),
        "s.135",
        "s.135",
        "I ask the Commission to review the deemed refusal and to order the public body to "
        "give access to the documents.",
    ),
    # 5 U.S.C. 552(a)(6)(A)(i) (20 working days), (6)(C)(i) (constructive exhaustion);
    # the appeal is decided within 20 working days, (6)(A)(ii).
    "us-foia": LetterRules(
        "administrative appeal",
        "Dear FOIA Appeals Officer",
        ("(6)(A)(i)", "(6)(C)(i)"),
        "(6)(A)(ii)",
        "(6)(B)(i)",
        "I ask that the agency be directed to make a determination and release the records "
        "without further delay. I reserve the right to seek judicial review under (6)(C)(i).",
    ),
    # Cal. Gov. Code s.7922.535(a) (10 days); enforcement by petition, s.7923.000.
    "us-ca-cpra": LetterRules(
        "petition (statement of facts)",
        "To the Court",
        ("s.7922.535(a)",),
        "s.7923.000",
        "s.7922.535(b)",
        "I ask the court to order the agency to disclose the records or show cause why it "
        "should not, and to award costs and fees (s.7923.115).",
    ),
    # N.Y. Pub. Off. Law s.89(3)(a) (5 business days), s.89(4)(a) (appeal; silence is a denial).
    "us-ny-foil": LetterRules(
        "appeal",
        "Dear Records Access Appeals Officer",
        ("s.89(3)(a)", "s.89(4)(a)"),
        "s.89(4)(a)",
        "s.89(3)(a)",
        "I ask that the records be released within ten business days of this appeal, as "
        "s.89(4)(a) requires of the appeal decision.",
    ),
    # FOIA 2000 s.1(1), s.10(1) (20 working days); application to the Commissioner s.50(1).
    "uk-foia": LetterRules(
        "complaint",
        "Dear Information Commissioner",
        ("s.1(1)", "s.10(1)"),
        "s.50(1)",
        "s.10(3)",
        "I ask the Commissioner to issue a decision notice requiring the authority to respond "
        "to the request within a set time.",
        before="The Commissioner expects the authority's internal review to be asked for first: "
        "[date the internal review was requested, and its outcome if any].",
    ),
    # FOISA s.1(1), s.10(1) (20 working days). Two steps: a requirement for review to the
    # authority (s.20(1), within 40 working days: s.20(5)), then an application to the
    # Commissioner (s.47(1), within six months: s.47(4)). This letter is the application.
    "uk-sct-foisa": LetterRules(
        "application",
        "Dear Scottish Information Commissioner",
        ("s.1(1)", "s.10(1)"),
        "s.47(1)",
        None,
        "I ask the Commissioner to issue a decision requiring the authority to respond to the "
        "request within a set time.",
        before="Step 1, to the authority: a requirement for review was sent to the authority "
        "under FOISA s.20(1) on [date], within the 40 working days of s.20(5); the authority "
        "[did not answer within 20 working days (s.21(1)) / answered on date]. Step 2, to the "
        "Commissioner: this application under s.47(1), made within six months of that answer "
        "or of the end of those 20 working days (s.47(4)).",
    ),
    # Manitoba FIPPA s.11(1) (30 days; 45 from 2022-01-01), s.11(2) (failure to respond is a
    # refusal); complaint to the Ombudsman under s.59, an extension under s.15(1).
    "ca-mb-fippa": LetterRules(
        "complaint",
        "Dear Ombudsman",
        ("s.11(1)", "s.11(2)"),
        "s.59",
        "s.15(1)",
        "I ask the Ombudsman to investigate and to recommend that the public body respond to "
        "the request in full without further delay.",
        languages=("English", "French"),
    ),
    # Saskatchewan FOIP s.7(2) (30 days), s.7(5) (deemed refusal); review s.49(1), which
    # also covers an extension under s.12.
    "ca-sk-foip": LetterRules(
        "application for review",
        "Dear Commissioner",
        ("s.7(2)", "s.7(5)"),
        "s.49(1)",
        "s.49(1)",
        "I ask the Commissioner to review the deemed refusal and to recommend that the "
        "government institution respond to the application without further delay.",
    ),
    # LA FOIP s.7(2), s.7(5); review s.38(1), within one year (s.38(2)).
    "ca-sk-lafoip": LetterRules(
        "application for review",
        "Dear Commissioner",
        ("s.7(2)", "s.7(5)"),
        "s.38(1)",
        "s.38(1)",
        "I ask the Commissioner to review the deemed refusal and to recommend that the local "
        "authority respond to the application without further delay.",
    ),
    # NB RTIPPA s.11(1) (30 business days), s.11(2) (silence is a refusal); complaint to the
    # Ombud s.67(1)(a)(i), within 40 business days (s.67(3)(a)); extension s.67(1)(a)(ii).
    "ca-nb-rtippa": LetterRules(
        "complaint",
        "Dear Ombud",
        ("s.11(1)", "s.11(2)"),
        "s.67(1)(a)(i)",
        "s.67(1)(a)(ii)",
        "I ask the Ombud to investigate the refusal and to recommend that the public body "
        "respond to the request in full without further delay.",
    ),
}


@dataclass(frozen=True)
class FrenchLetter:
    """The French version of a letter, for a body that works in both official languages."""

    law_name: str
    body: str
    salutation: str
    period: str  # e.g. "paragraphe 11(1)"
    deemed: str
    complaint: str
    window: str  # the complaint window as a sentence
    remedy: str


# New Brunswick's Act is bilingual (Loi sur le droit à l'information et la protection de la vie
# privée, L.N.-B. 2009, ch.) and the Ombud works in English and French.
FRENCH: dict[str, FrenchLetter] = {
    "ca-nb-rtippa": FrenchLetter(
        law_name="Loi sur le droit à l'information et la protection de la vie privée",
        body="Ombud du Nouveau-Brunswick",
        salutation="Madame l'Ombud, Monsieur l'Ombud",
        period="paragraphe 11(1)",
        deemed="paragraphe 11(2)",
        complaint="sous-alinéa 67(1)a)(i)",
        window=(
            "Le délai pour déposer une plainte est de 40 jours ouvrables (alinéa 67(3)a); jour "
            "ouvrable : article 1); l'Ombud peut le proroger (paragraphe 67(4))."
        ),
        remedy=(
            "Je demande à l'Ombud d'enquêter sur ce refus et de recommander à l'organisme "
            "public de répondre à la demande intégralement et sans autre délai."
        ),
    ),
}

# Versions whose sections differ from the first (law code, day the version took effect).
VERSION_RULES: dict[tuple[str, date], LetterRules] = {
    # Alberta's Access to Information Act (S.A. 2024, c. ), from 2025-06-11.
    ("ca-ab-foip", date(2025, 6, 11)): LetterRules(
        "request for review",
        "Dear Commissioner",
        ("time limit for responding", "failure to respond in time"),
        "request for review",
        "request for review",
        "I ask the Commissioner to review the failure to respond and to order the public body "
        "to respond without further delay.",
    ),
}


def rules_for(law_code: str, effective_from: date) -> LetterRules:
    """The letter rules of a law version (the first version's unless the version has its own)."""
    return VERSION_RULES.get((law_code, effective_from), RULES[law_code])


def letter_stance(d: Dossier) -> str:
    """How the letter speaks of the delay, by the same rules the Letters pages use
    (tracker.letters.rules.stance): "not_yet", "ongoing", "past", "in_time" or "filed"."""
    from tracker.letters.rules import ComplaintFact, LetterFacts, stance

    facts = LetterFacts(
        law=d.law,
        state=d.state,
        today=d.today,
        received_on=d.received_on,
        province=d.province,
        sent_on=d.sent_on,
        complaints=tuple(
            ComplaintFact(
                grounds=c.grounds,
                filed_on=c.filed_on,
                body=c.body,
                file_number=c.body_file_number,
                finding=c.finding,
                finding_on=c.finding_on,
            )
            for c in d.complaints
        ),
    )
    return stance(facts)


def _filed(d: Dossier) -> ComplaintRecord | None:
    """The delay complaint already on the timeline (the latest), if any."""
    found = [c for c in d.complaints if c.grounds == "delay"]
    return found[-1] if found else None


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def letter_blocks(d: Dossier) -> list[str]:
    """The letter as blocks: address lines (kept as typed) and paragraphs (wrapped)."""
    law = d.law
    rules = rules_for(law.code, law.effective_from)
    cite = law.cite
    complaint_cite = cite(rules.complaint_section)
    deemed_cite = cite(law.deemed_refusal_section) if law.deemed_refusal_section else None
    file_number = d.file_number or "[no file number recorded]"
    draft = "DRAFT: check every fact against the enclosed files, edit, then sign."
    if rules.languages:
        draft += (
            f" The {law.complaint_body} takes complaints in "
            f"{', '.join(rules.languages[:-1])} and {rules.languages[-1]}: it may be sent "
            "in any of them."
        )
    stance = letter_stance(d)
    filed = _filed(d) if stance == "filed" else None
    re_line = f"Re: {rules.kind.capitalize()} under the {law.name}"
    if filed is not None:
        re_line = f"Re: My {rules.kind} of {filed.filed_on.isoformat()}" + (
            f", your file {filed.body_file_number}" if filed.body_file_number else ""
        )
    opening = (
        f"I make this {rules.kind} under {complaint_cite} about how {d.institution} has "
        f"handled my request under the {law.name}, which it received on "
        f"{d.received_on.isoformat()}"
        + (f" (sent {d.sent_on.isoformat()})" if d.sent_on and d.sent_on != d.received_on else "")
        + f". The institution's file number is {file_number}."
    )
    if filed is not None:
        # A complaint about the delay is already filed: this letter is about that one, never a
        # second on the same ground (issue 22).
        opening = (
            f"I write about my {rules.kind} of {filed.filed_on.isoformat()} under "
            f"{complaint_cite}"
            + (f" (your file {filed.body_file_number})" if filed.body_file_number else "")
            + f" about how {d.institution} handled my request under the {law.name}, which it "
            f"received on {d.received_on.isoformat()}. The institution's file number is "
            f"{file_number}."
        )
    blocks = [
        draft,
        "\n".join([d.reporter_name, d.newsroom, d.reporter_email]),
        d.generated_local.date().isoformat(),
        "\n".join(
            [
                f"To: {law.complaint_body}"
                + (f" ({d.institution})" if law.complaint_body.startswith("the agency") else ""),
                re_line,
                f"Institution: {d.institution}; its file number: {file_number}",
                f"Request: \u201c{d.title}\u201d, received {d.received_on.isoformat()}",
            ]
        ),
        f"{rules.salutation},",
        opening,
    ]
    exp = d.explanation
    unit = "calendar days" if exp.unit == "calendar" else "working days"
    blocks.append(
        f"Under {law.period_text} the institution had {exp.base_length} {unit} to respond"
        + (f", extended by {exp.extension_days} {unit}" if exp.extension_days else "")
        + f". Counting from the day after receipt ({law.count_citation}), the deadline was "
        f"{d.due_on.strftime('%A')} {d.due_on.isoformat()}. The enclosed dossier shows the "
        "count day by day, with every holiday skipped."
    )
    for x in d.extensions:
        text = (
            f"On {x.notice_on.isoformat()} the institution extended the deadline by "
            f"{x.days} {x.unit} ({x.reason_label}, {x.reason_section})."
        )
        if x.problems:
            text += " " + " ".join(f"{p.message} ({p.citation})" for p in x.problems)
        if not x.counted:
            text += " Those days do not move the deadline: the period had already run out."
        elif x.days_counted is not None and x.days_counted < x.days:
            text += (
                f" Only {x.days_counted} of those {x.unit} move the deadline: the rest "
                "exceed what the law allows."
            )
        blocks.append(text)

    late = (
        f"{_n(d.days_late_calendar, 'calendar day')} ({_n(d.days_late_business, 'business day')})"
    )
    if d.responded_on is not None and d.late:
        blocks.append(
            f"The institution responded on {d.responded_on.isoformat()}: {late} after the deadline."
        )
    elif d.responded_on is not None:
        blocks.append(
            f"The institution responded on {d.responded_on.isoformat()}, within the deadline."
        )
    elif d.late and d.state.closed_on is not None:
        blocks.append(
            f"The request closed on {d.state.closed_on.isoformat()} without a response: {late} "
            "after the deadline."
        )
    elif d.state.closed_on is not None:
        blocks.append(
            f"The request closed on {d.state.closed_on.isoformat()}, before the deadline, "
            "without a response."
        )
    elif d.late:
        blocks.append(
            f"As of {d.today.isoformat()} the institution has not responded: {late} "
            "after the deadline."
        )
    else:
        blocks.append(
            f"As of {d.today.isoformat()} the deadline has not passed; a complaint "
            f"about delay can be made only after {d.due_on.isoformat()}."
        )

    grounds = []
    if filed is not None:
        sections = ", ".join(cite(s) for s in rules.delay_sections)
        grounds.append(
            f"That {rules.kind} is about the delay ({sections}; {complaint_cite})"
            + (
                f": the response came on {d.responded_on.isoformat()}, after the deadline."
                if d.responded_on is not None
                else "."
            )
        )
    elif d.late and d.responded_on is not None:
        sections = ", ".join(cite(s) for s in rules.delay_sections)
        grounds.append(
            f"The institution did not respond within the time limit ({sections}). The delay "
            f"ended with the response of {d.responded_on.isoformat()}, but it happened: I "
            f"complain of it ({complaint_cite})."
        )
    elif d.late:
        sections = ", ".join(cite(s) for s in rules.delay_sections)
        if deemed_cite and d.deemed_refusal_on is not None:
            grounds.append(
                f"The institution did not respond within the time limit. Under {deemed_cite} "
                f"that failure is a deemed refusal of access, from {d.deemed_refusal_on.isoformat()}. "
                f"I complain of that refusal and of the delay ({sections}; {complaint_cite})."
            )
        else:
            silence = law.silence_cite
            effect = f" {law.lateness_effect.format(cite=silence)}" if silence else ""
            grounds.append(
                f"The institution did not respond within the time limit ({sections}).{effect} "
                f"I complain of the delay ({complaint_cite})."
            )
    if rules.extension_section and any(x.problems for x in d.extensions):
        grounds.append(
            "I also complain that the extension was not taken as the law requires "
            f"({cite(rules.extension_section)})."
        )
    if not grounds:
        grounds.append(
            "[State the grounds of the complaint: the exemptions applied, the fees, "
            "missing records or other matters.]"
        )
    blocks.extend(grounds)
    if rules.before and filed is None:
        blocks.append(rules.before)
    blocks.append(d.complaint_window_text)
    blocks.append(_remedy(d, rules, stance, filed))
    enclosed = [
        (
            f"Enclosed: an evidence packet generated {d.generated_at.isoformat()} "
            "(packet.pdf: the dossier with the deadline computation and chronology; "
            "timeline.csv; manifest.json with the SHA-256 of every file)"
        )
    ]
    if d.files:
        enclosed.append(
            " and the original documents: "
            + "; ".join(f.path.removeprefix("attachments/") for f in d.files)
            + "."
        )
    else:
        enclosed.append(". No original documents are attached yet.")
    blocks.append("".join(enclosed))
    blocks.append("\n".join(["Yours sincerely,", "", "[signature]", d.reporter_name, d.newsroom]))
    french = FRENCH.get(law.code)
    if french is not None:
        blocks.extend(_french_blocks(d, french))
    else:
        # Letters built from the law's own data (letter_fr imports this module's rules).
        from tracker.packets.letter_fr import letter_blocks_fr

        own = letter_blocks_fr(d)
        if own is not None:
            # Without the draft line, the sender's address and the date, given above.
            blocks.extend(["VERSION FRANÇAISE", *own[3:]])
    return blocks


def _remedy(d: Dossier, rules: LetterRules, stance: str, filed: ComplaintRecord | None) -> str:
    """What the letter asks for: only what the body can still do at this point."""
    body = d.law.complaint_body
    body = body if body.lower().startswith("the ") else f"the {body}"
    if filed is not None and filed.finding is not None:
        finding = filed.finding.replace("_", " ")
        return (
            f"{body[0].upper()}{body[1:]} decided that complaint on "
            f"{filed.finding_on.isoformat() if filed.finding_on else '[date]'} "
            f"({finding}). I ask for nothing further on that ground; the enclosed packet "
            "records the request's history."
        )
    if filed is not None:
        return (
            f"I ask {body} to take the enclosed packet into account in its investigation of "
            "that complaint, and to tell me where it stands."
        )
    if stance == "past":
        return (
            f"I ask {body} to investigate, to find the complaint well-founded and to record "
            "the delay in its findings: the response has come, so there is no response left "
            "to order."
        )
    if stance in ("not_yet", "in_time"):
        return f"I ask {body} to investigate the matters set out above."
    return rules.remedy


def _fr_day(d: date) -> str:
    return d.isoformat()


def _french_blocks(d: Dossier, fr: FrenchLetter) -> list[str]:
    """The letter again in French (the same facts, the law's French section numbers)."""
    file_number = d.file_number or "[aucun numéro de dossier]"
    exp = d.explanation
    unit = "jours civils" if exp.unit == "calendar" else "jours ouvrables"
    blocks = [
        "VERSION FRANÇAISE",
        "\n".join(
            [
                f"Destinataire : {fr.body}",
                f"Objet : Plainte en vertu de la {fr.law_name}",
                f"Organisme public : {d.institution}; son numéro de dossier : {file_number}",
                f"Demande : « {d.title} », reçue le {_fr_day(d.received_on)}",
            ]
        ),
        f"{fr.salutation},",
        f"Je dépose la présente plainte en vertu du {fr.complaint} de la {fr.law_name} au "
        f"sujet du traitement, par {d.institution}, de ma demande reçue le "
        f"{_fr_day(d.received_on)}.",
        f"Selon le {fr.period}, l'organisme public devait répondre dans les "
        f"{exp.base_length} {unit}"
        + (f", prorogés de {exp.extension_days} {unit}" if exp.extension_days else "")
        + f" suivant la réception de la demande, soit au plus tard le {_fr_day(d.due_on)}.",
    ]
    if d.responded_on is not None and d.late:
        blocks.append(
            f"L'organisme public a répondu le {_fr_day(d.responded_on)}, après l'expiration "
            "du délai."
        )
    elif d.responded_on is not None:
        blocks.append(f"L'organisme public a répondu le {_fr_day(d.responded_on)}, dans le délai.")
    elif d.late:
        blocks.append(
            f"Au {_fr_day(d.today)}, l'organisme public n'a pas répondu : le délai est expiré "
            f"depuis {d.days_late_calendar} jour(s) civil(s) ({d.days_late_business} jour(s) "
            "ouvrable(s))."
        )
    else:
        blocks.append(
            f"Au {_fr_day(d.today)}, le délai n'est pas expiré; une plainte pour retard ne peut "
            f"être déposée qu'après le {_fr_day(d.due_on)}."
        )
    if d.late:
        blocks.append(
            f"Selon le {fr.deemed}, le défaut de répondre dans le délai équivaut à un refus de "
            "communication. Je me plains de ce refus et du retard."
        )
    else:
        blocks.append(
            "[Exposer les motifs de la plainte : exceptions invoquées, droits exigés, "
            "documents manquants ou autres.]"
        )
    blocks.append(fr.window)
    if d.responded_on is not None:
        blocks.append(
            f"L'organisme public a répondu le {_fr_day(d.responded_on)} : je demande que la "
            "plainte soit déclarée fondée et que le retard soit constaté."
        )
    else:
        blocks.append(fr.remedy)
    blocks.append(
        "Pièces jointes : le dossier de preuve (packet.pdf, timeline.csv, manifest.json) "
        "décrit ci-dessus."
    )
    blocks.append(
        "\n".join(
            ["Veuillez agréer mes salutations distinguées.", "", "[signature]", d.reporter_name]
        )
    )
    return blocks


def draft_letter(d: Dossier) -> str:
    """The letter as plain text, paragraphs wrapped at 78 columns."""
    out = []
    for block in letter_blocks(d):
        if "\n" in block:
            out.append(block)
        else:
            out.append(
                textwrap.fill(block, width=78, break_long_words=False, break_on_hyphens=False)
            )
    return "\n\n".join(out) + "\n"
