"""Every page in Chromium at desktop and phone width: axe-core finds no serious or critical
violation, and at 390 px nothing scrolls sideways.

axe-core's script comes with the ``axe-playwright-python`` package (its ``axe.min.js``); the
pages are served once for the module, on data built once (``module_app``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from tests import builders
from tests import mail_helpers as mh
from tests.conftest import browser_login
from tracker.core import clock
from tracker.core.models import ImportJob, Letter
from tracker.files.storage import LocalStorage
from tracker.mail_in import service as mail_in
from tracker.projects import service as labels
from tracker.reminders import service as reminders
from tracker.requests import numbers

pytestmark = pytest.mark.browser

TODAY = date.today()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_CITATION = (
    "Access to Information Act, R.S.C. 1985, c. A-1, s.9(1)(a)(b)(c) and "
    "s.10(3)-Interpretation-Act-R.S.C.-1985-c.I-21-s.26-s.27-s.35-holidays-and-office-closures"
)


@pytest.fixture(scope="module")
def site(module_app: Any) -> Iterator[dict[str, Any]]:
    """The tracker served for the module, with an editor's newsroom of requests in every
    state (overdue, due soon, answered, in complaint, with files)."""
    from werkzeug.serving import make_server

    with builders.desk(
        module_app, "editor@example.org", today=TODAY, role="editor", name="Edith Editor"
    ) as desk:
        rcmp = desk.institution("Royal Canadian Mounted Police", "ca-atia")
        late = desk.request(
            rcmp,
            "RCMP use of Clearview AI facial recognition, all records since 2019",
            received=TODAY - timedelta(days=90),
            file_number="A-2024-000123456789-LONG-FILE-NUMBER",
            text=LONG_CITATION * 3,
        )
        late.acknowledgement(
            TODAY - timedelta(days=85),
            LONG_CITATION,
            uploads=(builders.upload("accuse-reception.txt", b"Accuse de reception"),),
        )
        soon = desk.request(rcmp, "Body-worn cameras", received=TODAY - timedelta(days=25))
        soon.extension(TODAY - timedelta(days=20), 10, reason="consultation")
        answered = desk.request("Home Office", "Vans", received=TODAY - timedelta(days=70))
        answered.final_response(TODAY - timedelta(days=10), outcome="partial")
        answered.complaint(TODAY - timedelta(days=5), grounds="exemptions")
        desk.colleague("reporter@example.org", name="Rita Reporter")
        project = labels.create_project(
            desk.session, desk.user, labels.ProjectData("Facial recognition", "Police use")
        )
        labels.set_labels(desk.session, late.row, [project.id], ["police", "surveillance"])
        numbers.add_number(desk.session, late.row, "previous", "A-2023-0099")
        numbers.link_requests(desk.session, desk.user, late.row, "split", soon.row)
        reminders.add_reminder(
            desk.session, desk.user, late.row, TODAY + timedelta(days=3), "Call them", TODAY
        )
        # A draft letter, agency mail (one matched, one in the review queue) and a finished
        # import, for the letters, mail and import pages.
        letter = Letter(
            newsroom_id=desk.user.newsroom_id,
            request_id=late.id,
            kind="follow_up_overdue",
            language="en",
            recipient_email="atip-aiprp@rcmp-grc.gc.ca",
            subject="Follow-up: A-2024-000123456789",
            body="Where is the response?",
            created_by_id=desk.user.id,
        )
        desk.session.add(letter)
        context = mail_in.Context(
            newsroom_id=desk.user.newsroom_id,
            storage=LocalStorage(module_app.config["ATTACHMENTS_DIR"]),
            max_bytes=10 * 1024 * 1024,
            timezone="America/Toronto",
            today=TODAY,
        )
        (mail,) = mail_in.ingest_file(
            desk.session,
            context,
            "ack.eml",
            mh.message("Prorogation", "Le délai est prorogé de 30 jours."),
            late.row,
        )
        mail_in.ingest_file(
            desk.session, context, "x.eml", mh.message("Hello", "Nothing.", sender="x@y.test")
        )
        # The request page makes a request's mail tag on first view: made here, so the
        # pages read the shared dataset without changing it.
        for visited in (late, soon, answered):
            mail_in.token_for(desk.session, visited.row)
        job = ImportJob(
            newsroom_id=desk.user.newsroom_id,
            status="done",
            requested_by_id=desk.user.id,
            token="0" * 32,
            filename="requests.csv",
            day=TODAY,
            report={"problems": []},
        )
        desk.session.add(job)
        desk.session.flush()
        ids = {
            "letter": letter.id,
            "mail": mail.mail_id,
            "import_job": job.id,
            "late": late.id,
            "soon": soon.id,
            "answered": answered.id,
            "event": late.last.id,
            "institution": rcmp.id,
            "project": project.id,
        }
    server = make_server("127.0.0.1", 0, module_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"base": f"http://127.0.0.1:{server.server_port}", **ids}
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _pages(s: dict[str, Any]) -> list[str]:
    """Every page a logged-in editor reaches (GET), with a few of its states."""
    r, e = s["late"], s["event"]
    return [
        "/",
        "/requests/",
        "/requests/?overdue=1&q=RCMP",
        "/requests/?q=nothing-matches-this",
        f"/requests/{r}",
        f"/requests/{s['soon']}",
        f"/requests/{s['answered']}",
        "/requests/new",
        f"/requests/{r}/edit",
        f"/requests/{r}/events/new?kind=extension",
        f"/requests/{r}/events/new?kind=final_response",
        f"/requests/{r}/events/new?kind=complaint_filed",
        f"/requests/{r}/events/{e}/correct",
        f"/requests/{r}/events/{e}/files",
        f"/requests/{r}/labels",
        f"/requests/{r}/numbers",
        f"/requests/{r}/people",
        f"/requests/{r}/remind",
        "/projects/",
        f"/projects/{s['project']}",
        f"/requests/?project={s['project']}&tag=police",
        f"/scorecards/?project={s['project']}",
        "/institutions",
        f"/institutions/{s['institution']}",
        "/institutions/new",
        f"/institutions/{s['institution']}/edit",
        "/scorecards/",
        "/imports/",
        "/exports/",
        "/settings/people/",
        "/settings/alerts",
        "/settings/calendar",
        "/settings/tokens",
        "/account/password",
        "/account/sessions",
        "/settings/language",
        "/settings/letters",
        f"/requests/{r}/letters",
        f"/letters/{s['letter']}",
        "/mail/",
        f"/mail/{s['mail']}",
        f"/imports/jobs/{s['import_job']}",
        "/no-such-page",
    ]


def _serious(tab: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(tab)
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _check(tab: Any, label: str, phone: bool, problems: list[str]) -> None:
    found = _serious(tab)
    problems.extend(f"{label}: {line}" for line in found)
    if phone:
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            widest = tab.evaluate(
                "[...document.querySelectorAll('body *')]"
                ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
                ".slice(0, 3).map(e => e.tagName + '.' + e.className)"
            )
            problems.append(f"{label}: {width} px wide at 390 px ({', '.join(widest)})")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_page_passes_axe(site, chromium, viewport):
    """No serious or critical axe-core violation on any page; no sideways scroll on a phone."""
    phone = viewport is PHONE
    context = chromium.new_context(viewport=viewport)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    problems: list[str] = []
    base = site["base"]
    try:
        for path in ("/login", "/password/forgot"):
            tab.goto(base + path)
            _check(tab, path, phone, problems)
        # A form that comes back with errors: messages beside the fields, marked invalid.
        tab.goto(base + "/login")
        tab.get_by_role("button", name="Log in").click()
        _check(tab, "/login (refused)", phone, problems)
        with clock.frozen(TODAY):
            browser_login(tab, base, "editor@example.org")
            for path in _pages(site):
                tab.goto(base + path)
                _check(tab, path, phone, problems)
            # The secrets shown once are pages, not their HTML source as text.
            tab.goto(base + "/settings/tokens")
            tab.get_by_label("Name").fill("Newsroom script")
            tab.get_by_role("button", name="Make a token").click()
            assert tab.get_by_label("Token", exact=True).input_value()
            _check(tab, "/settings/tokens (made)", phone, problems)
            tab.goto(base + "/settings/calendar")
            tab.locator("form[action$='/settings/calendar/new'] [type=submit]").click()
            assert "/calendar/" in tab.get_by_label("Feed address").input_value()
            _check(tab, "/settings/calendar (on)", phone, problems)
            tab.goto(base + "/requests/new")
            tab.get_by_role("button", name="Save request").click()
            _check(tab, "/requests/new (refused)", phone, problems)
            tab.goto(base + f"/requests/{site['late']}/events/new?kind=extension")
            tab.get_by_role("button", name="Add to timeline").click()
            _check(tab, "extension form (refused)", phone, problems)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
