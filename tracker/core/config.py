"""Settings: every one comes from an environment variable prefixed ``TRACKER_``."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: name -> (default, description). The README's configuration table mirrors this.
# The languages the interface is translated into (tracker/translations/).
LOCALES = ("en", "fr")

SETTINGS: dict[str, tuple[str | None, str]] = {
    "INSTANCE_PATH": (
        None,
        "Folder for the SQLite file, the secret key and attachments "
        "(default: instance/ beside the package).",
    ),
    "DATABASE_URL": (None, "SQLAlchemy URL (default: sqlite:///INSTANCE_PATH/tracker.sqlite)."),
    "SECRET_KEY": (
        None,
        "Signs sessions; when unset, one is generated on first run and kept "
        "in INSTANCE_PATH/secret_key.",
    ),
    "TIMEZONE": ("America/Toronto", "The newsroom's default time zone for 'today' and display."),
    "ATTACHMENTS_DIR": (
        None,
        "Where uploaded files are stored (default: INSTANCE_PATH/attachments).",
    ),
    "SECURE_COOKIES": ("0", "1 to mark cookies Secure (behind HTTPS)."),
    "MAX_UPLOAD_MB": ("50", "Largest accepted upload, in megabytes."),
    "BASE_URL": (
        None,
        "Public address used in links (mails, feeds, exports, the API); unset: the address "
        "the tracker is served at.",
    ),
    "LOG_LEVEL": ("INFO", "Logging level."),
    "DEFAULT_LOCALE": (
        "en",
        "The newsroom's language (en or fr) for anyone whose account and browser name neither.",
    ),
    "SMTP_HOST": (
        None,
        "Mail server for alerts; when unset, alerts are written to the log "
        "instead (and count as sent).",
    ),
    "SMTP_PORT": ("587", "Mail server port."),
    "SMTP_USER": (None, "Login for the mail server (none when unset)."),
    "SMTP_PASSWORD": (None, "Password for the mail server login."),
    "SMTP_STARTTLS": ("1", "1 to upgrade the connection with STARTTLS before sending, 0 not to."),
    "SMTP_SSL": (
        "0",
        "1 to connect to the mail server over TLS from the start (implicit TLS, usually "
        "port 465) instead of STARTTLS.",
    ),
    "SMTP_CA_FILE": (
        None,
        "PEM file of the certificate authorities trusted for the mail server (default: the "
        "system's); the server's certificate and host name are always checked.",
    ),
    "SMTP_TIMEOUT": ("30", "Seconds to wait for the mail server before counting a try as failed."),
    "MAIL_FROM": ("ATI tracker <tracker@localhost>", "Sender address of alert mails."),
    "MAIL_FROM_POLICY": (
        "reply-to",
        "How a letter a reporter sends through the tracker names its author: reply-to "
        "(From is TRACKER_MAIL_FROM with the reporter's name, Reply-To the reporter) or from "
        "(From is the reporter, Sender TRACKER_MAIL_FROM).",
    ),
    "ALERT_MAX_ATTEMPTS": (
        "10",
        "Tries per alert before it is marked failed (with the "
        "defaults, about 8.5 hours of retries).",
    ),
    "ALERT_RETRY_SECONDS": (
        "60",
        "Wait before the first retry; doubles after each failed try (at most 6 hours).",
    ),
    "DIGEST_WEEKDAY": (
        "monday",
        "Day of the week the weekly digest of late requests is sent (or the first sweep after it).",
    ),
    "SWEEP_MINUTES": ("60", "How often the scheduler flags overdue requests and plans alerts."),
    "DELIVER_SECONDS": ("60", "How often the scheduler sends pending alerts."),
    "SCORECARD_MINUTES": (
        "10",
        "How often the scheduler recomputes the scorecards whose data or day changed.",
    ),
    "EXPORT_BACKGROUND_REQUESTS": (
        "10000",
        "A newsroom with more requests than this gets its full export (ZIP) prepared in the "
        "background by the scheduler, with progress and a download link; smaller ones at once.",
    ),
    "EXPORT_KEEP_HOURS": ("48", "How long a prepared export stays downloadable."),
    "RECORDS_SECONDS": (
        "10",
        "How often the scheduler looks for attached files to read (text and OCR).",
    ),
    "OCR_PAGE_SECONDS": (
        "120",
        "Longest Tesseract may spend reading one page; a file with a slower page is marked "
        "failed with that reason and the queue moves on.",
    ),
    "RECORDS_MAX_PAGES": (
        "2500",
        "Files with more pages than this are not read (marked failed, the original kept).",
    ),
    "OCR_MAX_PIXELS": (
        "60000000",
        "Largest image (width times height, in pixels) read or rendered for OCR; a larger one "
        "(an image bomb) is marked failed.",
    ),
    "IMPORT_INLINE_ROWS": (
        "2000",
        "A CSV import of up to this many rows runs at once, while the page waits (about a "
        "second); a larger one runs in the background (the scheduler), its page showing "
        "its progress.",
    ),
    "IMAP_HOST": (
        None,
        "The newsroom mailbox's IMAP server (reporters forward or BCC agency mail there); "
        "when unset, nothing is polled.",
    ),
    "IMAP_PORT": ("993", "IMAP port (993 with TLS from the start, 143 without)."),
    "IMAP_USER": (None, "IMAP login."),
    "IMAP_PASSWORD": (None, "IMAP password."),
    "IMAP_FOLDER": ("INBOX", "The folder read for new mail."),
    "IMAP_FILED": ("filed", "The folder each message is moved to once stored (made if missing)."),
    "IMAP_SSL": (
        "1",
        "1 to connect over TLS from the start (the server's certificate is checked).",
    ),
    "IMAP_CA_FILE": (
        None,
        "PEM file of the certificate authorities trusted for the IMAP server (default: the "
        "system's).",
    ),
    "IMAP_NEWSROOM": (
        None,
        "The newsroom the mailbox belongs to (may be left unset when there is one newsroom).",
    ),
    "IMAP_ADDRESS": (
        None,
        "The mailbox's address, e.g. newsroom@example.org: request pages then show the "
        "address tag newsroom+r123-k7f2@example.org.",
    ),
    "IMAP_MINUTES": ("5", "How often the scheduler reads the mailbox."),
    "IMAP_TIMEOUT": ("30", "Seconds to wait for the IMAP server."),
    "SCHEDULER_LEASE_SECONDS": (
        "60",
        "SQLite: how long the scheduler lock lasts unless renewed "
        "(a crashed scheduler's lock is taken over after this).",
    ),
    "SESSION_IDLE_MINUTES": (
        "120",
        "A login session unused for this long ends (checked on the server).",
    ),
    "SESSION_MAX_HOURS": ("12", "A login session ends this long after logging in, used or not."),
    "PROXY_COUNT": (
        "0",
        "How many reverse proxies stand in front of the tracker: their X-Forwarded-For and "
        "X-Forwarded-Proto are trusted (werkzeug's ProxyFix); 0 trusts none.",
    ),
}

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


class ConfigError(RuntimeError):
    """A setting has a value the tracker cannot use."""


def _env(name: str, environ: Mapping[str, str]) -> str | None:
    value = environ.get(f"TRACKER_{name}")
    if value is None or value == "":
        return SETTINGS[name][0]
    return value


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def load_secret_key(instance_path: Path) -> str:
    """Return the key kept in the instance folder, creating it on first run."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def build_config(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Build the Flask config mapping from ``TRACKER_*`` variables and test overrides."""
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    instance = Path(
        overrides.pop("INSTANCE_PATH", None)
        or _env("INSTANCE_PATH", environ)
        or PROJECT_ROOT / "instance"
    ).resolve()
    instance.mkdir(parents=True, exist_ok=True)

    timezone = overrides.get("TIMEZONE") or _env("TIMEZONE", environ) or "America/Toronto"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"TRACKER_TIMEZONE={timezone!r} is not a known time zone") from exc

    try:
        max_upload_mb = int(_env("MAX_UPLOAD_MB", environ) or "50")
    except ValueError as exc:
        raise ConfigError("TRACKER_MAX_UPLOAD_MB must be a whole number of megabytes") from exc

    numbers: dict[str, int] = {}
    for name in (
        "SMTP_PORT",
        "SMTP_TIMEOUT",
        "ALERT_MAX_ATTEMPTS",
        "ALERT_RETRY_SECONDS",
        "SWEEP_MINUTES",
        "DELIVER_SECONDS",
        "SCORECARD_MINUTES",
        "EXPORT_BACKGROUND_REQUESTS",
        "EXPORT_KEEP_HOURS",
        "RECORDS_SECONDS",
        "OCR_PAGE_SECONDS",
        "RECORDS_MAX_PAGES",
        "OCR_MAX_PIXELS",
        "IMPORT_INLINE_ROWS",
        "IMAP_PORT",
        "IMAP_MINUTES",
        "IMAP_TIMEOUT",
        "SCHEDULER_LEASE_SECONDS",
        "SESSION_IDLE_MINUTES",
        "SESSION_MAX_HOURS",
    ):
        raw = _env(name, environ) or SETTINGS[name][0] or "0"
        try:
            numbers[name] = int(raw)
        except ValueError as exc:
            raise ConfigError(f"TRACKER_{name} must be a whole number, not {raw!r}") from exc
        if numbers[name] < 1:
            raise ConfigError(f"TRACKER_{name} must be at least 1")
    raw_proxies = _env("PROXY_COUNT", environ) or "0"
    try:
        numbers["PROXY_COUNT"] = int(raw_proxies)
    except ValueError as exc:
        raise ConfigError(
            f"TRACKER_PROXY_COUNT must be a whole number, not {raw_proxies!r}"
        ) from exc
    if numbers["PROXY_COUNT"] < 0:
        raise ConfigError("TRACKER_PROXY_COUNT must be 0 or more")
    locale = (_env("DEFAULT_LOCALE", environ) or "en").strip().lower().replace("-", "_")
    if locale.split("_")[0] not in LOCALES:
        raise ConfigError(
            f"TRACKER_DEFAULT_LOCALE must be one of {', '.join(LOCALES)}, not {locale!r}"
        )
    from_policy = (_env("MAIL_FROM_POLICY", environ) or "reply-to").strip().lower()
    if from_policy not in ("reply-to", "from"):
        raise ConfigError(f"TRACKER_MAIL_FROM_POLICY must be reply-to or from, not {from_policy!r}")
    digest_day = (_env("DIGEST_WEEKDAY", environ) or "monday").strip().lower()
    if digest_day not in WEEKDAYS:
        raise ConfigError(f"TRACKER_DIGEST_WEEKDAY must be a day of the week, not {digest_day!r}")

    secure = _truthy(_env("SECURE_COOKIES", environ))
    config: dict[str, Any] = {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": _env("DATABASE_URL", environ) or f"sqlite:///{instance / 'tracker.sqlite'}",
        "SECRET_KEY": _env("SECRET_KEY", environ),
        "TIMEZONE": timezone,
        "ATTACHMENTS_DIR": _env("ATTACHMENTS_DIR", environ) or str(instance / "attachments"),
        "MAX_UPLOAD_MB": max_upload_mb,
        "BASE_URL": (_env("BASE_URL", environ) or "").rstrip("/"),
        "LOG_LEVEL": _env("LOG_LEVEL", environ),
        "SMTP_HOST": _env("SMTP_HOST", environ),
        "SMTP_USER": _env("SMTP_USER", environ),
        "SMTP_PASSWORD": _env("SMTP_PASSWORD", environ),
        "SMTP_STARTTLS": _truthy(_env("SMTP_STARTTLS", environ)),
        "SMTP_SSL": _truthy(_env("SMTP_SSL", environ)),
        "SMTP_CA_FILE": _env("SMTP_CA_FILE", environ),
        "MAIL_FROM": _env("MAIL_FROM", environ),
        "MAIL_FROM_POLICY": from_policy,
        "IMAP_HOST": _env("IMAP_HOST", environ),
        "IMAP_USER": _env("IMAP_USER", environ),
        "IMAP_PASSWORD": _env("IMAP_PASSWORD", environ),
        "IMAP_FOLDER": _env("IMAP_FOLDER", environ),
        "IMAP_FILED": _env("IMAP_FILED", environ),
        "IMAP_SSL": _truthy(_env("IMAP_SSL", environ)),
        "IMAP_CA_FILE": _env("IMAP_CA_FILE", environ),
        "IMAP_NEWSROOM": _env("IMAP_NEWSROOM", environ),
        "IMAP_ADDRESS": _env("IMAP_ADDRESS", environ),
        "DIGEST_WEEKDAY": digest_day,
        "DEFAULT_LOCALE": locale.split("_")[0],
        **numbers,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "WTF_CSRF_TIME_LIMIT": None,
    }
    config.update(overrides)
    if "MAX_CONTENT_LENGTH" not in config:
        # Room for the form fields around the largest accepted file.
        config["MAX_CONTENT_LENGTH"] = config["MAX_UPLOAD_MB"] * 1024 * 1024 + 1024 * 1024
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = load_secret_key(instance)
    Path(config["ATTACHMENTS_DIR"]).mkdir(parents=True, exist_ok=True)
    return config
