"""The evidence packet holds each original agency message and its authentication results."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

from flask import Flask

from tests import builders
from tests import mail_helpers as mh
from tracker.core import clock, db
from tracker.files.storage import LocalStorage
from tracker.mail_in import service

TODAY = date(2024, 3, 10)


def test_packet_has_every_original_message_and_its_authentication_results(
    app: Flask, tmp_path: Path
) -> None:
    with builders.desk(app, today=TODAY) as desk:
        request_id = desk.request("RCMP", "Clearview", file_number="A-2024-00123").id
        plain_id = desk.request("RCMP", "No mail").id
    ack = mh.message("A-2024-00123 acknowledged", "We acknowledge receipt.")
    unsigned = mh.message("A-2024-00123 fees", "Fees of $25.00.", auth=None)
    with app.app_context(), clock.frozen(TODAY), db.transaction() as session:
        context = service.Context(
            newsroom_id=1,
            storage=LocalStorage(app.config["ATTACHMENTS_DIR"]),
            max_bytes=1024 * 1024,
            timezone="America/Toronto",
            today=TODAY,
        )
        for name, data in (("ack.eml", ack), ("fees.eml", unsigned)):
            (done,) = service.ingest_file(session, context, name, data)
            assert done.request_id == request_id
    runner = app.test_cli_runner()
    out = tmp_path / "p.zip"
    result = runner.invoke(
        args=[
            "packet",
            str(request_id),
            "--output",
            str(out),
            "--generated-at",
            "2024-03-10T12:00:00Z",
        ]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        emls = sorted(n for n in names if n.startswith("mail/") and n.endswith(".eml"))
        assert [archive.read(n) for n in emls] == [ack, unsigned]
        auth = archive.read("mail/authentication-results.txt").decode()
        manifest = json.loads(archive.read("manifest.json"))
    assert "Results: SPF pass, DKIM pass, DMARC pass" in auth
    assert "Results: (none written)" in auth
    assert "Authentication-Results: mx.newsroom.test; spf=pass" in auth
    listed = {f["path"] for f in manifest["files"]}
    assert {*emls, "mail/authentication-results.txt"} <= listed
    plain = tmp_path / "plain.zip"
    assert runner.invoke(args=["packet", str(plain_id), "--output", str(plain)]).exit_code == 0
    with zipfile.ZipFile(plain) as archive:
        assert not [n for n in archive.namelist() if n.startswith("mail/")]
