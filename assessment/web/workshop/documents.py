"""A round as an assessment document: the survey, the final answers or the consensus, respondents and notes."""

from __future__ import annotations

import copy
from typing import Any

from assessment.engine.assessment_file import Assessment
from assessment.engine.workshop import RespondentAnswers, workshop_document
from assessment.web import current
from assessment.web.models import Engagement
from assessment.web.workshop import store as ws

NARRATIVE = ("notes", "plan")  # the consultant's writing: no score reads it, so it stays editable when closed


def round_document(engagement: Engagement, live: list[RespondentAnswers] | None = None) -> dict[str, Any]:
    """The round's assessment document: as it stands now while the round is open; once it is closed, as it was
    when it was closed (its snapshot), with the consultant's narrative and plan start as they are now.
    ``live``: an open round's respondents' answers (``respondents.answers_from``), when already loaded."""
    stored = ws.assessment_of(engagement).document
    frozen = ws.snapshot_of(engagement)
    if frozen is None or not isinstance(frozen.get("document"), dict):
        answers = live if live is not None and frozen is None else ws.answers_of(engagement)
        return workshop_document(stored, answers, current.content())
    document: dict[str, Any] = copy.deepcopy(frozen["document"])
    for key in NARRATIVE:
        document.pop(key, None)
        if stored.get(key):
            document[key] = copy.deepcopy(stored[key])
    return document


def round_assessment(engagement: Engagement) -> Assessment:
    """The round parsed as an Assessment (a 400 with its messages if the stored data is rejected)."""
    return current.parsed(round_document(engagement))
