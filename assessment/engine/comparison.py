"""Re-assessment: what changed since the last workshop (scores, items, tasks done, risks)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.engine.diagnosis import Diagnosis
from assessment.vocabulary import ANSWER_CREDIT


@dataclass(frozen=True)
class ItemChange:
    """An item whose answer moved between two assessments."""

    item_id: str
    before: str
    after: str
    improved: bool


@dataclass(frozen=True)
class Comparison:
    """The difference between a previous diagnosis and the current one."""

    axis_deltas: dict[str, float]
    overall_delta: float
    item_changes: tuple[ItemChange, ...]
    tasks_completed: tuple[str, ...]
    risks_resolved: tuple[str, ...]
    risks_new: tuple[str, ...]
    risks_still_disputed: tuple[str, ...] = ()  # no longer raised, but the perception gaps behind them remain


def compare(previous: Diagnosis, current: Diagnosis) -> Comparison:
    """Compare two diagnoses of the same client, the earlier one first."""
    before_axes = {a.axis: a.score for a in previous.scores.axes}
    deltas = {a.axis: round(a.score - before_axes.get(a.axis, 0.0), 1) for a in current.scores.axes}
    changes = []
    for item_id, after in current.assessment.answers.items():
        before = previous.assessment.answers.get(item_id, "unknown")
        if before != after:
            changes.append(ItemChange(item_id, before, after, ANSWER_CREDIT[after] > ANSWER_CREDIT[before]))
    done_before = {t.id for t in previous.plan.tasks if t.status == "done"}
    done_now = [t.id for t in current.plan.tasks if t.status == "done" and t.id not in done_before]
    risks_before = {f.rule_id for f in previous.findings}
    risks_now = {f.rule_id for f in current.findings}
    disputed = tuple(
        f.rule_id for f in previous.findings if f.rule_id not in risks_now and _gaps_remain(f.gap_items, current)
    )
    return Comparison(
        axis_deltas=deltas,
        overall_delta=round(current.scores.overall - previous.scores.overall, 1),
        item_changes=tuple(sorted(changes, key=lambda c: (not c.improved, c.item_id))),
        tasks_completed=tuple(done_now),
        risks_resolved=tuple(
            r for r in (f.rule_id for f in previous.findings) if r not in risks_now and r not in disputed
        ),
        risks_new=tuple(f.rule_id for f in current.findings if f.rule_id not in risks_before),
        risks_still_disputed=disputed,
    )


def _gaps_remain(gap_items: tuple[str, ...], current: Diagnosis) -> bool:
    """Whether a risk fed by perception gaps still has them: a gap on its items now, or no respondents to tell."""
    if not gap_items:
        return False
    if current.perception is None:
        return True  # the disagreement was never measured again, so it cannot be called resolved
    return any(view.gap for view in current.perception.items if view.item_id in gap_items)
