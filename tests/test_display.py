"""How values look on pages: option lists, dates, status badges, lateness, request links."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import get_template_attribute, url_for

from tests.conftest import page
from tracker.core.display import format_date, format_figure, request_links
from tracker.requests.describe import Lateness


@pytest.fixture
def macros(app):
    """The display macros of templates/_display.html, called as functions."""
    with app.test_request_context("/"):
        yield {
            name: get_template_attribute("_display.html", name)
            for name in ("options", "status_badge", "late_cell")
        }


@pytest.fixture
def select_options(macros):
    return macros["options"]


@pytest.fixture
def status_badge(macros):
    return macros["status_badge"]


@pytest.fixture
def late_cell(macros):
    return macros["late_cell"]


def test_options_are_escaped_and_only_the_chosen_one_is_selected(select_options):
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


def test_options_from_a_mapping_and_values_that_need_escaping(select_options):
    html = str(select_options({'x" onfocus="alert(1)': "X", "due": "Due date"}, "due"))
    soup = BeautifulSoup(f"<select>{html}</select>", "html.parser")
    assert [o["value"] for o in soup.select("option")] == ['x" onfocus="alert(1)', "due"]
    assert not soup.select("option[onfocus]")
    assert [o.get_text() for o in soup.select("option[selected]")] == ["Due date"]
    assert str(select_options([], None)) == ""


def test_request_links_match_url_for_even_under_a_path_prefix(app):
    for root in ("", "/newsroom0"):
        with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": root}):
            link = request_links()
            for request_id in (1, 10, 20, 100, 4_000_000):
                expected = url_for("requests.show", request_id=request_id)
                assert link(request_id) == expected
                assert expected.startswith(f"{root}/requests/")


def test_the_menu_links_each_page_under_the_path_prefix_it_is_served_from(make_user, auth, client):
    make_user(role="editor")
    assert auth.login().status_code == 302
    menus = {}
    for root in ("", "/newsroom0", ""):
        html = page(client.get("/", environ_overrides={"SCRIPT_NAME": root}))
        links = {a.get_text(strip=True): a["href"] for a in html.select("header nav a")}
        links["People"] = html.select_one(".account-menu a")["href"]
        links["Log out"] = html.select_one(".account-menu form")["action"]
        assert links["Requests"] == f"{root}/requests/"
        assert links["Log out"] == f"{root}/logout"
        assert all(href.startswith(f"{root}/") for href in links.values()), links
        menus.setdefault(root, links)
        assert links == menus[root]  # the same on a second visit, from the worker's cache
    assert len(menus) == 2 and menus[""] != menus["/newsroom0"]


def test_weekday_names_are_english_whatever_the_locale():
    assert format_date(date(2020, 3, 11)) == "2020-03-11 (Wed)"
    week = [format_date(date(2026, 11, 16) + timedelta(days=n))[-4:-1] for n in range(7)]
    assert week == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert format_date(None) == "—"


def test_status_badge_and_late_cell_say_what_the_page_shows(status_badge, late_cell):
    badge = BeautifulSoup(str(status_badge("overdue")), "html.parser").span
    assert badge["class"] == ["badge", "late"]
    assert badge.get_text() == "Overdue"
    late = BeautifulSoup(str(late_cell(Lateness(12, 8, None))), "html.parser")
    assert late.get_text() == "12 days late (8 business days)"
    assert late.strong["class"] == ["late-text"]
    assert str(late_cell(Lateness(0, 0, 1))) == "1 day left"
    assert str(late_cell(Lateness(0, 0, 5))) == "5 days left"
    assert str(late_cell(Lateness(0, 0, None))) == "on time"
    assert (
        str(late_cell(Lateness(0, 0, None, stopped_by="closure"))) == "closed before the due date"
    )


def test_scorecard_figures_drop_a_whole_float_s_decimal():
    assert format_figure(None) == "—"
    assert format_figure(12.0, "%") == "12%"
    assert format_figure(12.5) == "12.5"
    assert format_figure(7) == "7"


def test_the_same_options_with_another_choice_mark_only_that_one(select_options):
    pairs = [(n, f"Institution {n}") for n in range(1, 300)]
    for chosen in (7, 250, 7, None, "nope"):
        soup = BeautifulSoup(
            f"<select>{select_options(list(pairs), chosen)}</select>", "html.parser"
        )
        marked = [o["value"] for o in soup.select("option[selected]")]
        assert marked == ([str(chosen)] if chosen in (7, 250) else [])
        assert len(soup.select("option")) == 299
