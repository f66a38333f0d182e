"""The access-to-information request tracker: a Flask application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_login import LoginManager, current_user
from flask_wtf import CSRFProtect

from tracker.core.config import PROJECT_ROOT, build_config

__version__ = "0.1.0"

csrf = CSRFProtect()
login_manager = LoginManager()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the tracker. Settings come from ``TRACKER_*`` variables; tests pass overrides."""
    config = build_config(overrides=test_config)
    app = Flask(
        __name__,
        instance_path=config["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config)
    if app.config.get("PROXY_COUNT"):
        # Trust X-Forwarded-For/-Proto from exactly this many proxies: the client's address
        # (throttling, the sessions page) is then the one the nearest proxy saw.
        from werkzeug.middleware.proxy_fix import ProxyFix

        proxies = app.config["PROXY_COUNT"]
        # Flask's documented way to wrap the WSGI app; mypy refuses assigning to a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure_logging(app: Flask) -> None:
    """Log at the configured level."""
    app.logger.setLevel(app.config["LOG_LEVEL"])
    logging.getLogger("tracker").setLevel(app.config["LOG_LEVEL"])


def register_extensions(app: Flask) -> None:
    """Database, languages, CSRF protection and login sessions (kept on the server, tracker.auth.sessions)."""
    from flask import g, request, session

    from tracker.auth import sessions
    from tracker.core import clock, db
    from tracker.core.models import User
    from tracker.language import i18n

    db.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.lazy_gettext("Please log in to see this page.")
    login_manager.localize_callback = str  # the lazy message, in the reader's language
    login_manager.login_message_category = "info"
    bounds = sessions.limits(app.config)

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        secret = session.get(sessions.COOKIE_KEY)
        found = None
        if user_id.isdigit() and isinstance(secret, str):
            found = sessions.load(db.session(), int(user_id), secret, clock.now(), bounds)
        if found is None:
            # Ended, expired or deactivated: the cookie stops naming anyone.
            for key in ("_user_id", "_fresh", "_id", sessions.COOKIE_KEY):
                session.pop(key, None)
            return None
        user, g.user_session_id = found
        return user

    @app.before_request
    def load_session_first() -> None:
        # The session's check may write last_seen_at: do it before the view's own work.
        if request.endpoint != "static" and "_user_id" in session:
            _ = current_user.is_authenticated


def register_blueprints(app: Flask) -> None:
    """Each feature is a blueprint; every page but login needs a session."""
    from tracker.alerts.views import bp as alerts_bp
    from tracker.api.settings_views import bp as api_tokens_bp
    from tracker.api.views import bp as api_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.exports.views import bp as exports_bp
    from tracker.feeds.views import bp as feeds_bp
    from tracker.home.views import bp as home_bp
    from tracker.imports.views import bp as imports_bp
    from tracker.institutions.views import bp as institutions_bp
    from tracker.language.views import bp as language_bp
    from tracker.letters.views import bp as letters_bp
    from tracker.mail_in.views import bp as mail_in_bp
    from tracker.packets.views import bp as packets_bp
    from tracker.people.views import bp as people_bp
    from tracker.projects.views import bp as projects_bp
    from tracker.records.views import bp as records_bp
    from tracker.reminders.views import bp as reminders_bp
    from tracker.requests.views import bp as requests_bp
    from tracker.scorecards.views import bp as scorecards_bp

    app.register_blueprint(alerts_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(institutions_bp)
    app.register_blueprint(requests_bp)
    app.register_blueprint(packets_bp)
    app.register_blueprint(letters_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(api_tokens_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(exports_bp)
    app.register_blueprint(scorecards_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(projects_bp)
    app.register_blueprint(reminders_bp)
    app.register_blueprint(language_bp)
    app.register_blueprint(records_bp)
    app.register_blueprint(mail_in_bp)


def register_errorhandlers(app: Flask) -> None:
    """Error pages in the tracker's layout."""
    from tracker.core.errors import register_errorhandlers as register

    register(app)


def register_security(app: Flask) -> None:
    """Security headers on every response."""
    from tracker.core.security import register_security_headers

    register_security_headers(app)


def register_template_helpers(app: Flask) -> None:
    """Filters for dates and times in the newsroom's time zone."""
    from tracker.core.display import register_filters

    register_filters(app)


def register_commands(app: Flask) -> None:
    """The ``flask --app tracker ...`` commands."""
    from tracker.cli import register

    register(app)
