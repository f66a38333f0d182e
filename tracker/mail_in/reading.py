"""What an agency message says (pure: no Flask, no database): an acknowledgement, an
extension (its days and the section cited), a fee estimate (its amount), a transfer, a
partial or final release, a refusal citing exemptions, in English or French, and the portal
notices of NextRequest and GovQA. An auto-reply or a bounce proposes nothing.

The answer is a proposal for the timeline form of that kind: the reporter confirms or
corrects it there, so a wrong reading costs a correction, never a silent entry."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from tracker.language.i18n import _, ngettext

_FLAGS = re.IGNORECASE | re.MULTILINE


def _plain(text: str) -> str:
    """Lower case without accents, spaces collapsed (French and English read alike)."""
    if text.isascii():
        stripped = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().replace("\u2019", "'").split())


@dataclass
class Reading:
    """A proposed timeline entry (``kind`` empty: none), with why."""

    kind: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    why: str = ""
    language: str = "en"

    def as_json(self) -> dict[str, Any]:
        """The proposal as stored with the message."""
        return {
            "kind": self.kind,
            "details": self.details,
            "why": self.why,
            "language": self.language,
        }


_FRENCH_WORDS = re.compile(
    r"\b(le|la|les|des|votre|vous|nous|demande|acces|documents|jours|delai|est|une)\b"
)
_ENGLISH_WORDS = re.compile(r"\b(the|your|we|request|access|records|days|is|a|of|to|have)\b")


def language_of(plain: str) -> str:
    """``fr`` or ``en``, by counting common words."""
    return "fr" if len(_FRENCH_WORDS.findall(plain)) > len(_ENGLISH_WORDS.findall(plain)) else "en"


_AUTO_REPLY = re.compile(
    r"(out of (the )?office|automatic reply|auto-?reply|autoreply|absent du bureau|"
    r"reponse automatique|message d'absence|je suis absente?|i am away|i am currently away|"
    r"undeliverable|delivery status notification|delivery has failed|mail delivery failed|"
    r"returned mail|non remis|echec de (la )?remise|remise impossible)"
)
_NUMBER_WORDS = {
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "sixty": 60,
    "ninety": 90,
    "dix": 10,
    "quinze": 15,
    "vingt": 20,
    "trente": 30,
    "soixante": 60,
    "quatre-vingt-dix": 90,
}
_DAYS = r"(\d{1,4}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_EXTENSION = [
    re.compile(
        r"(?:extend(?:ed|ing)?|extension|additional|further)\D{0,80}?"
        + _DAYS
        + r"[ -](?:additional |more |further )?(?:calendar |business |working )?days?",
        _FLAGS,
    ),
    re.compile(
        _DAYS + r"[ -](?:additional |more )?(?:calendar |business |working )?days?"
        r"\s+(?:extension|beyond)",
        _FLAGS,
    ),
    re.compile(
        r"(?:prorog\w*|prolong\w*|delai supplementaire|prolongation)\D{0,80}?" + _DAYS + r" jours",
        _FLAGS,
    ),
]
_SECTION_WORD = re.compile(
    r"\b(?:sections?|subsections?|paragraphs?|ss?\.|articles?|paragraphes?|alineas?|"
    r"sous-alineas?|art\.)\s*(?=\d)",
    _FLAGS,
)
_SECTION_NUMBER = re.compile(
    r"\d{1,3}(?:\.\d)?(?:\(\d{1,2}(?:\.\d)?\))*(?:\([a-z]\)|[a-z]\))?", _FLAGS
)
_AMOUNT = re.compile(
    r"(\$\s?\d[\d,  ]*(?:\.\d{2})?|\d[\d  ]*(?:[.,]\d{2})?\s?\$|£\s?\d[\d,]*(?:\.\d{2})?)"
)
_TRANSFER_TO = re.compile(
    r"(?:transferred|forwarded|transfere|transferee)(?: (?:your|the|votre) (?:request|demande))?"
    r" (?:to|a|au|aux|a la) (?:the |l'|la |le )?([a-z0-9' ,&().-]{3,120}?)(?:[.;\n]| for | pour | "
    r"under | en vertu| which| qui|$)",
    _FLAGS,
)
_PAGES = re.compile(r"(\d{1,6}) (?:pages?|feuillets?)", _FLAGS)
_REASONS = (
    ("third-party", r"(third part|tiers)"),
    ("consultation", r"(consult)"),
    ("volume", r"(large (number|volume)|voluminous|grand nombre|volume)"),
)


def _days(match: re.Match[str]) -> int | None:
    raw = match.group(1).lower()
    value = _NUMBER_WORDS.get(raw) if not raw.isdigit() else int(raw)
    return value if value and 0 < value <= 3650 else None


def _sections(plain: str) -> list[str]:
    found: list[str] = []
    for word in _SECTION_WORD.finditer(plain):
        position = word.end()
        while number := _SECTION_NUMBER.match(plain, position):
            if number.group(0) not in found:
                found.append(number.group(0))
            position = number.end()
            joint = re.match(
                r"\s*(?:,|and|et|ou|or|&)\s*(?:(?:sections?|articles?|paragraphs?|alineas?)\s*)?",
                plain[position:],
            )
            if not joint:
                break
            position += joint.end()
    return found


def _extension(plain: str) -> Reading | None:
    if not re.search(
        r"(extend|extension|prorog|prolong|delai supplementaire|due date changed)", plain
    ):
        return None
    for pattern in _EXTENSION:
        match = pattern.search(plain)
        if match and (days := _days(match)):
            details: dict[str, Any] = {"days": days}
            sections = _sections(plain)
            if sections:
                details["section"] = sections[0]
            for code, words in _REASONS:
                if re.search(words, plain):
                    details["reason"] = code
                    break
            why = (
                ngettext(
                    "an extension of %(num)d day, citing %(section)s",
                    "an extension of %(num)d days, citing %(section)s",
                    days,
                    section=sections[0],
                )
                if sections
                else ngettext("an extension of %(num)d day", "an extension of %(num)d days", days)
            )
            return Reading("extension", details, why)
    return None


def _amount(plain: str) -> str | None:
    match = _AMOUNT.search(plain)
    if not match:
        return None
    return " ".join(match.group(1).split())


def _outcome(plain: str) -> str | None:
    if re.search(
        r"(no (responsive )?records|aucun document|no documents? (were|was) found|"
        r"n'a (repere|trouve|localise) aucun)",
        plain,
    ):
        return "no_records"
    if re.search(
        r"(in part|partially|partial release|certain (portions|information)|"
        r"severed|redacted|en partie|partiellement|caviard|certains renseignements)",
        plain,
    ):
        return "partial"
    if re.search(
        r"(refus|denied|deny|withheld in (full|their entirety)|exempt(ed)? in (its|their)"
        r" entirety|ne pouvons (pas )?(vous )?communiquer|acces est refuse)",
        plain,
    ):
        return "refused"
    if re.search(
        r"(in full|all (of the )?(responsive )?records|en totalite|en entier|"
        r"integralite|without (any )?(severance|redaction)|are enclosed|sont joints|"
        r"ci-joint|please find (attached|enclosed)|veuillez trouver)",
        plain,
    ):
        return "full"
    return None


def read(subject: str, body: str, automatic: str = "") -> Reading:
    """The entry this message proposes (``kind`` empty when it proposes none)."""
    plain_subject = _plain(subject)
    plain = _plain(f"{subject}\n{body}")
    language = language_of(plain)

    def found(kind: str, why: str, **details: Any) -> Reading:
        return Reading(kind, {k: v for k, v in details.items() if v is not None}, why, language)

    if automatic:
        return Reading("", {}, _("automatic message (%(why)s): no entry", why=automatic), language)
    if _AUTO_REPLY.search(plain_subject) or _AUTO_REPLY.search(plain[:400]):
        return Reading("", {}, _("an out-of-office reply or a bounce: no entry"), language)
    # Portal notices (NextRequest, GovQA): their subjects say what happened.
    if "[due date changed]" in plain_subject or "due date has been extended" in plain:
        reading = _extension(plain)
        if reading:
            reading.why = _("portal notice: %(why)s", why=reading.why)
            reading.language = language
            return reading
        return found("extension", _("portal notice: the due date changed (days to fill in)"))
    if (
        "[document released]" in plain_subject
        or "[documents released]" in plain_subject
        or ("records have been released" in plain)
    ):
        pages = _PAGES.search(plain)
        return found(
            "partial_release",
            _("portal notice: documents released"),
            pages=int(pages.group(1)) if pages else None,
        )
    if "[request closed]" in plain_subject or "[request completed]" in plain_subject:
        return found(
            "final_response",
            _("portal notice: request closed"),
            outcome=_outcome(plain) or "full",
        )

    if re.search(r"(transferred|has been forwarded to|transfere|transferee)", plain) and re.search(
        r"(request|demande)", plain
    ):
        match = _TRANSFER_TO.search(plain)
        target = match.group(1).strip(" ,.'") if match else None
        if target:
            original = re.search(
                re.escape(target), _plain_keep_case(f"{subject}\n{body}"), re.IGNORECASE
            )
            target = original.group(0) if original else target
        return found("transfer", _("the request was transferred"), to_institution=target)
    extension = _extension(plain)
    if extension:
        extension.language = language
        return extension
    if re.search(
        r"(fee|fees|frais|droits exigibles|cost estimate|estimation des couts|deposit)", plain
    ) and (amount := _amount(plain)):
        return found("fee_notice", _("a fee estimate of %(amount)s", amount=amount), amount=amount)
    interim = re.search(
        r"(interim release|first release|partial release|first instal?lment|"
        r"premiere (communication|partie|tranche)|communication partielle)",
        plain,
    )
    outcome = _outcome(plain)
    release_words = re.search(
        r"(final response|response to your request|release package|records? (are|is) "
        r"(attached|enclosed)|decision|reponse (finale|a votre demande)|documents demandes|"
        r"communication des documents|exemptions?|exceptions?|withheld|refus|pursuant to|"
        r"released?|please find (attached|enclosed)|veuillez trouver|ci-joint)",
        plain,
    )
    if interim:
        pages = _PAGES.search(plain)
        return found(
            "partial_release",
            _("an interim release of records"),
            pages=int(pages.group(1)) if pages else None,
        )
    if outcome and release_words:
        sections = _sections(plain) if outcome in ("partial", "refused") else []
        pages = _PAGES.search(plain)
        why = {
            "no_records": _("no records found"),
            "partial": _("a release in part"),
            "refused": _("a refusal"),
            "full": _("a release in full"),
        }[outcome]
        if sections:
            why = _("%(why)s citing %(sections)s", why=why, sections=", ".join(sections[:6]))
        return found(
            "final_response",
            why,
            outcome=outcome,
            pages=int(pages.group(1)) if pages and outcome != "refused" else None,
            exemptions=", ".join(sections[:12]) or None,
        )
    if re.search(
        r"(acknowledg|we (have )?received your (access )?request|confirm (the )?receipt|"
        r"accuse (de )?reception|accusons (bonne )?reception|avons (bien )?recu|"
        r"a bien ete recue|receipt of your request)",
        plain,
    ):
        return found("acknowledgement", _("an acknowledgement of receipt"))
    return Reading("", {}, _("nothing the tracker recognises: read it and add an entry"), language)


def _plain_keep_case(text: str) -> str:
    if text.isascii():
        stripped = text
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("\u2019", "'").split())
