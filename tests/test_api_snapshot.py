"""A whole answer of every API endpoint, compared byte for byte with the one recorded in
tests/data/api_snapshot.json: the serialisation may be rewritten, the answers may not change.
Instants the database stamps (created_at, recorded_at) are replaced by a placeholder.

To record the answers again after a deliberate change of format:
``TRACKER_WRITE_API_SNAPSHOT=1 .venv/bin/python -m pytest tests/test_api_snapshot.py``."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests import builders
from tests import mail_helpers as mh
from tests.api_helpers import bearer, token
from tracker.core import clock, db
from tracker.core.models import InfoRequest, User
from tracker.files.storage import LocalStorage
from tracker.letters import service as letters
from tracker.mail_in import service as mail_in

SNAPSHOT = Path(__file__).parent / "data" / "api_snapshot.json"
REPORTER = "marie@lapresse.ca"
TODAY = date(2020, 3, 20)
_INSTANT = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"')


def _seed(app: Flask) -> dict[str, int]:
    with builders.desk(app, REPORTER, today=TODAY, name="Marie Côté") as desk:
        rcmp = desk.institution(
            "Royal Canadian Mounted Police", "ca-atia", access_email="atip-aiprp@rcmp-grc.gc.ca"
        )
        desk.institution("Hydro-Québec", "ca-qc-access", province="QC")
        request = desk.request(
            rcmp,
            "Clearview AI",
            received=date(2020, 2, 10),
            sent_on=date(2020, 2, 10),
            file_number="A-2020-00123",
        )
        request.acknowledgement(date(2020, 2, 14))
        ids = {"request": request.id, "institution": rcmp.id, "newsroom": desk.user.newsroom_id}
        other = desk.request(rcmp, "Drones", received=date(2020, 3, 2))
        ids["other"] = other.id
    with app.app_context(), db.transaction() as s:
        user = s.query(User).filter_by(email=REPORTER).one()
        drafted = letters.create_draft(
            s, user, s.get(InfoRequest, ids["request"]), "follow_up_overdue", "fr", TODAY
        )
        ids["letter"] = drafted.id
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        context = mail_in.Context(
            newsroom_id=ids["newsroom"],
            storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
            max_bytes=1024 * 1024,
            timezone="America/Toronto",
            today=TODAY,
        )
        mail_in.ingest_batch(
            session,
            context,
            [
                ("a.eml", mh.message("A-2020-00123", "Acknowledged.", message_id="<a@gc>")),
                ("b.eml", mh.message("Update", "Your file is progressing.", message_id="<b@gc>")),
            ],
        )
    return ids


def _answers(app: Flask, client: FlaskClient) -> dict[str, object]:
    ids = _seed(app)
    key = bearer(token(app, REPORTER))
    rid, inst = ids["request"], ids["institution"]
    calls = [
        ("GET", "/api/v1/requests", None),
        ("GET", "/api/v1/requests?sort=received&q=clearview&overdue=true", None),
        ("GET", f"/api/v1/requests/{rid}", None),
        ("GET", f"/api/v1/requests/{rid}/deadline", None),
        ("GET", "/api/v1/institutions", None),
        ("GET", f"/api/v1/institutions/{inst}", None),
        ("GET", "/api/v1/search?q=clearview", None),
        ("GET", f"/api/v1/requests/{rid}/letters", None),
        ("GET", f"/api/v1/letters/{ids['letter']}", None),
        ("GET", f"/api/v1/requests/{rid}/mail", None),
        ("GET", "/api/v1/mail/review", None),
        (
            "POST",
            "/api/v1/requests",
            {"institution_id": inst, "title": "Body cams", "received_on": "2020-03-01"},
        ),
        ("PATCH", f"/api/v1/requests/{ids['other']}", {"title": "Drones (RPAS)", "version": 1}),
        (
            "POST",
            f"/api/v1/requests/{rid}/events",
            {
                "kind": "extension",
                "occurred_on": "2020-03-05",
                "details": {"days": 30, "reason": "volume", "commissioner_notified": True},
            },
        ),
        ("GET", f"/api/v1/requests/{rid}", None),
        ("GET", "/api/v1/requests/999999", None),
    ]
    found: dict[str, object] = {}
    with clock.frozen(TODAY):
        for method, url, body in calls:
            answer = client.open(url, method=method, json=body, headers=key)
            text = _INSTANT.sub('"<instant>"', answer.get_data(as_text=True))
            found[f"{len(found):02d} {method} {url}"] = {"status": answer.status_code, "body": text}
    return found


def test_every_endpoint_answers_as_recorded(app: Flask, client: FlaskClient) -> None:
    found = _answers(app, client)
    if os.environ.get("TRACKER_WRITE_API_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n", "utf-8")
    recorded = json.loads(SNAPSHOT.read_text("utf-8"))
    assert list(found) == list(recorded)
    for name, answer in recorded.items():
        assert found[name] == answer, name
