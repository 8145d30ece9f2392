"""The diagnosis: answers + content -> scores, funnel, phase, BPR stage, risks and roadmap. Pure, no I/O."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from assessment.content.conditions import FactValue
from assessment.content.model import Content
from assessment.engine.assessment_file import Assessment
from assessment.engine.facts import add_measured_facts, add_perception_facts, add_position_facts, base_facts
from assessment.engine.funnel import FunnelAnalysis, analyse_funnel
from assessment.engine.kpi_targets import KpiTargets, kpi_targets
from assessment.engine.perception import Perception, aggregate
from assessment.engine.phase import BprPosition, PhaseAssessment, assess_phase, locate_bpr
from assessment.engine.roadmap.plan import Plan, build_plan
from assessment.engine.rules import Finding, evaluate_rules
from assessment.engine.scoring import Scores, score
from assessment.messages import Notice

# Fewer informative answers (yes, partly, no) than this share of the statements: scores and risks are provisional.
PROVISIONAL_BELOW = 0.5


@dataclass(frozen=True)
class Completeness:
    """How much of the checklist was answered with yes, partly or no ("don't know" and blanks are missing)."""

    answered: int
    statements: int

    @property
    def missing(self) -> int:
        """Statements left blank or answered "don't know"."""
        return self.statements - self.answered

    @property
    def provisional(self) -> bool:
        """Whether scores and risks rest on fewer than half the statements."""
        return self.answered < self.statements * PROVISIONAL_BELOW

    @property
    def needed(self) -> int:
        """How many more statements must be answered before the diagnosis stops being provisional."""
        return max(0, math.ceil(self.statements * PROVISIONAL_BELOW) - self.answered)


@dataclass(frozen=True)
class Diagnosis:
    """Everything the CLI, the web pages and the PDF show about one assessment."""

    assessment: Assessment
    scores: Scores
    funnel: FunnelAnalysis
    phase: PhaseAssessment
    bpr: BprPosition
    findings: tuple[Finding, ...]
    plan: Plan
    facts: Mapping[str, FactValue]
    warnings: tuple[Notice, ...]
    perception: Perception | None = None
    completeness: Completeness = Completeness(0, 0)
    kpi_targets: KpiTargets | None = None


def diagnose(assessment: Assessment, content: Content, start: date | None = None) -> Diagnosis:
    """Diagnose an assessment against the content.

    A workshop file scores each statement it does not answer itself on the respondents' proposed consensus,
    as the web app does when the consultant has not set a final answer. ``start`` is the Monday the plan
    begins (its tasks then carry dates); without it the file's ``plan.start`` is used, and without that the
    plan is in weeks.
    """
    start = start or assessment.plan_start
    assessment, perception = settled(assessment, content)
    facts = base_facts(assessment, content)
    scores = score(assessment.answers, content.checklist)
    labels = {figure.id: figure.label for figure in content.survey.funnel}
    funnel = analyse_funnel(assessment.funnel, content.benchmarks, labels)
    add_measured_facts(facts, scores, funnel)
    add_perception_facts(facts, perception)
    phase = assess_phase(content.organisation, facts, assessment.client.employees)
    bpr = locate_bpr(content.organisation, facts)
    add_position_facts(facts, phase, bpr)
    findings = evaluate_rules(content, facts)
    raised = {f.rule_id: (f.severity, f.addressed_by) for f in findings}
    covered_by = {o.id: o.covered_by for o in content.survey.owners if o.covered_by}
    min_employees = {o.id: o.min_employees for o in content.survey.owners if o.min_employees}
    plan = build_plan(
        content.tasks, facts, raised, covered_by, phase.recommended, min_employees, start, content.durations
    )
    return Diagnosis(
        assessment=assessment,
        scores=scores,
        funnel=funnel,
        phase=phase,
        bpr=bpr,
        findings=tuple(findings),
        plan=plan,
        facts=facts,
        warnings=(*assessment.warnings, *_diagnosis_warnings(assessment, funnel)),
        perception=perception,
        completeness=Completeness(
            sum(1 for answer in assessment.answers.values() if answer != "unknown"), len(content.checklist.items)
        ),
        kpi_targets=kpi_targets(assessment.funnel, content.benchmarks, funnel),
    )


def settled(assessment: Assessment, content: Content) -> tuple[Assessment, Perception | None]:
    """The assessment as the diagnosis scores it (each statement it leaves open answered with the respondents'
    proposed consensus), and the respondents' perception (None without respondents)."""
    perception = (
        aggregate(assessment.responses, content.checklist, content.survey.roles) if assessment.responses else None
    )
    return _with_consensus(assessment, perception), perception


def readiness_scores(assessment: Assessment, content: Content) -> Scores:
    """The overall and axis scores exactly as :func:`diagnose` gives them, without the rest of the diagnosis (rules,
    funnel, plan): for lists of many rounds."""
    return score(settled(assessment, content)[0].answers, content.checklist)


def _with_consensus(assessment: Assessment, perception: Perception | None) -> Assessment:
    """Fill the statements the file leaves open with the respondents' proposed consensus."""
    if perception is None:
        return assessment
    answers = dict(assessment.answers)
    for view in perception.items:
        if view.item_id not in assessment.answered and view.consensus != "unknown":
            answers[view.item_id] = view.consensus
    return replace(assessment, answers=answers)


def _diagnosis_warnings(assessment: Assessment, funnel: FunnelAnalysis) -> list[Notice]:
    warnings = []
    unknown = sum(1 for answer in assessment.answers.values() if answer == "unknown")
    if unknown:
        warnings.append(Notice("checklist", "to_confirm", {"count": unknown}))
    if assessment.client.employees is None:
        warnings.append(Notice("client.employees", "no_employees"))
    given = assessment.funnel
    if (
        funnel.derived
        and given.get("wins") == 0
        and given.get("monthly_revenue_target")
        and given.get("average_deal_size")
    ):
        warnings.append(Notice("survey.funnel.wins", "no_wins"))
    return warnings
