"""Measure the memory of building an evidence packet for a request with 1 GB of attachments.

Run: python bench/packet.py [--total-mb 1024] [--files 4] [--workdir DIR] [--keep] [--no-write]

Builds a throwaway tracker (SQLite, its own instance folder in a temporary directory), logs a
request and stores --files attachments of pseudo-random bytes totalling --total-mb through the
request service and the file store, then runs `flask --app tracker packet` in a child process
and reads that child's peak resident memory (ru_maxrss from os.wait4). The archive is then
checked (zipfile.testzip, manifest hashes) in another child. Target: peak RSS < 200 MB.

The setup runs in a child of its own: Linux carries the parent's peak RSS into a child's
ru_maxrss across fork/vfork and exec, so the measuring parent stays a small stdlib process.
Results go to the "## Evidence packet" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import results  # noqa: E402

SECTION = "## Evidence packet"
RESULTS = ROOT / "bench" / "RESULTS.md"
TARGET_MB = 200
GENERATED_AT = "2026-11-22T15:30:00Z"
MB = 1024 * 1024

VERIFY = r"""
import hashlib, json, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    bad = archive.testzip()
    assert bad is None, f"bad CRC in {bad}"
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        digest = hashlib.sha256()
        with archive.open(entry["path"]) as member:
            while chunk := member.read(1 << 20):
                digest.update(chunk)
        assert digest.hexdigest() == entry["sha256"], entry["path"]
    print(len(manifest["files"]))
"""


class PseudoRandom(io.RawIOBase):
    """A readable stream of ``size`` pseudo-random bytes (incompressible, like scans and PDFs)."""

    def __init__(self, size: int, seed: int) -> None:
        self.left = size
        self.rng = random.Random(seed)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n is None or n < 0 else min(n, self.left)
        self.left -= n
        return self.rng.randbytes(n) if n else b""


def make_request(instance: Path, total_mb: int, files: int) -> int:
    """A migrated tracker in ``instance`` with one request carrying the attachments."""
    from tracker import create_app
    from tracker.auth.service import NewUser, create_user
    from tracker.core import clock, db
    from tracker.core.migrate import upgrade
    from tracker.files.storage import LocalStorage
    from tracker.institutions.service import InstitutionData, create_institution
    from tracker.requests import service

    app = create_app({"INSTANCE_PATH": str(instance), "SECRET_KEY": "bench"})
    upgrade(app)
    each = total_mb * MB // files
    today = date(2026, 11, 22)
    with app.app_context(), clock.frozen(today), db.transaction() as s:
        user = create_user(
            s,
            NewUser(
                email="bench@example.org",
                newsroom="Bench",
                password="long enough pw",
                name="Bench Reporter",
            ),
        )
        inst = create_institution(
            s, user.newsroom_id, InstitutionData("Royal Canadian Mounted Police", "ca-atia")
        )
        request = service.create_request(
            s,
            user,
            service.RequestData(
                institution_id=inst.id,
                title="RCMP use of Clearview AI facial recognition",
                received_on=date(2020, 2, 10),
                text="All records about Clearview AI.",
                file_number="A-2019-12345",
            ),
            today,
        )
        storage = LocalStorage(app.config["ATTACHMENTS_DIR"])
        uploads = tuple(
            service.Upload(
                f"release-part-{i + 1}.pdf", "application/pdf", PseudoRandom(each, seed=i)
            )
            for i in range(files)
        )
        service.add_event(
            s,
            user,
            request,
            service.EventData(
                "final_response",
                date(2022, 4, 15),
                "Records released.",
                details={"outcome": "partial"},
                uploads=uploads,
            ),
            today,
            storage,
            each + 1,
        )
        request_id = request.id
    app.extensions["engine"].dispose()
    return request_id


def run_child(args: list[str], env: dict[str, str]) -> tuple[int, float, int, str]:
    """Run a child; return (exit status, seconds, peak RSS in KiB, output)."""
    started = time.perf_counter()
    child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    output = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - started, usage.ru_maxrss, output


def machine() -> str:
    """The shared machine description plus the PDF library's version."""
    from importlib.metadata import version

    return f"{results.machine()}; reportlab {version('reportlab')}"


def main(argv: list[str] | None = None) -> int:
    """Set up, pack in a child process, measure, verify, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total-mb", type=int, default=1024)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--workdir", default=None, help="where the temporary tracker goes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    parser.add_argument("--setup-only", metavar="INSTANCE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.setup_only:
        print(make_request(Path(args.setup_only), args.total_mb, args.files))
        return 0

    work = Path(tempfile.mkdtemp(prefix="packet-bench-", dir=args.workdir))
    try:
        instance = work / "instance"
        env = {
            **os.environ,
            "TRACKER_INSTANCE_PATH": str(instance),
            "TRACKER_SECRET_KEY": "bench",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("TRACKER_DATABASE_URL", None)
        env.pop("TRACKER_ATTACHMENTS_DIR", None)
        status, setup, _, out = run_child(
            [
                sys.executable,
                __file__,
                "--setup-only",
                str(instance),
                "--total-mb",
                str(args.total_mb),
                "--files",
                str(args.files),
            ],
            env,
        )
        if status != 0:
            print(out, file=sys.stderr)
            return 1
        request_id = int(out.split()[-1])
        flask = [sys.executable, "-m", "flask", "--app", "tracker"]

        status, _, base_rss, out = run_child([*flask, "packet", "--help"], env)
        assert status == 0, out
        output = work / "packet.zip"
        status, pack_s, pack_rss, out = run_child(
            [
                *flask,
                "packet",
                str(request_id),
                "--output",
                str(output),
                "--generated-at",
                GENERATED_AT,
            ],
            env,
        )
        if status != 0:
            print(out, file=sys.stderr)
            return 1
        size = output.stat().st_size
        status, verify_s, _, out = run_child([sys.executable, "-c", VERIFY, str(output)], env)
        verified = status == 0
        if not verified:
            print(out, file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    peak_mb = pack_rss / 1024
    ok = verified and peak_mb < TARGET_MB
    lines = [
        f"- date: {datetime.now(UTC).date().isoformat()}; {machine()}",
        (
            f"- workload: one ca-atia request, {args.files} attachments of "
            f"{args.total_mb // args.files:,} MB pseudo-random bytes ({args.total_mb:,} MB in all), "
            "stored through the request service and the content-addressed file store "
            f"(setup {setup:.1f} s)"
        ),
        (
            f"- `flask --app tracker packet {request_id} --output packet.zip --generated-at "
            f"{GENERATED_AT}` in a child process: {pack_s:.1f} s, archive {size / MB:,.1f} MB "
            f"({args.total_mb / pack_s:,.0f} MB/s)"
        ),
        (
            f"- peak RSS of that child (ru_maxrss via os.wait4): {peak_mb:,.1f} MB; the same "
            f"command's `--help` (imports only): {base_rss / 1024:,.1f} MB"
        ),
        (
            f"- target: peak RSS < {TARGET_MB} MB: {'PASS' if ok else 'FAIL'}"
            + ("" if verified else " (archive check failed)")
        ),
        (
            f"- check: zipfile.testzip and every manifest SHA-256 recomputed from the archive "
            f"({verify_s:.1f} s): {'ok' if verified else 'FAILED'}"
        ),
        (
            "- how: attachments are copied into the ZIP in 1 MiB chunks (ZipFile.open(info, 'w'), "
            "stored, ZIP64 when needed) into a temporary file beside the output, renamed at the end"
        ),
    ]
    body = "\n".join(lines)
    print(body)
    if not args.no_write:
        results.replace_section(SECTION, body)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
