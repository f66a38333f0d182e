"""WSGI entry point for gunicorn: ``gunicorn wsgi:app``."""

from __future__ import annotations

import sys

from tracker import create_app
from tracker.core.config import ConfigError
from tracker.core.db import check_connection

try:
    app = create_app()
    check_connection(app)
except (ConfigError, ConnectionError) as exc:
    print(f"tracker: {exc}", file=sys.stderr)
    sys.exit(1)
