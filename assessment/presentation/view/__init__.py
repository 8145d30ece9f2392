"""A diagnosis as its readers see it: the typed view the web results and the proposal PDF both show.

Pure data built from a diagnosis, in the reader's language: every number is formatted, every label chosen
and every chart drawn here, so the templates stay presentational. No I/O, no Flask, no WeasyPrint. The
PDF adds only its cover (branding and date): see ``assessment.report.context``. One module per chapter:
``findings``, ``funnel``, ``organisation``, ``roadmap``, ``appendix``; ``words`` holds the shared formats.
"""

from __future__ import annotations

from typing import TypedDict

from assessment.content.model import Content
from assessment.engine.assessment_file import NOTE_SECTIONS, Client
from assessment.engine.diagnosis import Diagnosis
from assessment.presentation import charts
from assessment.presentation.view.appendix import AppendixView, SinceLast, appendix_view, since_last
from assessment.presentation.view.findings import (
    ChecklistAxis,
    CompletenessView,
    NextStep,
    RiskView,
    ScoresView,
    checklist_view,
    completeness_view,
    next_steps_view,
    risk_view,
    scores_view,
)
from assessment.presentation.view.funnel import FunnelView, KpiTargetView, funnel_view, kpi_targets_view
from assessment.presentation.view.organisation import (
    BprStageView,
    DepartmentView,
    PhaseView,
    PlaybookView,
    bpr_view,
    departments_view,
    phase_view,
    playbook_view,
)
from assessment.presentation.view.perception import PerceptionView, perception_view
from assessment.presentation.view.roadmap import First90DaysView, RoadmapView, first_90_days_view, roadmap_view
from assessment.presentation.view.summary import BandView, NextAction, band_view, next_actions_view
from assessment.presentation.view.words import Gettext
from assessment.vocabulary import Lang

__all__ = ["Gettext", "PhaseView", "SinceLast", "View", "build_view", "phase_view", "since_last"]


class View(TypedDict):
    """A diagnosis as every reader's page shows it: the web results, and the PDF (which adds its cover)."""

    lang: Lang
    client: Client
    scores: ScoresView
    band: BandView | None
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


def build_view(
    diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext, accent: str = charts.DEFAULT_ACCENT
) -> View:
    """The view of ``diagnosis`` in ``lang`` (``_``: the catalogue's gettext; ``accent``: the charts' colour)."""
    return {
        "lang": lang,
        "client": diagnosis.assessment.client,
        "scores": scores_view(diagnosis, content, lang, accent),
        "band": band_view(diagnosis, content, lang, _),
        "risks": [risk_view(f, diagnosis, content, lang, _) for f in diagnosis.findings],
        "phase": phase_view(diagnosis, content, lang, _),
        "bpr": bpr_view(diagnosis, content, lang),
        "next_actions": next_actions_view(diagnosis, content, lang, _),
        "next_steps": next_steps_view(diagnosis, _),
        "completeness": completeness_view(diagnosis, _),
        "checklist": checklist_view(diagnosis, content, lang),
        "perception": perception_view(diagnosis, content, lang),
        "funnel": funnel_view(diagnosis, content, lang, accent, _),
        "kpi_targets": kpi_targets_view(diagnosis, content, lang),
        "first_90_days": first_90_days_view(diagnosis, content, lang, _),
        "departments": departments_view(diagnosis, content, lang),
        "playbook": playbook_view(diagnosis, content, lang),
        "roadmap": roadmap_view(diagnosis, content, lang, accent, _),
        "notes": {section: diagnosis.assessment.narrative(lang).get(section, "") for section in NOTE_SECTIONS},
        "appendix": appendix_view(diagnosis, content, lang, _),
    }
