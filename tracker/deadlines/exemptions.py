"""How each law's exemption citations look on released pages, and what each section is.

Pure data and matching (no Flask, no database). A law declares a ``Scheme``: the sections an
institution may cite to withhold information, each with its heading as the statute gives it,
and the style its citations take ("s.19(1)", "16(1)(c)", "69" stamped alone in a margin,
Québec's "art. 53", FOIA's "(b)(6)" / "b7C", the UK's "s.40(2)" / "section 43").
``find(law_code, text)`` counts the sections cited on a page: only sections the law lists
are counted, so "page 3" or "2024" are never exemptions.

Sources (headings as in the statutes' official texts):
- ATIA: Access to Information Act, R.S.C. 1985, c. A-1, ss. 13-24, 26, 68, 69; the marginal
  notes of ss. 16.1-26 read 2026-12-07 in the official consolidation (justicecanada
  laws-lois-xml, eng/acts/A-1.xml). The other laws' headings are from their statutes as
  published, not yet re-read against an official consolidation (see the README's notes).
- Privacy Act, R.S.C. 1985, c. P-21, ss. 18-28.
- Québec: Act respecting access to documents held by public bodies and the protection of
  personal information, CQLR c. A-2.1, ss. 18-41, 53-54, 57, 88.
- Ontario FIPPA, R.S.O. 1990, c. F.31, ss. 12-22; BC FIPPA, RSBC 1996, c. 165, ss. 12-22;
  Alberta FOIP Act, RSA 2000, c. F-25, ss. 16-29.
- US: 5 U.S.C. 552(b)(1)-(9) and (b)(7)(A)-(F).
- UK: Freedom of Information Act 2000, Part II, ss. 21-44; Freedom of Information
  (Scotland) Act 2002, Part 2, ss. 25-41.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scheme:
    """A law's exemptions: section key -> heading, and the citation style."""

    law_codes: tuple[str, ...]
    style: str  # "section" (s.19(1), section 43, art. 53, bare 69) or "foia" ((b)(6), b7C)
    sections: dict[str, str] = field(default_factory=dict)


ATIA = {
    "13": "Information obtained in confidence from other governments",
    "14": "Federal-provincial affairs",
    "15": "International affairs and defence",
    "16": "Law enforcement and investigations",
    "16.1": "Records relating to investigations, examinations and audits",
    "16.2": "Records relating to investigations (Commissioner of Lobbying)",
    "16.3": "Investigations, examinations and reviews under the Canada Elections Act",
    "16.4": "Public Sector Integrity Commissioner",
    "16.5": "Public Servants Disclosure Protection Act",
    "16.6": "Secretariat of National Security and Intelligence Committee of Parliamentarians",
    "17": "Safety of individuals",
    "18": "Economic interests of Canada",
    "18.1": "Economic interests of certain government institutions",
    "19": "Personal information",
    "20": "Third party information",
    "20.1": "Public Sector Pension Investment Board",
    "20.2": "Canada Pension Plan Investment Board",
    "20.4": "National Arts Centre Corporation",
    "21": "Advice, etc. (Operations of Government)",
    "22": "Testing procedures, tests and audits",
    "22.1": "Internal audits",
    "23": "Protected information: solicitors, advocates and notaries",
    "23.1": "Protected information: patents and trademarks",
    "24": "Statutory prohibitions against disclosure",
    "26": "Refusal of access if information to be published",
    "68": "Act does not apply to published material",
    "69": "Confidences of the Queen's Privy Council for Canada",
    "69.1": "Certificate under the Canada Evidence Act",
}
PRIVACY = {
    "18": "Exempt banks",
    "19": "Personal information obtained in confidence",
    "20": "Federal-provincial affairs",
    "21": "International affairs and defence",
    "22": "Law enforcement and investigation",
    "22.1": "Information obtained by the Privacy Commissioner",
    "22.2": "Public Sector Integrity Commissioner",
    "22.3": "Public Servants Disclosure Protection Act",
    "23": "Security clearances",
    "24": "Individuals sentenced for an offence",
    "25": "Safety of individuals",
    "26": "Information about another individual",
    "27": "Solicitor-client privilege",
    "27.1": "Patent or trademark privilege",
    "28": "Medical record",
    "70": "Confidences of the Queen's Privy Council for Canada",
}
QUEBEC = {
    "18": "Intergovernmental relations",
    "19": "Intergovernmental relations",
    "20": "Negotiations between public bodies",
    "21": "Economic interests",
    "22": "Economic interests (industrial, financial, commercial secrets)",
    "23": "Third-party industrial, financial or commercial information",
    "24": "Third-party information whose release would harm its author",
    "27": "Economic interests (mandates and strategies of negotiation)",
    "28": "Administration of justice and public security",
    "28.1": "Administration of justice and public security",
    "29": "Administration of justice and public security",
    "30": "Decisions of the Conseil exécutif",
    "31": "Legal opinions",
    "32": "Analyses whose release could affect a proceeding",
    "33": "Communications of the Conseil exécutif and its members",
    "34": "Documents of members of the National Assembly",
    "35": "Memorandums of deliberations",
    "36": "Draft bills and regulations",
    "37": "Opinions and recommendations",
    "38": "Opinions and recommendations to a body",
    "39": "Analyses within a decision-making process",
    "40": "Tests and examinations",
    "41": "Audits",
    "53": "Personal information is confidential",
    "54": "Personal information (definition)",
    "57": "Personal information of a public nature",
    "88": "Personal information about a third person",
}
ONTARIO = {
    "12": "Cabinet records",
    "13": "Advice to government",
    "14": "Law enforcement",
    "14.1": "Civil Remedies Act, 2001",
    "15": "Relations with other governments",
    "15.1": "Relations with Aboriginal communities",
    "16": "Defence",
    "17": "Third party information",
    "18": "Economic and other interests",
    "18.1": "Information with respect to closed meetings",
    "19": "Solicitor-client privilege",
    "20": "Danger to safety or health",
    "21": "Personal privacy",
    "21.1": "Species at risk",
    "22": "Information soon to be published",
}
BC = {
    "12": "Cabinet and local public body confidences",
    "13": "Policy advice or recommendations",
    "14": "Legal advice",
    "15": "Disclosure harmful to law enforcement",
    "16": "Disclosure harmful to intergovernmental relations or negotiations",
    "17": "Disclosure harmful to the financial or economic interests of a public body",
    "18": "Disclosure harmful to the conservation of heritage sites",
    "18.1": "Disclosure harmful to interests of an Indigenous people",
    "19": "Disclosure harmful to individual or public safety",
    "20": "Information that will be published or released",
    "21": "Disclosure harmful to business interests of a third party",
    "22": "Disclosure harmful to personal privacy",
}
ALBERTA = {
    "16": "Disclosure harmful to business interests of a third party",
    "17": "Disclosure harmful to personal privacy",
    "18": "Disclosure harmful to individual or public safety",
    "19": "Confidential evaluations",
    "20": "Disclosure harmful to law enforcement",
    "21": "Disclosure harmful to intergovernmental relations",
    "22": "Cabinet and Treasury Board confidences",
    "23": "Local public body confidences",
    "24": "Advice from officials",
    "25": "Disclosure harmful to economic and other interests of a public body",
    "26": "Testing procedures, tests and audits",
    "27": "Privileged information",
    "28": "Disclosure harmful to the conservation of heritage sites",
    "29": "Information that is or will be available to the public",
}
FOIA = {
    "b1": "(b)(1) Classified national defense or foreign policy information",
    "b2": "(b)(2) Internal personnel rules and practices",
    "b3": "(b)(3) Information exempted by another statute",
    "b4": "(b)(4) Trade secrets and confidential commercial information",
    "b5": "(b)(5) Inter- or intra-agency memorandums (privileges)",
    "b6": "(b)(6) Personnel, medical and similar files (personal privacy)",
    "b7": "(b)(7) Records compiled for law enforcement purposes",
    "b7A": "(b)(7)(A) Interference with enforcement proceedings",
    "b7B": "(b)(7)(B) Right to a fair trial",
    "b7C": "(b)(7)(C) Unwarranted invasion of personal privacy",
    "b7D": "(b)(7)(D) Confidential sources",
    "b7E": "(b)(7)(E) Law enforcement techniques and procedures",
    "b7F": "(b)(7)(F) Life or physical safety of any individual",
    "b8": "(b)(8) Financial institutions' examination reports",
    "b9": "(b)(9) Geological and geophysical information about wells",
}
UK = {
    "21": "Information accessible by other means",
    "22": "Information intended for future publication",
    "22A": "Research",
    "23": "Information supplied by, or relating to, bodies dealing with security matters",
    "24": "National security",
    "26": "Defence",
    "27": "International relations",
    "28": "Relations within the United Kingdom",
    "29": "The economy",
    "30": "Investigations and proceedings conducted by public authorities",
    "31": "Law enforcement",
    "32": "Court records, etc.",
    "33": "Audit functions",
    "34": "Parliamentary privilege",
    "35": "Formulation of government policy, etc.",
    "36": "Prejudice to effective conduct of public affairs",
    "37": "Communications with Her Majesty, etc. and honours",
    "38": "Health and safety",
    "39": "Environmental information",
    "40": "Personal information",
    "41": "Information provided in confidence",
    "42": "Legal professional privilege",
    "43": "Commercial interests",
    "44": "Prohibitions on disclosure",
}
SCOTLAND = {
    "25": "Information otherwise accessible",
    "26": "Prohibitions on disclosure",
    "27": "Information intended for future publication",
    "28": "Relations within the United Kingdom",
    "29": "Formulation of Scottish Administration policy etc.",
    "30": "Prejudice to effective conduct of public affairs",
    "31": "National security and defence",
    "32": "International relations",
    "33": "Commercial interests and the economy",
    "34": "Investigations by Scottish public authorities and proceedings arising out of such "
    "investigations",
    "35": "Law enforcement",
    "36": "Confidentiality",
    "37": "Court records, etc.",
    "38": "Personal information",
    "39": "Health, safety and the environment",
    "40": "Audit functions",
    "41": "Communications with Her Majesty etc. and honours",
}

SCHEMES: tuple[Scheme, ...] = (
    Scheme(("ca-atia",), "section", ATIA),
    Scheme(("ca-privacy",), "section", PRIVACY),
    Scheme(("ca-qc-access",), "section", QUEBEC),
    Scheme(("ca-on-fippa", "ca-on-mfippa"), "section", ONTARIO),
    Scheme(("ca-bc-fippa",), "section", BC),
    Scheme(("ca-ab-foip",), "section", ALBERTA),
    Scheme(("us-foia",), "foia", FOIA),
    Scheme(("uk-foia",), "section", UK),
    Scheme(("uk-sct-foisa",), "section", SCOTLAND),
)
_BY_LAW = {code: scheme for scheme in SCHEMES for code in scheme.law_codes}


def scheme_for(law_code: str) -> Scheme | None:
    """The exemption scheme a law declares, if the registry has one."""
    return _BY_LAW.get(law_code)


def section_name(law_code: str, section: str) -> str:
    """The heading of a law's section ("Personal information"), or the section itself."""
    scheme = _BY_LAW.get(law_code)
    return scheme.sections.get(section, section) if scheme else section


# "s.19(1)", "ss. 16(1)(c)", "section 43", "sections 40(2)", "art. 53", "article 37",
# "paragraphe 16(1)c)", "alinéa 21(1)a)"; the number's sub-parts after it.
_PREFIX = r"(?:ss?\.|sec(?:tions?|\.)?|s|art(?:icles?|\.)?|paragraphes?|alin[ée]as?|al\.)"
_NUMBER = r"(\d{1,3}(?:\.\d{1,2})?[A-Z]?)"
_SUBPARTS = r"((?:\s?\(\d{1,2}(?:\.\d)?\))(?:\s?\(?[a-z]{1,4}\))*)"
_PREFIXED = re.compile(
    rf"\b{_PREFIX}\s?{_NUMBER}{_SUBPARTS}?(?:\s?(?:,|et|and|&|ou|or)\s?\d{{1,3}}(?:\.\d{{1,2}})?"
    rf"[A-Z]?(?:\s?\(\d{{1,2}}(?:\.\d)?\))?(?:\s?\(?[a-z]{{1,4}}\))*)*",
    re.IGNORECASE,
)
# "19(1)", "16(1)(c)", "21(1)a)": a bare number with a subsection in parentheses.
_WITH_SUBSECTION = re.compile(rf"(?<![\w.(/-]){_NUMBER}{_SUBPARTS}")
# A margin stamp: a line holding only citations ("69", "19(1), 21(1)(a)").
_STAMP_LINE = re.compile(rf"^[ \t]*(?:{_NUMBER}{_SUBPARTS}?[ \t]*[,;/]?[ \t]*)+$", re.MULTILINE)
_STAMP_ITEM = re.compile(rf"{_NUMBER}{_SUBPARTS}?")
# FOIA: "(b)(6)", "b(6)", "(b)(7)(C)", "b7C", "b7(C)", "Exemption 6".
_FOIA = re.compile(
    r"(?<![\w])\(?b\)?\s?\(?([1-9])\)?(?:\s?\(?([A-F])\)?)?(?![\w])|\b(?i:exemptions?)\s([1-9])\b",
)

# Phrases that say a whole page was withheld, in English and French.
_IN_FULL = re.compile(
    r"withheld (?:in full|entirely|in (?:its|their) entirety)|page[s]? (?:\d+\s)?withheld|"
    r"exempted in (?:full|its entirety)|not disclosed in full|"
    r"retenue?s? (?:en totalité|intégralement|en entier)|page[s]? retenue?s?|"
    r"page[s]? (?:\S+ )?(?:retirée?s?|exclue?s?)",
    re.IGNORECASE,
)


def _foia_counts(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for match in _FOIA.finditer(text):
        number, letter, exemption = match.groups()
        key = f"b{number or exemption}{letter or ''}"
        if key in FOIA:
            found[key] += 1
    return found


def find(law_code: str, text: str) -> Counter[str]:
    """The sections of ``law_code`` cited on a page, with how often (section key -> count)."""
    scheme = _BY_LAW.get(law_code)
    if scheme is None or not text:
        return Counter()
    if scheme.style == "foia":
        return _foia_counts(text)
    found: Counter[str] = Counter()
    spans: list[tuple[int, int]] = []
    for match in _PREFIXED.finditer(text):
        spans.append(match.span())
        prefix = re.match(_PREFIX, match.group(0), re.IGNORECASE)
        listed = match.group(0)[prefix.end() if prefix else 0 :]
        for item in _STAMP_ITEM.finditer(listed):
            if item.group(1) in scheme.sections:
                found[item.group(1)] += 1
    for match in _WITH_SUBSECTION.finditer(text):
        if any(start <= match.start() < end for start, end in spans):
            continue
        if match.group(1) in scheme.sections:
            found[match.group(1)] += 1
            spans.append(match.span())
    for line in _STAMP_LINE.finditer(text):
        for item in _STAMP_ITEM.finditer(line.group(0)):
            start = line.start() + item.start()
            if any(s <= start < e for s, e in spans):
                continue
            if item.group(1) in scheme.sections:
                found[item.group(1)] += 1
    return found


def withheld_in_full(text: str, cited: Counter[str]) -> bool:
    """Whether a page that cites exemptions says it was withheld whole (or holds nothing
    but the citations)."""
    if not cited:
        return False
    if _IN_FULL.search(text):
        return True
    rest = _PREFIXED.sub("", _WITH_SUBSECTION.sub("", _FOIA.sub("", text)))
    return len(re.sub(r"[\W\d_]+", "", rest)) < 15
