"""A labelled corpus of agency mail, generated (deterministic for a seed), in English and
French: each message with the request it belongs to (None: it should wait in the review
queue) and the entry it proposes. Used by tests/test_mail_corpus.py and bench/mail.py.

The shapes follow real agency mail: the request's address or subject tag, replies quoting an
earlier message, the institution's file number written in several ways ("Our file",
"N/Réf.", lower case, in a forwarded chain), Latin-1 and UTF-8, encoded subjects, HTML-only
bodies, forwards by the reporter, out-of-office replies and bounces, portal notices, and
traps: another newsroom's file number, an institution with several open requests, a number
that is the prefix of another."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tests import mail_helpers as mh

INSTITUTIONS = (
    ("Royal Canadian Mounted Police", "rcmp-grc.gc.ca", "ca-atia"),
    ("Canada Border Services Agency", "cbsa-asfc.gc.ca", "ca-atia"),
    ("Health Canada", "hc-sc.gc.ca", "ca-atia"),
    ("National Defence", "forces.gc.ca", "ca-atia"),
    ("Ville de Montréal", "montreal.ca", "ca-qc-access"),
    ("Ministère de la Santé", "msss.gouv.qc.ca", "ca-qc-access"),
    ("Toronto Police Service", "torontopolice.on.ca", "ca-on-mfippa"),
    ("Transport Canada", "tc.gc.ca", "ca-atia"),
    ("Environment Canada", "ec.gc.ca", "ca-atia"),
    ("Hydro-Québec", "hydroquebec.com", "ca-qc-access"),
)


@dataclass
class Labelled:
    """One message and what the tracker should make of it."""

    name: str
    data: bytes
    expected_request: int | None
    expected_kind: str
    route: str
    language: str = "en"


@dataclass
class Plan:
    """The requests of the corpus's newsroom: (id, institution index, file number, key)."""

    requests: list[tuple[int, int, str | None, str]]
    foreign_numbers: list[str]


def build_newsroom(desk: Any, rng: random.Random, per_institution: int = 4) -> Plan:
    """Institutions and requests for the corpus (through the services); returns the plan."""
    from tracker.core.models import InfoRequest
    from tracker.mail_in import service

    rows: list[tuple[int, int, str | None, str]] = []
    for index, (name, domain, law) in enumerate(INSTITUTIONS):
        institution = desk.institution(name, law, access_email=f"aiprp@{domain}")
        # Institutions 0-5 have several open requests; 6-9 exactly one (domain matching).
        count = per_institution if index < 6 else 1
        for n in range(count):
            number = f"A-2024-{index:02d}{n:03d}" if index % 2 == 0 else f"{2024}-{index}{n:02d}-QC"
            if index == 2 and n == 1:
                number = "A-2024-02000-1"  # the number of n == 0 is its prefix
            row = desk.request(institution, f"{name} request {n}", file_number=number).row
            token = service.token_for(desk.session, desk.session.get(InfoRequest, row.id))
            rows.append((row.id, index, number, token.key))
    return Plan(rows, foreign_numbers=["A-2024-99001", "2024-990-QC"])


EN = {
    "acknowledgement": (
        "Acknowledgement of your access request {num}",
        "Dear requester,\n\nWe acknowledge receipt of your request under the Access to "
        "Information Act, received on {day}. Our file number is {num}.\n\nATIP Office",
    ),
    "extension": (
        "Extension of time limit - {num}",
        "Pursuant to paragraph 9(1)(a) of the Access to Information Act, we are extending the "
        "time limit by an additional {days} days because of the large number of records.\n\n"
        "File: {num}",
    ),
    "fee_notice": (
        "Fee estimate - file {num}",
        "The estimated fees for processing your request {num} are ${amount}.00. Please send "
        "a deposit before we continue.",
    ),
    "transfer": (
        "Transfer of your request {num}",
        "Your request has been transferred to Transport Canada, which has the greater "
        "interest in the records. File {num}.",
    ),
    "final_response": (
        "Response to your access request {num}",
        "Please find attached the records responsive to your request. Certain information "
        "was withheld under sections 19(1) and 21(1)(a) of the Act. File {num}.",
    ),
    "partial_release": (
        "First release - {num}",
        "Please find enclosed an interim release of 120 pages for file {num}. The rest will "
        "follow.",
    ),
}
FR = {
    "acknowledgement": (
        "Accusé de réception – demande {num}",
        "Madame, Monsieur,\n\nNous accusons réception de votre demande d'accès reçue le {day}. "
        "Notre numéro de dossier : {num}.\n\nResponsable de l'accès",
    ),
    "extension": (
        "Prorogation de délai – {num}",
        "Nous vous informons que le délai de traitement de votre demande {num} est prorogé de "
        "{days} jours en vertu de l'alinéa 9(1)a) de la Loi, vu le grand nombre de documents.",
    ),
    "fee_notice": (
        "Frais exigibles – dossier {num}",
        "Des frais de {amount},00 $ sont exigibles pour le traitement de votre demande {num}.",
    ),
    "transfer": (
        "Transfert de votre demande {num}",
        "Votre demande a été transférée à la Société de transport de Montréal pour "
        "traitement. Dossier {num}.",
    ),
    "final_response": (
        "Réponse à votre demande d'accès {num}",
        "Veuillez trouver ci-joint les documents demandés. Certains renseignements ont été "
        "caviardés en vertu des articles 53 et 54 de la Loi. Dossier {num}.",
    ),
    "partial_release": (
        "Première communication – {num}",
        "Vous trouverez ci-joint une première communication de 45 pages, dossier {num}.",
    ),
}
KINDS = tuple(EN)


def generate(plan: Plan, count: int = 320, seed: int = 21) -> list[Labelled]:
    """``count`` labelled messages over the plan's requests (about a tenth for review)."""
    rng = random.Random(seed)
    out: list[Labelled] = []
    sent: list[tuple[str, int]] = []  # (Message-ID, request id) already in the corpus
    start = datetime(2024, 3, 1, 13, 0, tzinfo=UTC)
    many = [r for r in plan.requests if r[1] < 6]
    single = [r for r in plan.requests if r[1] >= 6]
    for n in range(count):
        french = rng.random() < 0.5
        texts = FR if french else EN
        kind = rng.choice(KINDS)
        roll = rng.random()
        request = rng.choice(plan.requests)
        request_id, index, number, key = request
        domain = INSTITUTIONS[index][1]
        to = "Reporter <newsroom@example.org>"
        headers: dict[str, str] = {}
        in_reply_to = None
        expected: int | None = request_id
        shown_number = number or ""
        if roll < 0.2:
            route = "address tag"
            to = f"newsroom+r{request_id}-{key}@example.org"
            shown_number = ""
        elif roll < 0.3:
            route = "subject tag"
            shown_number = f"[ATI-{request_id}]"
        elif roll < 0.45 and sent:
            route = "reply"
            in_reply_to, expected = rng.choice(sent)
            shown_number = ""
            request_id = expected
            index = next(r[1] for r in plan.requests if r[0] == expected)
            domain = INSTITUTIONS[index][1]
        elif roll < 0.75:
            route = "file number"
            variants = [number, number.lower(), f"N/Réf. : {number}", f"Our file {number}"]
            shown_number = rng.choice(variants)
        elif roll < 0.85:
            route = "domain"
            request_id, index, number, key = rng.choice(single)
            expected = request_id
            domain = INSTITUTIONS[index][1]
            shown_number = ""
        elif roll < 0.9:
            route = "review: several open requests"
            request_id, index, number, key = rng.choice(many)
            domain = INSTITUTIONS[index][1]
            expected = None
            shown_number = ""
        elif roll < 0.95:
            route = "review: another newsroom's number"
            domain = "unknown-agency.example"
            shown_number = rng.choice(plan.foreign_numbers)
            expected = None
        else:
            route = "auto-reply"
            # It names no request; from an institution with one open request it is that one's.
            expected = request_id if index >= 6 else None
            kind = ""
        subject_t, body_t = texts[kind] if kind else ("", "")
        values = {
            "num": shown_number,
            "day": (date(2024, 2, 1) + timedelta(days=n % 20)).isoformat(),
            "days": rng.choice((30, 60, 90, 120)),
            "amount": rng.choice((5, 25, 45, 120)),
        }
        if route == "auto-reply":
            subject = (
                "Réponse automatique : absence" if french else "Automatic reply: Out of office"
            )
            body = (
                "Je suis absente du bureau jusqu'au 15 mars."
                if french
                else "I am out of the office until March 15 with limited access to e-mail."
            )
            headers["Auto-Submitted"] = "auto-replied"
            domain = INSTITUTIONS[index][1]
        else:
            subject = subject_t.format(**values).replace("  ", " ").strip(" -–")
            body = body_t.format(**values)
        if route == "reply":
            subject = ("RE: " if not french else "RE : ") + subject
        sender = f"{'AIPRP' if french else 'ATIP Office'} <aiprp@{domain}>"
        message_id = f"<corpus-{n}@{domain}>"
        forwarded = route == "file number" and rng.random() < 0.15
        if forwarded:
            body = f"FYI\n\n-----Message d'origine-----\nDe : {sender}\nObjet : {subject}\n\n{body}"
            sender = "Reporter <reporter@example.org>"
            subject = "TR: " + subject
        charset = "iso-8859-1" if french and rng.random() < 0.5 else "utf-8"
        html = None
        if rng.random() < 0.15:
            html = (
                "<html><body>"
                + "".join(f"<p>{line}</p>" for line in body.split("\n"))
                + "</body></html>"
            )
        try:
            data = mh.message(
                subject,
                body if html is None else "",
                sender=sender,
                to=to,
                date=start + timedelta(hours=n),
                message_id=message_id,
                in_reply_to=in_reply_to,
                html=html,
                headers=headers,
                charset=charset,
            )
        except (UnicodeEncodeError, ValueError):
            data = mh.message(
                subject,
                body,
                sender=sender,
                to=to,
                date=start + timedelta(hours=n),
                message_id=message_id,
                in_reply_to=in_reply_to,
                headers=headers,
            )
        out.append(
            Labelled(f"corpus-{n}.eml", data, expected, kind, route, "fr" if french else "en")
        )
        if expected is not None:
            sent.append((message_id, expected))
    return out


@dataclass
class Figures:
    """How the pipeline did on a corpus."""

    total: int
    right: int
    wrong: int
    review_expected: int
    review_wrongly: int
    kinds_right: int
    kinds_total: int
    wrong_examples: list[str]

    def lines(self) -> list[str]:
        """The figures as report lines."""
        return [
            f"- messages: {self.total}",
            f"- right (attached to the right request, or in the review queue as labelled): "
            f"{self.right} ({100 * self.right / self.total:.1f}%)",
            f"- attached to a wrong request: {self.wrong}",
            f"- in the review queue though a request was labelled: {self.review_wrongly}",
            f"- proposed entry kind right: {self.kinds_right} of {self.kinds_total} "
            f"({100 * self.kinds_right / max(self.kinds_total, 1):.1f}%)",
        ]


def score(corpus: list[Labelled], outcomes: list[tuple[int | None, str]]) -> Figures:
    """Compare (request id, proposed kind) per message with the labels."""
    right = wrong = review_wrongly = kinds_right = kinds_total = 0
    examples: list[str] = []
    for item, (request_id, kind) in zip(corpus, outcomes, strict=True):
        if request_id == item.expected_request:
            right += 1
        elif request_id is None:
            review_wrongly += 1
        else:
            wrong += 1
            examples.append(f"{item.name} ({item.route}): {request_id} not {item.expected_request}")
        kinds_total += 1
        kinds_right += kind == item.expected_kind
    return Figures(
        len(corpus),
        right,
        wrong,
        sum(1 for c in corpus if c.expected_request is None),
        review_wrongly,
        kinds_right,
        kinds_total,
        examples,
    )
