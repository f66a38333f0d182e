"""Newsroom isolation: a user reaches only their own newsroom's rows; others are 404."""
from __future__ import annotations

from typing import TypeVar

from flask import abort
from flask_login import current_user

from tracker import db
from tracker.models import Institution, InfoRequest

Owned = TypeVar("Owned", Institution, InfoRequest)


def get_owned_or_404(model: type[Owned], object_id: int) -> Owned:
    """The row with this id if it belongs to the current user's newsroom, else 404."""
    row = db.session().get(model, object_id)
    if row is None or row.newsroom_id != current_user.newsroom_id:
        abort(404)
    return row
