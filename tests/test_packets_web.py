"""The packet download page: GET /requests/<id>/packet.zip."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from conftest import PASSWORD, page
from packets_helpers import FILES, pdf_text, seed_case, storage

REPORTER = "marie@lapresse.ca"


def _seed(app, make_user):  # type: ignore[no-untyped-def]
    make_user(REPORTER, newsroom="La Presse", name="Marie Côté")
    return seed_case(app, REPORTER)


def test_download_sends_the_whole_packet(app, client, auth, make_user):
    built = _seed(app, make_user)
    make_user("editor@lapresse.ca", newsroom="La Presse", role="editor")
    auth.login("editor@lapresse.ca", PASSWORD)  # anyone in the newsroom may download it
    response = client.get(f"/requests/{built.request_id}/packet.zip")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert (
        f"request-{built.request_id}-evidence-packet.zip" in response.headers["Content-Disposition"]
    )
    assert "no-store" in response.headers["Cache-Control"]
    data = response.get_data()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        text = pdf_text(archive.read("packet.pdf"))
    assert "attachments/lettre.pdf" in names and "complaint-letter.txt" in names
    assert manifest["request_id"] == built.request_id
    assert "765 calendar days" in " ".join(text.split())


def test_other_newsrooms_and_strangers_get_nothing(app, client, auth, make_user):
    built = _seed(app, make_user)
    url = f"/requests/{built.request_id}/packet.zip"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    make_user("rival@ledevoir.com", newsroom="Le Devoir")
    auth.login("rival@ledevoir.com", PASSWORD)
    other = client.get(url)
    assert other.status_code == 404
    assert other.mimetype == "text/html"
    assert client.get("/requests/9999/packet.zip").status_code == 404


def test_missing_file_shows_a_page_naming_it(app, client, auth, make_user):
    built = _seed(app, make_user)
    storage(app).path_for(hashlib.sha256(FILES["finding"][1]).hexdigest()).unlink()
    auth.login(REPORTER, PASSWORD)
    response = client.get(f"/requests/{built.request_id}/packet.zip")
    assert response.status_code == 409
    assert response.mimetype == "text/html"
    doc = page(response)
    assert "was not built" in doc.h1.get_text()
    missing = [li.get_text(" ", strip=True) for li in doc.select("ul.missing-files li")]
    assert len(missing) == 1
    assert "rapport-CI.pdf" in missing[0] and "2023-03-01" in missing[0]
    assert doc.find("a", href=f"/requests/{built.request_id}") is not None
    spool = Path(app.config["INSTANCE_PATH"]) / "packets"
    assert not spool.exists() or list(spool.iterdir()) == []


def test_altered_file_shows_a_page_and_sends_no_archive(app, client, auth, make_user):
    built = _seed(app, make_user)
    storage(app).path_for(hashlib.sha256(FILES["ack"][1]).hexdigest()).write_bytes(b"edited")
    auth.login(REPORTER, PASSWORD)
    response = client.get(f"/requests/{built.request_id}/packet.zip")
    assert response.status_code == 409 and response.mimetype == "text/html"
    assert "accusé.txt no longer matches the SHA-256" in page(response).get_text()
