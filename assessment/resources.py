"""Where the files the code reads are: content, templates, static files, migrations and translations.

In a checkout (and an editable install) the content, the templates and the migrations are the top-level
folders ``questionnaires/``, ``templates/`` and ``migrations/``; a wheel carries them inside the package, under
``assessment/_data/`` (``package-dir`` in pyproject.toml maps them there). The static files and the
translations are in the package in both. Every other module asks here instead of counting ``parents[...]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
_BUNDLED = PACKAGE / "_data"  # only in an installed wheel
_CHECKOUT = PACKAGE.parent


def installed() -> bool:
    """True when running from an installed wheel (the data folders inside the package), not a checkout."""
    return _BUNDLED.is_dir()


def _data(name: str) -> Path:
    return _BUNDLED / name if installed() else _CHECKOUT / name


def content_dir() -> Path:
    """The bundled content: the questionnaire, benchmarks, rules, organisation phases, tasks and playbook."""
    return _data("questionnaires")


def sample_path() -> Path:
    """The bundled sample assessment file."""
    return content_dir() / "samples" / "sample.yaml"


def web_templates_dir() -> Path:
    """The web app's Jinja templates."""
    return _data("templates") / "web"


def report_templates_dir() -> Path:
    """The proposal's template and stylesheet."""
    return _data("templates") / "report"


def migrations_dir() -> Path:
    """The database migrations (Alembic, through Flask-Migrate)."""
    return _data("migrations")


def static_dir() -> Path:
    """The web app's static files (CSS, JavaScript, icon)."""
    return PACKAGE / "web" / "static"


def translations_dir() -> Path:
    """The gettext catalogues: ``<lang>/LC_MESSAGES/messages.po`` (and ``.mo`` once compiled)."""
    return PACKAGE / "translations"


def instance_dir() -> Path:
    """The default instance folder (database, keys, PDF cache) when READINESS_INSTANCE_DIR is not set:
    ``instance/`` in a checkout; in an install, ``<prefix>/var/readiness-instance`` (Flask's convention),
    never inside site-packages."""
    return Path(sys.prefix) / "var" / "readiness-instance" if installed() else _CHECKOUT / "instance"
