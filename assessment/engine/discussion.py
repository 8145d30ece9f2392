"""The consensus discussion as the projector shows it: every checklist item, those the departments shown see
differently (perception gaps) first, widest first, then the others in the checklist's order; per item how
everyone answered, how each group shown answered (its median and its spread), the proposed consensus and the
consultant's final answer.

The groups are the anonymity's (``engine.anonymity``): a department too small to stand alone is merged into
"other", exactly as on the live screen, so a gap is one between the groups shown and there is none without a
breakdown. The proposed consensus and the final answer are the round's own (the consensus page's): they name no
department. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assessment.content.model import Checklist
from assessment.engine.anonymity import Group, merged
from assessment.engine.perception import Response, aggregate, answer_counts
from assessment.engine.workshop import ItemDecision


@dataclass(frozen=True)
class DiscussionItem:
    """One checklist item on the projected discussion view."""

    item_id: str
    number: int  # as in the results: the checklist's order, from 1
    gap: bool  # the groups shown see it differently (never without a breakdown)
    everyone: Mapping[str, int]  # how everyone answered (an item someone left open counts as "don't know")
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
    shown = aggregate(merged(groups), checklist, roles) if groups else None
    rows = []
    for number, item in enumerate(checklist.items, start=1):
        view = shown.item(item.id) if shown is not None else None
        decision = decided.get(item.id)
        rows.append(
            DiscussionItem(
                item_id=item.id,
                number=number,
                gap=bool(view and view.gap),
                everyone=answer_counts(r.answers.get(item.id, "unknown") for r in responses),
                views=dict(view.by_department) if view else {},
                spreads=dict(view.department_counts) if view else {},
                consensus=decision.consensus if decision else "unknown",
                final=decision.final if decision else None,
            )
        )
    spread = {v.item_id: v.spread for v in shown.items} if shown is not None else {}
    gaps = sorted((r for r in rows if r.gap), key=lambda r: -spread[r.item_id])
    return (*gaps, *(r for r in rows if not r.gap))
