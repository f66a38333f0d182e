"""The home page after login."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def dashboard() -> str:
    """The reporter's dashboard."""
    return render_template("home/dashboard.html")
