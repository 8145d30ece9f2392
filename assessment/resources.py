"""Where the files the code reads are: content, templates, static files, migrations and translations.

In a checkout (and an editable install) the content, the templates and the migrations are the top-level
folders ``questionnaires/``, ``templates/`` and ``migrations/``; a wheel carries them inside the package, under
``assessment/_data/`` (``package-dir`` in pyproject.toml maps them there). The static files and the
translations are in the package in both. Every other module asks here instead of counting ``parents[...]``.

:func:`translations` is the one way to the gettext catalogues, for the report and the web app alike: the
compiled ``.mo`` when there is one at least as new as the ``.po``, else the ``.po`` compiled in memory, so an
install that never ran ``make setup`` (a wheel carries no ``.mo``) still speaks Japanese.
"""

from __future__ import annotations

import io
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.support import NullTranslations

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


@lru_cache(maxsize=4)
def translations(lang: str, directory: Path | None = None) -> NullTranslations:
    """The gettext translations for ``lang`` (English is the source language, so it has none).

    Read from ``messages.mo`` when it is there and not older than ``messages.po``; otherwise the ``.po``
    is compiled in memory (a few tens of milliseconds, once per process). A language without a catalogue
    gets the English message ids. ``directory`` defaults to :func:`translations_dir`.
    """
    from babel.support import NullTranslations, Translations

    folder = (directory or translations_dir()) / lang / "LC_MESSAGES"
    po_path, mo_path = folder / "messages.po", folder / "messages.mo"
    if lang == "en" or not (po_path.is_file() or mo_path.is_file()):
        return NullTranslations()
    if mo_path.is_file() and (not po_path.is_file() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as compiled:
            return Translations(fp=compiled)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)
