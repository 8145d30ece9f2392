"""The consensus discussion as the projector shows it: every checklist item, those the departments see differently
(perception gaps) first, widest first, then the others in the checklist's order; per item how everyone answered,
how each group shown answered (its median and its spread), the proposed consensus and the consultant's final
answer.

The gaps are the round's own, between the real departments, exactly as the consensus page finds them
(``perception.aggregate``): a lone customer-success person who disagrees with everyone makes a gap here too.
Only what is shown of each department is anonymous: the groups are the anonymity's (``engine.anonymity``), a
department too small to stand alone merged into "other" as on the live screen, and without a breakdown no
department's answers are shown at all (the gap flag says that the departments disagree, not who). The proposed
consensus and the final answer are the round's own (the consensus page's): they name no department. A person
who has not answered an item is counted as not answered, never as "don't know". Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessment.content.model import Checklist
from assessment.engine.anonymity import Group, merged
from assessment.engine.perception import Response, aggregate, answer_counts
from assessment.engine.workshop import ItemDecision
from assessment.vocabulary import NOT_ANSWERED


@dataclass(frozen=True)
class DiscussionItem:
    """One checklist item on the projected discussion view."""

    item_id: str
    number: int  # as in the results: the checklist's order, from 1
    gap: bool  # the departments see it differently (the consensus page's perception gap)
    everyone: Mapping[str, int]  # how everyone answered, and how many have not answered it (NOT_ANSWERED)
    views: Mapping[str, str]  # per group shown (THE MODEL's order, "other" last): the median of its people
    spreads: Mapping[str, Mapping[str, int]]  # per group shown: how its people answered
    consensus: str  # the round's proposed consensus
    final: str | None  # the consultant's final answer, if set


def discussion_items(
    responses: Sequence[Response], groups: Sequence[Group], settled: Sequence[ItemDecision], checklist: Checklist,
    roles: Sequence[str],
) -> tuple[DiscussionItem, ...]:  # fmt: skip
    """The items in the order they are discussed (see the module's docstring); ``responses`` are those who answered,
    ``groups`` what anonymity lets a screen show apart (``department_groups``), ``settled`` the round's decisions."""
    decided = {d.item_id: d for d in settled}
    round_views = aggregate(responses, checklist, roles)  # the real departments: the gaps, as on the consensus page
    shown = aggregate(merged(groups), checklist, roles) if groups else None
    rows = {}
    for number, item in enumerate(checklist.items, start=1):
        view = shown.item(item.id) if shown is not None else None
        decision = decided.get(item.id)
        rows[item.id] = DiscussionItem(
            item_id=item.id,
            number=number,
            gap=round_views.item(item.id).gap,
            everyone=answer_counts(r.answers.get(item.id, NOT_ANSWERED) for r in responses),
            views=dict(view.by_department) if view else {},
            spreads=dict(view.department_counts) if view else {},
            consensus=decision.consensus if decision else "unknown",
            final=decision.final if decision else None,
        )
    gaps = [rows[view.item_id] for view in round_views.gaps]  # widest first, as the consensus page lists them
    return (*gaps, *(row for row in rows.values() if not row.gap))
