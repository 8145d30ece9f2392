"""The web app: self-service diagnosis in the browser. ``create_app()`` is the application factory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from assessment import resources
from assessment.content.loader import load_content
from assessment.report.i18n import TRANSLATIONS_DIR
from assessment.web import hot_sql
from assessment.web.catalogue import Babel
from assessment.web.config import settings_from_env
from assessment.web.forms import build_pages
from assessment.web.models import db
from assessment.web.security import limiter, set_security_headers

LANGS = ("ja", "en")
csrf = CSRFProtect()
babel = Babel()


def select_locale() -> str:
    """The page language: ?lang= (remembered in a cookie), else the cookie, else Japanese."""
    wanted = request.args.get("lang") or request.cookies.get("lang")
    return wanted if wanted in LANGS else "ja"


def _tune_sqlite(engine: Any, busy_ms: int) -> None:
    """WAL lets pages read while a save writes; NORMAL sync is safe with WAL; a write waits ``busy_ms`` for
    another writer's lock, then fails and is answered "not saved, try again" (503)."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def set_pragmas(connection: Any, record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cursor.close()


class DatabaseId(IntegerConverter):
    """``<int:...>`` in every route: a number a database id can hold. A larger one (2^63 and up) is a 404, not
    an OverflowError from the database driver."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: settings, database, CSRF, translations, rate limits, blueprints and error pages."""
    import os

    test_config = dict(test_config or {})
    environ = test_config.pop("ENVIRON", None)
    paths_from = environ if environ is not None else os.environ
    app = Flask(
        __name__,
        instance_path=str(Path(paths_from.get("READINESS_INSTANCE_DIR") or resources.instance_dir()).resolve()),
        template_folder=str(resources.web_templates_dir()),
        static_folder=str(resources.static_dir()),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.url_map.converters["int"] = DatabaseId
    app.config.update(settings_from_env(app.instance_path, environ))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    if test_config:
        app.config.update(test_config)
    app.extensions["readiness.content"] = load_content()
    app.extensions["readiness.pages"] = build_pages(app.extensions["readiness.content"])

    db.init_app(app)
    with app.app_context():
        _tune_sqlite(db.engine, app.config["READINESS_SQLITE_BUSY_MS"])
    hot_sql.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    proxies = int(app.config.get("READINESS_TRUSTED_PROXIES", 0))
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.after_request(set_security_headers)

    from flask_migrate import Migrate

    Migrate(app, db, directory=str(resources.migrations_dir()))

    from assessment.web import engagements, errors, pdf, respond, views
    from assessment.web.accounts import init_accounts
    from assessment.web.wording import template_words

    pdf.configure(app.config["READINESS_PDF_WORKERS"], app.config["READINESS_PDF_CACHE_MB"] * 1_000_000)
    from assessment.web.purge import purge_command

    app.cli.add_command(purge_command)
    app.context_processor(template_words)
    app.register_blueprint(views.bp)
    app.register_blueprint(respond.bp)
    app.register_blueprint(engagements.bp)
    init_accounts(app)
    errors.register(app)
    return app
