"""Workshop answers from several departments: per-item views, a proposed consensus, perception gaps.

The seeds' core warning is that departments see the hand-offs differently. Each department's view of
an item is the median of its respondents' answers (so a department of five does not outvote a
department of one); a perception gap is an item where one department says it is in place and another says
it is not. The proposed consensus leans towards "not in place", as the consensus page says:

- on an item without a gap it is the lower median of the departments' definite views (a department that
  only answered "don't know" is left out: it does not outvote those who know);
- on an item with a gap the departments disagree, so nobody's "don't know" may tip it towards "in place":
  every department counts, "don't know" as "no", the lower median of those is taken, and it is at most
  "partial" (a department says the practice is not in place, so it is not in place across the company).
  Marketing yes, inside sales yes, customer success don't know, field sales no gives "no"; four
  departments yes and one no gives "partial". A gap item's proposal is therefore never "yes", and never
  better than the median of all departments with "don't know" counted as "no".

A person who has not answered an item weighs in the proposal exactly as "don't know" does (no level: left out
without a gap, "no" with one), but is never shown as "don't know": a department none of whose people answered
the item has the view ``NOT_ANSWERED`` ("not answered"), and beside each department's view the page shows how its
people answered (``ItemView.department_counts``): how many said each answer and, apart, how many have not
answered, so the counts of a department add up to its respondents.

Departments are listed in THE MODEL's order (the survey's roles: marketing, inside sales, field sales,
customer success, then the other roles), never in the order their people happened to join; a department the
roles do not name comes last, in the order it first answered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assessment.content.model import Checklist
from assessment.vocabulary import ANSWER_LEVEL, ANSWERS, NOT_ANSWERED

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
    distribution: Mapping[str, int]  # every answer given, and NOT_ANSWERED: how many have not answered it
    by_department: Mapping[str, str]  # the median view, "unknown" or NOT_ANSWERED when none of its people answered
    consensus: str
    gap: bool
    spread: int
    # per department (THE MODEL's order), how many of its people gave each answer (every answer, in ANSWERS order,
    # then NOT_ANSWERED)
    department_counts: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


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


def role_rank(roles: Sequence[str]) -> Callable[[str], int]:
    """A sort key for departments in THE MODEL's order (``roles``: the survey's departments, then its other
    roles); a department not among them sorts after all of them (a stable sort keeps their order)."""
    rank = {role: index for index, role in enumerate(roles)}
    return lambda department: rank.get(department, len(rank))


def in_role_order(departments: Iterable[str], roles: Sequence[str]) -> tuple[str, ...]:
    """The distinct departments, in THE MODEL's order (see ``role_rank``)."""
    return tuple(sorted(dict.fromkeys(departments), key=role_rank(roles)))


def aggregate(responses: Sequence[Response], checklist: Checklist, roles: Sequence[str]) -> Perception:
    """Aggregate respondents' answers per item and department; find the perception gaps. ``roles`` (the
    survey's roles) orders the departments."""
    departments = in_role_order((r.department for r in responses), roles)
    views = []
    for item in checklist.items:
        answers = [(r.department, r.answers.get(item.id, NOT_ANSWERED)) for r in responses]
        distribution = Counter(answer for _, answer in answers)
        said = {dept: [a for d, a in answers if d == dept] for dept in departments}
        by_department = {dept: _department_view(said[dept]) for dept in departments}
        levels = [_LEVEL[a] for a in by_department.values() if a in _LEVEL]
        spread = max(levels) - min(levels) if levels else 0
        gap = spread >= 2
        views.append(
            ItemView(
                item_id=item.id,
                distribution=dict(distribution),
                by_department=by_department,
                consensus=_proposed(list(by_department.values()), gap),
                gap=gap,
                spread=spread,
                department_counts={dept: answer_counts(said[dept]) for dept in departments},
            )
        )
    return Perception(tuple(views), len(responses), departments)


def answer_counts(answers: Iterable[str]) -> dict[str, int]:
    """How many of ``answers`` are each answer, every answer listed in the order offered (zero included), then
    how many are not answered (anything that is not an answer: an item left open), so the counts add up."""
    counts: dict[str, int] = dict.fromkeys((*ANSWERS, NOT_ANSWERED), 0)
    for answer in answers:
        counts[answer if answer in counts else NOT_ANSWERED] += 1
    return counts


def _proposed(views: Sequence[str], gap: bool) -> str:
    """The proposed consensus from the departments' views (see the module's docstring for the rule)."""
    if gap:
        counted = [_LEVEL.get(view, _LEVEL["no"]) for view in views]
        return _ANSWER[min(_lower_median(counted), _LEVEL["partial"])]
    levels = [_LEVEL[view] for view in views if view in _LEVEL]
    return _ANSWER[_lower_median(levels)] if levels else "unknown"


def _department_view(answers: Sequence[str]) -> str:
    """The median of a department's definite answers; else "don't know" if one of its people said so, else
    not answered (both weigh the same in the proposal: neither has a level)."""
    levels = [_LEVEL[a] for a in answers if a in _LEVEL]
    if levels:
        return _ANSWER[_lower_median(levels)]
    return "unknown" if "unknown" in answers else NOT_ANSWERED


def _lower_median(levels: Sequence[int]) -> int:
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]
