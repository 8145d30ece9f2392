"""The app's own words in the reader's language: gettext, for every layer of the core.

One translation rule. A content word (an item, a rule, a task title) comes from the content's YAML ``Text``.
Every word of the app's own (notices, the text report, the CLI, the exports, the web pages, the PDF) is an
English message id looked up in the gettext catalogue, ``assessment/translations/ja/LC_MESSAGES/messages.po``,
through :func:`assessment.resources.translations` (cached there per language). English is the source
language: in English a message is its own id.

A message written where it is looked up is wrapped in ``_`` (or ``pgettext`` when the same English needs
other Japanese elsewhere). A message defined at import time and shown later is marked with :func:`N_`, and
:func:`as_text` gives a message in every language at once. ``make translations`` extracts all of them
(``pybabel extract -k N_ -k as_text ...``); ``tests/test_translation_rule.py`` keeps the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assessment.resources import translations
from assessment.vocabulary import LANGS, Lang, Text

Gettext = Callable[[str], str]
ContextGettext = Callable[[str, str], str]


def N_(message: str) -> str:
    """Mark ``message`` for extraction and return it untranslated (it is translated where it is shown)."""
    return message


def translator(lang: Lang) -> Gettext:
    """The gettext function for ``lang``: an English message id in, the message in ``lang`` out."""
    return translations(lang).gettext


def context_translator(lang: Lang) -> ContextGettext:
    """The pgettext function for ``lang``: (context, English message id) in, the message in ``lang`` out."""
    catalogue = translations(lang)

    def pgettext(context: str, message: str) -> str:
        return str(catalogue.pgettext(context, message))  # babel types it ``str | object``; it is the message

    return pgettext


def as_text(message: str, **params: Any) -> Text:
    """The app's own ``message`` in every language, ``{name}`` placeholders filled from ``params``.

    A parameter that is a :class:`Text` (a content word) is filled in the same language. For a model that
    holds app words beside content words as ``Text`` (a page title beside an axis title).
    """
    words: dict[str, str] = {}
    for lang in LANGS:
        words[lang] = translator(lang)(message)
        if params:
            values = {key: value.get(lang) if isinstance(value, Text) else value for key, value in params.items()}
            words[lang] = words[lang].format(**values)
    return Text(**words)
