"""A workshop round as data: respondents' answers, the consultant's final answers, and what the diagnosis reads.

Pure: no Flask, no database. The web app hands in plain dicts; this module decides which answer counts for
each checklist item (the consultant's final answer after discussion, else the proposed consensus of the
departments) and builds the assessment document the diagnosis and the PDF are made from.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from assessment.content.model import Content
from assessment.engine.perception import Perception, Response, aggregate, answer_counts, role_rank
from assessment.vocabulary import ANSWERS, NOT_ANSWERED


@dataclass(frozen=True)
class RespondentAnswers:
    """One respondent's stored answers, as the export and the aggregation see them."""

    department: str
    name: str
    answers: Mapping[str, str]
    comments: Mapping[str, str] = field(default_factory=dict)
    number: int = 0  # the respondent's number in the round, in the order they were invited (1, 2, ...)
    answered_at: datetime | None = None  # their last save


@dataclass(frozen=True)
class ItemDecision:
    """One checklist item in the consensus view: what each side said and which answer the diagnosis uses."""

    item_id: str
    consensus: str  # the departments' proposed consensus ("unknown" when nobody answered)
    final: str | None  # the consultant's answer after discussion, if one was set
    note: str
    gap: bool

    @property
    def settled(self) -> str:
        """The answer the diagnosis reads: the final one if set, else the proposed consensus."""
        return self.final if self.final is not None else self.consensus


def in_model_order(respondents: Sequence[RespondentAnswers], roles: Sequence[str]) -> list[RespondentAnswers]:
    """The respondents by department in THE MODEL's order (``roles``: the survey's roles), never by who joined
    first; within a department they keep the order given."""
    rank = role_rank(roles)
    return sorted(respondents, key=lambda r: rank(r.department))


def perception_of(respondents: Sequence[RespondentAnswers], content: Content) -> Perception:
    """Aggregate the respondents (those with at least one answer) per item and department, in THE MODEL's order."""
    return aggregate(responses_of(respondents), content.checklist, content.survey.roles)


def responses_of(respondents: Sequence[RespondentAnswers]) -> list[Response]:
    """The respondents who answered at least one item, as the aggregation reads them (comments included)."""
    return [
        Response(department=r.department, answers=dict(r.answers), respondent=r.name, comments=dict(r.comments))
        for r in respondents
        if r.answers
    ]


def decisions(perception: Perception, document: Mapping[str, Any]) -> tuple[ItemDecision, ...]:
    """Per item: the proposed consensus, the consultant's final answer and note (from the document), the gap flag."""
    finals = document.get("checklist") or {}
    notes = document.get("comments") or {}
    return tuple(
        ItemDecision(
            item_id=view.item_id,
            consensus=view.consensus,
            final=finals.get(view.item_id) if finals.get(view.item_id) in ANSWERS else None,
            note=str(notes.get(view.item_id) or ""),
            gap=view.gap,
        )
        for view in perception.items
    )


def workshop_document(
    document: Mapping[str, Any], respondents: Sequence[RespondentAnswers], content: Content
) -> dict[str, Any]:
    """The assessment document of a workshop round: survey and notes as stored, every respondent, and per item
    the final answer where the consultant set one, else the proposed consensus (items nobody answered stay open)."""
    result = copy.deepcopy(dict(document))
    answered = in_model_order([r for r in respondents if r.answers], content.survey.roles)
    if not answered:
        result.pop("respondents", None)
        return result
    perception = perception_of(answered, content)
    checklist = dict(result.get("checklist") or {})
    for view in perception.items:
        if view.item_id not in checklist and view.consensus != "unknown":
            checklist[view.item_id] = view.consensus
    result["checklist"] = checklist
    result["respondents"] = [
        {"department": r.department, "name": r.name, "answers": dict(r.answers)}
        | ({"comments": dict(r.comments)} if r.comments else {})
        for r in answered
    ]
    return result


def set_final_answer(document: dict[str, Any], item_id: str, answer: str | None, note: str) -> None:
    """Record the consultant's final answer and note for one item (None: follow the proposed consensus)."""
    checklist = document.setdefault("checklist", {})
    comments = document.setdefault("comments", {})
    if answer in ANSWERS:
        checklist[item_id] = answer
    else:
        checklist.pop(item_id, None)
    if note.strip():
        comments[item_id] = note.strip()
    else:
        comments.pop(item_id, None)


def distribution(respondents: Sequence[RespondentAnswers], content: Content) -> list[dict[str, Any]]:
    """Per item, how many of those who have started (answered at least one item) gave each answer and, apart,
    how many have not answered it (NOT_ANSWERED), so the counts add up to them: the live workshop screen's bars,
    counted as the consensus discussion counts them."""
    started = [r for r in respondents if r.answers]
    rows = []
    for item in content.checklist.items:
        counts = answer_counts(r.answers.get(item.id, NOT_ANSWERED) for r in started)
        rows.append({"item": item.id, "counts": counts, "answered": len(started) - counts[NOT_ANSWERED]})
    return rows


def participation(respondents: Sequence[RespondentAnswers], total_items: int, roles: Sequence[str]) -> dict[str, Any]:
    """How many people have joined, started and finished, and who came from which department (``roles``, the
    survey's departments and other roles, gives their order)."""
    by_department = {role: 0 for role in roles}
    for respondent in respondents:
        by_department[respondent.department] = by_department.get(respondent.department, 0) + 1
    return {
        "invited": len(respondents),
        "started": sum(1 for r in respondents if r.answers),
        "finished": sum(1 for r in respondents if len(r.answers) >= total_items),
        "by_department": {role: n for role, n in by_department.items() if n},
    }


@dataclass(frozen=True)
class AnswerChange:
    """One checklist answer a save would change (None: not answered)."""

    item_id: str
    before: str | None
    after: str | None


def proposed_final(decision: ItemDecision) -> str | None:
    """The answer a manager's final-answers form starts from: the departments' proposed consensus, or the answer
    already set where no department answered the item."""
    return decision.consensus if decision.consensus != "unknown" else decision.final


def answer_changes(document: Mapping[str, Any], wanted: Mapping[str, str | None]) -> tuple[AnswerChange, ...]:
    """The checklist answers that setting ``wanted`` (item id -> answer, None to clear) would change, in the
    order given: what a manager is shown before their own answers are overwritten."""
    stored = document.get("checklist") or {}
    changes = []
    for item_id, after in wanted.items():
        before = stored.get(item_id) if stored.get(item_id) in ANSWERS else None
        if before != after:
            changes.append(AnswerChange(item_id, before, after))
    return tuple(changes)
