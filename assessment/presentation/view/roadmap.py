"""The view's roadmap chapter: the dependency-ordered plan, its Gantt chart and effort, the first 90 days."""

from __future__ import annotations

from typing import Any, TypedDict

import networkx as nx

from assessment.content.model import Content
from assessment.content.task_graph import task_graph
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.roadmap.calendar import last_day, week_date
from assessment.engine.roadmap.plan import Plan, PlannedTask
from assessment.engine.wording import format_number
from assessment.i18n import context_translator
from assessment.presentation import charts
from assessment.presentation.roadmap_export import LaterPhase, first_90_days, later_by_phase
from assessment.presentation.view.words import Gettext, compact_span, date_span, day, task_mentions
from assessment.vocabulary import Lang


class WeekBlock(TypedDict):
    """A stretch of the first 90 days: the tasks that start (with owners) and those due."""

    when: str
    dates: str  # the same stretch in figures only, for a slide's narrow column
    starting: list[str]
    due: list[str]


class First90DaysView(TypedDict):
    """The first 90 days week by week, and the meeting rhythm that carries them."""

    blocks: list[WeekBlock]
    rhythm: list[str]


class RoadmapTaskView(TypedDict):
    """A scheduled roadmap task in words."""

    title: str
    owner: str
    weeks: int
    span: str
    dates: str  # the span in figures only (2027/01/10–2027/02/06), for a slide's narrow column
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
    later: list[LaterPhase]
    effort: EffortView
    roles: list[str]


def first_90_days_view(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> First90DaysView:
    """Week-by-week actions for the first 90 days, with their owners, checkpoints and the meeting rhythm."""
    plan = diagnosis.plan
    owners = {o.id: o.title.get(lang) for o in content.survey.owners}
    pgettext = context_translator(lang)

    week = _("week %(n)s")

    def span(first: int, last: int) -> str:
        if plan.start is None:
            return f"{week % {'n': first + 1}}–{week % {'n': last}}"
        return date_span(plan.start, first, last, lang)

    def owned(task: Any) -> str:
        owner = owners.get(task.owner, task.owner)
        return pgettext("task and owner", "{task} ({owner})").format(task=task.title.get(lang), owner=owner)

    blocks: list[WeekBlock] = [
        {
            "when": span(block["first"], block["last"]),
            "dates": compact_span(plan.start, block["first"], block["last"]),
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
            rhythm.append(_baton_line(plan, baton, words, content, lang, _))
    if "monthly_review" in meetings:
        m = meetings["monthly_review"]
        words = {"title": m.title.get(lang), "cadence": m.cadence.get(lang)}
        rhythm.append(
            _("%(title)s (%(cadence)s): the funnel figures against the KPI targets, and what to change next.") % words
        )
    return {"blocks": blocks, "rhythm": rhythm}


def _baton_line(plan: Plan, baton: PlannedTask, words: dict[str, str], content: Content, lang: Lang, _: Gettext) -> str:
    """The baton meeting in the plan's own order: it starts when the last task it waits for is done (the
    hand-off agreement, after the MQL and SQL definitions), so it reviews the agreed criteria, never sets them."""
    start = baton.start_week or 0
    words = {**words, "when": _week_day(plan, start, lang, _)}
    before = nx.ancestors(task_graph(content.tasks), baton.id)
    waited = [t for t in plan.scheduled if t.id in before and t.end_week == start]
    if not waited:
        return (
            _(
                "%(title)s (%(cadence)s, from %(when)s): it checks each week's hand-offs against the agreed MQL "
                "and SQL criteria and revises the criteria where they do not hold."
            )
            % words
        )
    last = waited[-1]
    words |= {"after": last.title.get(lang), "due": _week_day(plan, start, lang, _, last_day_before=True)}
    return (
        _(
            "%(title)s (%(cadence)s, from %(when)s, once “%(after)s” is done by %(due)s): it checks each week's "
            "hand-offs against the agreed MQL and SQL criteria and revises the criteria where they do not hold."
        )
        % words
    )


def _week_day(plan: Plan, week: int, lang: Lang, _: Gettext, last_day_before: bool = False) -> str:
    """The first day of ``week`` (or the last day before it) as the plan writes dates, or the week's number."""
    if plan.start is None:
        return _("week %(n)s") % {"n": week if last_day_before else week + 1}
    when = last_day(plan.start, week) if last_day_before else week_date(plan.start, week)
    return day(when, lang, plan.start)


def roadmap_view(diagnosis: Diagnosis, content: Content, lang: Lang, accent: str, _: Gettext) -> RoadmapView:
    """The plan: dates, Gantt chart in ``accent``, critical path, tasks, effort and the roles to fill."""
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
        "start": day(plan.start, lang) if plan.start else None,
        "end": day(last_day(plan.start, plan.total_weeks), lang, plan.start)
        if plan.start and plan.total_weeks
        else None,
        "chart": charts.gantt(bars, plan.total_weeks, accent, start=plan.start),
        "critical_path": [titles[task_id] for task_id in plan.critical_path],
        "tasks": [
            {
                "title": t.title.get(lang),
                "owner": owners.get(t.owner, t.owner),
                "weeks": t.weeks,
                "span": date_span(plan.start, t.start_week or 0, t.end_week or 0, lang),
                "critical": t.critical,
                "depends_on": task_mentions(t.depends_on, plan, lang),
                "dates": compact_span(plan.start, t.start_week or 0, t.end_week or 0),
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
