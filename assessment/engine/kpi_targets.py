"""Monthly KPI targets per department, worked back from the revenue target, with a quarterly ramp.

THE MODEL manages revenue as volumes times conversion rates, each department owning its part. From the
monthly revenue target and the deal size come the wins needed; each conversion the client gives is moved to
a realistic target (the bottom of its benchmark range when below it, a modest step up inside it, kept when
above it); the volumes each stage needs are worked back through those rates. Today's figure ramps to the
target over four quarters, so a client can paste the table into its own plan. The first stage never falls:
a client already past the target keeps today's volume (the targets then multiply back to more than it).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from assessment.content.model import Benchmarks
from assessment.engine.funnel import FunnelAnalysis, rate_to_aim_for, realistic_target
from assessment.vocabulary import FUNNEL_STAGES

QUARTERS = 4
# department owning each stage volume and the conversion into it
STAGE_OWNER = {"leads": "marketing", "mqls": "marketing", "sqls": "inside_sales", "opportunities": "field_sales",
               "wins": "field_sales"}  # fmt: skip
RESPONSE_LIMIT_HOURS = 24.0
CHURN_LIMIT = 1.0
NRR_FLOOR = 100.0


@dataclass(frozen=True)
class KpiTarget:
    """One department's KPI: today's monthly figure, the target and the quarter-by-quarter ramp to it."""

    department: str
    kpi: str  # a stage volume (leads, mqls, ...) or a benchmark metric (sql_rate, monthly_churn_rate, ...)
    unit: str
    now: float | None
    target: float
    ramp: tuple[float, ...]


@dataclass(frozen=True)
class KpiTargets:
    """The targets of every department, and the rates and wins they multiply back to."""

    targets: tuple[KpiTarget, ...]
    wins_needed: float
    rates: Mapping[str, float]  # the conversion to aim for into each stage given, in percent

    def of(self, kpi: str) -> KpiTarget:
        """The target of one KPI."""
        return next(t for t in self.targets if t.kpi == kpi)


def kpi_targets(funnel: Mapping[str, float], benchmarks: Benchmarks, analysis: FunnelAnalysis) -> KpiTargets | None:
    """Work the department targets back from the revenue target; None without a target, deal size or wins.

    The first stage's volume is what the revenue target needs at the rates to aim for (never less than
    today's); every later stage is that volume carried forward through the rates, each quarter through that
    quarter's rates, so every row of the table multiplies through to the wins of its quarter.
    """
    target, deal = funnel.get("monthly_revenue_target"), funnel.get("average_deal_size")
    stages = [stage for stage in FUNNEL_STAGES if funnel.get(stage) is not None]
    if not analysis.derived or not target or not deal or "wins" not in stages:
        return None
    wins_needed = target / deal
    rates = _rates_to_aim_for(funnel, benchmarks, stages)
    if rates is None:
        return None
    if funnel["wins"] >= wins_needed:  # already at the target: hold today's rates rather than overshoot it
        rates = {stage: funnel[stage] / funnel[before] * 100 for before, stage in pairwise(stages)}
    first = stages[0]
    needed_first = wins_needed / math.prod(rates[stage] / 100 for stage in stages[1:])
    first_target = max(funnel[first], needed_first)
    quarters = [step / QUARTERS for step in range(1, QUARTERS + 1)]
    start_rates = {stage: funnel[stage] / funnel[before] * 100 for before, stage in pairwise(stages)}

    def carried(share: float) -> dict[str, float]:
        """Each stage's volume a share of the way to the targets: the first stage's ramp through ramped rates."""
        volumes = {first: funnel[first] + (first_target - funnel[first]) * share}
        for before, stage in pairwise(stages):
            rate = start_rates[stage] + (rates[stage] - start_rates[stage]) * share
            volumes[stage] = volumes[before] * rate / 100
        return volumes

    ramps = [carried(share) for share in quarters]
    targets = [
        KpiTarget(STAGE_OWNER[s], s, "count", funnel[s], round(ramps[-1][s]), tuple(round(q[s]) for q in ramps))
        for s in stages
    ]
    for stage in stages[1:]:
        metric = next((b.metric for b in benchmarks.benchmarks if b.numerator == stage), None)
        current = analysis.metrics.get(metric or "")
        if metric and current is not None:
            targets.append(_ramped(STAGE_OWNER[stage], metric, "percent", current, rate_to_aim_for(rates[stage])))
    targets += _service_levels(funnel)
    return KpiTargets(tuple(targets), wins_needed, rates)


def _rates_to_aim_for(
    funnel: Mapping[str, float], benchmarks: Benchmarks, stages: list[str]
) -> dict[str, float] | None:
    """The conversion into each given stage from the one before it, moved to its realistic target."""
    rates: dict[str, float] = {}
    for before, stage in itertools.pairwise(stages):
        if not funnel[before] or not funnel[stage]:
            return None  # nothing converts from or into zero: no target can be worked back through it
        current = funnel[stage] / funnel[before] * 100
        benchmark = next((b for b in benchmarks.benchmarks if b.numerator == stage and b.denominator == before), None)
        aim = realistic_target(benchmark, current) if benchmark else None
        rates[stage] = max(current, aim) if aim is not None else current
    return rates


def _service_levels(funnel: Mapping[str, float]) -> list[KpiTarget]:
    """Response time, churn and NRR: brought within their limits where they are outside them."""
    levels = []
    response = funnel.get("lead_response_hours")
    if response is not None:
        levels.append(
            _ramped("inside_sales", "lead_response_hours", "hours", response, min(response, RESPONSE_LIMIT_HOURS))
        )
    churn = funnel.get("monthly_churn_rate")
    if churn is not None:
        levels.append(_ramped("customer_success", "monthly_churn_rate", "percent", churn, min(churn, CHURN_LIMIT)))
    nrr = funnel.get("nrr")
    if nrr is not None:
        levels.append(_ramped("customer_success", "nrr", "percent", nrr, max(nrr, NRR_FLOOR)))
    return levels


def _ramped(department: str, kpi: str, unit: str, now: float | None, target: float) -> KpiTarget:
    """A straight ramp from today's figure to the target, one step a quarter (whole numbers for counts)."""
    if now is None:
        ramp: tuple[float, ...] = (target,) * QUARTERS
    else:
        steps = [now + (target - now) * quarter / QUARTERS for quarter in range(1, QUARTERS + 1)]
        ramp = tuple(math.ceil(round(s, 6)) if unit == "count" else round(s, 1) for s in steps)
    return KpiTarget(department, kpi, unit, now, target, ramp)
