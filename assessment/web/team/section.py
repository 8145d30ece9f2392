"""The team's answers beside the manager's: the diagnosis's document with them, and the results page's section.

Both go through the workshop's core: ``workshop_document`` (the manager's answers count as the final ones, an item
the manager left open takes the departments' proposed consensus, and the respondents give the perception) and
``perception_of`` / ``decisions`` (each department's view, the gaps, the proposed consensus)."""

from __future__ import annotations

from typing import Any

from assessment.engine.wording import role_label
from assessment.engine.workshop import RespondentAnswers, decisions, in_model_order, perception_of, workshop_document
from assessment.presentation.view.words import answer_labels
from assessment.vocabulary import ANSWERS
from assessment.web import current
from assessment.web.models import SelfAssessment
from assessment.web.workshop import respondents as rs


def answered(row: SelfAssessment) -> list[RespondentAnswers]:
    """The colleagues whose answers count: links not revoked, at least one statement answered."""
    return [person for person in rs.answers_of(row) if person.answers]


def team_document(row: SelfAssessment) -> dict[str, Any]:
    """The document the diagnosis and the PDF are made from: the manager's own, with the team's answers once a
    colleague has answered (the manager's document as stored otherwise, untouched)."""
    people = answered(row)
    if not people:
        return dict(row.document)
    return workshop_document(row.document, people, current.content())


def team_section(row: SelfAssessment) -> dict[str, Any]:
    """What ``_team_views.html`` shows: how many were invited and answered, and per item each department's view,
    the proposed consensus and the manager's answer."""
    content, lang = current.content(), current.lang()
    people = answered(row)
    perception = perception_of(people, content) if people else None
    remarks: dict[str, list[tuple[str, str]]] = {}
    for person in in_model_order(
        people, content.survey.roles
    ):  # what each colleague wrote beside a statement, with who wrote it
        who = " · ".join(part for part in (role_label(person.department, content, lang), person.name) if part)
        for item_id, comment in person.comments.items():
            remarks.setdefault(item_id, []).append((who, comment))
    return {
        "token": row.token,
        "remarks": remarks,
        "invited": rs.respondent_count(row),
        "answered": len(people),
        "perception": perception,
        "decisions": decisions(perception, row.document) if perception else (),
        "items": {item.id: item for item in content.checklist.items},
        "role": lambda role: role_label(role, content, lang),
        "answer_labels": answer_labels(content),
        "answers": ANSWERS,
    }
