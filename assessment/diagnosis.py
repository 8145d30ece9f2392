"""The diagnosis: answers + content -> scores, funnel, phase, BPR stage, risks and roadmap. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.assessment_file import Assessment
from assessment.content.conditions import FactValue
from assessment.content.model import Content
from assessment.facts import add_measured_facts, add_perception_facts, add_position_facts, base_facts
from assessment.funnel import FunnelAnalysis, analyse_funnel
from assessment.messages import Notice
from assessment.perception import Perception, aggregate
from assessment.phase import BprPosition, PhaseAssessment, assess_phase, locate_bpr
from assessment.rules import Finding, evaluate_rules
from assessment.scoring import Scores, score
from roadmap.plan import Plan, build_plan


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


def diagnose(assessment: Assessment, content: Content) -> Diagnosis:
    """Diagnose an assessment against the content."""
    facts = base_facts(assessment, content)
    scores = score(assessment.answers, content.checklist)
    funnel = analyse_funnel(assessment.funnel, content.benchmarks)
    add_measured_facts(facts, scores, funnel)
    perception = aggregate(assessment.responses, content.checklist) if assessment.responses else None
    add_perception_facts(facts, perception)
    phase = assess_phase(content.organisation, facts, assessment.client.employees)
    bpr = locate_bpr(content.organisation, facts)
    add_position_facts(facts, phase, bpr)
    findings = evaluate_rules(content, facts)
    raised = {f.rule_id: (f.severity, f.addressed_by) for f in findings}
    covered_by = {o.id: o.covered_by for o in content.survey.owners if o.covered_by}
    plan = build_plan(content.tasks, facts, raised, covered_by)
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
    )


def _diagnosis_warnings(assessment: Assessment, funnel: FunnelAnalysis) -> list[Notice]:
    warnings = []
    unknown = sum(1 for answer in assessment.answers.values() if answer == "unknown")
    if unknown:
        warnings.append(Notice("checklist", "to_confirm", {"count": unknown}))
    if assessment.client.employees is None:
        warnings.append(Notice("client.employees", "no_employees"))
    given = assessment.funnel
    if given.get("wins") == 0 and given.get("monthly_revenue_target") and given.get("average_deal_size"):
        warnings.append(Notice("survey.funnel.wins", "no_wins"))
    return warnings
