"""Hostile uploads: folder parts, absolute paths, NUL bytes, very long names, HTML and SVG,
empty and oversized files, a full disk and an interrupted upload. Each is stored safely under
a clean name or refused beside the field, always downloaded as an attachment with nosniff;
nothing is half-written: no row without its file, no file without its row, no temp file."""

from __future__ import annotations

import errno
import io
import os
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from api_helpers import info_request, institution, quick_user, user_by_email
from werkzeug.test import EnvironBuilder

from tests.conftest import csrf_token, page
from tracker.core import db
from tracker.core.models import Attachment, TimelineEvent
from tracker.files import storage as storage_module
from tracker.files.storage import LocalStorage
from tracker.requests import service

EMAIL = "reporter@example.org"


@pytest.fixture
def rid(app, auth) -> int:
    """A request of the logged-in reporter."""
    quick_user(app, EMAIL)
    auth.login(EMAIL)
    return info_request(app, EMAIL, institution(app, EMAIL))


def post_files(auth, rid: int, files: list, note: str = "with files"):
    return auth.post(
        f"/requests/{rid}/events/new?kind=note",
        {"occurred_on": "2024-03-01", "note": note, "files": files},
        content_type="multipart/form-data",
    )


def stored_names(app) -> list[str]:
    with app.app_context():
        return list(db.session().scalars(sa.select(Attachment.original_name)))


def counts(app) -> tuple[int, int]:
    with app.app_context():
        s = db.session()
        return (
            s.scalar(sa.select(sa.func.count()).select_from(TimelineEvent)),
            s.scalar(sa.select(sa.func.count()).select_from(Attachment)),
        )


def files_on_disk(app) -> list[Path]:
    return sorted(p for p in Path(app.config["ATTACHMENTS_DIR"]).rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Windows\\System32\\evil.exe", "evil.exe"),
        ("../../etc/passwd", "passwd"),
        ("/etc/shadow", "shadow"),
        ('quote";\r\nX-Injected: 1.txt', 'quote";X-Injected: 1.txt'),
        ("\x00\x1b[31mred.txt", "[31mred.txt"),
        (".htaccess", "htaccess"),
        ("...", "file"),
        ("", "file"),
        ("é" * 300 + ".pdf", ("é" * 300 + ".pdf")[-255:]),
    ],
)
def test_display_names_lose_folders_and_control_characters(raw, clean):
    assert service.safe_display_name(raw) == clean


def test_hostile_names_are_stored_clean_and_served_as_attachments(app, client, auth, rid):
    long_name = "a" * 300 + ".pdf"
    uploads = {
        "../../../etc/passwd": ("passwd", b"one"),
        "/etc/shadow": ("shadow", b"two"),
        "in\x00side.txt": ("inside.txt", b"four"),
        "..": ("file", b"five"),
        long_name: (long_name[-255:], b"six"),
    }
    files = [(io.BytesIO(body), name) for name, (_, body) in uploads.items()]
    response = post_files(auth, rid, files)
    assert response.status_code == 302, page(response).select(".error")
    names = stored_names(app)
    assert sorted(names) == sorted(clean for clean, _ in uploads.values())
    assert all(len(n) <= 255 and "/" not in n and "\\" not in n and "\x00" not in n for n in names)
    assert long_name[-255:].endswith(".pdf")
    # On disk only content-addressed files under the attachments folder.
    root = Path(app.config["ATTACHMENTS_DIR"]).resolve()
    on_disk = files_on_disk(app)
    assert len(on_disk) == len(uploads)
    assert all(p.resolve().is_relative_to(root) and len(p.name) == 64 for p in on_disk)

    links = page(client.get(f"/requests/{rid}")).select("ul.files a")
    assert sorted(a.get_text() for a in links) == sorted(names)
    bodies = {body for _, body in uploads.values()}
    for link in links:
        download = client.get(link["href"])
        assert download.status_code == 200
        assert download.data in bodies
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith("attachment;") and "\n" not in disposition
        assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content_type", "body"),
    [
        ("page.html", "text/html", b"<html><script>alert(document.cookie)</script></html>"),
        (
            "drawing.svg",
            "image/svg+xml",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
            b"</svg>",
        ),
    ],
)
def test_html_and_svg_are_never_rendered(app, client, auth, rid, name, content_type, body):
    post_files(auth, rid, [(io.BytesIO(body), name, content_type)])
    href = page(client.get(f"/requests/{rid}")).select_one("ul.files a")["href"]
    response = client.get(href)
    assert response.data == body
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp


def test_zero_byte_and_too_large_files_are_refused_beside_the_field(app, auth, rid):
    before = counts(app)
    response = post_files(auth, rid, [(io.BytesIO(b"fine"), "ok.txt"), (io.BytesIO(b""), "0.pdf")])
    assert "empty" in page(response).select_one("#files-error").get_text()
    app.config["MAX_UPLOAD_MB"] = 1
    response = post_files(auth, rid, [(io.BytesIO(b"x" * (1024 * 1024 + 1)), "big.pdf")])
    assert "1 MB limit" in page(response).select_one("#files-error").get_text()
    # Beyond the request size limit the server answers 413 with a clear page.
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    response = post_files(auth, rid, [(io.BytesIO(b"x" * (3 * 1024 * 1024)), "huge.pdf")])
    assert response.status_code == 413
    assert "larger than the 1 MB limit" in page(response).get_text()
    assert counts(app) == before
    assert files_on_disk(app) == []  # "ok.txt" went with its refused entry


class FullDisk:
    """A file whose second write fails like a full disk."""

    def __init__(self, real) -> None:
        self.real, self.writes = real, 0

    def write(self, data: bytes) -> int:
        self.writes += 1
        if self.writes > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.real.write(data)

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.real.close()


class OsWithFullDisk:
    """The os module as storage sees it, with files that fill the disk."""

    def __getattr__(self, name: str):
        return getattr(os, name)

    @staticmethod
    def fdopen(fd: int, mode: str):
        return FullDisk(os.fdopen(fd, mode))


def test_disk_full_mid_write_leaves_no_row_no_file_no_temp(app, auth, rid, monkeypatch):
    before = counts(app)
    monkeypatch.setattr(storage_module, "os", OsWithFullDisk())
    big = b"y" * (storage_module.CHUNK + 10)  # two writes: the second fails
    response = post_files(
        auth, rid, [(io.BytesIO(b"small letter"), "first.txt"), (io.BytesIO(big), "second.pdf")]
    )
    assert response.status_code == 200
    error = page(response).select_one("#files-error").get_text()
    assert "second.pdf" in error and "No space left on device" in error
    assert "nothing was saved" in error
    assert counts(app) == before
    assert files_on_disk(app) == []  # neither the stored first file nor the partial temp file
    monkeypatch.undo()
    response = post_files(auth, rid, [(io.BytesIO(big), "second.pdf")])
    assert response.status_code == 302
    assert counts(app) == (before[0] + 1, 1) and len(files_on_disk(app)) == 1


def test_interrupted_upload_writes_nothing(app, client, auth, rid):
    before = counts(app)
    builder = EnvironBuilder(
        method="POST",
        path=f"/requests/{rid}/events/new?kind=note",
        data={
            "csrf_token": csrf_token(client, "/"),
            "occurred_on": "2024-03-01",
            "note": "cut",
            "files": (io.BytesIO(b"z" * 200_000), "cut.pdf"),
        },
    )
    environ = builder.get_environ()
    body = environ["wsgi.input"].read()
    builder.close()
    # The client goes away half-way: the body ends before its announced length.
    response = client.post(
        f"/requests/{rid}/events/new?kind=note",
        input_stream=io.BytesIO(body[: len(body) // 2]),
        content_length=len(body),
        content_type=environ["CONTENT_TYPE"],
    )
    assert response.status_code == 400
    assert counts(app) == before
    assert files_on_disk(app) == []


def test_a_stream_failing_mid_read_keeps_nothing(app):
    class Broken(io.RawIOBase):
        def __init__(self) -> None:
            self.reads = 0

        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            self.reads += 1
            if self.reads > 1:
                raise ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")
            return b"w" * 1000

    quick_user(app, EMAIL)
    request_id = info_request(app, EMAIL, institution(app, EMAIL))
    before = counts(app)
    with app.app_context(), pytest.raises(service.RequestError, match="nothing was saved"):
        with db.transaction() as session:
            service.add_event(
                session,
                user_by_email(session, EMAIL),
                service.load_request(session, request_id),
                service.EventData(
                    kind="note",
                    occurred_on=date(2024, 3, 1),
                    note="x",
                    uploads=(
                        service.Upload("ok.txt", "text/plain", io.BytesIO(b"fine")),
                        service.Upload("broken.pdf", "application/pdf", Broken()),
                    ),
                ),
                date(2024, 3, 20),
                LocalStorage(app.config["ATTACHMENTS_DIR"]),
                10_000_000,
            )
    assert counts(app) == before
    assert files_on_disk(app) == []
