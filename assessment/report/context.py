"""The proposal's template context: the shared view of the diagnosis, plus what only the PDF has (its cover)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.i18n import context_translator
from assessment.presentation.view import Gettext, SinceLast, View, build_view, since_last
from assessment.report.branding import Branding
from assessment.vocabulary import Lang


class ProposalContext(View):
    """The view, the firm and consultant it comes from, its date, and the change since the last round."""

    branding: Branding
    date: str
    since: SinceLast | None


def build_context(
    diagnosis: Diagnosis,
    content: Content,
    lang: Lang,
    branding: Branding,
    today: date,
    _: Gettext,
    previous: Diagnosis | None = None,
) -> ProposalContext:
    """The template context of the proposal (``previous``: the last workshop round's diagnosis)."""
    view = build_view(diagnosis, content, lang, _, branding.accent_color)
    since = since_last(previous, diagnosis, content, lang) if previous is not None else None
    return {**view, "branding": branding, "date": proposal_date(today, lang), "since": since}


def proposal_date(today: date, lang: Lang) -> str:
    """The cover's date (30 November 2026 in English), a CLDR pattern per language from the catalogue."""
    pgettext = context_translator(lang)
    return format_date(today, pgettext("date pattern", "d MMMM y"), locale=lang)
