"""Re-assessment: what changed since an earlier diagnosis (scores, items, tasks done, risks, funnel KPIs, the
perception gaps and each department's own readiness score)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from assessment.content.model import Checklist
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.funnel import MetricFinding
from assessment.engine.perception import Perception
from assessment.engine.scoring import score
from assessment.vocabulary import ANSWER_CREDIT, FUNNEL_STAGES

Trend = Literal["improved", "worsened", "unchanged", "moved"]

# Survey figures compared as given, with the side that is better. A figure with a benchmark of its own
# (response time, churn, NRR, connect rate ...) is compared as that benchmark's metric instead, on its side.
# The monthly revenue target is a goal, not a result: it is not compared.
VOLUME_SIDES = dict.fromkeys(FUNNEL_STAGES, "higher")
FIGURE_SIDES = {"average_deal_size": "higher", "sales_cycle_days": "lower"}
LATER_FIGURE_SIDES = {"recurring_revenue": "higher", "pipeline_amount": "higher", "nps": "higher"}
MONTHLY_REVENUE = "monthly_revenue"  # wins x average deal size: the revenue formula's result, new deals only


@dataclass(frozen=True)
class ItemChange:
    """An item whose answer moved between two assessments."""

    item_id: str
    before: str
    after: str
    improved: bool


@dataclass(frozen=True)
class FunnelChange:
    """A funnel KPI both diagnoses could work out: its value before and after, the change, and which way it went.

    ``kpi`` is a survey figure's id (``leads``, ``sales_cycle_days``), a benchmark's metric (``sql_rate``,
    ``lead_response_hours``, ``monthly_churn_rate``) or ``monthly_revenue``. ``trend`` is ``improved`` or
    ``worsened`` by the side that is better (more leads, a shorter response, lower churn, a rate nearer its
    healthy range), ``unchanged`` when equal, and ``moved`` when it changed with neither side better (a rate
    that should stay inside a range and did, before and after).
    """

    kpi: str
    before: float
    after: float
    delta: float
    trend: Trend


@dataclass(frozen=True)
class DepartmentChange:
    """A department's readiness score (its answers, the median of its respondents', scored like the checklist)
    before and after; None on a side where the department did not answer."""

    department: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        """The change, when the department answered both times."""
        return None if self.before is None or self.after is None else round(self.after - self.before, 1)


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
    funnel: tuple[FunnelChange, ...] = ()  # the KPIs both could work out, in the funnel's order
    gaps_before: int | None = None  # perception gaps; None where the round had no respondents
    gaps_after: int | None = None
    departments: tuple[DepartmentChange, ...] = ()  # in THE MODEL's order; only with the checklist given


def compare(previous: Diagnosis, current: Diagnosis, checklist: Checklist | None = None) -> Comparison:
    """Compare two diagnoses of the same client, the earlier one first; with the ``checklist``, each
    department's readiness score too."""
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
        funnel=funnel_changes(previous, current),
        gaps_before=gap_count(previous.perception),
        gaps_after=gap_count(current.perception),
        departments=department_changes(previous, current, checklist) if checklist is not None else (),
    )


def gap_count(perception: Perception | None) -> int | None:
    """How many items the departments see differently (None without respondents: nothing was measured)."""
    return None if perception is None else len(perception.gaps)


def department_scores(perception: Perception | None, checklist: Checklist) -> dict[str, float]:
    """Each department's overall readiness score: its view of every item (the median of its respondents'
    answers) scored like the checklist, "don't know" counting nothing."""
    if perception is None:
        return {}
    return {
        department: score(
            {view.item_id: _scored(view.by_department.get(department)) for view in perception.items}, checklist
        ).overall
        for department in perception.departments
    }


def _scored(view: str | None) -> str:
    """A department's view as the checklist scores it: not answered earns what "don't know" earns, nothing."""
    return view if view in ANSWER_CREDIT else "unknown"


def department_changes(previous: Diagnosis, current: Diagnosis, checklist: Checklist) -> tuple[DepartmentChange, ...]:
    """Every department that answered in either round: its score before and after, in THE MODEL's order (the
    current round's, then a department only the earlier round had)."""
    before = department_scores(previous.perception, checklist)
    after = department_scores(current.perception, checklist)
    order = [*after, *(d for d in before if d not in after)]
    return tuple(DepartmentChange(d, before.get(d), after.get(d)) for d in order)


def funnel_changes(previous: Diagnosis, current: Diagnosis) -> tuple[FunnelChange, ...]:
    """Every funnel KPI both diagnoses could work out, before and after: the volumes, the average deal size, the
    monthly revenue from new deals, the sales cycle, then each benchmarked metric (conversion rates, response
    time, churn, NRR ...), then the recurring revenue, pipeline and NPS.

    A KPI missing on either side is left out, and so is one that is, or is worked out from, a figure that cannot
    be true on either side (a stage larger than the one before it), and the monthly revenue when either funnel
    holds such a figure: no change is reported from a figure the diagnosis itself does not trust.
    """
    return tuple(change for change in _kpi_pairs(previous, current) if change is not None)


def _kpi_pairs(previous: Diagnosis, current: Diagnosis) -> Iterator[FunnelChange | None]:
    for figure, side in {**VOLUME_SIDES, **FIGURE_SIDES}.items():
        yield _figure_change(figure, previous, current, side)
    revenue_before, revenue_now = previous.funnel.revenue, current.funnel.revenue
    if revenue_before is not None and revenue_now is not None:  # None when the figures cannot be true
        yield _change(MONTHLY_REVENUE, revenue_before.monthly_revenue, revenue_now.monthly_revenue, "higher")
    findings_before = {f.metric: f for f in previous.funnel.findings}
    for finding in current.funnel.findings:
        earlier = findings_before.get(finding.metric)
        if earlier is not None:
            yield _metric_change(earlier, finding)
    for figure, side in LATER_FIGURE_SIDES.items():
        yield _figure_change(figure, previous, current, side)


def _figure_change(figure: str, previous: Diagnosis, current: Diagnosis, side: str) -> FunnelChange | None:
    """A survey figure as given, unless either diagnosis found it contradicts the stage before or after it."""
    if any(d.funnel.data_quality.problem_for(figure) is not None for d in (previous, current)):
        return None
    return _change(figure, previous.assessment.funnel.get(figure), current.assessment.funnel.get(figure), side)


def _change(kpi: str, before: float | None, after: float | None, side: str) -> FunnelChange | None:
    if before is None or after is None:
        return None
    return FunnelChange(kpi, before, after, round(after - before, 4), _trend(before, after, side))


def _metric_change(before: MetricFinding, after: MetricFinding) -> FunnelChange | None:
    if before.value is None or after.value is None or before.problem is not None or after.problem is not None:
        return None
    delta = round(after.value - before.value, 4)
    if after.good_side != "range":
        return FunnelChange(
            after.metric, before.value, after.value, delta, _trend(before.value, after.value, after.good_side)
        )
    # inside a range is healthy: better is nearer the range, and moving about inside it is neither
    distance_before, distance_now = _outside(before), _outside(after)
    if before.value == after.value:
        trend: Trend = "unchanged"
    elif distance_before == distance_now:
        trend = "moved"
    else:
        trend = "improved" if distance_now < distance_before else "worsened"
    return FunnelChange(after.metric, before.value, after.value, delta, trend)


def _outside(finding: MetricFinding) -> float:
    """How far a value is outside its healthy range (0 inside it)."""
    value = finding.value or 0.0
    if finding.min is not None and value < finding.min:
        return round(finding.min - value, 4)
    if finding.max is not None and value > finding.max:
        return round(value - finding.max, 4)
    return 0.0


def _trend(before: float, after: float, side: str) -> Trend:
    if before == after:
        return "unchanged"
    return "improved" if (after > before) == (side == "higher") else "worsened"


def _gaps_remain(gap_items: tuple[str, ...], current: Diagnosis) -> bool:
    """Whether a risk fed by perception gaps still has them: a gap on its items now, or no respondents to tell."""
    if not gap_items:
        return False
    if current.perception is None:
        return True  # the disagreement was never measured again, so it cannot be called resolved
    return any(view.gap for view in current.perception.items if view.item_id in gap_items)
