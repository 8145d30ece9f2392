"""The proposal's template context: the shared view of the diagnosis, plus what only the PDF has (its cover)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from babel.dates import format_date

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.i18n import context_translator
from assessment.presentation.view import Gettext, SinceLast, View, build_view, since_last
from assessment.presentation.view.across import RoundScores, TrendView, trend_view
from assessment.report.branding import Branding
from assessment.vocabulary import Lang


class ProposalContext(View):
    """The view, the firm and consultant it comes from, its date, and the change since the last round."""

    branding: Branding
    date: str
    since: SinceLast | None
    trend: TrendView | None


def build_context(
    diagnosis: Diagnosis,
    content: Content,
    lang: Lang,
    branding: Branding,
    today: date,
    _: Gettext,
    previous: Diagnosis | None = None,
    trend: Sequence[Mapping[str, Any]] | None = None,
) -> ProposalContext:
    """The template context of the proposal (``previous``: the last workshop round's diagnosis; ``trend``: the
    client's rounds with their scores, oldest first, as archived with the proposal)."""
    view = build_view(diagnosis, content, lang, _, branding.accent_color)
    since = since_last(previous, diagnosis, content, lang) if previous is not None else None
    rounds = [_round_scores(r) for r in trend or []]
    chart = trend_view(rounds, content, lang, branding.accent_color) if since is not None else None
    return {**view, "branding": branding, "date": proposal_date(today, lang), "since": since, "trend": chart}


def _round_scores(stored: Mapping[str, Any]) -> RoundScores:
    """A round's scores as archived (JSON): read defensively, a missing figure as 0."""
    axes = stored.get("axes") if isinstance(stored.get("axes"), Mapping) else {}
    return {
        "name": str(stored.get("name", "")),
        "overall": float(stored.get("overall") or 0.0),
        "axes": {str(k): float(v or 0.0) for k, v in (axes or {}).items()},
    }


def proposal_date(today: date, lang: Lang) -> str:
    """The cover's date (30 November 2026 in English), a CLDR pattern per language from the catalogue."""
    pgettext = context_translator(lang)
    return format_date(today, pgettext("date pattern", "d MMMM y"), locale=lang)
