"""Which departments' answers a projected screen may show apart, so that nobody's answer can be picked out.

A department is shown on its own only when at least ``minimum`` of its people have answered; the others are
merged into "other" (the survey's own "other" role, whose people join it too). That merged group is shown only
when it, too, reaches ``minimum``. When it is not empty but smaller, the smallest department shown is merged
into it as well (the last in THE MODEL's order on a tie), again until it is big enough: otherwise the overall
distribution minus the departments shown would give away the small group's answers. With fewer than two groups
left (fewer than ``minimum`` answering in all, or everyone in one group) there is no breakdown at all: the
screen shows the overall distribution only.

Only what is shown is anonymised. Perception gaps are found between the real departments (``round_gaps``, as
the consensus page finds them), never between the groups: merging a lone dissenting department into "other"
must not make its gap disappear from the projected screens. Flagging a gap says that the departments disagree,
not which department said what.

The groups are made once for the whole round from the people who answered at least one item; within a group an
item may have fewer answers than the group has people (someone who has not reached it yet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assessment.content.model import Content
from assessment.engine.perception import Response, aggregate, answer_counts, role_rank
from assessment.vocabulary import NOT_ANSWERED

OTHER = "other"


@dataclass(frozen=True)
class Group:
    """A department shown on its own, or the merged "other" group, and the people in it."""

    department: str
    members: tuple[Response, ...]


def department_groups(responses: Sequence[Response], roles: Sequence[str], minimum: int) -> tuple[Group, ...]:
    """The groups a screen may show apart (THE MODEL's order, "other" last), or () for the overall only."""
    answered = [r for r in responses if r.answers]
    minimum = max(1, minimum)
    if len(answered) < minimum:
        return ()
    rank = role_rank(roles)
    sizes = Counter(r.department for r in answered)
    shown = sorted((d for d, n in sizes.items() if n >= minimum and d != OTHER), key=rank)
    rest = len(answered) - sum(sizes[d] for d in shown)
    while 0 < rest < minimum and shown:
        smallest = min(reversed(shown), key=lambda d: sizes[d])
        shown.remove(smallest)
        rest += sizes[smallest]
    groups = [Group(d, tuple(r for r in answered if r.department == d)) for d in shown]
    if rest:
        groups.append(Group(OTHER, tuple(r for r in answered if r.department not in shown)))
    return tuple(groups) if len(groups) >= 2 else ()


def merged(groups: Sequence[Group]) -> list[Response]:
    """The grouped responses, each with its group's department in place of its own."""
    return [replace(r, department=g.department) for g in groups for r in g.members]


def anonymous(responses: Sequence[Response], groups: Sequence[Group]) -> list[Response]:
    """The responses as a projected screen may show what their people wrote: no name, and each with its group's
    department in place of its own (a small department's is "other"), or none at all without a breakdown."""
    group_of = {id(r): g.department for g in groups for r in g.members}
    return [replace(r, department=group_of.get(id(r), ""), respondent="") for r in responses]


def group_distribution(groups: Sequence[Group], content: Content) -> dict[str, list[dict[str, object]]]:
    """Per item id, each group's answer counts: ``{"department", "people", "counts", "answered"}`` (``counts``:
    every answer and, apart, how many of its people have not answered the item, adding up to ``people``)."""
    rows: dict[str, list[dict[str, object]]] = {}
    for item in content.checklist.items:
        rows[item.id] = []
        for group in groups:
            counts = answer_counts(response.answers.get(item.id, NOT_ANSWERED) for response in group.members)
            rows[item.id].append(
                {
                    "department": group.department,
                    "people": len(group.members),
                    "counts": counts,
                    "answered": len(group.members) - counts[NOT_ANSWERED],
                }
            )
    return rows


def round_gaps(responses: Sequence[Response], content: Content) -> list[str]:
    """The items the round's real departments see differently (widest first), exactly the consensus page's
    perception gaps, whatever the groups a screen may show apart."""
    perception = aggregate(responses, content.checklist, content.survey.roles)
    return [view.item_id for view in perception.gaps]
