"""Buttons (with CSRF tokens) of the calendar feed settings page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField


class IssueFeedForm(FlaskForm):
    """Make a feed address, or replace the one in force."""

    submit = SubmitField("Make a feed address")


class RevokeFeedForm(FlaskForm):
    """Stop the feed address from working."""

    submit = SubmitField("Turn the feed off")
