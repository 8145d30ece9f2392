"""The view's organisation chapter: phase and advice, BPR steps, departments and the playbook to operate."""

from __future__ import annotations

from typing import TypedDict

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.presentation.view.words import Gettext
from assessment.vocabulary import Lang


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


def bpr_view(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[BprStageView]:
    """The BPR steps, each done, current or later."""
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


def departments_view(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[DepartmentView]:
    """THE MODEL's departments: role, output, KPIs, whether the phase to aim for staffs them, staffing now."""
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


def playbook_view(diagnosis: Diagnosis, content: Content, lang: Lang) -> PlaybookView:
    """What to operate: hand-offs, meetings, lifecycle, integration points and the HubSpot worked example."""
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
