"""Flask-Babel reading the app's catalogues through :func:`assessment.resources.translations`, as the report
does: the compiled ``.mo`` when there is one, else the ``.po`` compiled in memory. Flask-Babel alone reads only
``.mo`` files, and without them (an install that never ran ``make setup``) served English on Japanese pages.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import flask_babel
from babel.support import NullTranslations

from assessment.resources import translations


class CatalogueDomain(flask_babel.Domain):  # type: ignore[misc]  # Flask-Babel publishes no types
    """The ``messages`` domain, its catalogue per locale from :func:`assessment.resources.translations`."""

    def get_translations(self) -> Any:
        """The catalogue of the request's locale (none outside a request)."""
        locale = flask_babel.get_locale()
        return NullTranslations() if locale is None else translations(str(locale))


class Babel(flask_babel.Babel):  # type: ignore[misc]  # Flask-Babel publishes no types
    """Flask-Babel with :class:`CatalogueDomain` as the default domain."""

    @cached_property
    def domain_instance(self) -> CatalogueDomain:
        """The default domain (``gettext``, ``lazy_gettext`` and the templates' ``_`` all go through it)."""
        return CatalogueDomain()
