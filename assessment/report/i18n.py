"""Translations of the report's and the app's own words (gettext catalogues under assessment/translations).

English message ids, Japanese in ``translations/ja/LC_MESSAGES/messages.po``. ``make setup`` compiles
the ``.mo`` next to it (read with the standard library, as Flask-Babel does); when that is missing or
older than the ``.po``, the ``.po`` is compiled in memory, so a stale build never shows old wording.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache

from assessment import resources

TRANSLATIONS_DIR = resources.translations_dir()


@lru_cache(maxsize=4)
def translations(lang: str) -> gettext.NullTranslations:
    """Return the gettext translations for ``lang`` (English is the source language)."""
    if lang == "en":
        return gettext.NullTranslations()
    folder = TRANSLATIONS_DIR / lang / "LC_MESSAGES"
    po_path, mo_path = folder / "messages.po", folder / "messages.mo"
    if mo_path.is_file() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        with mo_path.open("rb") as compiled:
            return gettext.GNUTranslations(compiled)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)
