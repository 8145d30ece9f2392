"""The web app. ``create_app()`` is the application factory; each feature is a package with its blueprint:

- ``diagnosis``: the self-service diagnosis (questionnaire, review, results, files);
- ``respond``: a respondent's pages (a workshop's private link or join code, or a manager's colleague's link);
- ``team``: a manager's colleagues invited to the self-service diagnosis, their views and the final answers;
- ``workshop``: the consultant's clients, rounds, consensus, results, proposals, exports and live screen;
- ``accounts``: consultants signing in and out;
- ``firm``: a firm admin's pages: the firm's accounts, handing a leaver's clients over, the firm's look
  (``brand`` puts that look on the pages and the proposals).

App-wide pieces sit beside them: ``config``, ``extensions``, ``database``, ``locale``, ``security``, ``errors``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from assessment import resources
from assessment.content.loader import load_content
from assessment.report.i18n import TRANSLATIONS_DIR
from assessment.web import hot_sql
from assessment.web.config import settings_from_env
from assessment.web.database import DatabaseId, tune_postgresql, tune_sqlite
from assessment.web.extensions import babel, csrf
from assessment.web.forms import build_pages
from assessment.web.locale import remember_language, select_locale
from assessment.web.models import db
from assessment.web.security import limiter, set_security_headers


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app: settings, database, CSRF, translations, rate limits, blueprints and error pages."""
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
    _init_extensions(app)
    _init_features(app)
    return app


def _init_extensions(app: Flask) -> None:
    """Database (tuned SQLite or PostgreSQL), CSRF, translations, rate limits, proxies and response headers."""
    from flask_migrate import Migrate

    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine, app.config["READINESS_SQLITE_BUSY_MS"])
        tune_postgresql(db.engine, app.config["READINESS_SQLITE_BUSY_MS"])  # the same wait for a lock
    hot_sql.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    proxies = int(app.config.get("READINESS_TRUSTED_PROXIES", 0))
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.after_request(set_security_headers)
    app.after_request(remember_language)
    Migrate(app, db, directory=str(resources.migrations_dir()))


def _init_features(app: Flask) -> None:
    """The PDF workers, the words every template uses, the feature blueprints, commands and error pages."""
    from assessment.web import accounts, brand, diagnosis, errors, firm, pdf, render_queue, respond, team, workshop
    from assessment.web.purge import purge_command
    from assessment.web.wording import template_words

    pdf.configure(app.config["READINESS_PDF_WORKERS"], app.config["READINESS_PDF_CACHE_MB"] * 1_000_000)
    render_queue.init_app(app)  # with REDIS_URL: PDFs through the job queue, rendered by `flask worker`
    app.cli.add_command(purge_command)
    app.context_processor(template_words)
    app.context_processor(brand.template_look)
    app.register_blueprint(diagnosis.bp)
    app.register_blueprint(respond.bp)
    app.register_blueprint(team.bp)
    app.register_blueprint(workshop.bp)
    app.register_blueprint(firm.bp)
    app.register_blueprint(brand.bp)
    accounts.init_accounts(app)
    errors.register(app)
