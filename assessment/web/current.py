"""What every page of a request shares: the loaded content, the questionnaire's pages and the page language."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from flask_babel import get_locale

from assessment.content.model import Content
from assessment.engine.assessment_file import Assessment, parse_assessment
from assessment.errors import AssessmentError
from assessment.vocabulary import Lang
from assessment.web.forms import Page
from assessment.web.locale import as_lang


def content() -> Content:
    """The content (questionnaires, rules, playbook) loaded once when the app was created."""
    loaded: Content = current_app.extensions["readiness.content"]
    return loaded


def pages(survey_only: bool = False) -> tuple[Page, ...]:
    """The questionnaire's pages; a workshop's survey link has the company and funnel pages only."""
    every: tuple[Page, ...] = current_app.extensions["readiness.pages"]
    return tuple(p for p in every if not p.id.startswith("checklist-")) if survey_only else every


def checklist_pages() -> tuple[Page, ...]:
    """The checklist's pages only (what a workshop respondent answers), one per axis."""
    every: tuple[Page, ...] = current_app.extensions["readiness.pages"]
    return tuple(p for p in every if p.id.startswith("checklist-"))


def lang() -> Lang:
    """The page language chosen for this request ("ja" or "en")."""
    return as_lang(str(get_locale()))


def parsed(document: dict[str, Any]) -> Assessment:
    """A stored document as an Assessment; one the loader rejects is a 400 with its first messages."""
    try:
        return parse_assessment(document, content())
    except AssessmentError as error:
        abort(400, description="; ".join(p.render(lang()) for p in error.problems[:5]))
