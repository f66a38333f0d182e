"""Why a message went where it did, stored as codes with their parameters and put into words
in the reader's language only when shown (pages, ``flask ingest-mail``, the API).

A reason is a list of clauses, each ``{"code": CODE, PARAM: value, ...}``; several clauses
(the rules that did not find a request) are shown joined by "; ". The codes and their
parameters are a stable part of the API (``match.why`` in ``/api/v1/requests/ID/mail``):
new codes may be added, none is renamed or removed.

Found (the message is attached):
- ``address_tag`` (``tag``): the request's address tag, e.g. ``+r12-k7f2``.
- ``subject_tag`` (``tag``): the request's subject tag, e.g. ``[ATI-12]``.
- ``reply`` (``message_id``): a reply to a message the tracker holds.
- ``reply_letter`` (``message_id``): a reply to a letter the tracker sent.
- ``file_number`` (``numbers``: a list): the request's file number(s) in the subject or text.
- ``domain`` (``domain``): the sender's domain, whose institution has one open request.
- ``page``: dropped on the request's page.
- ``manual`` (``user``): attached from the review queue by this person.

Not found (each rule's answer, in the rules' order):
- ``no_tag``: no request tag.
- ``not_reply``: not a reply to a message the tracker holds.
- ``no_number``: no request's file number in the subject or text.
- ``several_numbers`` (``count``, ``numbers``): the file numbers of several requests.
- ``no_sender``: the sender has no address.
- ``unknown_domain`` (``domain``): no institution has the sender's domain.
- ``shared_domain`` (``domain``, ``count``): several institutions share the domain.
- ``no_open_request`` (``domain``): that institution has no open request.
- ``several_open_requests`` (``domain``): that institution has several open requests.
- ``text`` (``text``): a reason recorded in words before codes were stored (kept as it was).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tracker.language.i18n import gettext, ngettext

Clause = dict[str, Any]

FOUND = (
    "address_tag",
    "subject_tag",
    "reply",
    "reply_letter",
    "file_number",
    "domain",
    "page",
    "manual",
)
NOT_FOUND = (
    "no_tag",
    "not_reply",
    "no_number",
    "several_numbers",
    "no_sender",
    "unknown_domain",
    "shared_domain",
    "no_open_request",
    "several_open_requests",
)
CODES = (*FOUND, *NOT_FOUND, "text")


def clause(code: str, **params: Any) -> Clause:
    """One clause; an unknown code is a programming error."""
    if code not in CODES:
        raise ValueError(f"unknown match reason code {code!r}")
    return {"code": code, **params}


def _numbers(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value or "")


def _words(item: Mapping[str, Any]) -> str:
    code = item.get("code")
    p = {k: v for k, v in item.items() if k != "code"}
    if code == "address_tag":
        return gettext("address tag %(tag)s", tag=p.get("tag", ""))
    if code == "subject_tag":
        return gettext("subject tag %(tag)s", tag=p.get("tag", ""))
    if code == "reply":
        return gettext("a reply to %(message_id)s", message_id=p.get("message_id", ""))
    if code == "reply_letter":
        return gettext("a reply to the letter %(message_id)s", message_id=p.get("message_id", ""))
    if code == "file_number":
        numbers = p.get("numbers") or []
        return ngettext(
            "file number %(numbers)s",
            "file numbers %(numbers)s",
            len(numbers) if isinstance(numbers, list | tuple) else 1,
            numbers=_numbers(numbers),
        )
    if code == "domain":
        return gettext(
            "sender's domain %(domain)s: the institution's one open request",
            domain=p.get("domain", ""),
        )
    if code == "page":
        return gettext("dropped on the request's page")
    if code == "manual":
        return gettext("attached by %(user)s", user=p.get("user", ""))
    if code == "no_tag":
        return gettext("no request tag")
    if code == "not_reply":
        return gettext("not a reply to a message the tracker holds")
    if code == "no_number":
        return gettext("no request's file number in the subject or text")
    if code == "several_numbers":
        return ngettext(
            "it names the file numbers of %(num)d request (%(numbers)s)",
            "it names the file numbers of %(num)d requests (%(numbers)s)",
            int(p.get("count") or 0),
            numbers=_numbers(p.get("numbers")),
        )
    if code == "no_sender":
        return gettext("its sender has no address")
    if code == "unknown_domain":
        return gettext("no institution has the sender's domain %(domain)s", domain=p.get("domain"))
    if code == "shared_domain":
        return ngettext(
            "%(num)d institution shares the domain %(domain)s",
            "%(num)d institutions share the domain %(domain)s",
            int(p.get("count") or 0),
            domain=p.get("domain", ""),
        )
    if code == "no_open_request":
        return gettext(
            "the institution of %(domain)s has no open request", domain=p.get("domain", "")
        )
    if code == "several_open_requests":
        return gettext(
            "the institution of %(domain)s has several open requests", domain=p.get("domain", "")
        )
    # "text" (a reason stored in words before codes), or a code this version does not know.
    return str(p.get("text") or code or "")


def render(why: Iterable[Mapping[str, Any]] | None) -> str:
    """The reason in the current reader's language (Flask-Babel's locale)."""
    return "; ".join(_words(item) for item in (why or ()) if isinstance(item, Mapping))
