"""Composing alert mails (plain text + HTML from templates) and sending them over SMTP.

With no ``SMTP_HOST`` configured, mails are written to the log instead and count as sent.
"""

from __future__ import annotations

import email.policy
import hashlib
import logging
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from types import TracebackType
from typing import Any

from flask import render_template
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from tracker import deadlines
from tracker.core import clock
from tracker.core.models import Alert, InfoRequest, User
from tracker.core.urls import base_url
from tracker.deadlines import french
from tracker.language.i18n import (
    _,
    force_locale,
    format_date,
    get_locale,
    ngettext,
    normalize_locale,
)
from tracker.language.service import request_language
from tracker.requests.state import clock_end

log = logging.getLogger("tracker.alerts.mail")

UNSUBSCRIBE_SALT = "alert-unsubscribe"
LONG_HEADERS = email.policy.default.clone(max_line_length=998)
SUBJECT_MAX = 300


# Mails a user asked for once (an export is ready): nothing to unsubscribe from.
ASKED_FOR = frozenset({"export_ready"})


class MailError(Exception):
    """A try that did not deliver: ``answer`` is what the server said (or the socket error)."""

    def __init__(self, answer: str, *, permanent: bool, connection_lost: bool = False) -> None:
        super().__init__(answer)
        self.answer = answer
        self.permanent = permanent
        self.connection_lost = connection_lost


# ---------------------------------------------------------------------------------------------
# Unsubscribe links


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(secret_key: str, user_id: int, kind: str) -> str:
    """A signed token naming one user and one kind of alert."""
    return _serializer(secret_key).dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(secret_key: str, token: str) -> tuple[int, str] | None:
    """(user id, kind) from a token, or None when it was not signed by this tracker."""
    try:
        data = _serializer(secret_key).loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not isinstance(data.get("k"), str)
    ):
        return None
    return data["u"], data["k"]


def unsubscribe_url(config: Mapping[str, Any], user_id: int, kind: str) -> str:
    """The one-click link that stops this kind of alert for this user."""
    token = unsubscribe_token(config["SECRET_KEY"], user_id, kind)
    return f"{base_url(config, mail=True)}/alerts/unsubscribe/{token}"


def request_url(config: Mapping[str, Any], request_id: int) -> str:
    """The request's page, as linked from mails."""
    return f"{base_url(config, mail=True)}/requests/{request_id}"


# ---------------------------------------------------------------------------------------------
# Composing


@dataclass(frozen=True)
class Composed:
    """A mail ready for the outbox."""

    subject: str
    text: str
    html: str


def _plural(n: int, word: str) -> str:
    """3 days, 1 working day, 2 late requests: in the mail's language."""
    if word == "working day":
        return ngettext("%(num)s working day", "%(num)s working days", n)
    if word == "late request":
        return ngettext("%(num)s late request", "%(num)s late requests", n)
    return ngettext("%(num)s day", "%(num)s days", n)


def _day(value: date) -> str:
    """A date as a mail writes it: 2020-03-11 in English, 11 mars 2020 in French."""
    locale = get_locale()
    if locale is None or locale.language == "en":
        return value.isoformat()
    return format_date(value, "d MMMM y")


def alert_language(
    db: Session | None, request: InfoRequest | None, user: User, default: str
) -> str:
    """A mail about a request is in the request's language (``request_language``); the digest
    in its reader's, else the newsroom's."""
    if request is not None and db is not None:
        return request_language(db, request, default)
    return normalize_locale(user.locale) or normalize_locale(default) or "en"


def _short(title: str, limit: int = 120) -> str:
    title = " ".join(title.split())
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _working_days(law: str, start: date, end: date, province: str | None) -> int:
    try:
        return deadlines.working_days_between(law, start, end, province)
    except ValueError:
        return deadlines.working_days_between(law, start, end)


def _late(law: str, due: date, today: date, province: str | None) -> tuple[int, int]:
    try:
        return deadlines.days_late(law, due, today, province=province)
    except ValueError:
        return deadlines.days_late(law, due, today)


def _province(request: InfoRequest) -> str | None:
    law = deadlines.LAWS[request.law_code]
    return request.institution.province if law.province_mode == "institution" else None


def request_facts(request: InfoRequest, today: date) -> dict[str, Any]:
    """What a mail about one request says: dates, days left or late, sections, where to complain."""
    # The version of the law in force on the received date (issue 15: Alberta's new Act).
    law = deadlines.law_in_force(request.law_code, request.received_on)
    province = _province(request)
    due = request.due_on
    days_left = (due - today).days
    # Counted to the response or the closing when there is one (state.clock_end), as on the page.
    until = clock_end(request.responded_on, request.closed_on, today)
    late, working_late = _late(request.law_code, due, until, province) if due < until else (0, 0)
    window = law.complaint_window
    complaint_due = request.complaint_due_on
    # The sections and the body as the mail's language cites them (tracker.deadlines.french).
    english = (locale := get_locale()) is None or locale.language == "en"

    def cited(section: str) -> str:
        return law.cite(section) if english else french.cite(law, section)

    return {
        "request": request,
        "law": law,
        "institution": request.institution.name,
        "due_on": due,
        "days_left": days_left,
        "working_days_left": _working_days(request.law_code, today, due, province)
        if due > today
        else 0,
        "days_late": late,
        "working_days_late": working_late,
        "period_section": law.period_text,
        "deemed_section": cited(law.deemed_refusal_section) if law.deemed_refusal_section else None,
        "complaint_due_on": complaint_due,
        "complaint_days_left": (complaint_due - today).days if complaint_due else None,
        "complaint_body": law.complaint_body if english else french.body_name(law.complaint_body),
        "complaint_section": cited(window.section) if window else None,
        "complaint_window": (
            _plural(window.length, "working day" if window.unit == "working" else "day")
            if window
            else None
        ),
    }


def request_subject(kind: str, facts: Mapping[str, Any]) -> str:
    """The subject names the request and the deadline."""
    title = _short(facts["request"].title)
    due = _day(facts["due_on"])
    if kind in ("due_in_7", "due_in_2"):
        subject = _(
            "Due in %(days)s: %(title)s (due %(date)s)",
            days=_plural(facts["days_left"], "day"),
            title=title,
            date=due,
        )
    elif kind == "due_today":
        subject = _("Due today: %(title)s (due %(date)s)", title=title, date=due)
    elif kind == "overdue":
        # "Deemed refused" only where the law has a deemed refusal (issue 15 part 3).
        if facts.get("deemed_section"):
            subject = _(
                "Overdue, deemed refused: %(title)s (was due %(date)s)", title=title, date=due
            )
        else:
            subject = _("Overdue: %(title)s (was due %(date)s)", title=title, date=due)
    else:
        left = facts["complaint_days_left"]
        last = _day(facts["complaint_due_on"])
        if left == 0:
            subject = _(
                "Complaint window closes today: %(title)s (last day %(date)s)",
                title=title,
                date=last,
            )
        else:
            subject = _(
                "Complaint window closes in %(days)s: %(title)s (last day %(date)s)",
                days=_plural(left, "day"),
                title=title,
                date=last,
            )
    return subject[:SUBJECT_MAX]


def compose_request_alert(
    kind: str, request: InfoRequest, user: User, today: date, config: Mapping[str, Any]
) -> Composed:
    """Render a deadline alert about one request (needs an app context for the templates)."""
    from sqlalchemy.orm import object_session

    session = object_session(request)
    language = alert_language(session, request, user, config.get("DEFAULT_LOCALE", "en"))
    with force_locale(language):
        return _compose_request_alert(kind, request, user, today, config, session)


def _compose_request_alert(
    kind: str,
    request: InfoRequest,
    user: User,
    today: date,
    config: Mapping[str, Any],
    session: Session | None,
) -> Composed:
    from tracker.alerts.service import PREFERENCE_KINDS
    from tracker.letters.service import reminder_for

    facts = request_facts(request, today)
    context = {
        **facts,
        # The letter due (never sent by the alert itself), with the page that drafts it.
        "letter_due": reminder_for(session, request, today) if session is not None else None,
        "letters_url": f"{base_url(config, mail=True)}/requests/{request.id}/letters",
        "kind": kind,
        "user": user,
        "today": today,
        "plural": _plural,
        "day": _day,
        "kind_label": str(PREFERENCE_KINDS.get(kind, kind)),
        "request_url": request_url(config, request.id),
        "unsubscribe_url": unsubscribe_url(config, user.id, kind),
    }
    return Composed(
        subject=request_subject(kind, facts),
        text=render_template("alerts/mail/request.txt", **context),
        html=render_template("alerts/mail/request.html", **context),
    )


def compose_digest(
    user: User, requests: list[InfoRequest], today: date, config: Mapping[str, Any]
) -> Composed:
    """Render the weekly digest of late requests, in its reader's language."""
    with force_locale(alert_language(None, None, user, config.get("DEFAULT_LOCALE", "en"))):
        return _compose_digest(user, requests, today, config)


def _compose_digest(
    user: User, requests: list[InfoRequest], today: date, config: Mapping[str, Any]
) -> Composed:
    from sqlalchemy.orm import object_session

    from tracker.letters.service import due_letters

    session = object_session(requests[0]) if requests else None
    # The letter due on each (never sent by the digest itself), with the page that drafts it.
    due = due_letters(session, requests, today) if session is not None else {}
    items = [
        {
            **request_facts(r, today),
            "url": request_url(config, r.id),
            "letter_due": due.get(r.id),
            "letters_url": f"{config['BASE_URL']}/requests/{r.id}/letters",
        }
        for r in requests
    ]
    items.sort(key=lambda item: (-item["days_late"], item["request"].id))
    context = {
        "items": items,
        "user": user,
        "today": today,
        "plural": _plural,
        "day": _day,
        "dashboard_url": f"{base_url(config, mail=True)}/",
        "unsubscribe_url": unsubscribe_url(config, user.id, "weekly_digest"),
    }
    subject = _(
        "Weekly digest: %(requests)s as of %(date)s",
        requests=_plural(len(items), "late request"),
        date=_day(today),
    )
    return Composed(
        subject=subject[:SUBJECT_MAX],
        text=render_template("alerts/mail/digest.txt", **context),
        html=render_template("alerts/mail/digest.html", **context),
    )


# ---------------------------------------------------------------------------------------------
# Sending


def build_message(alert: Alert, config: Mapping[str, Any]) -> EmailMessage:
    """The MIME message for an outbox row: text and HTML alternatives, unsubscribe headers."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = alert.recipient
    message["Subject"] = alert.subject
    message["Date"] = format_datetime(clock.now())
    domain = parseaddr(config["MAIL_FROM"])[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(alert.dedupe_key.encode()).hexdigest()[:16]
    # Stable per alert: a copy sent again by hand threads with (or is dropped as) the first.
    message["Message-ID"] = f"<alert-{alert.id}.{digest}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    if alert.kind not in ASKED_FOR:
        link = unsubscribe_url(config, alert.user_id, alert.kind)
        message["List-Unsubscribe"] = f"<{link}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"  # RFC 8058
    message.set_content(alert.body_text)
    if alert.body_html:
        message.add_alternative(alert.body_html, subtype="html")
    # Headers may be long (RFC 5322: 998), so the unsubscribe URL is not folded into
    # encoded words; the body parts keep their 76-character quoted-printable lines.
    message.policy = LONG_HEADERS
    return message


def _answer(code: int, response: bytes | str) -> str:
    text = response.decode("utf-8", "replace") if isinstance(response, bytes) else str(response)
    return f"{code} {text}".strip()


class Mailer:
    """One SMTP connection for a batch of alerts, opened on first use; or the log."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host: str | None = config.get("SMTP_HOST")
        self.port = int(config.get("SMTP_PORT") or 587)
        self.user: str | None = config.get("SMTP_USER")
        self.password: str | None = config.get("SMTP_PASSWORD")
        self.starttls = bool(config.get("SMTP_STARTTLS"))
        self.implicit_tls = bool(config.get("SMTP_SSL"))
        self.ca_file: str | None = config.get("SMTP_CA_FILE")
        self.timeout = float(config.get("SMTP_TIMEOUT") or 30)
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Say QUIT (or just drop a broken connection)."""
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def tls_context(self) -> ssl.SSLContext:
        """TLS that checks the server's certificate and host name (the system's authorities,
        or only those of ``SMTP_CA_FILE`` when set)."""
        return ssl.create_default_context(cafile=self.ca_file or None)

    def _connect(self) -> smtplib.SMTP:
        if self._smtp is None:
            if self.host is None:
                raise RuntimeError("no SMTP host: mails go to the log instead")
            try:
                if self.implicit_tls:
                    smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                        self.host, self.port, timeout=self.timeout, context=self.tls_context()
                    )
                else:
                    smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
                    if self.starttls:
                        smtp.starttls(context=self.tls_context())
                        smtp.ehlo()
                if self.user:
                    smtp.login(self.user, self.password or "")
            except smtplib.SMTPResponseException as exc:
                raise MailError(
                    _answer(exc.smtp_code, exc.smtp_error), permanent=False, connection_lost=True
                ) from exc
            except (smtplib.SMTPException, OSError) as exc:
                raise MailError(
                    f"cannot reach the mail server {self.host}:{self.port}: "
                    f"{exc or type(exc).__name__}",
                    permanent=False,
                    connection_lost=True,
                ) from exc
            self._smtp = smtp
        return self._smtp

    def send(self, message: EmailMessage) -> None:
        """Deliver one message or raise MailError saying whether a retry may succeed."""
        if not self.host:
            headers = "\n".join(
                f"{name}: {value}"
                for name, value in message.items()
                if name in ("From", "To", "Subject", "Date")
            )
            text = message.get_body(("plain",))
            log.info(
                "mail (no TRACKER_SMTP_HOST set, written here instead):\n%s\n\n%s",
                headers,
                text.get_content() if text is not None else "",
            )
            return
        smtp = self._connect()
        try:
            refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            answers = [_answer(code, resp) for code, resp in exc.recipients.values()]
            permanent = all(code >= 500 for code, _ in exc.recipients.values())
            raise MailError("; ".join(answers), permanent=permanent) from exc
        except smtplib.SMTPSenderRefused as exc:
            self._drop_if_closed(exc.smtp_code)
            raise MailError(
                _answer(exc.smtp_code, exc.smtp_error),
                permanent=exc.smtp_code >= 500,
                connection_lost=exc.smtp_code == 421,
            ) from exc
        except smtplib.SMTPResponseException as exc:
            self._drop_if_closed(exc.smtp_code)
            raise MailError(
                _answer(exc.smtp_code, exc.smtp_error),
                permanent=exc.smtp_code >= 500,
                connection_lost=exc.smtp_code == 421,
            ) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._smtp = None
            raise MailError(
                f"the mail server {self.host}:{self.port} dropped the connection: "
                f"{exc or type(exc).__name__}",
                permanent=False,
                connection_lost=True,
            ) from exc
        if refused:  # some recipients refused; an alert has one recipient, so this is rare
            answers = [_answer(code, resp) for code, resp in refused.values()]
            raise MailError("; ".join(answers), permanent=True)

    def _drop_if_closed(self, code: int) -> None:
        if code == 421 and self._smtp is not None:
            self._smtp.close()
            self._smtp = None
