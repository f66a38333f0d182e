"""Complete catalogues (issue 20, part 6): every message of the code and templates has its
French, with the same placeholders; a broken translation is caught here, never at run time."""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from tracker.language.catalogues import catalogue_paths, extract, placeholders, problems, read


@pytest.fixture(scope="module")
def template() -> Catalog:
    """Every message of the code and templates, extracted as `make messages` does."""
    return extract()


def test_french_catalogue_exists() -> None:
    assert "fr" in catalogue_paths()


def test_every_message_is_translated_with_its_placeholders(template: Catalog) -> None:
    assert len(template) > 300  # the extraction found the templates and the code
    for locale, path in catalogue_paths().items():
        found = problems(template, read(path))
        assert found == [], f"{locale}: `make messages`, then translate:\n" + "\n".join(found)


def test_a_dropped_placeholder_is_caught() -> None:
    template = Catalog()
    template.add("Due %(date)s.")
    template.add(("%(num)s day", "%(num)s days"))
    broken = Catalog(locale="fr")
    broken.add("Due %(date)s.", "Échéance.")
    broken.add(("%(num)s day", "%(num)s days"), ("un jour", "%(num)s jours %(extra)s"))
    found = problems(template, broken)
    assert any("placeholders differ: 'Due %(date)s.'" in line for line in found)
    # A singular may say "un jour" instead of "%(num)s jour"; no form may invent a name.
    assert sum("placeholders differ" in line for line in found) == 2


def test_untranslated_fuzzy_and_stale_are_caught() -> None:
    template = Catalog()
    template.add("Deadline")
    template.add("Law")
    catalogue = Catalog(locale="fr")
    catalogue.add("Deadline", "")
    catalogue.add("Law", "Loi", flags=["fuzzy"])
    catalogue.add("Gone", "Parti")
    found = problems(template, catalogue)
    assert [line.split(":")[0] for line in found] == ["untranslated", "fuzzy", "stale"]


def test_placeholders() -> None:
    assert placeholders("%(num)s jours, %(date)s, 100 %% sûr") == {"num", "date"}


def test_translations_render_without_error(template: Catalog) -> None:
    """Each French string formats with the English one's variables (no KeyError at run time)."""
    for path in catalogue_paths().values():
        catalogue = read(path)
        for message in template:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            names = set().union(*(placeholders(i) for i in ids))
            variables = {name: 1 for name in names}
            translated = catalogue.get(message.id)
            strings = (
                translated.string if isinstance(translated.string, tuple) else (translated.string,)
            )
            for text in strings:
                if names:
                    text % variables  # raises on a malformed or unknown placeholder
