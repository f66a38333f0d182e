"""Newsroom isolation: a user reaches only their own newsroom's rows; others are 404."""

from __future__ import annotations

from typing import TypeVar

from flask import abort
from flask_login import current_user

from tracker.core import db
from tracker.core.models import InfoRequest, Institution

Owned = TypeVar("Owned", Institution, InfoRequest)


def get_owned_or_404(model: type[Owned], object_id: int) -> Owned:
    """The row with this id if it belongs to the current user's newsroom, else 404."""
    row = db.session().get(model, object_id)
    if row is None or row.newsroom_id != current_user.newsroom_id:
        abort(404)
    return row


def load_owned_request_or_404(request_id: int) -> InfoRequest:
    """A request of the current user's newsroom with its timeline and files loaded, else 404."""
    from tracker.requests.service import load_request

    request = load_request(db.session(), request_id)
    if request is None or request.newsroom_id != current_user.newsroom_id:
        abort(404)
    return request
