"""The facts rules look at, gathered from the answers, the survey, the scores, the funnel and the workshop.

Which facts there are, the kind of value each holds and what a reader calls it is content
(:mod:`assessment.content.catalogue`), so the content checks need no engine; a test holds every fact
gathered here to that catalogue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessment.content.conditions import FactValue
from assessment.content.model import Content

if TYPE_CHECKING:
    from assessment.engine.assessment_file import Assessment
    from assessment.engine.funnel import FunnelAnalysis
    from assessment.engine.perception import Perception
    from assessment.engine.phase import BprPosition, PhaseAssessment
    from assessment.engine.scoring import Scores


def base_facts(assessment: Assessment, content: Content) -> dict[str, FactValue]:
    """Facts straight from the answers and the survey (what the phase and BPR conditions may use)."""
    facts: dict[str, FactValue] = {
        "client.employees": assessment.client.employees,
        "client.industry": assessment.client.industry or None,
        "tool.spreadsheet": assessment.spreadsheet,
    }
    for item_id, answer in assessment.answers.items():
        facts[f"answer.{item_id}"] = answer
    for dept in content.survey.departments:
        facts[f"dept.{dept.id}"] = assessment.departments.get(dept.id)
    for tool in content.survey.tools:
        facts[f"tool.{tool.id}"] = assessment.tools.get(tool.id)
        facts[f"tool.{tool.id}_product"] = assessment.products.get(tool.id)
    for figure_id, value in assessment.funnel.items():
        facts[f"funnel.{figure_id}"] = value
    staffing = list(assessment.departments.values())
    facts["count.dedicated_departments"] = staffing.count("dedicated")
    facts["count.staffed_departments"] = staffing.count("dedicated") + staffing.count("shared")
    facts["count.unknown_answers"] = list(assessment.answers.values()).count("unknown")
    return facts


def add_perception_facts(facts: dict[str, FactValue], perception: Perception | None) -> None:
    """Add the perception gaps of a workshop; without respondents these facts stay unknown."""
    if perception is None:
        return
    facts["count.respondents"] = perception.respondents
    facts["count.perception_gaps"] = len(perception.gaps)
    for view in perception.items:
        facts[f"gap.{view.item_id}"] = view.gap


def add_measured_facts(facts: dict[str, FactValue], scores: Scores, funnel: FunnelAnalysis) -> None:
    """Add scores, benchmarked metrics, their statuses and their ratio to the limit that counts.

    ``ratio.<metric>`` is the value over the ceiling for a metric where lower is better (churn 3% against
    1% is 3) and over the floor otherwise (a 12% conversion against 30% is 0.4), so a sentence can say
    "3 times the ceiling" rather than a share of a floor the metric does not have.
    """
    facts["score.overall"] = scores.overall
    facts["quality.funnel"] = funnel.data_quality.status if funnel.findings and _given(funnel) else None
    for axis in scores.axes:
        facts[f"score.{axis.axis}"] = axis.score
    for finding in funnel.findings:
        # a rate built on figures that cannot be true is no evidence either way
        facts[f"metric.{finding.metric}"] = None if finding.problem else finding.value
        facts[f"status.{finding.metric}"] = finding.status
        limit = (
            finding.max if finding.good_side == "lower" else (finding.min if finding.min is not None else finding.max)
        )
        value = facts[f"metric.{finding.metric}"]
        if limit and isinstance(value, int | float):
            facts[f"ratio.{finding.metric}"] = round(value / limit, 1)


def _given(funnel: FunnelAnalysis) -> bool:
    return any(f.value is not None for f in funnel.findings) or bool(funnel.data_quality.problems)


def add_position_facts(facts: dict[str, FactValue], phase: PhaseAssessment, bpr: BprPosition) -> None:
    """Add the organisation phase and the BPR stage."""
    facts["phase.current"] = phase.current if phase.structure_known else None  # unknown staffing: unknown phase
    facts["phase.by_size"] = phase.by_size
    facts["phase.recommended"] = phase.recommended
    facts["phase.gap"] = phase.gap
    # how far the recommended phase divides the work beyond today's structure (0: hold the current phase)
    facts["phase.step"] = phase.recommended - phase.current if phase.structure_known else None
    facts["bpr.stage"] = bpr.index
