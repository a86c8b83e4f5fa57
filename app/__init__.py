"""Siklus Kinerja: the Flask application factory."""
from flask import Flask, has_request_context, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from app import models  # noqa: F401  (register the tables)
from app.cli import register_cli
from app.config import ROOT, Config
from app.core.jobs import queue as job_queue
from app.core.jobs import timer_schedule
from app.extensions import babel, csrf, db, login_manager, migrate
from app.web import register_web


def _select_locale():
    # Jobs, the CLI and the tests' service calls have an app context but no request (and so no
    # session or signed-in user): there gettext answers in the default language, the msgids.
    if not has_request_context():
        return Config.BABEL_DEFAULT_LOCALE
    chosen = session.get("lang")
    if chosen in Config.LANGUAGES:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False):
        return current_user.language
    # Bahasa Indonesia is the default whatever the browser asks for; English is chosen explicitly.
    return Config.BABEL_DEFAULT_LOCALE


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.from_object(Config)
    if overrides:
        app.config.update(overrides)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Web requests, the in-process job runner (or worker processes) write to one SQLite file:
        # a writer waits for the lock rather than failing after SQLite's default 5 seconds.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options

    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir())
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk untuk membuka halaman ini."
    login_manager.login_message_category = "warning"

    # Imported here, not at the top: wiring imports every area's task types, and those import
    # forms/; a form module importing app.rules runs this module first, so a top-level import
    # would make `import forms.tasks` (in a script or a job) circular.
    from app.services import wiring

    wiring.register_operators()
    wiring.register_task_types()  # before register_web: its template globals read the task types
    register_web(app)
    register_cli(app)
    timer_schedule.install()
    job_queue.init_app(app)
    return app


def _migrations_dir() -> str:
    return str(ROOT / "migrations")
