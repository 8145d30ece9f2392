"""Readiness scores per checklist axis and overall, 0-100."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.content.model import Checklist
from assessment.vocabulary import ANSWER_CREDIT


@dataclass(frozen=True)
class AxisScore:
    """The score of one axis and how its items were answered."""

    axis: str
    score: float
    answered_yes: int
    to_confirm: int
    items: int


@dataclass(frozen=True)
class Scores:
    """Scores of every axis (in checklist order) and the weighted overall score."""

    axes: tuple[AxisScore, ...]
    overall: float

    def of(self, axis: str) -> float:
        """Return the score of ``axis``."""
        return next(a.score for a in self.axes if a.axis == axis)


def score(answers: Mapping[str, str], checklist: Checklist) -> Scores:
    """Score answers: yes counts the item's full weight, partial half, no and unknown nothing."""
    axes = []
    total_weight = total_credit = 0.0
    for axis in checklist.axes:
        items = [item for item in checklist.items if item.axis == axis.id]
        weight = sum(item.weight for item in items)
        credit = sum(item.weight * ANSWER_CREDIT[answers.get(item.id, "unknown")] for item in items)
        total_weight += weight
        total_credit += credit
        axes.append(
            AxisScore(
                axis=axis.id,
                score=_percent(credit, weight),
                answered_yes=sum(1 for item in items if answers.get(item.id) == "yes"),
                to_confirm=sum(1 for item in items if answers.get(item.id, "unknown") == "unknown"),
                items=len(items),
            )
        )
    return Scores(axes=tuple(axes), overall=_percent(total_credit, total_weight))


def _percent(credit: float, weight: float) -> float:
    return round(100.0 * credit / weight, 1) if weight else 0.0
