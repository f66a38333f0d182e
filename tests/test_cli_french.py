"""The ``flask --app tracker`` commands speak the newsroom's language (issue 20): their
messages go through the catalogues, and TRACKER_DEFAULT_LOCALE decides the language."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tracker import create_app


@pytest.fixture
def french_app(app_config: dict[str, Any]) -> Any:
    app_config["DEFAULT_LOCALE"] = "fr"
    application = create_app(app_config)
    yield application
    application.extensions["engine"].dispose()


def test_create_user_in_french(french_app: Flask) -> None:
    runner = french_app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "Marie@LaPresse.ca", "--newsroom", "La Presse", "--temporary"]
    )
    assert result.exit_code == 0, result.output
    assert "compte journaliste marie@lapresse.ca créé dans la rédaction 'La Presse'" in (
        result.output
    )
    assert "mot de passe temporaire (à changer à la première connexion) : " in result.output
    refused = runner.invoke(
        args=["create-user", "a@b.org", "--newsroom", "N", "--password", "qwertyuiop"]
    )
    assert refused.exit_code != 0
    assert "Choisissez un mot de passe moins courant" in refused.output  # the service's message


def test_errors_and_summaries_in_french(french_app: Flask) -> None:
    runner = french_app.test_cli_runner()
    missing = runner.invoke(args=["packet", "9999", "-o", "x.zip"])
    assert missing.exit_code != 0 and "Il n’y a pas de demande nº 9999." in missing.output
    no_room = runner.invoke(args=["export", "Nope", "--output", "x.zip"])
    assert "Aucune rédaction ne s’appelle 'Nope'." in no_room.output
    bad_day = runner.invoke(args=["sweep", "--today", "hier"])
    assert "'hier' n’est pas une date" in bad_day.output
    swept = runner.invoke(args=["sweep", "--dry-run"])
    assert swept.exit_code == 0, swept.output
    assert "demandes signalées en retard : 0 (essai à blanc" in swept.output
    recomputed = runner.invoke(args=["recompute-deadlines", "--dry-run"])
    assert "demande(s) calculée(s) selon d’autres règles" in recomputed.output
    files = runner.invoke(args=["extract-text"])
    assert files.output.strip().endswith("aucun fichier")


def test_deadline_command_explains_in_french(french_app: Flask) -> None:
    runner = french_app.test_cli_runner()
    result = runner.invoke(args=["deadline", "ca-on-fippa", "2024-03-04", "--extension", "10"])
    assert result.exit_code == 0, result.output
    assert "Demande reçue le 2024-03-04 (jour 0)." in result.output
    assert "art. 26 de la Loi sur l'accès à l'information et la protection de la vie privée" in (
        result.output
    )
    assert "Délais du journaliste :" in result.output
    assert "- Appel auprès de : Commissaire" in result.output
    bad = runner.invoke(args=["deadline", "ca-on-fippa", "4 mars"])
    assert "RECEIVED doit être une date de la forme AAAA-MM-JJ, et non '4 mars'" in bad.output


def test_commands_stay_english_by_default(app: Flask) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["deadline", "ca-on-fippa", "2024-03-04"])
    assert "Received 2024-03-04 (day 0)." in result.output
    assert "Reporter's windows:" in result.output
    assert "Délais" not in result.output
    missing = runner.invoke(args=["packet", "9999", "-o", "x.zip"])
    assert "There is no request #9999." in missing.output


def test_help_texts_in_french(french_app: Flask) -> None:
    """``flask --app tracker --help`` and a command's ``--help`` read in the newsroom's
    language; the values put into a help (the law codes, the column labels) too."""
    from flask.cli import FlaskGroup

    cli = FlaskGroup(create_app=lambda: french_app)
    runner = french_app.test_cli_runner()
    listed = runner.invoke(cli, ["--help"])
    assert listed.exit_code == 0, listed.output
    assert "Crée un compte dans une rédaction." in listed.output
    assert "Migrations de la base de données (Alembic)." in listed.output
    assert "Create an account" not in listed.output
    deadline = runner.invoke(args=["deadline", "--help"])
    assert deadline.exit_code == 0, deadline.output
    text = " ".join(deadline.output.split())
    assert "Affiche l’échéance selon LAW (parmi : ca-atia, ca-privacy," in text.replace("\xa0", " ")
    assert "Prorogation dans l’unité de la loi" in text
    mapping = " ".join(runner.invoke(args=["import-csv", "--help"]).output.split())
    assert "received_on: Date de réception (acceptation)" in mapping
    assert "Correspondance des colonnes, en objet JSON" in mapping
    # Shown in French, kept in English in the code: the next English --help is English.
    db_help = runner.invoke(args=["db", "--help"])
    assert "Affiche la révision où se trouve la base de données." in db_help.output


def test_help_texts_stay_english_by_default(app: Flask) -> None:
    from flask.cli import FlaskGroup

    runner = app.test_cli_runner()
    listed = runner.invoke(FlaskGroup(create_app=lambda: app), ["--help"])
    assert "Create an account in a newsroom." in listed.output
    deadline = " ".join(runner.invoke(args=["deadline", "--help"]).output.split())
    assert "Print the due date for LAW (one of: ca-atia, ca-privacy," in deadline
    assert "Extension in the law's own unit" in deadline


def test_every_command_has_translatable_help() -> None:
    """A command of COMMAND_MODULES is a TranslatedCommand (register refuses any other), and
    every help text of every command is a message of the catalogues."""
    import click

    from tracker.cli import COMMAND_MODULES, register
    from tracker.language import catalogues
    from tracker.language.commands import help_messages

    messages = {m for m, _path, _line in help_messages(COMMAND_MODULES)}
    assert "Create an account in a newsroom." in messages and len(messages) > 50
    french = catalogues.read(catalogues.catalogue_paths()["fr"])
    assert all(french.get(m) is not None and french.get(m).string for m in messages)

    plain = click.Command("plain", callback=lambda: None)
    import tracker.auth.cli as module

    module.COMMANDS.append(plain)
    try:
        with pytest.raises(TypeError, match="'plain' must be a TranslatedCommand"):
            register(Flask(__name__))
    finally:
        module.COMMANDS.remove(plain)
