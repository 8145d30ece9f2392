"""Funnel maths: rates against benchmarks, the bottleneck, the revenue formula and the levers.

THE MODEL manages revenue as a product of volumes and conversion rates::

    revenue = leads x conversion to opportunity x win rate x average deal size

so each rate scales revenue in proportion, and the leads needed for a target can be worked back
stage by stage through every figure the client gave.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from assessment.content.model import Benchmark, Benchmarks
from assessment.engine.data_quality import DataProblem, DataQuality, judge_funnel
from assessment.vocabulary import FUNNEL_STAGES


@dataclass(frozen=True)
class MetricFinding:
    """One benchmarked metric: its value (None when not given), the range and where the value falls."""

    metric: str
    value: float | None
    unit: str
    min: float | None
    max: float | None
    ideal: float | None
    status: str | None
    concern: bool
    stage: str | None
    good_side: str = "higher"
    problem: DataProblem | None = None  # built on figures that cannot be true: not benchmarked


@dataclass(frozen=True)
class Bottleneck:
    """The stage whose figure is furthest on the wrong side of its benchmark.

    ``ratio_to_benchmark`` is below 1 when the stage misses its benchmark: value / minimum for a rate
    where higher is better, ceiling / value for one where lower is better (churn). ``bound`` says which
    limit it is judged against, ``min`` or ``max``, so a reader is told "3 times the ceiling" for churn,
    not a share of a lower limit it does not have.
    """

    stage: str
    metric: str
    value: float
    ratio_to_benchmark: float
    below_benchmark: bool
    bound: str = "min"
    limit: float = 0.0

    @property
    def times_limit(self) -> float:
        """The value as a multiple of the limit it is judged against (0.33 of a minimum, 3.0 of a ceiling)."""
        return round(self.value / self.limit, 2) if self.limit else 0.0


@dataclass(frozen=True)
class RevenueFormula:
    """The revenue formula with the client's monthly numbers (each factor None when not given)."""

    leads: float | None
    conversion_to_opportunity: float | None
    win_rate: float | None
    lead_to_win: float | None
    average_deal_size: float | None
    monthly_revenue: float | None
    monthly_revenue_target: float | None


@dataclass(frozen=True)
class Lever:
    """What one realistic improvement would add to monthly revenue, all else equal.

    A ``new`` lever adds to the monthly revenue from new deals. A ``retention`` lever keeps more of the monthly
    recurring revenue: ``added_revenue`` is what stays each month, and ``after_12_months`` how much larger the
    monthly recurring revenue is a year on.
    """

    factor: str
    current: float
    target: float
    added_revenue: float
    kind: str = "new"
    after_12_months: float | None = None


@dataclass(frozen=True)
class Retention:
    """The existing customers beside new business: what churn takes from the monthly recurring revenue each
    month, and what is left of the month's new bookings once it has."""

    recurring_revenue: float
    churn_rate: float | None
    churned_per_month: float | None  # recurring revenue x monthly churn
    new_bookings: float | None  # the revenue formula: wins x average deal size
    net_growth: float | None  # new bookings less what churn took


@dataclass(frozen=True)
class FunnelAnalysis:
    """Everything the funnel figures tell: metrics, bottleneck, revenue, required volumes, levers."""

    metrics: Mapping[str, float]
    findings: tuple[MetricFinding, ...]
    bottleneck: Bottleneck | None
    revenue: RevenueFormula | None
    required: Mapping[str, int]
    levers: tuple[Lever, ...]
    data_quality: DataQuality = field(default_factory=lambda: DataQuality("ok"))
    held_levers: tuple[str, ...] = ()  # rates behind a loose bar: not levers until the bar is raised
    retention: Retention | None = None  # only when the monthly recurring revenue is given

    @property
    def required_leads(self) -> int | None:
        """Leads per month needed to reach the monthly revenue target at the current rates."""
        return self.required.get("leads")

    @property
    def derived(self) -> bool:
        """Whether the bottleneck, formula, required volumes and levers were worked out (figures can be true)."""
        return not self.data_quality.invalid


def analyse_funnel(
    funnel: Mapping[str, float], benchmarks: Benchmarks, labels: Mapping[str, object] | None = None
) -> FunnelAnalysis:
    """Analyse the monthly funnel figures against the benchmarks, after judging whether they can be true.

    When they cannot (``data_quality.status == "invalid"``), a rate built on an impossible figure is not
    benchmarked, and no bottleneck, revenue formula, required volume or lever is derived.
    """
    quality = judge_funnel(funnel, benchmarks, labels or {})
    benchmarks = for_cycle(benchmarks, funnel.get("sales_cycle_days"))
    metrics = {b.metric: v for b in benchmarks.benchmarks if (v := metric_value(b, funnel)) is not None}
    findings = tuple(_finding(b, metrics.get(b.metric), quality.problem_for(b.metric)) for b in benchmarks.benchmarks)
    if quality.invalid:
        return FunnelAnalysis(metrics, findings, None, None, {}, (), quality)
    revenue = _revenue(funnel)
    loose = _after_loose_bar(benchmarks, {f.metric: f.status for f in findings})
    levers = (*_levers(benchmarks, funnel, revenue.monthly_revenue, loose), *_retention_levers(benchmarks, funnel))
    return FunnelAnalysis(
        metrics=metrics,
        findings=findings,
        bottleneck=_bottleneck(benchmarks, metrics, loose),
        revenue=revenue,
        required=_required_volumes(funnel),
        levers=tuple(sorted(levers, key=lambda lever: (-lever.added_revenue, lever.factor))),
        retention=_retention(funnel, revenue.monthly_revenue),
        data_quality=quality,
        held_levers=tuple(
            b.metric for b in benchmarks.benchmarks if b.revenue_lever and b.metric in loose and b.metric in metrics
        ),
    )


def for_cycle(benchmarks: Benchmarks, cycle_days: float | None) -> Benchmarks:
    """The benchmarks for a client's sales cycle: ranges written per one-month cycle scale with a longer one."""
    months = (cycle_days or 0) / 30
    if months <= 1:
        return benchmarks
    scaled = tuple(
        replace(b, min=_times(b.min, months), max=_times(b.max, months)) if b.per_cycle_month else b
        for b in benchmarks.benchmarks
    )
    return replace(benchmarks, benchmarks=scaled)


def _times(bound: float | None, months: float) -> float | None:
    return None if bound is None else round(bound * months, 1)


def metric_value(benchmark: Benchmark, funnel: Mapping[str, float]) -> float | None:
    """Return the metric's value from the figures (a figure as given, or a ratio), None when unknown."""
    value = _exact_metric(benchmark, funnel)
    return None if value is None else round(value, 4)


def _exact_metric(benchmark: Benchmark, funnel: Mapping[str, float]) -> float | None:
    if benchmark.figure is not None:
        return funnel.get(benchmark.figure)
    numerator = funnel.get(benchmark.numerator or "")
    denominator = funnel.get(benchmark.denominator or "")
    if numerator is None or not denominator:
        return None
    value = numerator / denominator * benchmark.scale
    return value if math.isfinite(value) else None


def benchmark_status(benchmark: Benchmark, value: float) -> str:
    """Place ``value`` below, within or above the benchmark's range."""
    if benchmark.min is not None and value < benchmark.min:
        return "below"
    if benchmark.max is not None and value > benchmark.max:
        return "above"
    return "within"


def _finding(benchmark: Benchmark, value: float | None, problem: DataProblem | None = None) -> MetricFinding:
    status = (
        None
        if value is None or problem is not None or (benchmark.min is None and benchmark.max is None)
        else (benchmark_status(benchmark, value))
    )
    concern = (status == "below" and benchmark.good_side in ("higher", "range")) or (
        status == "above" and benchmark.good_side in ("lower", "range")
    )
    return MetricFinding(
        metric=benchmark.metric,
        value=value,
        unit=benchmark.unit,
        min=benchmark.min,
        max=benchmark.max,
        ideal=benchmark.ideal,
        status=status,
        concern=concern,
        stage=benchmark.stage,
        good_side=benchmark.good_side,
        problem=problem,
    )


def _bottleneck(benchmarks: Benchmarks, metrics: Mapping[str, float], behind_loose_bar: set[str]) -> Bottleneck | None:
    """The stage furthest on the wrong side of its benchmark.

    A rate that should stay inside a range and is above it (an MQL rate of 60 %) is on the wrong side of its
    ceiling; the rate right after it is then depressed by design (weak MQLs convert poorly), so the stage with
    the loose bar is the bottleneck, not the one downstream of it.
    """
    candidates = []
    for b in benchmarks.benchmarks:
        value = metrics.get(b.metric)
        if b.stage is None or value is None or b.metric in behind_loose_bar:
            continue
        above_ceiling = b.good_side == "range" and b.max is not None and value > b.max
        if b.good_side == "lower" or above_ceiling:
            if b.max is None or value <= 0:
                continue  # nothing lost at this stage: it cannot be the bottleneck
            ratio, bound, limit = b.max / value, "max", b.max
        elif b.min is not None:
            ratio, bound, limit = value / b.min, "min", b.min
        else:
            continue
        candidates.append((ratio, b.stage, b.metric, value, bound, limit))
    if not candidates:
        return None
    ratio, stage, metric, value, bound, limit = min(candidates, key=lambda c: (c[0], c[1]))
    return Bottleneck(stage, metric, value, round(ratio, 3), ratio < 1, bound, limit)


def _revenue(funnel: Mapping[str, float]) -> RevenueFormula:
    leads, opportunities, wins = funnel.get("leads"), funnel.get("opportunities"), funnel.get("wins")
    deal = funnel.get("average_deal_size")
    conversion = opportunities / leads * 100 if leads and opportunities is not None else None
    win_rate = wins / opportunities * 100 if opportunities and wins is not None else None
    lead_to_win = wins / leads * 100 if leads and wins is not None else None
    monthly = wins * deal if wins is not None and deal is not None else None
    return RevenueFormula(
        leads=leads,
        conversion_to_opportunity=_round(conversion),
        win_rate=_round(win_rate),
        lead_to_win=_round(lead_to_win),
        average_deal_size=deal,
        monthly_revenue=monthly,
        monthly_revenue_target=funnel.get("monthly_revenue_target"),
    )


def _required_volumes(funnel: Mapping[str, float]) -> dict[str, int]:
    """Work back from the target through every stage given: wins, then each earlier stage."""
    target, deal = funnel.get("monthly_revenue_target"), funnel.get("average_deal_size")
    if not target or not deal or funnel.get("wins") is None:
        return {}
    needed = {"wins": target / deal}
    if not math.isfinite(needed["wins"]):
        return {}
    given = [stage for stage in FUNNEL_STAGES if funnel.get(stage) is not None]
    later = "wins"
    for stage in reversed(given[: given.index("wins")]):
        if not funnel[later]:
            break  # a zero stage: nothing converts, so no volume upstream is enough
        needed[stage] = needed[later] * funnel[stage] / funnel[later]
        later = stage
    return {
        stage: math.ceil(round(needed[stage], 6))
        for stage in FUNNEL_STAGES
        if stage in needed and math.isfinite(needed[stage])
    }


def _levers(
    benchmarks: Benchmarks, funnel: Mapping[str, float], revenue: float | None, loose: set[str]
) -> tuple[Lever, ...]:
    """Each lever's added revenue, from the unrounded rates (40 % on 33.33…% is +20 %, not +20.0002 %).

    A rate is no lever when the rate before it is above its range: an MQL bar set too low lets weak leads
    through, and converting more of the same weak MQLs is not a realistic gain (tighten the bar first).
    """
    if not revenue or not math.isfinite(revenue):
        return ()
    levers = []
    for b in benchmarks.benchmarks:
        value = _exact_metric(b, funnel)
        if not b.revenue_lever or not value or b.metric in loose:
            continue
        target = realistic_target(b, value)
        if target is not None and target > value:
            added = round(revenue * (target / value - 1))
            aim = rate_to_aim_for(target) if b.unit == "percent" else round(target, 2)
            levers.append(Lever(b.metric, round(value, 4), aim, added))
    for volume in benchmarks.volume_levers:
        value = funnel.get(volume.figure)
        if value:
            target = value * (1 + volume.uplift)
            levers.append(Lever(volume.figure, value, round(target, 2), round(revenue * volume.uplift)))
    return tuple(levers)


def _retention(funnel: Mapping[str, float], new_bookings: float | None) -> Retention | None:
    """New bookings and what churn takes, side by side, when the monthly recurring revenue is given."""
    recurring = funnel.get("recurring_revenue")
    if not recurring:
        return None
    churn = funnel.get("monthly_churn_rate")
    churned = round(recurring * churn / 100) if churn is not None else None
    net = round(new_bookings - churned) if new_bookings is not None and churned is not None else None
    return Retention(recurring, churn, churned, new_bookings, net)


def _retention_levers(benchmarks: Benchmarks, funnel: Mapping[str, float]) -> tuple[Lever, ...]:
    """Churn down to its ceiling, or NRR up to its floor, priced on the monthly recurring revenue.

    NRR already counts the customers churn takes, so it is a lever of its own only when churn is not one
    (not given, or within its ceiling: the gap is then in expansion); both would count the same loss twice.
    """
    recurring = funnel.get("recurring_revenue")
    if not recurring:
        return ()
    levers: list[Lever] = []
    for b in benchmarks.benchmarks:
        value = funnel.get(b.figure) if b.figure else None
        if value is None:
            continue
        if b.retention == "monthly_loss" and b.max is not None and value > b.max:
            kept = recurring * (value - b.max) / 100
            a_year_on = recurring * ((1 - b.max / 100) ** 12 - (1 - min(value, 100) / 100) ** 12)
            levers.append(Lever(b.metric, value, b.max, round(kept), "retention", round(a_year_on)))
    for b in benchmarks.benchmarks:
        value = funnel.get(b.figure) if b.figure else None
        if value is None or levers:
            continue
        if b.retention == "annual_retention" and b.min is not None and value < b.min:
            a_year_on = recurring * (b.min - value) / 100
            levers.append(Lever(b.metric, value, b.min, round(a_year_on / 12), "retention", round(a_year_on)))
    return tuple(levers)


def _after_loose_bar(benchmarks: Benchmarks, statuses: Mapping[str, str | None]) -> set[str]:
    """Rates whose input stage comes out of a rate above its range (a bar set too low upstream)."""
    loose_outputs = {
        b.numerator for b in benchmarks.benchmarks if b.good_side == "range" and statuses.get(b.metric) == "above"
    }
    return {b.metric for b in benchmarks.benchmarks if b.denominator and b.denominator in loose_outputs}


def rate_to_aim_for(percent: float) -> float:
    """A rate to aim for as every table states it, rounded once to one decimal: the lever table and the KPI
    targets print the same figure (96.25000001 % is 96.3 % in both, never 96.2 % in one of them)."""
    return round(percent, 1)


def realistic_target(benchmark: Benchmark, value: float) -> float | None:
    """Below the range: its bottom. Inside: the uplift, capped at the top. Above the range: none."""
    if benchmark.min is not None and value < benchmark.min:
        return benchmark.min
    if benchmark.max is not None and value >= benchmark.max:
        return None
    target = value * (1 + benchmark.uplift)
    if benchmark.max is not None:
        target = min(target, benchmark.max)
    return min(target, 100.0) if benchmark.unit == "percent" else target


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
