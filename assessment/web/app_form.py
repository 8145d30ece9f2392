"""The base of the app's own forms: Flask-WTF, with WTForms' built-in messages in the visitor's language.

WTForms' messages ("This field is required.") are translated by the app's catalogue rather than WTForms'
own (``WTF_I18N_ENABLED`` is off: Flask-WTF reloads that catalogue from disk on every request, and its
Japanese is partial and stilted). The messages the app's validators can produce are listed below so that
``make translations`` extracts them.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_translations, lazy_gettext, lazy_ngettext
from flask_wtf import FlaskForm

WTFORMS_MESSAGES = (
    lazy_gettext("This field is required."),
    lazy_gettext("Not a valid choice."),
    lazy_gettext("Not a valid integer value."),
    lazy_gettext("Not a valid date value."),
    lazy_gettext("Number must be between %(min)s and %(max)s."),
    lazy_gettext("Field must be between %(min)d and %(max)d characters long."),
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 2
    ),
    lazy_ngettext(
        "Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 2
    ),
)


class _Catalogue:
    """WTForms' translations interface over the app's Flask-Babel catalogue (no formatting: WTForms does it)."""

    def gettext(self, string: str) -> str:
        return str(get_translations().gettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(get_translations().ngettext(singular, plural, n))


_CATALOGUE = _Catalogue()


class AppForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF publishes no types
    """A Flask-WTF form whose built-in validation messages follow the visitor's language."""

    class Meta:
        """WTForms' per-form settings: only the translations change."""

        def get_translations(self, form: Any) -> _Catalogue:
            """The app's catalogue, in the language of the current request."""
            return _CATALOGUE
