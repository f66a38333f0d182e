"""The JSON API: requests, timeline entries, deadlines, institutions. Thin: parse, call the
request service, serialize. Authentication is by personal token only (no cookies, no CSRF)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import clock, csrf, db
from tracker.api import inputs, openapi, serialize
from tracker.api.inputs import InputError
from tracker.api.service import authenticate
from tracker.files.storage import LocalStorage
from tracker.models import InfoRequest, Institution, TimelineEvent, User
from tracker.requests import queries, service
from tracker.requests.describe import describe, lateness

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# Service refusals name form fields; kind-specific ones live under "details" in the API.
_DETAIL_FIELDS = {"days", "reason", "notice_on", "outcome", "grounds", "finding"}


class ApiError(Exception):
    """An error answered as JSON ``{"error", "reason", "field"}`` with a 4xx status."""

    def __init__(self, status: int, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.status, self.reason, self.field = status, reason, field


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


@bp.errorhandler(InputError)
def _input_error(exc: InputError) -> tuple[Response, int]:
    return _api_error(ApiError(exc.status, exc.reason, exc.field))


@bp.before_request
def _authenticate() -> None:
    """Every endpoint but the OpenAPI document needs ``Authorization: Bearer <token>``."""
    if request.endpoint == "api.openapi_document":
        return
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(
            401,
            "Send a personal API token: Authorization: Bearer <token>. "
            "Make one under Settings, API tokens.",
        )
    with db.transaction() as session:
        user = authenticate(session, secret.strip(), clock.now())
    if user is None:
        raise ApiError(401, "This API token is unknown or was revoked.")
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


def _owned_request(request_id: int) -> InfoRequest:
    """The request if it belongs to the token owner's newsroom; anything else is 404."""
    found = service.load_request(db.session(), request_id) if request_id <= inputs.MAX_ID else None
    if found is None or found.newsroom_id != user().newsroom_id:
        raise ApiError(404, "No request with this id in your newsroom.")
    return found


def _json_body() -> dict[str, Any]:
    return inputs.body_object(request.get_json(silent=True))


def _refused(exc: service.RequestError) -> ApiError:
    field = exc.field
    if field in _DETAIL_FIELDS:
        field = f"details.{field}"
    return ApiError(422, str(exc), field)


def _detail(info_request: InfoRequest) -> dict[str, Any]:
    return serialize.detail(info_request, describe(info_request, today()), user())


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of this API."""
    response = jsonify(openapi.document(current_app.config["BASE_URL"]))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/requests")
def list_requests() -> Response:
    """The newsroom's requests with the list page's filters, 25 a page, with a next link.

    The next and previous links carry a cursor (the neighbouring row's sort key), so walking
    the whole list costs the same on every page; ``page=N`` alone still works. Matches are
    counted up to COUNT_LIMIT, as on the list page (``total_exact`` says whether counting
    stopped there); a page typed beyond the limit counts them all, to know where the end is.
    """
    filters = inputs.filters(request.args)
    page = queries.list_requests(
        db.session(), user().newsroom_id, filters, count_limit=queries.COUNT_LIMIT
    )
    now = today()
    args = queries.list_params(request.args)

    def link(params: dict[str, object] | None) -> str | None:
        return url_for("api.list_requests", **args, **params) if params else None

    here = {"after": filters.after, "before": filters.before} if page.page > 1 else {}
    links = {
        "self": link({"page": page.page, **here}),
        "next": link(page.next_params),
        "prev": link(page.prev_params),
    }
    response = jsonify(
        {
            "items": [serialize.summary(r, lateness(r, now)) for r in page.items],
            # Beyond the limit: more than `total` match, and the number of pages is unknown.
            "total": page.total if page.exact else page.count_limit,
            "total_exact": page.exact,
            "page": page.page,
            "pages": page.pages if page.exact else None,
            "per_page": page.per_page,
            "links": links,
        }
    )
    if links["next"]:
        response.headers["Link"] = f'<{links["next"]}>; rel="next"'
    return response


@bp.post("/requests")
def create_request() -> tuple[Response, int, dict[str, str]]:
    """Log a request; its deadline is computed by the request service."""
    fields = inputs.request_fields(_json_body(), creating=True)
    data = service.RequestData(
        institution_id=fields["institution_id"],
        title=fields["title"],
        received_on=fields["received_on"],
        law_code=fields.get("law_code"),
        text=fields.get("text") or "",
        sent_on=fields.get("sent_on"),
        file_number=fields.get("file_number"),
    )
    try:
        with db.transaction() as session:
            created = service.create_request(session, user(), data, today())
    except service.RequestError as exc:
        raise _refused(exc) from None
    except IntegrityError:
        raise ApiError(
            409, "Another request to this institution has this file number.", "file_number"
        ) from None
    loaded = _owned_request(created.id)
    location = url_for("api.get_request", request_id=created.id)
    return jsonify(_detail(loaded)), 201, {"Location": location}


@bp.get("/requests/<int:request_id>")
def get_request(request_id: int) -> Response:
    """A request with its deadline explanation, status, lateness, complaint window, timeline."""
    return jsonify(_detail(_owned_request(request_id)))


def _merged(
    session: Session, info_request: InfoRequest, fields: dict[str, Any]
) -> service.RequestData:
    """The request's current facts with the fields sent in a PATCH."""
    current = {name: getattr(info_request, name) for name in inputs.REQUEST_FIELDS}
    institution = session.get(Institution, info_request.institution_id)
    if "law_code" not in fields and info_request.law_code == institution.law_code:
        current["law_code"] = None  # keep following the institution's law
    merged = {**current, **fields}
    if merged["title"] is None or merged["received_on"] is None:
        raise ApiError(
            422,
            "This field cannot be empty.",
            "title" if merged["title"] is None else "received_on",
        )
    return service.RequestData(
        institution_id=merged["institution_id"],
        title=merged["title"],
        received_on=merged["received_on"],
        law_code=merged["law_code"],
        text=merged["text"] or "",
        sent_on=merged["sent_on"],
        file_number=merged["file_number"],
    )


@bp.patch("/requests/<int:request_id>")
def update_request(request_id: int) -> Response:
    """Change some of a request's facts; the change is noted in its timeline."""
    info_request = _owned_request(request_id)
    if not service.can_edit(user(), info_request):
        raise ApiError(403, "Only the request's owner or an editor can change it.")
    body = _json_body()
    # The version the client read: an edit of a request changed since is a 409, not applied.
    expected = inputs.integer(body, "version", minimum=1, maximum=inputs.MAX_ID, nullable=True)
    fields = inputs.request_fields(
        {name: value for name, value in body.items() if name != "version"}, creating=False
    )
    try:
        with db.transaction() as session:
            # The fields not sent keep their values as of now, read under the request's lock:
            # another client's change to them meanwhile is never written back over.
            service.lock_request(session, info_request)
            data = _merged(session, info_request, fields)
            service.update_request(
                session, user(), info_request, data, today(), expected_version=expected
            )
    except service.ConflictError as exc:
        raise ApiError(
            409,
            f"The request was changed since version {exc.expected}: it is now version "
            f"{exc.current.version}. Nothing was saved; read it again, then send your change "
            "with its new version.",
            "version",
        ) from None
    except service.RequestError as exc:
        raise _refused(exc) from None
    except IntegrityError:
        raise ApiError(
            409,
            "The change conflicts with the request's timeline or another request's file number.",
        ) from None
    return jsonify(_detail(_owned_request(request_id)))


@bp.post("/requests/<int:request_id>/events")
def add_event(request_id: int) -> tuple[Response, int, dict[str, str]]:
    """Add a timeline entry (or a correction of one); the clock is recomputed."""
    info_request = _owned_request(request_id)
    if not service.can_edit(user(), info_request):
        raise ApiError(403, "Only the request's owner or an editor can add to its timeline.")
    fields = inputs.event_fields(_json_body())
    corrects = None
    if fields["corrects_id"] is not None:
        corrects = db.session().get(TimelineEvent, fields["corrects_id"])
        if corrects is None or corrects.request_id != info_request.id:
            raise ApiError(422, "No entry with this id in this request's timeline.", "corrects_id")
        if corrects.kind != fields["kind"]:
            raise ApiError(
                422,
                f"A correction has the kind of the entry it corrects ({corrects.kind}).",
                "kind",
            )
    if fields["kind"] == "withdrawn" and fields["occurred_on"] < info_request.received_on:
        # The request cannot be closed before it was received (info_request check constraint).
        raise ApiError(
            422,
            "A request cannot be withdrawn before the institution received it "
            f"({info_request.received_on.isoformat()}).",
            "occurred_on",
        )
    data = service.EventData(
        kind=fields["kind"],
        occurred_on=fields["occurred_on"],
        note=fields["note"],
        details=fields["details"],
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
        raise ApiError(409, "This entry conflicts with the request's other facts.") from None
    loaded = _owned_request(request_id)
    row = next(e for e in loaded.events if e.id == added.id)
    corrected_by = {e.corrects_id: e.id for e in loaded.events if e.corrects_id is not None}
    location = url_for("api.get_request", request_id=request_id) + f"#event-{added.id}"
    return jsonify(serialize.event(row, corrected_by)), 201, {"Location": location}


@bp.get("/requests/<int:request_id>/deadline")
def get_deadline(request_id: int) -> Response:
    """How the due date was reached, step by step with citations; extension checks."""
    info_request = _owned_request(request_id)
    return jsonify(serialize.deadline(info_request, describe(info_request, today())))


@bp.get("/institutions")
def list_institutions() -> Response:
    """The newsroom's institutions, archived ones included (flagged)."""
    rows = db.session().scalars(
        sa.select(Institution)
        .where(Institution.newsroom_id == user().newsroom_id)
        .order_by(sa.func.lower(Institution.name), Institution.id)
    )
    return jsonify({"items": [serialize.institution(row) for row in rows]})


@bp.get("/institutions/<int:institution_id>")
def institution(institution_id: int) -> Response:
    """One of the newsroom's institutions."""
    row = db.session().get(Institution, institution_id) if institution_id <= inputs.MAX_ID else None
    if row is None or row.newsroom_id != user().newsroom_id:
        raise ApiError(404, "No institution with this id in your newsroom.")
    return jsonify(serialize.institution(row))
