"""JSON API reasons in the reader's language: the token owner's account, else Accept-Language
(tracker.language.i18n.select_locale). The ``error`` code stays English; ``reason`` is said in
French to a French reader and keeps its English words for everyone else."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import pytest
import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tests import api_helpers as h
from tracker.api import openapi
from tracker.core import clock, db
from tracker.core.models import User

REPORTER = "reporter@example.org"
COLLEAGUE = "colleague@example.org"


@pytest.fixture
def ids(app):
    with clock.frozen(h.TODAY):
        h.quick_user(app, REPORTER, name="Marie Reporter")
        h.quick_user(app, COLLEAGUE, name="Luc Colleague")
        inst = h.institution(app, REPORTER)
        rid = h.info_request(app, REPORTER, inst, file_number="A-2024-1")
        yield inst, rid


def _speaks(app, email: str, locale: str | None) -> None:
    with app.app_context(), db.transaction() as session:
        session.execute(sa.update(User).where(User.email == email).values(locale=locale))


def _refusals(app, client, ids, email: str) -> dict[str, dict]:
    """One refusal of each status, as ``email``'s token reads them."""
    inst, rid = ids
    key = h.bearer(h.token(app, email))
    own = h.info_request(app, email, inst, title="Their own")
    client.patch(f"/api/v1/requests/{own}", json={"title": "One"}, headers=key)  # version 2
    answers = {
        "404": client.get("/api/v1/requests/999999", headers=key),
        "404-institution": client.get("/api/v1/institutions/999999", headers=key),
        "403": client.patch(f"/api/v1/requests/{rid}", json={"title": "x"}, headers=key),
        "409": client.patch(
            f"/api/v1/requests/{own}", json={"title": "Two", "version": 1}, headers=key
        ),
        "422": client.post(
            "/api/v1/requests",
            json={"title": "No institution", "received_on": "2024-02-01"},
            headers=key,
        ),
        "422-date": client.post(
            "/api/v1/requests",
            json={"institution_id": inst, "title": "x", "received_on": "2024-02-30"},
            headers=key,
        ),
        "cursor": client.get("/api/v1/requests?after=nonsense&page=2", headers=key),
        "cursor-page": client.get("/api/v1/requests?after=nonsense", headers=key),
    }
    return {name: {"status": r.status_code, **r.get_json()} for name, r in answers.items()}


ENGLISH = {
    "404": (404, "Not Found", "No request with this id in your newsroom.", None),
    "404-institution": (404, "Not Found", "No institution with this id in your newsroom.", None),
    "403": (403, "Forbidden", "Only the request's owner or an editor can change it.", None),
    "409": (
        409,
        "Conflict",
        "The request was changed since version 1: it is now version 2. Nothing was saved; "
        "read it again, then send your change with its new version.",
        "version",
    ),
    "422": (422, "Unprocessable Content", "This field is required.", "institution_id"),
    "422-date": (422, "Unprocessable Content", "This is not a real date.", "received_on"),
    "cursor": (
        400,
        "Bad Request",
        "Not a cursor of this list and sort: follow links.next or links.prev.",
        "after",
    ),
    "cursor-page": (
        400,
        "Bad Request",
        "Not a cursor of this list and sort: follow links.next or links.prev.",
        "after",
    ),
}
FRENCH = {
    "404": "Aucune demande de ce numéro dans votre salle de rédaction.",
    "404-institution": "Aucune institution de ce numéro dans votre salle de rédaction.",
    "403": "Seuls le responsable de la demande ou un chef de pupitre peuvent la modifier.",
    "409": "La demande a été modifiée depuis la version 1 : elle en est à la version 2. "
    "Rien n’a été enregistré ; relisez-la, puis renvoyez votre modification avec sa "
    "nouvelle version.",
    "422": "Ce champ est obligatoire.",
    "422-date": "Cette date n’existe pas.",
    "cursor": "Ce n’est pas un curseur de cette liste et de ce tri : suivez links.next ou "
    "links.prev.",
    "cursor-page": "Ce n’est pas un curseur de cette liste et de ce tri : suivez links.next ou "
    "links.prev.",
}


def _body(status: int, error: str, reason: str, field: str | None) -> dict:
    body = {"status": status, "error": error, "reason": reason}
    return body if field is None else {**body, "field": field}


def test_an_english_account_reads_the_reasons_in_english(app, client, ids):
    found = _refusals(app, client, ids, COLLEAGUE)
    assert found == {name: _body(*answer) for name, answer in ENGLISH.items()}


def test_a_french_account_reads_the_reasons_in_french_the_codes_unchanged(app, client, ids):
    _speaks(app, COLLEAGUE, "fr")
    found = _refusals(app, client, ids, COLLEAGUE)
    expected = {
        name: _body(status, error, FRENCH[name], field)
        for name, (status, error, _reason, field) in ENGLISH.items()
    }
    assert found == expected


def test_the_account_wins_over_the_browser(app, client, ids):
    _speaks(app, COLLEAGUE, "en")
    key = h.bearer(h.token(app, COLLEAGUE))
    answer = client.get(
        "/api/v1/requests/999999", headers={**key, "Accept-Language": "fr-CA,fr;q=0.9"}
    )
    assert answer.get_json()["reason"] == "No request with this id in your newsroom."


def test_without_an_account_language_the_browser_decides(app, client, ids):
    key = h.bearer(h.token(app, COLLEAGUE))
    answer = client.get(
        "/api/v1/requests/999999", headers={**key, "Accept-Language": "fr-CA,fr;q=0.9"}
    )
    assert answer.get_json() == {
        "error": "Not Found",
        "reason": "Aucune demande de ce numéro dans votre salle de rédaction.",
    }


@pytest.mark.parametrize(
    ("language", "no_token", "unknown_token"),
    [
        (
            "en",
            "Send a personal API token: Authorization: Bearer <token>. "
            "Make one under Settings, API tokens.",
            "This API token is unknown or was revoked.",
        ),
        (
            "fr-CA",
            "Envoyez un jeton d’API personnel : Authorization: Bearer <jeton>. "
            "Créez-en un sous Réglages, Jetons d’API.",
            "Ce jeton d’API est inconnu ou a été révoqué.",
        ),
    ],
)
def test_401_is_in_the_browsers_language(client, language, no_token, unknown_token):
    headers = {"Accept-Language": language}
    missing = client.get("/api/v1/requests", headers=headers)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert missing.get_json() == {"error": "Unauthorized", "reason": no_token}
    unknown = client.get("/api/v1/requests", headers={**headers, **h.bearer("ati_nothing")})
    assert unknown.get_json() == {"error": "Unauthorized", "reason": unknown_token}


@pytest.mark.parametrize(
    ("body", "field", "english", "french"),
    [
        (
            {"title": 5},
            "title",
            "Input should be a valid string",
            "La valeur doit être une chaîne de caractères",
        ),
        (
            {"title": "x" * 301},
            "title",
            "String should have at most 300 characters",
            "Le texte doit compter au plus 300 caractères",
        ),
        (
            {"law_code": "xx"},
            "law_code",
            None,  # pydantic's list of the codes
            "La valeur doit être ",
        ),
        ({"colour": "red"}, "colour", "Unknown field: this operation does not take it.", None),
        ({"version": 0}, "version", "Input should be greater than or equal to 1", None),
    ],
)
def test_pydantics_refusals_are_said_in_the_readers_language(
    app, client, ids, body, field, english, french
):
    _inst, rid = ids
    key = h.bearer(h.token(app, REPORTER))
    url = f"/api/v1/requests/{rid}"
    said = client.patch(url, json=body, headers=key).get_json()
    assert said["field"] == field
    if english is not None:
        assert said["reason"] == english
    _speaks(app, REPORTER, "fr")
    in_french = client.patch(url, json=body, headers=key).get_json()
    assert in_french["field"] == field and in_french["reason"] != said["reason"]
    if french is not None:
        assert in_french["reason"].startswith(french)


class _Inner(BaseModel):
    x: int = 1


class _Sample(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    number: Annotated[int, Field(ge=1, le=9)] = 5
    flag: bool = True
    word: Annotated[str, Field(min_length=1, max_length=3)] = "a"
    one_char: Annotated[str, Field(max_length=1)] = "a"
    choice: Literal["a", "b"] = "a"
    day: date = date(2024, 1, 1)
    inner: _Inner = _Inner()


OWN_WORDS = set(openapi._REASONS) - {"missing", "extra_forbidden", "union_tag_not_found"}


@pytest.mark.parametrize(
    "bad",
    [
        {"number": "5"},
        {"number": 0},
        {"number": 10},
        {"number": 1.5},
        {"flag": "yes"},
        {"word": 5},
        {"word": ""},
        {"word": "abcd"},
        {"one_char": "ab"},
        {"choice": "c"},
        {"day": "2024-01-01"},
        {"inner": []},
    ],
)
def test_in_english_pydantics_refusals_keep_pydantics_words(app, bad):
    with pytest.raises(ValidationError) as refused:
        _Sample.model_validate(bad)
    [error] = refused.value.errors(include_url=False)
    assert error["type"] in OWN_WORDS, error
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert openapi.pydantic_reason(error) == error["msg"]
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert openapi.pydantic_reason(error) != error["msg"]


@pytest.mark.parametrize(
    ("path", "method", "status", "english", "french"),
    [
        (
            "/api/v1/requests/abc",
            "get",
            404,
            "There is nothing at this address. Check the link, or start again from the dashboard.",
            "Il n’y a rien à cette adresse. Vérifiez le lien, ou repartez du tableau de bord.",
        ),
        (
            "/api/v1/requests",
            "delete",
            405,
            "This address does not accept that kind of request.",
            "Cette adresse n’accepte pas ce type de requête.",
        ),
    ],
)
def test_routing_errors_answer_in_the_reader_s_language(
    app, client, ids, path, method, status, english, french
):
    """An address the API has no route for is refused by the router, before the API's own
    error handler: its reason follows the reader's language too."""
    key = h.bearer(h.token(app, COLLEAGUE))
    english_answer = getattr(client, method)(path, headers={**key, "Accept": "application/json"})
    assert english_answer.status_code == status
    assert english_answer.get_json()["reason"] == english
    french_answer = getattr(client, method)(
        path, headers={**key, "Accept": "application/json", "Accept-Language": "fr-CA"}
    )
    assert french_answer.status_code == status
    assert french_answer.get_json()["reason"] == french
