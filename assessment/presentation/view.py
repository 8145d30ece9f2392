"""A diagnosis as its readers see it: the typed view the web results and the proposal PDF both show.

Pure data built from a diagnosis, in the reader's language: every number is formatted, every label chosen
and every chart drawn here, so the templates stay presentational. No I/O, no Flask, no WeasyPrint. The
PDF adds only its cover (branding and date): see ``assessment.report.context``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypedDict

from babel.dates import format_date

from assessment.content.catalogue import fact_label
from assessment.content.model import Content
from assessment.engine.assessment_file import NOTE_SECTIONS, Client
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.funnel import FunnelAnalysis
from assessment.engine.roadmap.calendar import last_day, week_date
from assessment.engine.wording import describe_value, format_number, format_rate, format_yen, role_label, unit_suffix
from assessment.i18n import context_translator, translator
from assessment.presentation import charts
from assessment.presentation.roadmap_export import first_90_days, later_by_phase
from assessment.vocabulary import FUNNEL_STAGES, Lang

Gettext = Callable[[str], str]
ANSWER_MARKS = {"yes": "○", "partial": "△", "no": "×", "unknown": "?"}


# ---- the view, section by section (what every reader's page shows, already in words) ----


class AxisScore(TypedDict):
    """One checklist axis and its 0-100 score."""

    title: str
    score: float


class ScoresView(TypedDict):
    """The overall score, each axis's score and the bar chart of them."""

    overall: float
    axes: list[AxisScore]
    chart: str


class Evidence(TypedDict):
    """One fact a risk rests on: its label, its value in words, and whether it met the rule's condition."""

    label: str
    value: str
    matched: bool


class RiskView(TypedDict):
    """A failure risk: severity, why it applies (evidence), what to do and the roadmap tasks that address it."""

    id: str
    severity: str
    severity_label: str
    confirmed: bool
    title: str
    cause: str
    explanation: str
    countermeasure: str
    evidence: list[Evidence]
    tasks: list[str]


class CompletenessView(TypedDict):
    """How much of the checklist the diagnosis rests on."""

    answered: int
    statements: int
    missing: int
    needed: int
    provisional: bool
    note: str


class NextStep(TypedDict):
    """A closing step of the proposal and who or what it needs."""

    title: str
    meta: str


class PhaseRung(TypedDict):
    """One organisation phase on the ladder, marked where the client is, fits by size and should aim."""

    number: int
    title: str
    structure: str
    current: bool
    recommended: bool
    by_size: bool


class PhaseView(TypedDict):
    """The organisation phase now and the one to aim for, with the advice that follows."""

    current: str
    recommended: str
    recommended_structure: str | None
    holds: bool
    by_size: str | None
    advice: list[str]
    ladder: list[PhaseRung]
    recommended_number: int


class BprStageView(TypedDict):
    """A BPR step and whether it is done, current or later."""

    title: str
    description: str
    state: str


class NextAction(TypedDict):
    """One of the first tasks to start."""

    title: str
    owner: str
    weeks: int
    critical: bool


class ChecklistRow(TypedDict):
    """One checklist statement with the answer given and any comment."""

    number: int
    text: str
    hint: str
    answer: str
    mark: str
    answer_label: str
    comment: str


class ChecklistAxis(TypedDict):
    """One axis of the checklist with its score and statements."""

    title: str
    score: float
    items: list[ChecklistRow]


class AnswerMark(TypedDict):
    """A department's answer to a statement, as a mark and in words."""

    answer: str
    mark: str
    label: str


class PerceptionGap(TypedDict):
    """A statement the departments see differently, and the answer the scores use."""

    number: int
    text: str
    views: list[AnswerMark]
    consensus: str
    adopted: str
    overruled: bool


class PerceptionView(TypedDict):
    """Who answered a workshop round, and where the departments disagree."""

    respondents: int
    departments: list[str]
    gaps: list[PerceptionGap]


class FunnelQualityView(TypedDict):
    """Whether the funnel figures can be trusted, and what is wrong with them."""

    status: str
    invalid: bool
    problems: list[str]


class FunnelRow(TypedDict):
    """A funnel metric against its benchmark."""

    title: str
    value: str
    benchmark: str
    status: str
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


class WeekBlock(TypedDict):
    """A stretch of the first 90 days: the tasks that start (with owners) and those due."""

    when: str
    starting: list[str]
    due: list[str]


class First90DaysView(TypedDict):
    """The first 90 days week by week, and the meeting rhythm that carries them."""

    blocks: list[WeekBlock]
    rhythm: list[str]


class KpiTargetView(TypedDict):
    """A department KPI today, each quarter's step and the target."""

    department: str
    kpi: str
    now: str
    ramp: list[str]


class DepartmentView(TypedDict):
    """One of THE MODEL's departments: its role, output, KPIs and how it is staffed now."""

    title: str
    role: str
    output: str
    kpis: list[str]
    dedicated: bool
    now: str


class Handoff(TypedDict):
    """A hand-off agreement to make between departments."""

    topic: str
    decide: str
    start: str


class MeetingView(TypedDict):
    """A meeting of the operating rhythm."""

    title: str
    cadence: str
    attendees: str
    minutes: int
    agenda: list[str]


class LifecycleStageView(TypedDict):
    """A lifecycle stage, its owner, entry rule and automation (and its HubSpot counterpart)."""

    stage: str
    owner: str
    entry: str
    automation: str
    hubspot_stage: str
    hubspot_automation: str


class IntegrationPoint(TypedDict):
    """An MA/SFA integration point to configure."""

    title: str
    detail: str


class HubspotHubView(TypedDict):
    """Which HubSpot hub serves a department, and with what."""

    department: str
    hub: str
    features: str


class HubspotUse(TypedDict):
    """Whether the HubSpot worked example applies, and the CRM beside it if HubSpot is not the CRM."""

    uses_hubspot: bool
    hubspot_as_crm: bool
    other_crm: str


class PlaybookView(TypedDict):
    """What to operate: hand-offs, meetings, lifecycle, integration, and the HubSpot worked example."""

    handoffs: list[Handoff]
    meetings: list[MeetingView]
    lifecycle: list[LifecycleStageView]
    integration: list[IntegrationPoint]
    uses_hubspot: bool
    hubspot_as_crm: bool
    other_crm: str
    hubspot_hubs: list[HubspotHubView]
    dashboards: list[str]
    products: dict[str, str]


class RoadmapTaskView(TypedDict):
    """A scheduled roadmap task in words."""

    title: str
    owner: str
    weeks: int
    span: str
    critical: bool
    depends_on: list[str]
    establishes: list[str]
    addresses: list[str]
    to_confirm: bool


class OwnerEffort(TypedDict):
    """Person-days one owner puts into the plan."""

    owner: str
    days: str


class EffortView(TypedDict):
    """The plan's effort by owner and by month, its total, and the tasks that need outside support."""

    by_owner: list[OwnerEffort]
    by_month: list[str]
    total: str
    outside: list[str]


class RoadmapView(TypedDict):
    """The dependency-ordered plan: dates, Gantt chart, critical path, tasks, effort and roles to fill."""

    total_weeks: int
    months: float
    start: str | None
    end: str | None
    chart: str
    critical_path: list[str]
    tasks: list[RoadmapTaskView]
    done: list[str]
    later: list[dict[str, Any]]
    effort: EffortView
    roles: list[str]


class AnswerRow(TypedDict):
    """A survey answer as given."""

    title: str
    value: str


class ToolRow(TypedDict):
    """A tool, its status and the product named."""

    title: str
    value: str
    product: str


class FigureRow(TypedDict):
    """A funnel figure as given."""

    label: str
    value: str


class AppendixView(TypedDict):
    """The answers and survey as given, and the warnings about them."""

    departments: list[AnswerRow]
    tools: list[ToolRow]
    spreadsheet: str
    funnel: list[FigureRow]
    warnings: list[str]


class View(TypedDict):
    """A diagnosis as every reader's page shows it: the web results, and the PDF (which adds its cover)."""

    lang: Lang
    client: Client
    scores: ScoresView
    risks: list[RiskView]
    phase: PhaseView
    bpr: list[BprStageView]
    next_actions: list[NextAction]
    next_steps: list[NextStep]
    completeness: CompletenessView
    checklist: list[ChecklistAxis]
    perception: PerceptionView | None
    funnel: FunnelView
    kpi_targets: list[KpiTargetView]
    first_90_days: First90DaysView
    departments: list[DepartmentView]
    playbook: PlaybookView
    roadmap: RoadmapView
    notes: dict[str, str]
    appendix: AppendixView


class ScoreChange(TypedDict):
    """A score before and after, and the change."""

    before: float
    after: float
    delta: float


class AxisChange(ScoreChange):
    """An axis's score before and after."""

    title: str


class ItemChange(TypedDict):
    """A statement whose answer changed since the last round."""

    text: str
    before: str
    after: str
    improved: bool


class SinceLast(TypedDict):
    """What changed since the previous workshop round."""

    overall: ScoreChange
    axes: list[AxisChange]
    items: list[ItemChange]
    tasks_completed: list[str]
    risks_resolved: list[str]
    risks_new: list[str]
    risks_still_disputed: list[str]


def build_view(
    diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext, accent: str = charts.DEFAULT_ACCENT
) -> View:
    """The view of ``diagnosis`` in ``lang`` (``_``: the catalogue's gettext; ``accent``: the charts' colour)."""
    return {
        "lang": lang,
        "client": diagnosis.assessment.client,
        "scores": _scores(diagnosis, content, lang, accent),
        "risks": [_risk(f, diagnosis, content, lang, _) for f in diagnosis.findings],
        "phase": phase_view(diagnosis, content, lang, _),
        "bpr": _bpr(diagnosis, content, lang),
        "next_actions": _next_actions(diagnosis, content, lang),
        "next_steps": _next_steps(diagnosis, _),
        "completeness": _completeness(diagnosis, _),
        "checklist": _checklist(diagnosis, content, lang),
        "perception": _perception(diagnosis, content, lang),
        "funnel": _funnel(diagnosis, content, lang, accent, _),
        "kpi_targets": _kpi_targets(diagnosis, content, lang),
        "first_90_days": _first_90_days(diagnosis, content, lang, _),
        "departments": _departments(diagnosis, content, lang),
        "playbook": _playbook(diagnosis, content, lang),
        "roadmap": _roadmap(diagnosis, content, lang, accent, _),
        "notes": {section: diagnosis.assessment.notes.get(section, "") for section in NOTE_SECTIONS},
        "appendix": _appendix(diagnosis, content, lang, _),
    }


def _yen(value: float | None, lang: Lang) -> str:
    return "–" if value is None else format_yen(value, lang)


def _scores(diagnosis: Diagnosis, content: Content, lang: Lang, accent: str) -> ScoresView:
    bars = [charts.Bar(axis.title.get(lang), diagnosis.scores.of(axis.id)) for axis in content.checklist.axes]
    axes: list[AxisScore] = [{"title": bar.label, "score": bar.value} for bar in bars]
    overall_label = translator(lang)("Overall")
    bars.append(charts.Bar(overall_label, diagnosis.scores.overall, emphasis=True))
    return {"overall": diagnosis.scores.overall, "axes": axes, "chart": charts.score_bars(bars, accent)}


def _risk(finding: Any, diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> RiskView:
    titles = {task.id: task.title.get(lang) for task in content.tasks}
    evidence: list[Evidence] = [
        {
            "label": fact_label(o.fact, content, lang),
            "value": _evidence_value(o.fact, o.value, content, lang),
            "matched": o.result is True,
        }
        for o in finding.evidence
    ]
    return {
        "id": finding.rule_id,
        "severity": finding.severity,
        "severity_label": {"high": _("High"), "medium": _("Medium"), "low": _("Low")}[finding.severity],
        "confirmed": finding.confirmed,
        "title": finding.title.get(lang),
        "cause": finding.cause.get(lang),
        "explanation": finding.explanation.get(lang),
        "countermeasure": finding.countermeasure.get(lang),
        "evidence": [e for e in evidence if e["matched"]] or evidence,
        "tasks": [titles[task_id] for task_id in finding.addressed_by if task_id in titles],
    }


def _evidence_value(fact: str, value: Any, content: Content, lang: Lang) -> str:
    """A fact's value as the evidence table shows it: a metric with its unit, a multiple (×), people, a step."""
    pgettext = context_translator(lang)
    namespace, _sep, name = fact.partition(".")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if namespace == "ratio":
            return pgettext("evidence", "{value}×").format(value=format_number(value))
        if namespace in ("metric", "funnel"):
            benchmark = content.benchmark(name)
            unit = benchmark.unit if benchmark else next((f.unit for f in content.survey.funnel if f.id == name), "")
            if unit == "yen":
                return format_yen(value, lang)
            return f"{format_number(value)}{unit_suffix(unit, lang)}"
        if fact == "client.employees":
            return pgettext("evidence", "{value} people").format(value=format_number(value))
        if fact == "bpr.stage":
            return pgettext("evidence", "step {value}").format(value=format_number(value))
        if fact in ("phase.current", "phase.by_size", "phase.recommended"):
            return f"Phase {format_number(value)}"
    return describe_value(fact, value, content, lang)


def _completeness(diagnosis: Diagnosis, _: Gettext) -> CompletenessView:
    """How much of the checklist the diagnosis rests on, and the words for a provisional one."""
    c = diagnosis.completeness
    return {
        "answered": c.answered,
        "statements": c.statements,
        "missing": c.missing,
        "needed": c.needed,
        "provisional": c.provisional,
        "note": _(
            "Provisional: only %(answered)s of the %(statements)s statements are answered (%(missing)s blank or "
            "'don't know'), so the scores and risks may change once the rest are answered."
        )
        % {"answered": c.answered, "statements": c.statements, "missing": c.missing},
    }


def _next_steps(diagnosis: Diagnosis, _: Gettext) -> list[NextStep]:
    """The closing steps that follow from this file: confirm what is unknown, then re-assess when due."""
    steps: list[NextStep] = []
    unknown = sum(1 for answer in diagnosis.assessment.answers.values() if answer == "unknown")
    if unknown:
        steps.append(
            {
                "title": _("Confirm the %(n)s statements answered 'don't know' or left blank") % {"n": unknown},
                "meta": _("with the department heads concerned"),
            }
        )
    if diagnosis.funnel.data_quality.problems:
        steps.append(
            {
                "title": _("Check the funnel figures flagged in chapter 3"),
                "meta": _("from the SFA/CRM or the monthly report, for one and the same month"),
            }
        )
    plan = diagnosis.plan
    if plan.scheduled:
        week = min(plan.total_weeks, 13)  # the end of the first 90 days, or of a shorter plan
        steps.append(
            {
                "title": _("Re-run this assessment at the end of the first 90 days"),
                "meta": _("around week %(w)s of the roadmap, to see the scores move and adjust the plan") % {"w": week},
            }
        )
    return steps


def phase_view(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> PhaseView:
    """The organisation phase now and to aim for, and the advice that follows (one wording for every reader)."""
    phases = {p.number: p for p in content.organisation.phases}
    phase = diagnosis.phase
    advice = {
        "next_step": _("Your size fits the next phase: take that step now."),
        "one_step": _("Your size fits a later phase, but move one phase at a time: each step must hold first."),
        "consolidate": _("Your structure fits your size: make it work well before adding teams."),
        "ahead_of_size": _(
            "Your structure is ahead of your size: add no teams until your size calls for them, and watch what "
            "coordinating the ones you have costs."
        ),
        "keep_inside_sales_shared": _(
            "At your size a separate inside-sales team costs more in coordination than it returns; "
            "let field sales keep the first contact."
        ),
        "fold_inside_sales": _(
            "At your size a separate inside-sales team usually costs more in coordination than it returns: "
            "make its results visible within a quarter, or let field sales take the first contact again."
        ),
        "size_unknown": _("The number of employees was not given, so the size-fit phase is a guess: confirm it."),
        "structure_unknown": _(
            "Some answers that decide the next phase were not given, so the current phase may be higher "
            "than shown: confirm the departments' staffing and the answers marked 'don't know'."
        ),
    }
    ladder: list[PhaseRung] = [
        {
            "number": p.number,
            "title": p.title.get(lang),
            "structure": p.structure.get(lang),
            "current": p.number == phase.current,
            "recommended": p.number == phase.recommended,
            "by_size": p.number == phase.by_size,
        }
        for p in sorted(content.organisation.phases, key=lambda p: p.number)
    ]
    return {
        "current": phases[phase.current].title.get(lang),
        "recommended": phases[phase.recommended].title.get(lang),
        # holding the current phase: its description would read as a step still to take
        "recommended_structure": None if phase.holds else phases[phase.recommended].structure.get(lang),
        "holds": phase.holds,
        "by_size": phases[phase.by_size].title.get(lang) if phase.by_size is not None else None,
        "advice": [advice[code] for code in phase.advice if code in advice],
        "ladder": ladder,
        "recommended_number": phase.recommended,
    }


def _bpr(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[BprStageView]:
    return [
        {
            "title": stage.title.get(lang),
            "description": stage.description.get(lang),
            "state": "done"
            if stage.id in diagnosis.bpr.completed
            else ("current" if stage.id == diagnosis.bpr.stage else "later"),
        }
        for stage in content.organisation.bpr_stages
    ]


def _next_actions(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[NextAction]:
    owners = {o.id: o.title.get(lang) for o in content.survey.owners}
    pending = list(diagnosis.plan.scheduled)
    first = sorted(pending, key=lambda t: (t.start_week or 0, not t.addresses, not t.critical))[:3]
    return [
        {
            "title": t.title.get(lang),
            "owner": owners.get(t.owner, t.owner),
            "weeks": t.weeks,
            "critical": t.critical,
        }
        for t in first
    ]


def _checklist(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[ChecklistAxis]:
    answers, comments = diagnosis.assessment.answers, diagnosis.assessment.comments
    labels = content.checklist.answer_labels
    return [
        {
            "title": axis.title.get(lang),
            "score": diagnosis.scores.of(axis.id),
            "items": [
                {
                    "number": content.checklist.items.index(item) + 1,
                    "text": item.text.get(lang),
                    "hint": item.hint.get(lang),
                    "answer": answers[item.id],
                    "mark": ANSWER_MARKS[answers[item.id]],
                    "answer_label": labels[answers[item.id]].get(lang),
                    "comment": comments.get(item.id, ""),
                }
                for item in content.checklist.items
                if item.axis == axis.id
            ],
        }
        for axis in content.checklist.axes
    ]


def _perception(diagnosis: Diagnosis, content: Content, lang: Lang) -> PerceptionView | None:
    perception = diagnosis.perception
    if perception is None:
        return None
    labels = content.checklist.answer_labels
    numbers = {item.id: index for index, item in enumerate(content.checklist.items, start=1)}
    # what the scores use: the consultant's final answer where one was set, else the consensus
    used = {view.item_id: diagnosis.assessment.answers.get(view.item_id, view.consensus) for view in perception.gaps}
    return {
        "respondents": perception.respondents,
        "departments": [role_label(d, content, lang) for d in perception.departments],
        "gaps": [
            {
                "number": numbers[view.item_id],
                "text": content.checklist.item(view.item_id).text.get(lang),
                "views": [
                    {"answer": answer, "mark": ANSWER_MARKS[answer], "label": labels[answer].get(lang)}
                    for answer in view.by_department.values()
                ],
                "consensus": labels[view.consensus].get(lang),
                "adopted": labels[used[view.item_id]].get(lang),
                "overruled": used[view.item_id] != view.consensus,
            }
            for view in perception.gaps
        ],
    }


def _funnel(diagnosis: Diagnosis, content: Content, lang: Lang, accent: str, _: Gettext) -> FunnelView:
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
                "benchmark": _range(f.min, f.max, unit),
                "status": _status_word(f, funnel.data_quality.to_check(f.metric), _),
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
            "deal": _yen(revenue.average_deal_size, lang),
            "monthly": _yen(revenue.monthly_revenue, lang),
            "target": _yen(revenue.monthly_revenue_target, lang) if revenue.monthly_revenue_target else None,
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
                "added": _yen(lever.added_revenue, lang),
                "retention": lever.kind == "retention",
                "a_year_on": _yen(lever.after_12_months, lang) if lever.after_12_months is not None else None,
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
        "recurring": _yen(retention.recurring_revenue, lang),
        "churn": format_rate(retention.churn_rate) if retention.churn_rate is not None else None,
        "churned": _yen(retention.churned_per_month, lang) if retention.churned_per_month is not None else None,
        "new": _yen(retention.new_bookings, lang) if retention.new_bookings is not None else None,
        "net": None
        if retention.net_growth is None
        else ("−" if retention.net_growth < 0 else "") + _yen(abs(retention.net_growth), lang),
        "net_negative": retention.net_growth is not None and retention.net_growth < 0,
    }


def _cycle_notes(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> list[str]:
    """Where a benchmark range was widened for the client's sales cycle, say so beside the table."""
    notes = []
    cycle = diagnosis.assessment.funnel.get("sales_cycle_days")
    for finding in diagnosis.funnel.findings:
        written = content.benchmark(finding.metric)
        if written is None or not written.per_cycle_month or finding.min == written.min or cycle is None:
            continue
        unit = unit_suffix(written.unit, lang)
        notes.append(
            _(
                "%(metric)s: %(low)s–%(high)s for deals that close within a month, widened to %(min)s–%(max)s "
                "for your %(days)s-day sales cycle."
            )
            % {
                "metric": written.title.get(lang), "low": f"{format_number(written.min or 0)}{unit}",
                "high": f"{format_number(written.max or 0)}{unit}", "min": f"{format_number(finding.min or 0)}{unit}",
                "max": f"{format_number(finding.max or 0)}{unit}", "days": format_number(cycle),
            }
        )  # fmt: skip
    return notes


def _status_word(finding: Any, to_check: bool, _: Gettext) -> str:
    """Where a figure stands, in words: not judged, to check (implausible), over the limit, below, within, above."""
    if finding.problem is not None:
        return _("Not judged")
    if to_check:
        return _("To check")
    if finding.good_side == "lower" and finding.status == "above":
        return _("Over the limit")  # above a ceiling where lower is better: worse, not "above" in the good sense
    return {"below": _("Below"), "within": _("Within"), "above": _("Above")}.get(finding.status or "", "–")


def _first_90_days(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> First90DaysView:
    """Week-by-week actions for the first 90 days, with their owners, checkpoints and the meeting rhythm."""
    plan = diagnosis.plan
    owners = {o.id: o.title.get(lang) for o in content.survey.owners}
    pgettext = context_translator(lang)

    week = _("week %(n)s")

    def span(first: int, last: int) -> str:
        if plan.start is None:
            return f"{week % {'n': first + 1}}–{week % {'n': last}}"
        return _span(plan.start, first, last, lang)

    def owned(task: Any) -> str:
        owner = owners.get(task.owner, task.owner)
        return pgettext("task and owner", "{task} ({owner})").format(task=task.title.get(lang), owner=owner)

    blocks: list[WeekBlock] = [
        {
            "when": span(block["first"], block["last"]),
            "starting": [owned(t) for t in block["starting"]],
            "due": [t.title.get(lang) for t in block["due"]],
        }
        for block in first_90_days(plan)
    ]
    meetings = {m.id: m for m in content.playbook.meetings}
    rhythm = []
    baton = next((t for t in plan.tasks if t.id == "baton_meeting"), None)
    if baton is not None and "baton_meeting" in meetings:
        m = meetings["baton_meeting"]
        words = {"title": m.title.get(lang), "cadence": m.cadence.get(lang)}
        if baton.status == "done":
            rhythm.append(_("%(title)s (%(cadence)s), already held: the forum for the hand-offs below.") % words)
        elif baton.horizon == "now" and baton.start_week is not None:
            words["when"] = span(baton.start_week, baton.start_week + 1).split("–")[0]
            rhythm.append(
                _("%(title)s (%(cadence)s) from %(when)s: where the MQL and SQL definitions are agreed.") % words
            )
    if "monthly_review" in meetings:
        m = meetings["monthly_review"]
        words = {"title": m.title.get(lang), "cadence": m.cadence.get(lang)}
        rhythm.append(
            _("%(title)s (%(cadence)s): the funnel figures against the KPI targets, and what to change next.") % words
        )
    return {"blocks": blocks, "rhythm": rhythm}


def _kpi_targets(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[KpiTargetView]:
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
    return f"{value:.1f}%"


def _range(low: float | None, high: float | None, unit: str) -> str:
    if low is None and high is None:
        return "–"
    if low is None:
        return f"≤ {format_number(high or 0)}{unit}"
    if high is None:
        return f"≥ {format_number(low)}{unit}"
    return f"{format_number(low)}–{format_number(high)}{unit}"


def _departments(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[DepartmentView]:
    phases = {p.number: p for p in content.organisation.phases}
    dedicated = set(phases[diagnosis.phase.recommended].dedicated_departments)
    staffing = content.survey.staffing_labels
    return [
        {
            "title": d.title.get(lang),
            "role": d.role.get(lang),
            "output": d.output.get(lang),
            "kpis": [k.get(lang) for k in d.kpis],
            "dedicated": d.id in dedicated,
            "now": staffing[diagnosis.assessment.departments[d.id]].get(lang)
            if d.id in diagnosis.assessment.departments
            else "–",
        }
        for d in content.survey.departments
    ]


def _playbook(diagnosis: Diagnosis, content: Content, lang: Lang) -> PlaybookView:
    playbook = content.playbook
    departments = {d.id: d.title.get(lang) for d in content.survey.departments}
    return {
        "handoffs": [
            {"topic": a.topic.get(lang), "decide": a.decide.get(lang), "start": a.starting_point.get(lang)}
            for a in playbook.handoff_agreements
        ],
        "meetings": [
            {
                "title": m.title.get(lang),
                "cadence": m.cadence.get(lang),
                "attendees": m.attendees.get(lang),
                "minutes": m.minutes,
                "agenda": [item.get(lang) for item in m.agenda],
            }
            for m in playbook.meetings
        ],
        "lifecycle": [
            {
                "stage": s.stage.get(lang),
                "owner": departments.get(s.owner, s.owner),
                "entry": s.entry.get(lang),
                "automation": s.automation.get(lang),
                "hubspot_stage": s.hubspot_stage,
                "hubspot_automation": s.hubspot_automation.get(lang),
            }
            for s in playbook.lifecycle
        ],
        "integration": [
            {"title": p.title.get(lang), "detail": p.detail.get(lang)} for p in playbook.integration_points
        ],
        **_hubspot(diagnosis),
        "hubspot_hubs": [
            {
                "department": departments.get(h.department, h.department),
                "hub": h.hub,
                "features": h.features.get(lang),
            }
            for h in playbook.hubspot_hubs
        ],
        "dashboards": [d.get(lang) for d in playbook.hubspot_dashboards],
        "products": dict(diagnosis.assessment.products),
    }


def _hubspot(diagnosis: Diagnosis) -> HubspotUse:
    """Whether the HubSpot worked example applies: HubSpot in use, and whether it is also the CRM.

    HubSpot only planned or compared is not shown (the proposal would prejudge the choice); HubSpot as MA
    beside another CRM gets the lifecycle mapping, not the Sales and Service Hub advice.
    """
    assessment = diagnosis.assessment
    in_use = {
        kind
        for kind, product in assessment.products.items()
        if "hubspot" in product.lower() and assessment.tools.get(kind) == "in_use"
    }
    other_crm = assessment.products.get("sfa", "") if "sfa" not in in_use else ""
    return {"uses_hubspot": bool(in_use), "hubspot_as_crm": "sfa" in in_use, "other_crm": other_crm}


def _roadmap(diagnosis: Diagnosis, content: Content, lang: Lang, accent: str, _: Gettext) -> RoadmapView:
    plan = diagnosis.plan
    owners = {o.id: o.title.get(lang) for o in content.survey.owners}
    titles = {t.id: t.title.get(lang) for t in content.tasks}
    items = {i.id: i.text.get(lang) for i in content.checklist.items}
    rules = {r.id: r.title.get(lang) for r in content.rules}
    pending = list(plan.scheduled)
    bars = [
        charts.GanttBar(t.title.get(lang), owners.get(t.owner, t.owner), t.start_week or 0, t.end_week or 0,
                        t.critical, t.lane)
        for t in pending
    ]  # fmt: skip
    return {
        "total_weeks": plan.total_weeks,
        "months": round(plan.total_weeks / 4.33, 1),
        "start": _day(plan.start, lang) if plan.start else None,
        "end": _day(last_day(plan.start, plan.total_weeks), lang, plan.start)
        if plan.start and plan.total_weeks
        else None,
        "chart": charts.gantt(bars, plan.total_weeks, accent, start=plan.start),
        "critical_path": [titles[task_id] for task_id in plan.critical_path],
        "tasks": [
            {
                "title": t.title.get(lang),
                "owner": owners.get(t.owner, t.owner),
                "weeks": t.weeks,
                "span": _span(plan.start, t.start_week or 0, t.end_week or 0, lang),
                "critical": t.critical,
                "depends_on": [titles[d] for d in t.depends_on],
                "establishes": [items[i] for i in t.establishes],
                "addresses": [rules[r] for r in t.addresses],
                "to_confirm": t.to_confirm,
            }
            for t in pending
        ],
        "done": [t.title.get(lang) for t in plan.tasks if t.status == "done"],
        "later": later_by_phase(plan, content, lang),
        "effort": {
            "by_owner": [
                {"owner": owners.get(owner, owner), "days": format_number(round(days))}
                for owner, days in plan.effort_by_owner().items()
            ],
            "by_month": [format_number(round(days)) for days in plan.effort_by_month()],
            "total": format_number(round(sum(t.effort_days for t in pending))),
            "outside": [t.title.get(lang) for t in pending if t.outside_support],
        },
        "roles": _roles_needed(diagnosis, content, lang, _),
    }


def _roles_needed(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> list[str]:
    """The people the phase to aim for needs and the client does not have yet, and by when in the plan."""
    phase = next(p for p in content.organisation.phases if p.number == diagnosis.phase.recommended)
    titles = {d.id: d.title.get(lang) for d in content.survey.departments}
    appoints = {task.id: task.appoints for task in content.tasks if task.appoints}
    by_appointment = {appoints[t.id]: t for t in diagnosis.plan.scheduled if t.id in appoints}
    roles = []
    for department in phase.dedicated_departments:
        if diagnosis.assessment.departments.get(department) == "dedicated":
            continue
        task = by_appointment.get(department)
        month = (task.end_week or 0) // 4 + 1 if task else 1
        roles.append(
            _("A dedicated %(role)s owner by month %(n)s of the plan") % {"role": titles[department], "n": month}
        )
    return roles


def _day(day: date, lang: Lang, start: date | None = None) -> str:
    """A date as the plan shows it: 7 Dec in English, with the year once it is not the start's (4 Jan 2027)."""
    pgettext = context_translator(lang)
    with_year = start is None or day.year != start.year
    # CLDR date patterns (d day, MMM short month, y year), written per language in the catalogue
    pattern = pgettext("date pattern", "d MMM y") if with_year else pgettext("date pattern", "d MMM")
    return format_date(day, pattern, locale=lang)


def _span(start: date | None, first: int, last: int, lang: Lang) -> str:
    """A task's span: calendar dates when the plan has a start, else week numbers."""
    if start is None:
        return f"W{first}–W{last}"
    return f"{_day(week_date(start, first), lang, start)}–{_day(last_day(start, last), lang, start)}"


def _appendix(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> AppendixView:
    assessment = diagnosis.assessment
    staffing, statuses = content.survey.staffing_labels, content.survey.tool_status_labels
    return {
        "departments": [
            {
                "title": d.title.get(lang),
                "value": staffing[assessment.departments[d.id]].get(lang) if d.id in assessment.departments else "–",
            }
            for d in content.survey.departments
        ],
        "tools": [
            {
                "title": tool.title.get(lang),
                "value": statuses[assessment.tools[tool.id]].get(lang) if tool.id in assessment.tools else "–",
                "product": assessment.products.get(tool.id, ""),
            }
            for tool in content.survey.tools
        ],
        "spreadsheet": describe_value("tool.spreadsheet", assessment.spreadsheet, content, lang),
        "funnel": [
            {
                "label": fig.label.get(lang),
                "value": _figure(fig.unit, assessment.funnel[fig.id], lang) if fig.id in assessment.funnel else "–",
            }
            for fig in content.survey.funnel
        ],
        "warnings": [w.text(lang) for w in diagnosis.warnings],
    }


def _figure(unit: str, value: float, lang: Lang) -> str:
    """A survey figure as a reader writes it: amounts in 万/億, other figures with their unit."""
    return format_yen(value, lang) if unit == "yen" else f"{format_number(value)}{unit_suffix(unit, lang)}"


def since_last(previous: Diagnosis, current: Diagnosis, content: Content, lang: Lang) -> SinceLast:
    """The "since the last workshop" section: score deltas, items that moved, tasks done, risks."""
    from assessment.engine.comparison import compare

    comparison = compare(previous, current)
    labels = content.checklist.answer_labels
    tasks = {t.id: t.title.get(lang) for t in content.tasks}
    rules = {r.id: r.title.get(lang) for r in content.rules}
    return {
        "overall": {"before": previous.scores.overall, "after": current.scores.overall,
                    "delta": comparison.overall_delta},
        "axes": [
            {"title": axis.title.get(lang), "before": previous.scores.of(axis.id), "after": current.scores.of(axis.id),
             "delta": comparison.axis_deltas[axis.id]}
            for axis in content.checklist.axes
        ],
        "items": [
            {"text": content.checklist.item(c.item_id).text.get(lang), "before": labels[c.before].get(lang),
             "after": labels[c.after].get(lang), "improved": c.improved}
            for c in comparison.item_changes
        ],
        "tasks_completed": [tasks[t] for t in comparison.tasks_completed if t in tasks],
        "risks_resolved": [rules[r] for r in comparison.risks_resolved if r in rules],
        "risks_new": [rules[r] for r in comparison.risks_new if r in rules],
        "risks_still_disputed": [rules[r] for r in comparison.risks_still_disputed if r in rules],
    }  # fmt: skip
