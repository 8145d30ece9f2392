"""Whether the funnel figures can be true: impossible figures stop the analysis, implausible ones are flagged.

A stage larger than the one before it, a conversion from zero, a rate above 100 % or a negative count
cannot describe one month of one funnel, so nothing is benchmarked or derived from them (``invalid``).
Figures that are possible but rarely true (NRR above 200 %, a 0-hour response, no pipeline while deals are
won) are analysed and flagged for the client to check (``questionable``). Each problem says, in the client's
words, what does not fit and what usually causes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from assessment.content.model import Benchmarks
from assessment.engine.wording import format_number, format_rate, format_yen
from assessment.i18n import N_, translator
from assessment.vocabulary import FUNNEL_STAGES, FunnelQuality, Lang

# the funnel stages as a sentence names them; English message ids, translated when shown
STAGE_NAMES: dict[str, str] = {
    "leads": N_("leads"),
    "mqls": N_("MQLs"),
    "sqls": N_("SQLs"),
    "opportunities": N_("opportunities"),
    "wins": N_("deals won"),
}
NRR_PLAUSIBLE_MAX = 200.0
COVERAGE_PLAUSIBLE_MAX = 24.0  # two years of target in the pipeline: no usual cycle and win rate explain it
# With the opportunities opened a month, the sales cycle and the deal size known, the open pipeline holds about
# a cycle's worth of opportunities: opportunities x cycle in months x deal size. Twice that is more than the
# cycle explains (deals left open after they were lost or stalled).
PIPELINE_CYCLE_MARGIN = 2.0
WIN_RATE_PLAUSIBLE_MAX = 80.0
ONE_MONTH_DAYS = 31  # a sales cycle longer than this: one month's wins are too few to judge a win rate
WIN_RATE_MIN_OPPORTUNITIES = 5
TARGET_RATIO_PLAUSIBLE_MAX = 20.0

# The usual cause of a stage larger than the one before it, by the larger stage.
_CAUSES: dict[str, str] = {
    "mqls": N_(
        "Returning customers or old leads counted as MQLs, or figures from different months, are the usual cause."
    ),
    "sqls": N_("Outbound meetings booked by sales themselves counted as SQLs are the usual cause."),
    "opportunities": N_(
        "Opportunities that never passed through an SQL (referrals, existing customers) are the usual cause."
    ),
    "wins": N_("Renewals or upsells counted as new wins, or deals opened in earlier months, are the usual cause."),
}

_MESSAGES: dict[str, str] = {
    "zero_base": N_(
        "{Previous} are 0, yet {stage} are {value}. Nothing converts from zero, so {previous} are probably "
        "not being counted, or the figures come from different periods."
    ),
    "stage_exceeds_previous": N_(
        "{Stage} ({value}) exceed {previous} ({previous_value}), a conversion of {rate}. {cause}"
    ),
    "negative": N_("{figure} is negative ({value}); counts, amounts and rates are 0 or more."),
    "nrr_implausible": N_(
        "NRR is {value}: revenue from existing customers more than doubling in a year is possible but rare. "
        "Check that revenue from new customers is not included."
    ),
    "zero_response": N_(
        "The first response to an MQL is 0 hours. Truly instant would be ideal, but usually it is not "
        "measured, or an automatic reply is counted as the first contact."
    ),
    "no_pipeline_with_wins": N_(
        "{wins} deals are won a month, yet the pipeline is empty. Open opportunities are probably not "
        "recorded in the SFA, or only won deals are."
    ),
    "coverage_outlier": N_(
        "The pipeline is {value} times the monthly target, more than any usual sales cycle explains. Lost or "
        "stalled deals are probably left open, or the target was entered per year."
    ),
    "coverage_beyond_cycle": N_(
        "With {opportunities} opportunities opened a month and a {cycle}-day cycle, about {open} should be "
        "open, worth about {expected}; the pipeline holds {pipeline} ({value} times the monthly target). Lost "
        "or stalled deals are probably left open."
    ),
    "no_wins_long_cycle": N_(
        "No deal was won this month, but with a {cycle}-day sales cycle one month's wins cannot show a win "
        "rate. Enter the monthly average of the last 3 to 6 months."
    ),
    "win_rate_implausible": N_(
        "{rate} of opportunities are won (benchmark 15–30%). Renewals or add-on purchases counted as "
        "opportunities and wins are the usual cause."
    ),
    "target_mismatch": N_(
        "Monthly revenue from wins × deal size ({revenue}) and the monthly target ({target}) are about "
        "{ratio} times apart. Check that both use the same unit (yen, thousands) and period (month, year)."
    ),
}
RATIO_SHOWN_MAX = 10**15  # "about 1,000,000,000,000,000 times apart" already says that a unit is wrong
INVALID_CODES = frozenset({"zero_base", "stage_exceeds_previous", "negative"})


@dataclass(frozen=True)
class DataProblem:
    """One inconsistency in the figures: its code, the figures and metrics it concerns, and its parameters."""

    code: str
    metrics: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def invalid(self) -> bool:
        """Whether the figures cannot be true (rather than merely implausible)."""
        return self.code in INVALID_CODES

    def message(self, lang: Lang) -> str:
        """The problem in the client's words: what does not fit and its usual cause."""
        _ = translator(lang)
        template = _(_MESSAGES[self.code])
        words: dict[str, str] = {}
        for key, value in self.params.items():
            if key in ("stage", "previous"):
                name = _(STAGE_NAMES[value])
                words[key], words[key.capitalize()] = name, name[:1].upper() + name[1:]
            elif key == "cause":
                words[key] = _(_CAUSES[value])
            elif key in ("revenue", "target", "expected", "pipeline"):
                words[key] = format_yen(value, lang)
            elif key == "rate":
                words[key] = format_rate(value)
            elif key == "figure":
                words[key] = value.get(lang) if hasattr(value, "get") else str(value)
            elif isinstance(value, int | float):
                words[key] = (
                    format_rate(value) if key == "value" and self.code == "nrr_implausible" else format_number(value)
                )
            else:
                words[key] = str(value)
        return template.format(**words)


@dataclass(frozen=True)
class DataQuality:
    """The verdict on the funnel figures: ``ok``, ``questionable`` or ``invalid``, with every problem found."""

    status: FunnelQuality
    problems: tuple[DataProblem, ...] = ()

    @property
    def invalid(self) -> bool:
        """Whether nothing may be derived from the figures."""
        return self.status == "invalid"

    def to_check(self, metric: str) -> bool:
        """Whether a metric (or figure) is named by an implausible-figure problem: analysed, but to be checked."""
        return any(not p.invalid and metric in p.metrics for p in self.problems)

    def problem_for(self, metric: str) -> DataProblem | None:
        """The first impossible-figure problem a metric (or figure) is built on, if any."""
        return next((p for p in self.problems if p.invalid and metric in p.metrics), None)


def judge_funnel(funnel: Mapping[str, float], benchmarks: Benchmarks, labels: Mapping[str, Any]) -> DataQuality:
    """Judge whether the monthly figures can describe one funnel; ``labels`` names the figures (survey labels)."""
    problems: list[DataProblem] = []
    problems += _negative(funnel, labels)
    problems += _stage_order(funnel, benchmarks)
    problems += _implausible(funnel)
    if any(p.invalid for p in problems):
        status: FunnelQuality = "invalid"
    else:
        status = "questionable" if problems else "ok"
    return DataQuality(status, tuple(problems))


def _metrics_on(figures: set[str], benchmarks: Benchmarks) -> tuple[str, ...]:
    """The benchmark metrics computed from any of ``figures``."""
    return tuple(b.metric for b in benchmarks.benchmarks if figures & {b.figure, b.numerator, b.denominator} - {None})


def _negative(funnel: Mapping[str, float], labels: Mapping[str, Any]) -> list[DataProblem]:
    return [
        DataProblem("negative", (figure,), {"figure": labels.get(figure, figure), "value": value})
        for figure, value in funnel.items()
        if value < 0 and figure != "nps"
    ]


def _stage_order(funnel: Mapping[str, float], benchmarks: Benchmarks) -> list[DataProblem]:
    problems = []
    given = [stage for stage in FUNNEL_STAGES if funnel.get(stage) is not None]
    for previous, stage in pairwise(given):
        before, after = funnel[previous], funnel[stage]
        if after <= before:
            continue
        figures = {previous, stage}
        metrics = (previous, stage, *_metrics_on(figures, benchmarks))
        if before == 0:
            problems.append(DataProblem("zero_base", metrics, {"stage": stage, "previous": previous, "value": after}))
        else:
            params = {
                "stage": stage, "previous": previous, "value": after, "previous_value": before,
                "rate": after / before * 100, "cause": stage,
            }  # fmt: skip
            problems.append(DataProblem("stage_exceeds_previous", metrics, params))
    return problems


def _coverage(funnel: Mapping[str, float]) -> list[DataProblem]:
    """A pipeline far larger than the opportunities of one sales cycle (or, without one, any usual cycle) explain."""
    pipeline, target = funnel.get("pipeline_amount"), funnel.get("monthly_revenue_target")
    if not pipeline or not target:
        return []
    metrics = ("pipeline_amount", "pipeline_coverage")
    coverage = round(pipeline / target, 1)
    opportunities, cycle, deal = (
        funnel.get("opportunities"),
        funnel.get("sales_cycle_days"),
        funnel.get("average_deal_size"),
    )
    if opportunities and cycle and deal:
        open_now = opportunities * cycle / 30
        expected = open_now * deal
        if pipeline > PIPELINE_CYCLE_MARGIN * expected:
            params = {
                "value": coverage, "opportunities": opportunities, "cycle": cycle, "open": round(open_now),
                "expected": expected, "pipeline": pipeline,
            }  # fmt: skip
            return [DataProblem("coverage_beyond_cycle", metrics, params)]
        return []
    if coverage > COVERAGE_PLAUSIBLE_MAX:
        return [DataProblem("coverage_outlier", metrics, {"value": coverage})]
    return []


def _implausible(funnel: Mapping[str, float]) -> list[DataProblem]:
    problems = []
    nrr = funnel.get("nrr")
    if nrr is not None and nrr > NRR_PLAUSIBLE_MAX:
        problems.append(DataProblem("nrr_implausible", ("nrr",), {"value": nrr}))
    if funnel.get("lead_response_hours") == 0:
        problems.append(DataProblem("zero_response", ("lead_response_hours",)))
    wins, pipeline = funnel.get("wins"), funnel.get("pipeline_amount")
    target, deal = funnel.get("monthly_revenue_target"), funnel.get("average_deal_size")
    if pipeline == 0 and wins:
        problems.append(DataProblem("no_pipeline_with_wins", ("pipeline_amount", "wins"), {"wins": wins}))
    opportunities = funnel.get("opportunities")
    problems += _coverage(funnel)
    cycle = funnel.get("sales_cycle_days")
    if wins == 0 and opportunities and cycle and cycle > ONE_MONTH_DAYS:
        problems.append(DataProblem("no_wins_long_cycle", ("wins", "win_rate"), {"cycle": cycle}))
    if wins is not None and opportunities and opportunities >= WIN_RATE_MIN_OPPORTUNITIES and wins <= opportunities:
        rate = wins / opportunities * 100
        if rate >= WIN_RATE_PLAUSIBLE_MAX:
            problems.append(DataProblem("win_rate_implausible", ("wins", "opportunities", "win_rate"), {"rate": rate}))
    if wins and deal and target:
        revenue = wins * deal
        ratio = max(revenue / target, target / revenue)  # inf when one of them is beyond a float's range
        if ratio > TARGET_RATIO_PLAUSIBLE_MAX:
            shown = round(ratio) if ratio < RATIO_SHOWN_MAX else RATIO_SHOWN_MAX  # round(inf) would raise
            params = {"revenue": revenue, "target": target, "ratio": shown}
            problems.append(DataProblem("target_mismatch", ("monthly_revenue_target", "average_deal_size"), params))
    return problems
