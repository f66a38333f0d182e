"""The OpenAPI 3.1 document of the JSON API, built from the same lists the code checks."""

from __future__ import annotations

from typing import Any

from tracker import deadlines
from tracker.api.inputs import DETAIL_FIELDS, MAX_CURSOR, MAX_EXTENSION_DAYS, MAX_ID
from tracker.models import COMPLAINT_FINDINGS, COMPLAINT_GROUNDS, EVENT_KINDS, STATUSES
from tracker.requests.queries import COUNT_LIMIT, SORTS
from tracker.requests.service import REPORTER_KINDS, RESPONSE_OUTCOMES
from tracker.requests.state import CLOSURES

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    if "enum" in schema:
        return {
            **schema,
            "type": [schema.get("type", "string"), "null"],
            "enum": [*schema["enum"], None],
        }
    return {**schema, "type": [schema["type"], "null"]}


def _obj(
    properties: dict[str, Any], required: list[str] | None = None, closed: bool = True
) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if closed:
        schema["additionalProperties"] = False
    return schema


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
INSTANT = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
LAW_CODE = {"type": "string", "enum": list(deadlines.LAW_CODES)}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": _ref("Error")}}}


ERRORS = {
    "400": _error(
        "The body is not a JSON object, or a query parameter does not parse (`field` names it)."
    ),
    "401": {
        **_error("No token, or an unknown or revoked one."),
        "headers": {"WWW-Authenticate": {"schema": STRING}},
    },
    "403": _error("Only the request's owner or an editor may change it."),
    "404": _error("No such object in your newsroom (another newsroom's objects are 404 too)."),
    "409": _error(
        "The change conflicts with stored facts (e.g. a file number in use), or the request "
        "was changed since the `version` sent (field `version`)."
    ),
    "422": _error("A field was refused; `field` names it (details.<name> inside details)."),
}


def _responses(
    ok: str, schema: dict[str, Any], *codes: str, headers: dict[str, Any] | None = None
) -> dict[str, Any]:
    success: dict[str, Any] = {"description": "Success", "content": {JSON: {"schema": schema}}}
    if headers:
        success["headers"] = headers
    return {ok: success, **{code: ERRORS[code] for code in ("401", *codes)}}


REQUEST_ID = {
    "name": "request_id",
    "in": "path",
    "required": True,
    "schema": ID,
    "description": "The request's id.",
}


def _schemas() -> dict[str, Any]:
    person = _obj({"id": {"type": "integer"}, "name": STRING})
    lateness = _obj(
        {
            "is_late": {"type": "boolean"},
            "calendar_days_late": {"type": "integer", "minimum": 0},
            "business_days_late": {"type": "integer", "minimum": 0},
            "days_left": _nullable({"type": "integer", "minimum": 0}),
            "counted_to": {
                **DATE,
                "description": "The day days late are counted to: the final response, the "
                "day the request closed without one, or today.",
            },
            "counting": {
                "type": "boolean",
                "description": "True while no response or closing stopped the clock.",
            },
        }
    )
    summary_props = {
        "id": {"type": "integer"},
        "title": STRING,
        "file_number": _nullable(STRING),
        "law_code": LAW_CODE,
        "institution": _obj({"id": {"type": "integer"}, "name": STRING}),
        "owner": _ref("Person"),
        "status": {"type": "string", "enum": list(STATUSES)},
        "status_label": STRING,
        "sent_on": _nullable(DATE),
        "received_on": DATE,
        "due_on": DATE,
        "responded_on": _nullable(DATE),
        "complaint_due_on": _nullable(DATE),
        "closed_on": _nullable(DATE),
        "lateness": _ref("Lateness"),
        "url": {"type": "string", "description": "This request in the API."},
        "html_url": {"type": "string", "description": "The request's page in the tracker."},
    }
    detail_props = {
        **summary_props,
        "text": STRING,
        "law": _ref("Law"),
        "created_at": INSTANT,
        "updated_at": INSTANT,
        "version": {
            "type": "integer",
            "minimum": 1,
            "description": "Raised by every edit of the request's facts; send it back with "
            "an update to have it refused (409) if someone changed the request meanwhile.",
        },
        "can_edit": {"type": "boolean"},
        "deadline": _ref("Deadline"),
        "timeline": {"type": "array", "items": _ref("TimelineEvent")},
    }
    details_any = {
        "type": "object",
        "description": "Kind-specific facts: "
        + "; ".join(f"{kind}: {', '.join(names)}" for kind, names in DETAIL_FIELDS.items()),
    }
    event_details = {
        "type": "object",
        "additionalProperties": False,
        "description": "Kind-specific facts; allowed keys depend on `kind`: "
        + "; ".join(f"{kind}: {', '.join(names)}" for kind, names in DETAIL_FIELDS.items())
        + ". Other kinds take none.",
        "properties": {
            "days": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_EXTENSION_DAYS,
                "description": "extension: days of extension, in the law's unit.",
            },
            "reason": {
                "type": "string",
                "maxLength": 64,
                "enum": sorted(
                    {
                        r.code
                        for code in deadlines.LAW_CODES
                        for r in deadlines.extension_reasons(code)
                    }
                ),
                "description": "extension: a reason the request's law names.",
            },
            "notice_on": _nullable(DATE),
            "commissioner_notified": {"type": "boolean"},
            "amount": {"type": "string", "maxLength": 50},
            "to_institution": {"type": "string", "minLength": 1, "maxLength": 300},
            "pages": _nullable({"type": "integer", "minimum": 0, "maximum": 10_000_000}),
            "outcome": {"type": "string", "enum": list(RESPONSE_OUTCOMES)},
            "body": {"type": "string", "maxLength": 200},
            "grounds": {"type": "string", "enum": list(COMPLAINT_GROUNDS)},
            "body_file_number": {"type": "string", "maxLength": 100},
            "finding": {"type": "string", "enum": list(COMPLAINT_FINDINGS)},
            "closure": {
                "type": "string",
                "enum": list(CLOSURES),
                "description": "withdrawn: how the request ended without an answer "
                "(default withdrawn); its clock stops that day.",
            },
        },
    }
    return {
        "Error": {
            "type": "object",
            "required": ["error", "reason"],
            "properties": {
                "error": {"type": "string", "description": "The HTTP status in words."},
                "reason": {"type": "string", "description": "What was wrong, in a sentence."},
                "field": {"type": "string", "description": "The field or parameter concerned."},
            },
        },
        "Person": person,
        "Lateness": lateness,
        "Law": _obj(
            {
                "code": LAW_CODE,
                "name": STRING,
                "short_name": STRING,
                "jurisdiction": STRING,
                "citation": STRING,
            }
        ),
        "Institution": _obj(
            {
                "id": {"type": "integer"},
                "name": STRING,
                "law_code": LAW_CODE,
                "province": _nullable(STRING),
                "access_email": _nullable(STRING),
                "archived": {"type": "boolean"},
                "url": STRING,
            }
        ),
        "InstitutionList": _obj({"items": {"type": "array", "items": _ref("Institution")}}),
        "RequestSummary": _obj(summary_props),
        "RequestList": _obj(
            {
                "items": {"type": "array", "items": _ref("RequestSummary")},
                "total": {
                    "type": "integer",
                    "minimum": 0,
                    "description": f"How many requests match; counting stops beyond "
                    f"{COUNT_LIMIT:,}: then `total` is {COUNT_LIMIT} and `total_exact` false "
                    "(more than that many match).",
                },
                "total_exact": {
                    "type": "boolean",
                    "description": "False when counting stopped at the limit. A page typed "
                    "by number beyond the limit counts every match, to know where the end is.",
                },
                "page": {"type": "integer", "minimum": 1},
                "pages": {
                    **_nullable({"type": "integer", "minimum": 1}),
                    "description": "Null when `total_exact` is false.",
                },
                "per_page": {"type": "integer", "minimum": 1},
                "links": _obj(
                    {
                        "self": STRING,
                        "next": {
                            **_nullable(STRING),
                            "description": "The next page, null on the last; it carries a "
                            "cursor (`after`), so every page costs the same to read.",
                        },
                        "prev": _nullable(STRING),
                    }
                ),
            }
        ),
        "Request": _obj(detail_props),
        "Step": _obj({"label": STRING, "text": STRING, "citation": _nullable(STRING)}),
        "Problem": _obj(
            {
                "code": STRING,
                "message": STRING,
                "citation": STRING,
                "severity": {"type": "string", "enum": ["error", "warning"]},
            }
        ),
        "ExtensionCheck": _obj(
            {
                "event_id": {"type": "integer"},
                "days": {"type": "integer"},
                "reason": STRING,
                "notice_on": DATE,
                "commissioner_notified": {"type": "boolean"},
                "counted": {
                    "type": "boolean",
                    "description": "False when notice came too late to move the due date.",
                },
                "problems": {"type": "array", "items": _ref("Problem")},
            }
        ),
        "Deadline": _obj(
            {
                "request_id": {"type": "integer"},
                "law": _ref("Law"),
                "received_on": DATE,
                "clock_start": DATE,
                "restarted_by": _nullable(STRING),
                "extension_days": {"type": "integer", "minimum": 0},
                "pauses": {"type": "array", "items": _obj({"start": DATE, "end": DATE})},
                "due_on": DATE,
                "steps": {"type": "array", "items": _ref("Step")},
                "sections": {"type": "array", "items": STRING},
                "holidays_version": STRING,
                "text": {"type": "string", "description": "The explanation as plain text."},
                "lateness": _ref("Lateness"),
                "extensions": {"type": "array", "items": _ref("ExtensionCheck")},
                "complaint": _obj(
                    {
                        "due_on": _nullable(DATE),
                        "trigger": _nullable(
                            {"type": "string", "enum": ["response", "deemed refusal"]}
                        ),
                        "window_open": _nullable({"type": "boolean"}),
                        "body": STRING,
                        "section": _nullable(STRING),
                        "deemed_refusal_window_end": _nullable(DATE),
                    }
                ),
            }
        ),
        "Attachment": _obj(
            {
                "id": {"type": "integer"},
                "original_name": STRING,
                "content_type": STRING,
                "size": {"type": "integer", "minimum": 0},
                "sha256": STRING,
            }
        ),
        "TimelineEvent": _obj(
            {
                "id": {"type": "integer"},
                "kind": {"type": "string", "enum": list(EVENT_KINDS)},
                "kind_label": STRING,
                "occurred_on": DATE,
                "note": STRING,
                "details": details_any,
                "recorded_by": _nullable(_ref("Person")),
                "recorded_at": INSTANT,
                "corrects_id": _nullable({"type": "integer"}),
                "corrected_by_id": _nullable({"type": "integer"}),
                "attachments": {"type": "array", "items": _ref("Attachment")},
            }
        ),
        "RequestCreate": _obj(
            {
                "institution_id": {**ID, "description": "One of your newsroom's institutions."},
                "title": {"type": "string", "minLength": 1, "maxLength": 300},
                "received_on": {
                    **DATE,
                    "description": "When the institution received it "
                    "(day 0 of the count); not in the future.",
                },
                "law_code": {
                    **_nullable(LAW_CODE),
                    "description": "Omit or null: the institution's law.",
                },
                "text": {"type": "string", "maxLength": 100_000},
                "sent_on": {**_nullable(DATE), "description": "On or before received_on."},
                "file_number": {
                    **_nullable({"type": "string", "maxLength": 100}),
                    "description": "Unique per institution.",
                },
            },
            required=["institution_id", "title", "received_on"],
        ),
        "RequestUpdate": {
            **_obj(
                {
                    "institution_id": ID,
                    "title": {"type": "string", "minLength": 1, "maxLength": 300},
                    "received_on": DATE,
                    "law_code": _nullable(LAW_CODE),
                    "text": {"type": "string", "maxLength": 100_000},
                    "sent_on": _nullable(DATE),
                    "file_number": _nullable({"type": "string", "maxLength": 100}),
                    "version": {
                        **_nullable({"type": "integer", "minimum": 1, "maximum": MAX_ID}),
                        "description": "The request's `version` as you read it: if it "
                        "changed since, the answer is 409 and nothing is saved. Omit it to "
                        "apply the change whatever happened meanwhile.",
                    },
                },
                required=[],
            ),
            "description": "Only the fields sent change.",
        },
        "EventCreate": _obj(
            {
                "kind": {"type": "string", "enum": list(REPORTER_KINDS)},
                "occurred_on": {
                    **DATE,
                    "description": "Not in the future; an institution's act not before receipt.",
                },
                "note": {"type": "string", "maxLength": 100_000},
                "details": event_details,
                "corrects_id": {
                    **_nullable(ID),
                    "description": "The entry this one corrects (same kind).",
                },
            },
            required=["kind", "occurred_on"],
        ),
    }


def document(base_url: str) -> dict[str, Any]:
    """The OpenAPI document; ``base_url`` is the tracker's public address."""
    filters = [
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)}},
        {"name": "institution", "in": "query", "schema": ID, "description": "Institution id."},
        {"name": "law", "in": "query", "schema": LAW_CODE},
        {"name": "owner", "in": "query", "schema": ID, "description": "Owner's user id."},
        {
            "name": "overdue",
            "in": "query",
            "schema": {"type": "string", "enum": ["true", "false", "1", "0"]},
        },
        {
            "name": "q",
            "in": "query",
            "schema": {"type": "string", "maxLength": 200},
            "description": "Words in the title, text or file number.",
        },
        {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(SORTS)}},
        {
            "name": "page",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
            "description": "Pages hold 25 requests; a page past the last gives the last.",
        },
        *[
            {
                "name": name,
                "in": "query",
                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_CURSOR},
                "description": f"A cursor, as `links.{link}` carries it (with `page`): the "
                f"page {side} the row it names. One that does not parse for the sort is a 400.",
            }
            for name, link, side in (("after", "next", "after"), ("before", "prev", "before"))
        ],
    ]
    created_headers = {"Location": {"schema": STRING}}
    paths = {
        "/requests": {
            "get": {
                "operationId": "listRequests",
                "summary": "List your newsroom's requests",
                "description": "The list page's filters; 25 a page; `links.next` is the "
                "next page (also sent as a Link header). Follow `links.next` to walk the "
                "list: it carries a cursor, so a deep page costs what the first one does.",
                "parameters": filters,
                "responses": _responses("200", _ref("RequestList"), "400"),
            },
            "post": {
                "operationId": "createRequest",
                "summary": "Log a request",
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": _ref("RequestCreate")}},
                },
                "responses": _responses(
                    "201", _ref("Request"), "400", "409", "422", headers=created_headers
                ),
            },
        },
        "/requests/{request_id}": {
            "parameters": [REQUEST_ID],
            "get": {
                "operationId": "getRequest",
                "summary": "A request: deadline explained, status, lateness, complaint "
                "window, timeline",
                "responses": _responses("200", _ref("Request"), "404"),
            },
            "patch": {
                "operationId": "updateRequest",
                "summary": "Change a request's facts",
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": _ref("RequestUpdate")}},
                },
                "responses": _responses("200", _ref("Request"), "400", "403", "404", "409", "422"),
            },
        },
        "/requests/{request_id}/events": {
            "parameters": [REQUEST_ID],
            "post": {
                "operationId": "addEvent",
                "summary": "Add a timeline entry",
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": _ref("EventCreate")}},
                },
                "responses": _responses(
                    "201",
                    _ref("TimelineEvent"),
                    "400",
                    "403",
                    "404",
                    "409",
                    "422",
                    headers=created_headers,
                ),
            },
        },
        "/requests/{request_id}/deadline": {
            "parameters": [REQUEST_ID],
            "get": {
                "operationId": "getDeadline",
                "summary": "How the due date was reached, with citations",
                "responses": _responses("200", _ref("Deadline"), "404"),
            },
        },
        "/institutions": {
            "get": {
                "operationId": "listInstitutions",
                "summary": "Your newsroom's institutions",
                "responses": _responses("200", _ref("InstitutionList")),
            },
        },
        "/institutions/{institution_id}": {
            "parameters": [
                {"name": "institution_id", "in": "path", "required": True, "schema": ID}
            ],
            "get": {
                "operationId": "getInstitution",
                "summary": "One institution",
                "responses": _responses("200", _ref("Institution"), "404"),
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ATI tracker API",
            "version": "1.0.0",
            "description": "Requests, their deadlines and timelines, and institutions of "
            "your newsroom. Authenticate with a personal API token "
            "(Settings, API tokens): `Authorization: Bearer <token>`. "
            "Errors are JSON objects with `error`, `reason` and, for a "
            "refused field, `field`.",
        },
        "servers": [{"url": f"{base_url}/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token.",
                }
            },
            "schemas": _schemas(),
        },
    }
