"""Translations of the report's and the app's own words (gettext catalogues under assessment/translations).

English message ids, Japanese in ``translations/ja/LC_MESSAGES/messages.po``. ``make setup`` compiles
the ``.mo`` next to it; when that is missing or older than the ``.po``, the ``.po`` is compiled in memory,
so a stale build never shows old wording. :func:`assessment.resources.translations` does it, for the web
app (Flask-Babel) too.
"""

from __future__ import annotations

from assessment.resources import translations, translations_dir

TRANSLATIONS_DIR = translations_dir()

__all__ = ["TRANSLATIONS_DIR", "translations"]
