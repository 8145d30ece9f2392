"""The view's funnel chapter: figures against benchmarks, charts, bottleneck, revenue, levers, KPI targets."""

from __future__ import annotations

from typing import Any, TypedDict

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.funnel import FunnelAnalysis
from assessment.engine.wording import format_number, format_rate, format_yen, unit_suffix
from assessment.i18n import context_translator
from assessment.presentation import charts
from assessment.presentation.view.words import Gettext, value_range, yen
from assessment.vocabulary import FUNNEL_STAGES, Lang


class FunnelQualityView(TypedDict):
    """Whether the funnel figures can be trusted, and what is wrong with them."""

    status: str
    invalid: bool
    problems: list[str]


class FunnelRow(TypedDict):
    """A funnel metric against its benchmark (``benchmarked``: whether it has one)."""

    title: str
    value: str
    benchmark: str
    basis: str  # how the range came about when it was scaled for the client's sales cycle, else ""
    benchmarked: bool
    status: str
    judgement: str  # concern, within, good, or "" when not judged: picks the icon beside the words
    concern: bool
    problem: bool


class BottleneckView(TypedDict):
    """The stage furthest from its benchmark, in one sentence."""

    department: str
    metric: str
    below: bool
    sentence: str


class RevenueView(TypedDict):
    """The revenue formula's terms and this month's revenue against the target."""

    leads: str
    conversion: str
    win_rate: str
    deal: str
    monthly: str
    target: str | None
    attainment: int | None


class RequiredVolume(TypedDict):
    """What a stage needs each month to reach the target, beside what it has."""

    stage: str
    needed: str
    now: str


LeverView = TypedDict(  # "from" is a Python keyword, so the functional form
    "LeverView",
    {"title": str, "from": str, "to": str, "added": str, "retention": bool, "a_year_on": str | None},
)


class RetentionView(TypedDict):
    """New bookings beside what churn takes from the recurring revenue, each month."""

    recurring: str
    churn: str | None
    churned: str | None
    new: str | None
    net: str | None
    net_negative: bool


class FunnelView(TypedDict):
    """The funnel chapter: figures against benchmarks, charts, the bottleneck, revenue and levers."""

    has_figures: bool
    quality: FunnelQualityView
    rows: list[FunnelRow]
    missing: list[str]
    missing_figures: list[str]
    volumes_chart: str
    bullets_chart: str
    bottleneck: BottleneckView | None
    revenue: RevenueView | None
    required: list[RequiredVolume]
    required_leads: str | None
    concerns: list[str]
    cycle_notes: list[str]
    held_levers: list[str]
    levers: list[LeverView]
    retention: RetentionView | None
    retention_unpriced: bool


class KpiTargetView(TypedDict):
    """A department KPI today, each quarter's step and the target."""

    department: str
    kpi: str
    now: str
    ramp: list[str]


def funnel_view(diagnosis: Diagnosis, content: Content, lang: Lang, accent: str, _: Gettext) -> FunnelView:
    """The funnel chapter: figures against benchmarks, charts, bottleneck, revenue formula, levers, retention."""
    funnel, given = diagnosis.funnel, diagnosis.assessment.funnel
    titles = {b.metric: b.title.get(lang) for b in content.benchmarks.benchmarks}
    titles.update({v.figure: v.title.get(lang) for v in content.benchmarks.volume_levers})
    rows: list[FunnelRow] = []
    bullets: list[charts.MetricRow] = []
    missing: list[str] = []
    for f in funnel.findings:
        unit = unit_suffix(f.unit, lang)
        if f.value is None and f.problem is None:
            missing.append(titles[f.metric])
            continue
        rows.append(
            {
                "title": titles[f.metric],
                "value": "–" if f.value is None else f"{format_number(round(f.value, 1))}{unit}",
                "benchmark": value_range(f.min, f.max, unit),
                "basis": _cycle_words(f, "cycle_basis", diagnosis, content, lang),
                "benchmarked": f.min is not None or f.max is not None,
                "status": _status_word(f, funnel.data_quality.to_check(f.metric), _),
                "judgement": _judgement(f, funnel.data_quality.to_check(f.metric)),
                "concern": f.concern,
                "problem": f.problem is not None,
            }
        )
        if f.value is not None and f.problem is None and (f.min is not None or f.max is not None):
            bullets.append(charts.MetricRow(titles[f.metric], round(f.value, 1), f.min, f.max, unit, f.concern))
    stage_labels = {fig.id: fig.label.get(lang) for fig in content.survey.funnel}
    steps: list[charts.FunnelStep] = []
    previous: str | None = None
    for stage in FUNNEL_STAGES:
        if stage in given:
            conversion: float | None = given[stage] / given[previous] * 100 if previous and given[previous] else None
            steps.append(charts.FunnelStep(_short_stage(stage, lang), given[stage], conversion))
            previous = stage
    revenue = funnel.revenue
    kept = {b.metric for b in content.benchmarks.benchmarks if b.retention}  # churn, NRR: priced on recurring revenue
    quality = funnel.data_quality
    return {
        "has_figures": bool(given),
        "quality": {
            "status": quality.status,
            "invalid": quality.invalid,
            "problems": [p.message(lang) for p in quality.problems],
        },
        "rows": rows,
        "missing": missing,
        "missing_figures": [fig.label.get(lang) for fig in content.survey.funnel if fig.id not in given],
        "volumes_chart": charts.funnel_volumes(steps, accent),
        "bullets_chart": charts.benchmark_bullets(bullets, accent),
        "bottleneck": _bottleneck(diagnosis, content, lang, _),
        "revenue": None
        if revenue is None or revenue.monthly_revenue is None
        else {
            "leads": format_number(revenue.leads) if revenue.leads is not None else "–",
            "conversion": format_rate(revenue.conversion_to_opportunity)
            if revenue.conversion_to_opportunity is not None
            else "–",
            "win_rate": format_rate(revenue.win_rate) if revenue.win_rate is not None else "–",
            "deal": yen(revenue.average_deal_size, lang),
            "monthly": yen(revenue.monthly_revenue, lang),
            "target": yen(revenue.monthly_revenue_target, lang) if revenue.monthly_revenue_target else None,
            "attainment": round(revenue.monthly_revenue / revenue.monthly_revenue_target * 100)
            if revenue.monthly_revenue_target
            else None,
        },
        "required": [
            {"stage": stage_labels[s], "needed": format_number(n), "now": format_number(given[s])}
            for s, n in funnel.required.items()
            if s in given
        ],
        "required_leads": format_number(funnel.required_leads) if funnel.required_leads is not None else None,
        "concerns": [row["title"] for row in rows if row["concern"]],
        "cycle_notes": _cycle_notes(diagnosis, content, lang, _),
        "held_levers": [titles[metric] for metric in funnel.held_levers],
        "levers": [
            {
                "title": titles.get(lever.factor, lever.factor),
                "from": _lever_value(lever.factor, lever.current, lang),
                "to": _lever_value(lever.factor, lever.target, lang),
                "added": yen(lever.added_revenue, lang),
                "retention": lever.kind == "retention",
                "a_year_on": yen(lever.after_12_months, lang) if lever.after_12_months is not None else None,
            }
            for lever in funnel.levers
        ],
        "retention": _retention(funnel, lang),
        "retention_unpriced": funnel.retention is None and any(f.concern for f in funnel.findings if f.metric in kept),
    }


def _retention(funnel: FunnelAnalysis, lang: Lang) -> RetentionView | None:
    """New bookings beside what churn takes from the recurring revenue, each month."""
    retention = funnel.retention
    if retention is None:
        return None
    return {
        "recurring": yen(retention.recurring_revenue, lang),
        "churn": format_rate(retention.churn_rate) if retention.churn_rate is not None else None,
        "churned": yen(retention.churned_per_month, lang) if retention.churned_per_month is not None else None,
        "new": yen(retention.new_bookings, lang) if retention.new_bookings is not None else None,
        "net": None
        if retention.net_growth is None
        else ("−" if retention.net_growth < 0 else "") + yen(abs(retention.net_growth), lang),
        "net_negative": retention.net_growth is not None and retention.net_growth < 0,
    }


def _cycle_notes(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> list[str]:
    """Where a benchmark range was widened for the client's sales cycle, say how below the table."""
    notes = (_cycle_words(finding, "cycle_note", diagnosis, content, lang) for finding in diagnosis.funnel.findings)
    return [note for note in notes if note]


def _cycle_words(finding: Any, field: str, diagnosis: Diagnosis, content: Content, lang: Lang) -> str:
    """The content's words (``cycle_basis`` or ``cycle_note``) for a range scaled by the client's sales cycle:
    the range as written, the cycle in days and months, the range used; "" when the range was not scaled."""
    written = content.benchmark(finding.metric)
    cycle = diagnosis.assessment.funnel.get("sales_cycle_days")
    if written is None or not written.per_cycle_month or finding.min == written.min or cycle is None:
        return ""
    words = getattr(written, field)
    if words is None:
        return ""
    return str(words.get(lang)).format(
        low=format_number(written.min or 0), high=format_number(written.max or 0), days=format_number(cycle),
        months=format_number(round(cycle / 30, 1)), min=format_number(finding.min or 0),
        max=format_number(finding.max or 0),
    )  # fmt: skip


def _status_word(finding: Any, to_check: bool, _: Gettext) -> str:
    """Where a figure stands, in words that say good or bad: not judged, to check, short, over, within, better.

    "Above" alone reads as praise for a 48-hour response, so each word names the direction that matters: a
    rate short of its range, a time or churn over its limit, a rate too high for its range (MQL share), or
    better than the benchmark. A figure without a benchmark (SQL-to-opportunity acceptance) says so.
    """
    if finding.problem is not None:
        return _("Not judged")
    if to_check:
        return _("To check")
    if finding.min is None and finding.max is None:
        return _("No benchmark")
    if finding.status == "within":
        return _("Within")
    if finding.concern:
        if finding.status == "below":
            return _("Short of the benchmark")
        return _("Over the limit") if finding.good_side == "lower" else _("Too high for the range")
    return _("Better than the benchmark") if finding.status else "–"


def _judgement(finding: Any, to_check: bool) -> str:
    """The row's verdict for its icon: concern, within, good, or "" (not judged, to check, no benchmark)."""
    if finding.problem is not None or to_check or finding.status is None:
        return ""
    if finding.concern:
        return "concern"
    return "within" if finding.status == "within" else "good"


def kpi_targets_view(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[KpiTargetView]:
    """The department KPI table: today, each quarter's step and the target, in the reader's words."""
    targets = diagnosis.kpi_targets
    if targets is None:
        return []
    departments = {d.id: d.title.get(lang) for d in content.survey.departments}
    names = {figure.id: figure.label.get(lang) for figure in content.survey.funnel}
    names.update({b.metric: b.title.get(lang) for b in content.benchmarks.benchmarks})
    order = [d.id for d in content.survey.departments]

    def shown(value: float | None, unit: str) -> str:
        if value is None:
            return "–"
        return format_rate(value) if unit == "percent" else f"{format_number(value)}{unit_suffix(unit, lang)}"

    rows = sorted(targets.targets, key=lambda t: order.index(t.department) if t.department in order else 9)
    return [
        {
            "department": departments.get(t.department, t.department),
            "kpi": names.get(t.kpi, t.kpi),
            "now": shown(t.now, t.unit),
            "ramp": [shown(step, t.unit) for step in t.ramp],
        }
        for t in rows
    ]


def _bottleneck(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> BottleneckView | None:
    """The bottleneck and one sentence on it, judged against the limit that counts (a ceiling for churn)."""
    bottleneck = diagnosis.funnel.bottleneck
    if bottleneck is None:
        return None
    benchmark = content.benchmark(bottleneck.metric)
    unit = unit_suffix(benchmark.unit, lang) if benchmark else ""
    departments = {d.id: d.title.get(lang) for d in content.survey.departments}
    words = {
        "value": f"{format_number(round(bottleneck.value, 1))}{unit}",
        "limit": f"{format_number(bottleneck.limit)}{unit}",
        "times": format_number(bottleneck.times_limit, 2),
        "pct": round(bottleneck.ratio_to_benchmark * 100),
    }
    if not bottleneck.below_benchmark:
        sentence = _(
            "%(value)s: every stage's key figure is within its benchmark; "
            "this one is the closest to its %(limit)s limit."
        )
    elif bottleneck.bound == "max":
        sentence = _("%(value)s, %(times)s times the %(limit)s ceiling: the furthest past its benchmark of any stage.")
    else:
        sentence = _("%(value)s, %(pct)s%% of the %(limit)s floor: the furthest short of its benchmark of any stage.")
    return {
        "department": departments.get(bottleneck.stage, bottleneck.stage),
        "metric": benchmark.title.get(lang) if benchmark else bottleneck.metric,
        "below": bottleneck.below_benchmark,
        "sentence": sentence % words,
    }


def _short_stage(stage: str, lang: Lang) -> str:
    """A funnel stage's name as short as the funnel chart's labels need."""
    pgettext = context_translator(lang)
    names = {
        "leads": pgettext("funnel stage", "Leads"), "mqls": pgettext("funnel stage", "MQLs"),
        "sqls": pgettext("funnel stage", "SQLs"), "opportunities": pgettext("funnel stage", "Opportunities"),
        "wins": pgettext("funnel stage", "Wins"),
    }  # fmt: skip
    return names[stage]


def _lever_value(factor: str, value: float, lang: Lang) -> str:
    if factor == "average_deal_size":
        return format_yen(value, lang)
    if factor == "leads":
        return format_number(round(value))
    return format_rate(value)  # as the KPI table writes the same rate
