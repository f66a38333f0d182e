"""Buttons (with CSRF tokens) of the calendar feed settings page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField

from tracker.language.i18n import lazy_gettext


class IssueFeedForm(FlaskForm):
    """Make a feed address, or replace the one in force."""

    submit = SubmitField(lazy_gettext("Make a feed address"))


class RevokeFeedForm(FlaskForm):
    """Stop the feed address from working."""

    submit = SubmitField(lazy_gettext("Turn the feed off"))
