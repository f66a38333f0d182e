"""Schemathesis against the API's own OpenAPI document: no server errors, and every
response (status, content type, body) conforms to the document, for generated valid and
invalid input, with a valid token."""

from __future__ import annotations

from datetime import date

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import api_helpers as h
from tracker.core import clock

EXAMPLES = 20  # per operation and kind of input: the whole test stays well under a minute
CONFORMANCE = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _letter(app, request_id: int) -> int:
    """A draft letter on the request; its id."""
    from tracker.core import db
    from tracker.core.models import InfoRequest, Letter

    with app.app_context(), db.transaction() as s:
        user = h.user_by_email(s, "reporter@example.org")
        letter = Letter(
            newsroom_id=s.get(InfoRequest, request_id).newsroom_id,
            request_id=request_id,
            kind="follow_up",
            language="fr",
            subject="Relance",
            body="Où en est ma demande ?",
            created_by_id=user.id,
        )
        s.add(letter)
        s.flush()
        return letter.id


def test_api_conforms_to_its_openapi_document(app):
    with clock.frozen(h.TODAY):
        h.quick_user(app, "reporter@example.org", name="Marie Reporter")
        h.quick_user(app, "other@example.org", newsroom="Le Devoir")
        inst = h.institution(app, "reporter@example.org")
        rid = h.info_request(app, "reporter@example.org", inst, file_number="A-1")
        h.event(
            app,
            "reporter@example.org",
            rid,
            "extension",
            date(2024, 2, 20),
            {"days": 40, "reason": "volume"},
        )
        h.info_request(app, "other@example.org", h.institution(app, "other@example.org"))
        headers = h.bearer(h.token(app, "reporter@example.org"))
        letter_id = _letter(app, rid)
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        known = {"request_id": rid, "institution_id": inst, "letter_id": letter_id}

        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) == 13
        for operation in operations:
            names = {p.name for p in operation.path_parameters}
            strategies = [
                operation.as_strategy(GenerationMode.POSITIVE, headers=headers),
                operation.as_strategy(GenerationMode.NEGATIVE, headers=headers),
            ]
            if names:  # the same operation on rows that exist, so that 2xx answers are checked
                strategies.append(
                    operation.as_strategy(
                        GenerationMode.POSITIVE,
                        headers=headers,
                        path_parameters={n: known[n] for n in names},
                    )
                )

            @given(case=st.one_of(strategies))
            @settings(
                max_examples=EXAMPLES * len(strategies),
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case: schemathesis.Case) -> None:
                checks = list(CONFORMANCE)
                if case.meta is not None and case.meta.generation.mode.is_negative:
                    checks.append(negative_data_rejection)
                case.call_and_validate(headers=headers, checks=checks)

            run()
