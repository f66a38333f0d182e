"""The people page: editors and admins invite people, change roles, deactivate and reactivate;
reporters are refused; nobody locks the newsroom out of its last admin or themselves out."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from api_helpers import quick_user

from tests.conftest import AuthActions, page
from tracker.alerts.mail import Mailer
from tracker.core import db
from tracker.core.models import User

ADMIN = "admin@example.org"
EDITOR = "editor@example.org"
REPORTER = "reporter@example.org"


def account(app, email: str) -> User:
    with app.app_context():
        found = db.session().scalar(sa.select(User).where(User.email == email))
        db.session().expunge_all()
        return found


def login_as(app, email: str) -> AuthActions:
    actions = AuthActions(app.test_client())
    assert actions.login(email).status_code == 302
    return actions


def row_error(response, user_id: int) -> str:
    tag = page(response).select_one(f"#person-{user_id}-error")
    return tag.get_text(" ", strip=True) if tag is not None else ""


def newsroom(app) -> dict[str, int]:
    return {
        "admin": quick_user(app, ADMIN, role="admin", name="Ada Admin"),
        "editor": quick_user(app, EDITOR, role="editor", name="Ed Editor"),
        "reporter": quick_user(app, REPORTER, name="Rita Reporter"),
        "other": quick_user(app, "x@ledevoir.test", newsroom="Le Devoir", role="admin"),
    }


def invite(app, editor: AuthActions, email: str, name: str = "Nia", role: str = "editor"):
    """Post the add form as the editor; the answer and the one mail it sent."""
    sent: list = []
    original = Mailer.send
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            Mailer, "send", lambda self, message: sent.append(message) or original(self, message)
        )
        response = editor.post("/settings/people/", {"email": email, "name": name, "role": role})
    return response, sent


def link_of(message) -> str | None:
    found = re.search(r"http://tracker\.test(/invitation/\S+)", message.get_content())
    return found.group(1) if found else None


def test_editor_invites_a_person_who_makes_their_own_account(app):
    """Issue 16 part 11 changed this from a temporary password shown on the page (which only
    a new address could get) to an invitation mailed to every address alike."""
    ids = newsroom(app)
    editor = login_as(app, EDITOR)
    listing = page(editor._client.get("/settings/people/"))
    emails = [row["data-email"] for row in listing.select("#people tbody tr")]
    assert set(emails) == {ADMIN, EDITOR, REPORTER}  # never another newsroom's accounts
    assert "x@ledevoir.test" not in str(listing)

    response, sent = invite(app, editor, " New.Person@Example.org ")
    assert response.status_code == 302
    assert account(app, "new.person@example.org") is None  # not before they accept
    (message,) = sent
    assert message["To"] == "new.person@example.org"
    path = link_of(message)
    assert path is not None
    anonymous = AuthActions(app.test_client())
    form_page = anonymous._client.get(path)
    assert form_page.status_code == 200 and form_page.headers["Cache-Control"] == "no-store"
    refused = anonymous.post(path, {"new": "password1234", "confirm": "password1234"})
    assert "common" in page(refused).select_one("#new-error").get_text()
    done = anonymous.post(path, {"new": "vinyl otter harbour", "confirm": "vinyl otter harbour"})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    new = account(app, "new.person@example.org")
    assert (new.role, new.name, new.active, new.newsroom_id) == (
        "editor",
        "Nia",
        True,
        account(app, EDITOR).newsroom_id,
    )
    assert anonymous.login("new.person@example.org", "vinyl otter harbour").status_code == 302
    # The link made one account: it does not work again.
    assert app.test_client().get(path).status_code == 404
    assert ids["other"]


def test_adding_an_address_of_another_newsroom_answers_the_same(app):
    newsroom(app)
    quick_user(app, "marie@ledevoir.ca", newsroom="Le Devoir", name="Marie")
    editor = login_as(app, EDITOR)

    def shown(response) -> str:
        """The page the answer leads to, with the address typed blanked out."""
        after = page(editor._client.get(response.headers["Location"]))
        return after.select_one("main").get_text(" ", strip=True)

    fresh, fresh_sent = invite(app, editor, "nobody.yet@example.org", name="Nia")
    fresh_page = shown(fresh).replace("nobody.yet@example.org", "X")
    taken, taken_sent = invite(app, editor, "marie@ledevoir.ca", name="Nia")
    taken_page = shown(taken).replace("marie@ledevoir.ca", "X")
    # The same answer, the same page after it, one mail each with the same subject.
    assert (fresh.status_code, fresh.headers["Location"]) == (
        taken.status_code,
        taken.headers["Location"],
    )
    assert "invitation" in fresh_page and fresh_page == taken_page
    assert [m["Subject"] for m in fresh_sent] == [m["Subject"] for m in taken_sent]
    # The other newsroom's account is told, and nothing changes for it.
    assert link_of(taken_sent[0]) is None
    assert "already has an ATI tracker account" in taken_sent[0].get_content()
    other = account(app, "marie@ledevoir.ca")
    assert other.role == "reporter" and other.active
    # Typing the address of someone already in this newsroom is refused beside the field.
    response, sent = invite(app, editor, REPORTER)
    assert "already exists" in page(response).select_one("#email-error").get_text()
    assert sent == []


def test_an_invitation_stops_holding_when_its_inviter_may_no_longer_invite(app):
    ids = newsroom(app)
    editor = login_as(app, EDITOR)
    _, sent = invite(app, editor, "late@example.org", role="reporter")
    path = link_of(sent[0])
    admin = login_as(app, ADMIN)
    assert admin.post(f"/settings/people/{ids['editor']}/deactivate", {}).status_code == 302
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().get("/invitation/forged.token").status_code == 404


def test_add_refusals_are_shown_beside_the_fields(app):
    newsroom(app)
    editor = login_as(app, EDITOR)
    response = editor.post("/settings/people/", {"email": REPORTER, "name": "Twin", "role": "x"})
    soup = page(response)
    assert "Not a valid choice" in soup.select_one("#role-error").get_text()
    response = editor.post("/settings/people/", {"email": REPORTER, "name": "Twin"})
    assert "already exists" in page(response).select_one("#email-error").get_text()
    response = editor.post("/settings/people/", {"email": "new@example.org", "role": "admin"})
    soup = page(response)
    assert soup.select_one("#name-error") is not None
    response = editor.post(
        "/settings/people/", {"email": "new@example.org", "name": "N", "role": "admin"}
    )
    assert "Only an admin" in page(response).select_one("#role-error").get_text()
    assert account(app, "new@example.org") is None


def test_reporters_and_visitors_are_refused(app, client):
    ids = newsroom(app)
    assert client.get("/settings/people/").status_code == 302
    reporter = login_as(app, REPORTER)
    assert reporter._client.get("/settings/people/").status_code == 403
    for path, data in (
        ("/settings/people/", {"email": "sneaky@example.org", "name": "S", "role": "reporter"}),
        (f"/settings/people/{ids['reporter']}/role", {"role": "admin"}),
        (f"/settings/people/{ids['editor']}/deactivate", {}),
        (f"/settings/people/{ids['editor']}/password-link", {}),
    ):
        assert reporter.post(path, data).status_code == 403, path
    assert account(app, "sneaky@example.org") is None
    assert account(app, REPORTER).role == "reporter"
    assert account(app, EDITOR).active


def test_change_role_and_the_admin_rules(app):
    ids = newsroom(app)
    editor = login_as(app, EDITOR)
    response = editor.post(f"/settings/people/{ids['reporter']}/role", {"role": "editor"})
    assert response.status_code == 302
    assert account(app, REPORTER).role == "editor"
    # An editor neither grants nor takes away the admin role, nor changes their own.
    response = editor.post(f"/settings/people/{ids['reporter']}/role", {"role": "admin"})
    assert "Only an admin" in row_error(response, ids["reporter"])
    response = editor.post(f"/settings/people/{ids['admin']}/role", {"role": "reporter"})
    assert "Only an admin" in row_error(response, ids["admin"])
    response = editor.post(f"/settings/people/{ids['editor']}/role", {"role": "admin"})
    assert "your own role" in row_error(response, ids["editor"])
    assert account(app, EDITOR).role == "editor" and account(app, ADMIN).role == "admin"
    # Another newsroom's account is not found.
    assert editor.post(f"/settings/people/{ids['other']}/role", {"role": "editor"}).status_code == (
        404
    )

    admin = login_as(app, ADMIN)
    assert admin.post(f"/settings/people/{ids['editor']}/role", {"role": "admin"}).status_code == (
        302
    )
    assert account(app, EDITOR).role == "admin"
    # With two admins, one may step down the other; the last one stays.
    assert admin.post(f"/settings/people/{ids['editor']}/role", {"role": "editor"}).status_code == (
        302
    )
    other_admin = login_as(app, EDITOR)  # now an editor again
    response = other_admin.post(f"/settings/people/{ids['admin']}/deactivate", {})
    assert "Only an admin" in row_error(response, ids["admin"])
    assert account(app, ADMIN).active


def test_last_admin_cannot_be_removed_or_deactivated(app):
    ids = newsroom(app)
    second = quick_user(app, "second@example.org", role="admin", name="Sam Second")
    admin = login_as(app, ADMIN)
    assert admin.post(f"/settings/people/{second}/deactivate", {}).status_code == 302
    other = login_as(app, EDITOR)
    assert other.post(f"/settings/people/{second}/reactivate", {}).status_code == 200  # refused
    assert not account(app, "second@example.org").active
    # Ada is the last active admin: a deactivated admin does not count.
    admin2 = login_as(app, ADMIN)
    response = admin2.post(f"/settings/people/{ids['admin']}/deactivate", {})
    assert "cannot deactivate your own" in row_error(response, ids["admin"])
    response = admin2.post(f"/settings/people/{ids['admin']}/role", {"role": "editor"})
    assert "your own role" in row_error(response, ids["admin"])
    assert account(app, ADMIN).role == "admin" and account(app, ADMIN).active


def test_deactivate_ends_sessions_keeps_history_and_reactivate_restores(app):
    from api_helpers import info_request, institution

    ids = newsroom(app)
    rid = info_request(app, REPORTER, institution(app, REPORTER), title="Shipyard contracts")
    reporter = login_as(app, REPORTER)
    assert reporter._client.get("/").status_code == 200
    editor = login_as(app, EDITOR)
    response = editor.post(f"/settings/people/{ids['reporter']}/deactivate", {})
    assert response.status_code == 302
    gone = account(app, REPORTER)
    assert not gone.active and gone.deactivated_at is not None
    assert reporter._client.get("/").status_code == 302  # the open session stops working
    assert AuthActions(app.test_client()).login(REPORTER).status_code == 200
    # The request and its timeline keep their author.
    shown = page(editor._client.get(f"/requests/{rid}")).get_text(" ")
    assert "Shipyard contracts" in shown and "Rita Reporter" in shown
    listing = page(editor._client.get("/settings/people/"))
    assert "Deactivated" in listing.select_one(f"#person-{ids['reporter']}").get_text()
    # Deactivating yourself is refused.
    response = editor.post(f"/settings/people/{ids['editor']}/deactivate", {})
    assert "own account" in row_error(response, ids["editor"])

    assert editor.post(f"/settings/people/{ids['reporter']}/reactivate", {}).status_code == 302
    back = account(app, REPORTER)
    assert back.active and back.deactivated_at is None
    assert AuthActions(app.test_client()).login(REPORTER).status_code == 302
    with app.app_context():
        assert db.session().scalar(sa.select(sa.func.count()).select_from(User)) == 4


def test_row_actions_need_the_csrf_token(app):
    ids = newsroom(app)
    editor = login_as(app, EDITOR)
    response = editor._client.post(f"/settings/people/{ids['reporter']}/deactivate")
    assert response.status_code == 400
    assert account(app, REPORTER).active
