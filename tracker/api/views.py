"""The JSON API: requests, timeline entries, deadlines, institutions. Thin: spectree validates
the body or query against its pydantic model (tracker.api.inputs), the view calls the request
service and answers a response model (tracker.api.serialize); the OpenAPI document is generated
from both. Authentication is by personal token only (no cookies, no CSRF)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import csrf
from tracker.api import inputs, openapi, serialize
from tracker.api.inputs import ApiError
from tracker.api.openapi import answers, spec
from tracker.api.service import authenticate
from tracker.core import clock, db
from tracker.core.models import InfoRequest, Institution, TimelineEvent, User
from tracker.core.urls import base_url
from tracker.files.storage import LocalStorage
from tracker.language.i18n import _
from tracker.records import search as records_search
from tracker.requests import queries, service
from tracker.requests.describe import describe, lateness
from tracker.timeline import kinds

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    422: "Unprocessable Content",
}


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": _TITLES.get(exc.status, "Error"), "reason": exc.reason}
    if exc.field is not None:
        body["field"] = exc.field
    response = jsonify(body)
    if exc.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="ATI tracker API"'
    return response, exc.status


@bp.before_request
def _authenticate() -> None:
    """Every endpoint but the OpenAPI document needs ``Authorization: Bearer <token>``."""
    if request.endpoint == "api.openapi_document":
        return
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(
            401,
            _(
                "Send a personal API token: Authorization: Bearer <token>. "
                "Make one under Settings, API tokens."
            ),
        )
    with db.transaction() as session:
        user = authenticate(session, secret.strip(), clock.now())
    if user is None:
        raise ApiError(401, _("This API token is unknown or was revoked."))
    g.api_user = user


@bp.after_request
def _no_store(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def user() -> User:
    """The token's owner."""
    return g.api_user


def today() -> date:
    """Today in the token owner's time zone."""
    who = user()
    return clock.today(who.timezone or who.newsroom.timezone or current_app.config["TIMEZONE"])


class _NewsroomRow(Protocol):
    @property
    def newsroom_id(self) -> int: ...


_Owned = TypeVar("_Owned", bound=_NewsroomRow)


def _in_newsroom(row: _Owned | None, missing: str) -> _Owned:
    """The row if it belongs to the token owner's newsroom; none, or another's, is a 404
    saying ``missing``."""
    if row is None or row.newsroom_id != user().newsroom_id:
        raise ApiError(404, missing)
    return row


def _owned_request(request_id: int) -> InfoRequest:
    """The request if it belongs to the token owner's newsroom; anything else is 404."""
    found = service.load_request(db.session(), request_id) if request_id <= inputs.MAX_ID else None
    return _in_newsroom(found, _("No request with this id in your newsroom."))


def _json_body() -> Any:
    """The request body as its pydantic model validated it."""
    # spectree sets request.context; Flask's Request does not declare it.
    return request.context.json  # type: ignore[attr-defined]


def _refused(exc: service.RequestError) -> ApiError:
    # Service refusals name form fields; a kind's declared ones live under "details" here.
    field = exc.field
    if field in kinds.field_names():
        field = f"details.{field}"
    return ApiError(422, str(exc), field)


def _detail(info_request: InfoRequest) -> serialize.Request:
    return serialize.detail(info_request, describe(info_request, today()), user())


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of this API."""
    response = jsonify(openapi.document(base_url()))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/requests")
@spec.validate(
    query=inputs.RequestQuery,
    resp=answers(200, serialize.RequestList, 400),
    validation_error_status=400,
    operation_id="listRequests",
)
def list_requests() -> tuple[serialize.RequestList, int, dict[str, str]]:
    """List your newsroom's requests.

    The list page's filters, 25 a page. Follow `links.next` (also sent as a Link header) to
    walk the list: it carries a cursor (the last row's sort key), so a deep page costs what
    the first one does; `page=N` alone still works. Matches are counted up to a limit, as on
    the list page (`total_exact` says whether counting stopped there); a page typed beyond
    the limit counts them all, to know where the end is.
    """
    # spectree sets request.context; Flask's Request does not declare it.
    filters = request.context.query.filters()  # type: ignore[attr-defined]
    now = today()
    page = queries.list_requests(
        db.session(), user().newsroom_id, filters, count_limit=queries.COUNT_LIMIT, today=now
    )
    args = queries.list_params(request.args)

    def link(params: dict[str, object] | None) -> str | None:
        if not params:
            return None
        values: dict[str, Any] = {**args, **params}
        return url_for("api.list_requests", **values)

    here = {"after": filters.after, "before": filters.before} if page.page > 1 else {}
    links = serialize.Links(
        self=link({"page": page.page, **here}) or "",
        next=link(page.next_params),
        prev=link(page.prev_params),
    )
    body = serialize.RequestList(
        items=[serialize.summary(r, lateness(r, now)) for r in page.items],
        # Beyond the limit: more than `total` match, and the number of pages is unknown.
        total=page.total if page.exact else page.count_limit,
        total_exact=page.exact,
        page=page.page,
        pages=page.pages if page.exact else None,
        per_page=page.per_page,
        links=links,
    )
    return body, 200, {"Link": f'<{links.next}>; rel="next"'} if links.next else {}


@bp.post("/requests")
@spec.validate(
    json=inputs.RequestCreate,
    resp=answers(201, serialize.Request, 400, 409, 422),
    operation_id="createRequest",
)
def create_request() -> tuple[serialize.Request, int, dict[str, str]]:
    """Log a request; its deadline is computed by the request service."""
    body: inputs.RequestCreate = _json_body()
    data = service.RequestData(**body.model_dump())
    try:
        with db.transaction() as session:
            created = service.create_request(session, user(), data, today())
    except service.RequestError as exc:
        raise _refused(exc) from None
    except IntegrityError:
        raise ApiError(
            409, _("Another request to this institution has this file number."), "file_number"
        ) from None
    loaded = _owned_request(created.id)
    location = url_for("api.get_request", request_id=created.id)
    return _detail(loaded), 201, {"Location": location}


@bp.get("/requests/<int:request_id>")
@spec.validate(
    resp=answers(200, serialize.Request, 404),
    operation_id="getRequest",
    path_parameter_descriptions={"request_id": "The request's id."},
)
def get_request(request_id: int) -> serialize.Request:
    """A request: deadline explained, status, lateness, complaint window, timeline."""
    return _detail(_owned_request(request_id))


_FACTS = ("institution_id", "title", "received_on", "law_code", "text", "sent_on", "file_number")


def _merged(
    session: Session, info_request: InfoRequest, body: inputs.RequestUpdate
) -> service.RequestData:
    """The request's current facts with the fields sent in a PATCH."""
    current = {name: getattr(info_request, name) for name in _FACTS}
    institution = session.get_one(Institution, info_request.institution_id)
    if "law_code" not in body.model_fields_set and info_request.law_code == institution.law_code:
        current["law_code"] = None  # keep following the institution's law
    sent = body.model_dump(include=body.model_fields_set - {"version"})
    return service.RequestData(**{**current, **sent})


@bp.patch("/requests/<int:request_id>")
@spec.validate(
    json=inputs.RequestUpdate,
    resp=answers(200, serialize.Request, 400, 403, 404, 409, 422),
    operation_id="updateRequest",
    path_parameter_descriptions={"request_id": "The request's id."},
)
def update_request(request_id: int) -> serialize.Request:
    """Change a request's facts; the change is noted in its timeline."""
    info_request = _owned_request(request_id)
    if not service.can_edit(user(), info_request):
        raise ApiError(403, _("Only the request's owner or an editor can change it."))
    body: inputs.RequestUpdate = _json_body()
    try:
        with db.transaction() as session:
            # The fields not sent keep their values as of now, read under the request's lock:
            # another client's change to them meanwhile is never written back over.
            service.lock_request(session, info_request)
            data = _merged(session, info_request, body)
            service.update_request(
                session, user(), info_request, data, today(), expected_version=body.version
            )
    except service.ConflictError as exc:
        raise ApiError(
            409,
            _(
                "The request was changed since version %(sent)s: it is now version "
                "%(current)s. Nothing was saved; read it again, then send your change "
                "with its new version.",
                sent=exc.expected,
                current=exc.current.version,
            ),
            "version",
        ) from None
    except service.RequestError as exc:
        raise _refused(exc) from None
    except IntegrityError:
        raise ApiError(
            409,
            _("The change conflicts with the request's timeline or another request's file number."),
        ) from None
    return _detail(_owned_request(request_id))


@bp.post("/requests/<int:request_id>/events")
@spec.validate(
    json=inputs.EventCreate,
    resp=answers(201, serialize.TimelineEvent, 400, 403, 404, 409, 422),
    operation_id="addEvent",
    path_parameter_descriptions={"request_id": "The request's id."},
)
def add_event(request_id: int) -> tuple[serialize.TimelineEvent, int, dict[str, str]]:
    """Add a timeline entry (or a correction of one); the clock is recomputed."""
    info_request = _owned_request(request_id)
    if not service.can_edit(user(), info_request):
        raise ApiError(403, _("Only the request's owner or an editor can add to its timeline."))
    entry = _json_body().root
    corrects = None
    if entry.corrects_id is not None:
        corrects = db.session().get(TimelineEvent, entry.corrects_id)
        if corrects is None or corrects.request_id != info_request.id:
            raise ApiError(
                422, _("No entry with this id in this request's timeline."), "corrects_id"
            )
        if corrects.kind != entry.kind:
            raise ApiError(
                422,
                _(
                    "A correction has the kind of the entry it corrects (%(kind)s).",
                    kind=corrects.kind,
                ),
                "kind",
            )
    if entry.kind == "withdrawn" and entry.occurred_on < info_request.received_on:
        # The request cannot be closed before it was received (info_request check constraint).
        raise ApiError(
            422,
            _(
                "A request cannot be withdrawn before the institution received it "
                "(%(received_on)s).",
                received_on=info_request.received_on.isoformat(),
            ),
            "occurred_on",
        )
    data = service.EventData(
        kind=entry.kind,
        occurred_on=entry.occurred_on,
        note=entry.note,
        # A fact left out stays out, as on the web (tracker.timeline.kinds.clean).
        details=entry.details.model_dump(mode="json", exclude_unset=True),
    )
    try:
        with db.transaction() as session:
            added = service.add_event(
                session,
                user(),
                info_request,
                data,
                today(),
                LocalStorage(current_app.config["ATTACHMENTS_DIR"]),
                current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024,
                corrects=corrects,
            )
    except service.RequestError as exc:
        raise _refused(exc) from None
    except IntegrityError:
        raise ApiError(409, _("This entry conflicts with the request's other facts.")) from None
    loaded = _owned_request(request_id)
    row = next(e for e in loaded.events if e.id == added.id)
    corrected_by = {e.corrects_id: e.id for e in loaded.events if e.corrects_id is not None}
    location = url_for("api.get_request", request_id=request_id) + f"#event-{added.id}"
    return serialize.event(row, corrected_by), 201, {"Location": location}


@bp.get("/requests/<int:request_id>/deadline")
@spec.validate(
    resp=answers(200, serialize.Deadline, 404),
    operation_id="getDeadline",
    path_parameter_descriptions={"request_id": "The request's id."},
)
def get_deadline(request_id: int) -> serialize.Deadline:
    """How the due date was reached, step by step with citations; extension checks."""
    info_request = _owned_request(request_id)
    return serialize.deadline(info_request, describe(info_request, today()))


@bp.get("/institutions")
@spec.validate(resp=answers(200, serialize.InstitutionList), operation_id="listInstitutions")
def list_institutions() -> serialize.InstitutionList:
    """Your newsroom's institutions, archived ones included (flagged)."""
    rows = db.session().scalars(
        sa.select(Institution)
        .where(Institution.newsroom_id == user().newsroom_id)
        .order_by(sa.func.lower(Institution.name), Institution.id)
    )
    return serialize.InstitutionList(items=[serialize.institution(row) for row in rows])


@bp.get("/institutions/<int:institution_id>")
@spec.validate(resp=answers(200, serialize.Institution, 404), operation_id="getInstitution")
def institution(institution_id: int) -> serialize.Institution:
    """One of the newsroom's institutions."""
    row = db.session().get(Institution, institution_id) if institution_id <= inputs.MAX_ID else None
    return serialize.institution(
        _in_newsroom(row, _("No institution with this id in your newsroom."))
    )


@bp.get("/search")
@spec.validate(
    query=inputs.SearchQuery,
    resp=answers(200, serialize.SearchResults, 400),
    validation_error_status=400,
    operation_id="searchRecords",
)
def search_records() -> serialize.SearchResults:
    """Search your newsroom's request titles and texts, timeline notes and every page of
    every attached record, in French and English, accents ignored."""
    # spectree sets request.context; Flask's Request does not declare it.
    query = request.context.query  # type: ignore[attr-defined]
    try:
        found = records_search.search(
            db.session(), user().newsroom_id, query.q, before=query.before
        )
    except records_search.SearchError as exc:
        raise ApiError(400, str(exc), "q") from None
    items = [
        serialize.search_hit(
            hit,
            url_for("records.view_file", attachment_id=hit.attachment_id) + f"#page={hit.page}"
            if hit.attachment_id is not None
            else None,
        )
        for hit in found.hits
    ]
    return serialize.SearchResults(
        query=query.q,
        items=items,
        next=url_for("api.search_records", q=query.q, before=found.before)
        if found.before
        else None,
    )


# Letters: read only. Drafting and sending stay on the web, where the reporter reads the letter
# and ticks the confirmation box; an API client sending on its own would be the robot issue 22
# rules out. Offers, drafts and sent letters are read here.


def _newsroom_today(info_request: InfoRequest) -> date:
    from tracker.packets.dossier import newsroom_timezone

    return clock.today(newsroom_timezone(info_request, current_app.config["TIMEZONE"]))


@bp.get("/requests/<int:request_id>/letters")
@spec.validate(
    resp=answers(200, serialize.LetterList, 404),
    operation_id="listLetters",
    path_parameter_descriptions={"request_id": "The request's id."},
)
def list_letters(request_id: int) -> serialize.LetterList:
    """The letters the request's state offers today, and its letters drafted or sent.

    Read only: a letter is drafted, edited and sent on the web (Letters), where nothing leaves
    without the reporter's confirmation and a letter is sent once at most.
    """
    from tracker.letters import service as letters

    info_request = _owned_request(request_id)
    session = db.session()
    offers = letters.offered(session, info_request, _newsroom_today(info_request))
    return serialize.LetterList(
        offers=[serialize.letter_offer(o) for o in offers],
        items=[serialize.letter_summary(x) for x in letters.letters_of(session, info_request)],
    )


@bp.get("/letters/<int:letter_id>")
@spec.validate(
    resp=answers(200, serialize.Letter, 404),
    operation_id="getLetter",
    path_parameter_descriptions={"letter_id": "The letter's id."},
)
def get_letter(letter_id: int) -> serialize.Letter:
    """A letter: its recipient, subject, text, status, and when and how it was sent."""
    from tracker.core.models import Letter

    row = db.session().get(Letter, letter_id) if letter_id <= inputs.MAX_ID else None
    return serialize.letter(_in_newsroom(row, _("No letter with this id in your newsroom.")))


# Mail in: read only. Attaching a message from the review queue and confirming its proposed
# entry stay on the web. The match reason is given as stable codes (programs) and in words
# in the reader's language (people).


@bp.get("/requests/<int:request_id>/mail")
@spec.validate(
    resp=answers(200, serialize.MailList, 404),
    operation_id="listRequestMail",
    path_parameter_descriptions={"request_id": "The request's id."},
)
def list_request_mail(request_id: int) -> serialize.MailList:
    """The agency messages attached to a request, oldest first, each with how it was matched."""
    from tracker.mail_in import service as mail_in

    info_request = _owned_request(request_id)
    rows = mail_in.messages_of(db.session(), info_request)
    return serialize.MailList(items=[serialize.mail_message(m) for m in rows])


@bp.get("/mail/review")
@spec.validate(resp=answers(200, serialize.MailList), operation_id="listMailReview")
def list_mail_review() -> serialize.MailList:
    """The review queue: messages no rule matched (with why) and those not stored, newest
    first (at most 200)."""
    from tracker.mail_in import service as mail_in

    rows = mail_in.review_queue(db.session(), user().newsroom_id)
    return serialize.MailList(items=[serialize.mail_message(m) for m in rows])
