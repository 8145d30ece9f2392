"""A round as an assessment document: the survey, the final answers or the consensus, respondents and notes."""

from __future__ import annotations

from typing import Any

from assessment.engine.assessment_file import Assessment
from assessment.engine.workshop import workshop_document
from assessment.web import current
from assessment.web.models import Engagement
from assessment.web.workshop import store as ws


def round_document(engagement: Engagement) -> dict[str, Any]:
    """The round's assessment document as it stands now."""
    return workshop_document(ws.assessment_of(engagement).document, ws.answers_of(engagement), current.content())


def round_assessment(engagement: Engagement) -> Assessment:
    """The round parsed as an Assessment (a 400 with its messages if the stored data is rejected)."""
    return current.parsed(round_document(engagement))
