"""Workshop answers from several departments: per-item views, a proposed consensus, perception gaps.

The seeds' core warning is that departments see the hand-offs differently. Each department's view of
an item is the median of its respondents' answers (so a department of five does not outvote a
department of one); the proposed consensus is the lower median of the department views (when in doubt,
treat it as not yet in place); a perception gap is an item where one department says it is in place and
another says it is not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assessment.content.model import Checklist
from assessment.vocabulary import ANSWER_LEVEL

# Where a respondent comes from is content (survey.yaml: the departments, then other_roles; Survey.roles).
# This copy of the bundled survey's roles is kept for the web forms, which import it by this name until they
# read content.survey.roles; a test holds it equal to the bundled survey's.
_LEVEL = ANSWER_LEVEL
_ANSWER = {level: answer for answer, level in ANSWER_LEVEL.items()}


@dataclass(frozen=True)
class Response:
    """One respondent's answers, tagged with their department."""

    department: str
    answers: Mapping[str, str]
    respondent: str = ""
    comments: Mapping[str, str] = field(default_factory=dict)  # what they wrote beside an item, by item id


@dataclass(frozen=True)
class ItemView:
    """How the departments answered one item, and what the workshop should start from."""

    item_id: str
    distribution: Mapping[str, int]
    by_department: Mapping[str, str]
    consensus: str
    gap: bool
    spread: int


@dataclass(frozen=True)
class Perception:
    """The aggregation of all responses: one view per checklist item, in checklist order."""

    items: tuple[ItemView, ...]
    respondents: int
    departments: tuple[str, ...]

    @property
    def gaps(self) -> tuple[ItemView, ...]:
        """Items where departments disagree, widest disagreement first."""
        return tuple(sorted((v for v in self.items if v.gap), key=lambda v: -v.spread))

    def item(self, item_id: str) -> ItemView:
        """The view of one item."""
        return next(v for v in self.items if v.item_id == item_id)


def aggregate(responses: Sequence[Response], checklist: Checklist) -> Perception:
    """Aggregate respondents' answers per item and department; find the perception gaps."""
    departments = tuple(dict.fromkeys(r.department for r in responses))
    views = []
    for item in checklist.items:
        answers = [(r.department, r.answers.get(item.id, "unknown")) for r in responses]
        distribution = Counter(answer for _, answer in answers)
        by_department = {dept: _department_view([a for d, a in answers if d == dept]) for dept in departments}
        levels = [_LEVEL[a] for a in by_department.values() if a in _LEVEL]
        spread = max(levels) - min(levels) if levels else 0
        consensus = _ANSWER[_lower_median(levels)] if levels else "unknown"
        views.append(
            ItemView(
                item_id=item.id,
                distribution=dict(distribution),
                by_department=by_department,
                consensus=consensus,
                gap=spread >= 2,
                spread=spread,
            )
        )
    return Perception(tuple(views), len(responses), departments)


def _department_view(answers: Sequence[str]) -> str:
    levels = [_LEVEL[a] for a in answers if a in _LEVEL]
    return _ANSWER[_lower_median(levels)] if levels else "unknown"


def _lower_median(levels: Sequence[int]) -> int:
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]
