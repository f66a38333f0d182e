"""How values look on pages: the option lists of the list page's filters."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tracker.display import select_options


def test_options_are_escaped_and_only_the_chosen_one_is_selected():
    html = str(select_options([(1, "A <b>&co</b>"), (2, 'The "Board"'), (12, "Twelve")], 2))
    soup = BeautifulSoup(f"<select>{html}</select>", "html.parser")
    options = soup.select("option")
    assert [(o["value"], o.get_text()) for o in options] == [
        ("1", "A <b>&co</b>"),
        ("2", 'The "Board"'),
        ("12", "Twelve"),
    ]
    assert [o["value"] for o in soup.select("option[selected]")] == ["2"]
    assert soup.select("b") == []


def test_options_from_a_mapping_and_values_that_need_escaping():
    html = str(select_options({'x" onfocus="alert(1)': "X", "due": "Due date"}, "due"))
    soup = BeautifulSoup(f"<select>{html}</select>", "html.parser")
    assert [o["value"] for o in soup.select("option")] == ['x" onfocus="alert(1)', "due"]
    assert not soup.select("option[onfocus]")
    assert [o.get_text() for o in soup.select("option[selected]")] == ["Due date"]
    assert str(select_options([], None)) == ""
