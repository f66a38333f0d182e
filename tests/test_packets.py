"""Complaint evidence packets: the archive, its PDF, letter, CSV, files and manifest."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from packets_helpers import (
    FILES,
    GENERATED_AT,
    TODAY,
    bare_request,
    pdf_text,
    read_zip,
    seed_case,
    storage,
    with_extension,
)
from pypdf import PdfReader

from tracker.core import clock, db
from tracker.core.models import Attachment, TimelineEvent
from tracker.deadlines import LAW_CODES
from tracker.packets.dossier import safe_name

REPORTER = "marie@lapresse.ca"


def _words(text: str) -> str:
    """Text with every run of whitespace made one space (wrapped lines read as one)."""
    return " ".join(text.split())


def _packet(runner, request_id: int, out: Path, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        args=[
            "packet",
            str(request_id),
            "--output",
            str(out),
            "--generated-at",
            GENERATED_AT,
            *extra,
        ]
    )


@pytest.fixture
def reporter(make_user):  # type: ignore[no-untyped-def]
    return make_user(REPORTER, newsroom="La Presse", name="Marie Côté")


@pytest.fixture
def seed(app, reporter):  # type: ignore[no-untyped-def]
    return seed_case(app, REPORTER)


@pytest.fixture
def seed_zip(runner, seed, tmp_path) -> Path:
    out = tmp_path / "seed.zip"
    result = _packet(runner, seed.request_id, out)
    assert result.exit_code == 0, result.output
    return out


def test_archive_is_valid_and_manifest_hashes_match(seed_zip, seed):
    with zipfile.ZipFile(seed_zip) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        infos = archive.infolist()
    entries = read_zip(seed_zip)
    assert names == sorted(names)
    assert {"packet.pdf", "complaint-letter.txt", "timeline.csv", "manifest.json"} <= set(names)
    manifest = json.loads(entries["manifest.json"])
    assert manifest["request_id"] == seed.request_id
    assert manifest["tracker_version"] == "0.1.0"
    assert manifest["holidays_version"]
    assert manifest["generated_at"] == "2026-11-22T15:30:00+00:00"
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(names) - {"manifest.json"}
    for name, data in entries.items():
        if name == "manifest.json":
            continue
        assert listed[name]["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert listed[name]["size"] == len(data), name
    # Fixed timestamps (the generation time) and permissions on every entry.
    assert {i.date_time for i in infos} == {(2026, 11, 22, 15, 30, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_original_files_are_kept_byte_for_byte_under_safe_unique_names(seed_zip):
    entries = read_zip(seed_zip)
    attachments = {n: d for n, d in entries.items() if n.startswith("attachments/")}
    # "lettre.pdf" and "LETTRE.pdf" would clash on a case-insensitive disk.
    assert sorted(attachments) == sorted(
        [
            "attachments/Demande d’accès — GRC.pdf",
            "attachments/accusé.txt",
            "attachments/lettre.pdf",
            "attachments/LETTRE-2.pdf",
            "attachments/rapport-CI.pdf",
        ]
    )
    assert attachments["attachments/lettre.pdf"] == FILES["response"][1]
    assert attachments["attachments/LETTRE-2.pdf"] == FILES["response2"][1]
    assert attachments["attachments/accusé.txt"] == FILES["ack"][1]


def test_pdf_holds_deadline_lateness_sections_chronology_and_hashes(seed_zip):
    entries = read_zip(seed_zip)
    text = _words(pdf_text(entries["packet.pdf"]))
    for expected in (
        "Evidence packet",
        "La Presse",
        "Marie Côté",
        "Gendarmerie royale du Canada (GRC)",
        "Access to Information Act",
        "A-2019-12345",
        "2026-11-22 10:30 EST",
        # the request text, accents and typography intact
        "notes d’information",
        "« depuis 2019 » — œuvre, ça",
        # the deadline and how it was computed (engine steps and sections)
        "Received 2020-02-10 (day 0)",
        "Counting 30 calendar days from 2020-02-11",
        "Due Wednesday 2020-03-11",
        "Access to Information Act s.7",
        "Interpretation Act s.27",
        "ATIA s.10(3)",
        "python-holidays",
        # lateness and deemed refusal
        "765 calendar days",
        "Deemed refusal: from 2020-03-12",
        "Final response: 2022-04-15",
        # complaint
        "A complaint was filed with the Information Commissioner of Canada on 2022-04-20",
        "finding of 2023-03-01: well-founded",
        # chronology with the correction marked both ways
        "Corrects #3",
        "Corrected by #4; no longer in force",
        "=HYPERLINK",
        "8. Draft complaint letter",
    ):
        assert expected in text, expected
    manifest = json.loads(entries["manifest.json"])
    for f in manifest["files"]:
        if f["path"].startswith("attachments/"):
            assert f["sha256"] in text


def test_letter_for_the_seed_case(seed_zip):
    letter = _words(read_zip(seed_zip)["complaint-letter.txt"].decode("utf-8"))
    assert "To: Information Commissioner of Canada" in letter
    for section in ("ATIA s.7", "ATIA s.10(3)", "ATIA s.30(1)(a)"):
        assert section in letter
    assert "received 2020-02-10" in letter
    assert "the deadline was Wednesday 2020-03-11" in letter
    assert "responded on 2022-04-15: 765 calendar days" in letter
    assert "A-2019-12345" in letter and "Marie Côté" in letter
    assert "[signature]" in letter


def test_timeline_csv_has_every_entry_and_no_live_formulas(seed_zip):
    raw = read_zip(seed_zip)["timeline.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert [r["kind"] for r in rows] == [
        "filed",
        "note",
        "acknowledgement",
        "acknowledgement",
        "note",
        "final_response",
        "complaint_filed",
        "complaint_finding",
    ]
    assert [r["occurred_on"] for r in rows][:3] == ["2020-02-10", "2020-02-10", "2020-02-13"]
    wrong, fixed = rows[2], rows[3]
    assert fixed["corrects"] == wrong["entry"] and wrong["corrected_by"] == fixed["entry"]
    assert all(r["recorded_by"] == "Marie Côté <marie@lapresse.ca>" for r in rows)
    assert all(date.fromisoformat(r["recorded_at"][:10]) for r in rows)
    response = rows[5]
    assert response["files"] == "attachments/lettre.pdf; attachments/LETTRE-2.pdf"
    assert response["files_sha256"].split("; ") == [
        hashlib.sha256(FILES["response"][1]).hexdigest(),
        hashlib.sha256(FILES["response2"][1]).hexdigest(),
    ]
    assert rows[4]["note"] == '\'=HYPERLINK("http://evil")'
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


def test_same_data_and_generation_time_give_identical_bytes(runner, seed, tmp_path):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    assert _packet(runner, seed.request_id, first).exit_code == 0
    assert _packet(runner, seed.request_id, second).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    info = PdfReader(io.BytesIO(read_zip(first)["packet.pdf"])).metadata
    assert info["/CreationDate"] == "D:20261122153000+00'00'"
    assert info["/Title"] == "Evidence packet: GRC : Clearview AI et la reconnaissance faciale"
    later = tmp_path / "c.zip"
    result = runner.invoke(
        args=[
            "packet",
            str(seed.request_id),
            "--output",
            str(later),
            "--generated-at",
            "2026-11-23T09:00:00-05:00",
        ]
    )
    assert result.exit_code == 0, result.output
    assert later.read_bytes() != first.read_bytes()
    assert (
        json.loads(read_zip(later)["manifest.json"])["generated_at"] == "2026-11-23T14:00:00+00:00"
    )


def test_extension_over_30_days_without_notice_to_the_commissioner(app, runner, reporter, tmp_path):
    built = with_extension(app, REPORTER, notice_on=date(2024, 2, 20))
    out = tmp_path / "ext.zip"
    assert _packet(runner, built.request_id, out).exit_code == 0
    entries = read_zip(out)
    text = _words(pdf_text(entries["packet.pdf"]))
    # 30 + 45 days from 2024-02-01, rolled once: Tuesday 2024-04-16 (TBS manual 7.1.1).
    assert "45 calendar days claimed by notice dated 2024-02-20" in text
    assert "is extended by 45 calendar days" in text
    assert "Information Commissioner of Canada must be notified. (ATIA s.9(2))" in text
    assert "Due Tuesday 2024-04-16" in text
    assert "Days late as of 2026-11-22, with no final response: 950 calendar days" in text
    assert "No final response has been recorded as of 2026-11-22" in text
    letter = _words(entries["complaint-letter.txt"].decode())
    assert "ATIA s.30(1)(c)" in letter
    assert "has not responded: 950 calendar days" in letter


def test_extension_claimed_after_the_deadline_is_flagged_and_not_counted(
    app, runner, reporter, tmp_path
):
    built = with_extension(app, REPORTER, notice_on=date(2024, 3, 20))
    out = tmp_path / "late-ext.zip"
    assert _packet(runner, built.request_id, out).exit_code == 0
    text = _words(pdf_text(read_zip(out)["packet.pdf"]))
    assert "after the original deadline of 2024-03-04" in text  # ATIA s.9(1)
    assert "These days do not move the due date" in text
    assert "Due Monday 2024-03-04" in text
    assert "993 calendar days" in text
    assert (
        "Closed: the last day to complain to the Information Commissioner of Canada "
        "(ATIA s.31) was 2024-05-03"
    ) in text


def test_complaint_window_open_is_said_with_days_left(app, runner, reporter, tmp_path):
    # Due 2026-10-01; the deemed-refusal window runs 60 days from 2026-10-02 to 2026-11-30.
    built = bare_request(app, REPORTER, received=date(2026, 9, 1), text="Records.")
    out = tmp_path / "open.zip"
    assert _packet(runner, built.request_id, out).exit_code == 0
    text = _words(pdf_text(read_zip(out)["packet.pdf"]))
    assert (
        "Open: the last day to complain to the Information Commissioner of Canada "
        "(ATIA s.31) is 2026-11-30"
    ) in text
    assert "8 days left as of 2026-11-22" in text


def test_request_with_only_its_filing_still_gets_a_plain_packet(app, runner, reporter, tmp_path):
    built = bare_request(app, REPORTER)  # received 2026-11-02: due 2026-12-02
    out = tmp_path / "bare.zip"
    result = _packet(runner, built.request_id, out)
    assert result.exit_code == 0, result.output
    entries = read_zip(out)
    assert not [n for n in entries if n.startswith("attachments/")]
    text = _words(pdf_text(entries["packet.pdf"]))
    for expected in (
        "The timeline holds only the filing of the request",
        "The text of the request was not recorded",
        "The institution's file number was not recorded",
        "No files are attached",
        "No extension of the deadline is on record",
        "Not late as of 2026-11-22: 10 days left",
        "Due Wednesday 2026-12-02",
    ):
        assert expected in text, expected
    letter = _words(entries["complaint-letter.txt"].decode())
    assert "the deadline has not passed" in letter
    assert "[no file number recorded]" in letter
    assert len(list(csv.reader(io.StringIO(entries["timeline.csv"].decode("utf-8-sig"))))) == 2


BODIES: dict[str, tuple[str, ...]] = {
    "ca-atia": (
        "To: Information Commissioner of Canada",
        "ATIA s.7",
        "ATIA s.10(3)",
        "ATIA s.30(1)(a)",
    ),
    "ca-privacy": (
        "To: Privacy Commissioner of Canada",
        "Privacy Act s.14",
        "Privacy Act s.16(3)",
        "Privacy Act s.29(1)(b)",
    ),
    "ca-on-fippa": (
        "To: Information and Privacy Commissioner of Ontario",
        "FIPPA (Ont.) s.26",
        "FIPPA (Ont.) s.29(4)",
        "FIPPA (Ont.) s.50(1)",
    ),
    "ca-on-mfippa": (
        "To: Information and Privacy Commissioner of Ontario",
        "MFIPPA (Ont.) s.19",
        "MFIPPA (Ont.) s.22(4)",
        "MFIPPA (Ont.) s.39(1)",
    ),
    "ca-bc-fippa": (
        "To: Office of the Information and Privacy Commissioner for British Columbia",
        "FIPPA (B.C.) s.7",
        "FIPPA (B.C.) s.52(1)",
    ),
    # Received 2026-01-05: Alberta's Access to Information Act, in force from 2025-06-11.
    "ca-ab-foip": (
        "To: Information and Privacy Commissioner of Alberta",
        "Access to Information Act (Alberta)",
        "ATIA (Alta.) request for review",
    ),
    "ca-qc-access": (
        "To: Commission d'accès à l'information",
        "Access Act (Qc) s.47",
        "Access Act (Qc) s.52",
        "Access Act (Qc) s.135",
    ),
    # Manitoba and Saskatchewan (received 2026-01-05: Manitoba's 45 days).
    "ca-mb-fippa": (
        "To: Manitoba Ombudsman",
        "FIPPA (Man.) s.11(1)",
        "FIPPA (Man.) s.11(2)",
        "FIPPA (Man.) s.59",
        "takes complaints in English and French",
    ),
    "ca-sk-foip": (
        "To: Saskatchewan Information and Privacy Commissioner",
        "FOIP (Sask.) s.7(2)",
        "FOIP (Sask.) s.7(5)",
        "FOIP (Sask.) s.49(1)",
    ),
    "ca-sk-lafoip": (
        "To: Saskatchewan Information and Privacy Commissioner",
        "LA FOIP (Sask.) s.7(2)",
        "LA FOIP (Sask.) s.38(1)",
    ),
    "ca-nb-rtippa": (
        "To: Ombud New Brunswick",
        "RTIPPA (N.B.) s.11(1)",
        "RTIPPA (N.B.) s.11(2)",
        "RTIPPA (N.B.) s.67(1)(a)(i)",
        "Destinataire : Ombud du Nouveau-Brunswick",
        "paragraphe 11(2)",
        "alinéa 67(3)a)",
    ),
    "us-foia": (
        "To: the agency's FOIA appeal authority (Institution us-foia)",
        "5 U.S.C. 552(a)(6)(A)(i)",
        "5 U.S.C. 552(a)(6)(C)(i)",
    ),
    "us-ca-cpra": (
        "To: Superior Court",
        "Cal. Gov. Code s.7922.535(a)",
        "Cal. Gov. Code s.7923.000",
    ),
    "us-ny-foil": (
        "To: the agency's records access appeals officer",
        "N.Y. Pub. Off. Law s.89(3)(a)",
        "N.Y. Pub. Off. Law s.89(4)(a)",
    ),
    "uk-foia": (
        "To: Information Commissioner's Office (after the authority's internal review)",
        "FOIA 2000 s.10(1)",
        "FOIA 2000 s.50(1)",
        "internal review",
    ),
    "uk-sct-foisa": (
        "then the Scottish Information Commissioner",
        "FOISA s.10(1)",
        "FOISA s.20(1)",
        "FOISA s.47(1)",
    ),
}


def test_every_law_has_a_letter_case():
    assert set(BODIES) == set(LAW_CODES)


@pytest.mark.parametrize("law", LAW_CODES)
def test_letter_names_the_body_the_law_names(app, runner, reporter, tmp_path, law):
    built = bare_request(
        app,
        REPORTER,
        law=law,
        received=date(2026, 1, 5),
        institution=f"Institution {law}",
        text="Records.",
    )
    out = tmp_path / f"{law}.zip"
    result = _packet(runner, built.request_id, out)
    assert result.exit_code == 0, result.output
    entries = read_zip(out)
    letter = _words(entries["complaint-letter.txt"].decode())
    for expected in BODIES[law]:
        assert expected in letter, expected
    assert "after the deadline" in letter
    # The same letter is in the PDF.
    assert _words(pdf_text(entries["packet.pdf"])).count(BODIES[law][0].removeprefix("To: ")) >= 1


@pytest.mark.parametrize(
    ("law", "words"),
    [
        (
            "ca-mb-fippa",
            (
                "À : Ombudsman du Manitoba",
                "Madame l'Ombudsman",
                "FIPPA (Man.), art. 11(2)",
                "45 jours civils",
            ),
        ),
        ("ca-sk-foip", ()),
        ("ca-atia", ()),
    ],
)
def test_bodies_that_work_in_french_get_a_french_letter(
    app, runner, reporter, tmp_path, law, words
):
    built = bare_request(
        app, REPORTER, law=law, received=date(2026, 1, 5), institution=f"Organisme {law}", text="x"
    )
    out = tmp_path / f"{law}.zip"
    assert _packet(runner, built.request_id, out).exit_code == 0
    entries = read_zip(out)
    if not words:
        assert "VERSION FRANÇAISE" not in entries["complaint-letter.txt"].decode()
        return
    letter = _words(entries["complaint-letter.txt"].decode().split("VERSION FRANÇAISE")[1])
    assert "Objet : " in letter and "après l'échéance" in letter
    assert "délai prévu par la loi" in letter and "refus de communication" in letter
    for word in words:
        assert word in letter, word


def test_missing_file_fails_naming_it_and_leaves_no_archive(app, runner, seed, tmp_path):
    gone = storage(app).path_for(hashlib.sha256(FILES["response"][1]).hexdigest())
    gone.unlink()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = _packet(runner, seed.request_id, out_dir / "seed.zip")
    assert result.exit_code != 0
    assert "lettre.pdf" in result.output and "missing" in result.output
    assert "2022-04-15" in result.output
    assert list(out_dir.iterdir()) == []


def test_altered_file_fails_and_leaves_no_archive(app, runner, seed, tmp_path):
    stored = storage(app).path_for(hashlib.sha256(FILES["ack"][1]).hexdigest())
    stored.write_bytes(b"tampered")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    result = _packet(runner, seed.request_id, out_dir / "seed.zip")
    assert result.exit_code != 0
    assert "accusé.txt no longer matches the SHA-256" in result.output
    assert list(out_dir.iterdir()) == []


def test_existing_output_is_refused_unless_forced(runner, seed, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "seed.zip"
    out.write_bytes(b"an older packet")
    refused = _packet(runner, seed.request_id, out)
    assert refused.exit_code != 0
    assert "already exists" in refused.output and "--force" in refused.output
    assert out.read_bytes() == b"an older packet"
    forced = _packet(runner, seed.request_id, out, "--force")
    assert forced.exit_code == 0, forced.output
    assert zipfile.ZipFile(out).testzip() is None
    assert sorted(p.name for p in out.parent.iterdir()) == ["seed.zip"]


def test_bad_command_input(runner, seed, tmp_path):
    unknown = _packet(runner, 9999, tmp_path / "x.zip")
    assert unknown.exit_code != 0 and "no request #9999" in unknown.output
    bad_time = runner.invoke(
        args=[
            "packet",
            str(seed.request_id),
            "--output",
            str(tmp_path / "x.zip"),
            "--generated-at",
            "yesterday",
        ]
    )
    assert bad_time.exit_code == 2 and "ISO 8601" in bad_time.output
    no_folder = _packet(runner, seed.request_id, tmp_path / "nowhere" / "x.zip")
    assert no_folder.exit_code != 0 and "does not exist" in no_folder.output
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("/abs/path/lettre.pdf", "lettre.pdf"),
        ("CON.txt", "_CON.txt"),
        ('a<b>c:d"e|f?g*.pdf', "a_b_c_d_e_f_g_.pdf"),
        ("line\nbreak\x00.pdf", "line_break_.pdf"),
        ("...", "file"),
        ("  .hidden  ", "hidden"),
        ("Réponse — GRC « finale ».pdf", "Réponse — GRC « finale ».pdf"),
    ],
)
def test_safe_names(name, expected):
    assert safe_name(name) == expected


def test_long_names_keep_their_extension():
    name = safe_name("x" * 300 + ".pdf")
    assert name.endswith(".pdf") and len(name) <= 120


def test_stored_names_cannot_escape_or_clash_in_the_archive(app, runner, seed, tmp_path):
    # Names as an import or an older version might have stored them.
    with app.app_context(), clock.frozen(TODAY), db.transaction() as s:
        event = s.scalar(
            sa.select(TimelineEvent).where(TimelineEvent.kind == "note").order_by(TimelineEvent.id)
        )
        for original, data in (
            ("../../evil.txt", b"one"),
            ("EVIL.TXT", b"two"),
            ("lettre.pdf", b"three"),
        ):
            saved = storage(app).save(io.BytesIO(data), 1024)
            s.add(
                Attachment(
                    event=event,
                    sha256=saved.sha256,
                    size=saved.size,
                    original_name=original,
                    content_type="text/plain",
                )
            )
    out = tmp_path / "names.zip"
    assert _packet(runner, seed.request_id, out).exit_code == 0
    names = read_zip(out)
    attachments = [n for n in names if n.startswith("attachments/")]
    assert all(".." not in n and n.count("/") == 1 for n in attachments)
    assert len({n.casefold() for n in attachments}) == len(attachments) == 8
    assert names["attachments/evil.txt"] == b"one"
    assert names["attachments/EVIL-2.TXT"] == b"two"


def test_french_renders_with_reportlabs_own_font_when_the_system_has_none(tmp_path):
    script = (
        "import sys\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "from reportlab.pdfgen.canvas import Canvas\n"
        "from tracker.packets import pdf\n"
        "pdf.FONT_DIRS = ()\n"
        "regular = pdf.fonts()[0]\n"
        "print(pdfmetrics.getFont(regular).face.filename)\n"
        "canvas = Canvas(sys.argv[1])\n"
        "canvas.setFont(regular, 12)\n"
        "canvas.drawString(50, 700, 'Accusé « reçu » — œuvre, ça’t à')\n"
        "canvas.save()\n"
    )
    out = tmp_path / "vera.pdf"
    result = subprocess.run(
        [sys.executable, "-c", script, str(out)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("Vera.ttf")
    assert "Accusé « reçu » — œuvre, ça’t à" in PdfReader(out).pages[0].extract_text()


def test_new_brunswick_letter_is_in_english_and_french(app, runner, reporter, tmp_path):
    built = bare_request(
        app,
        REPORTER,
        law="ca-nb-rtippa",
        received=date(2026, 1, 5),
        institution="Ville de Moncton",
        text="Documents.",
    )
    out = tmp_path / "nb.zip"
    assert _packet(runner, built.request_id, out).exit_code == 0
    entries = read_zip(out)
    letter = _words(entries["complaint-letter.txt"].decode())
    english = letter.index("Dear Ombud")
    french = letter.index("VERSION FRANÇAISE")
    assert english < french
    assert "Loi sur le droit à l'information et la protection de la vie privée" in letter
    assert "soit au plus tard le 2026-02-17" in letter  # 30 business days, Family Day skipped
    pdf = _words(pdf_text(entries["packet.pdf"]))
    assert "Ombud du Nouveau-Brunswick" in pdf and "équivaut à un refus" in pdf
