"""The facts rules look at: their names, their possible values, and how they are gathered.

The catalogue and the gathering live side by side so they cannot drift apart: the content checker
validates every fact a rule, phase, BPR stage or task names against :func:`fact_catalogue`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assessment.content.conditions import FactValue
from assessment.content.model import ANSWERS, STAFFING, TOOL_STATUSES, Content

if TYPE_CHECKING:
    from assessment.engine.assessment_file import Assessment
    from assessment.engine.funnel import FunnelAnalysis
    from assessment.engine.perception import Perception
    from assessment.engine.phase import BprPosition, PhaseAssessment
    from assessment.engine.scoring import Scores

STATUSES = ("below", "within", "above")
# Facts an organisation phase / BPR stage may not use (they are computed from those conditions).
COMPUTED_LATER = {"phase": ("phase.", "bpr."), "bpr": ("bpr.",)}


@dataclass(frozen=True)
class FactSpec:
    """What kind of value a fact holds: ``choice`` (with its choices), ``number``, ``bool`` or ``text``."""

    kind: str
    choices: tuple[str, ...] = ()


def fact_catalogue(content: Content) -> dict[str, FactSpec]:
    """Return every fact name a condition may use, with the kind of value it holds."""
    number, text = FactSpec("number"), FactSpec("text")
    catalogue: dict[str, FactSpec] = {
        "client.employees": number,
        "client.industry": text,
        "tool.spreadsheet": FactSpec("bool"),
        "score.overall": number,
        "count.dedicated_departments": number,
        "count.staffed_departments": number,
        "count.unknown_answers": number,
        "phase.current": number,
        "phase.by_size": number,
        "phase.recommended": number,
        "phase.gap": number,
        "phase.step": number,
        "bpr.stage": number,
        "count.perception_gaps": number,
        "count.respondents": number,
        "quality.funnel": FactSpec("choice", ("ok", "questionable", "invalid")),
    }
    for item in content.checklist.items:
        catalogue[f"answer.{item.id}"] = FactSpec("choice", ANSWERS)
        catalogue[f"gap.{item.id}"] = FactSpec("bool")
    for axis in content.checklist.axes:
        catalogue[f"score.{axis.id}"] = number
    for dept in content.survey.departments:
        catalogue[f"dept.{dept.id}"] = FactSpec("choice", STAFFING)
    for tool in content.survey.tools:
        catalogue[f"tool.{tool.id}"] = FactSpec("choice", TOOL_STATUSES)
        catalogue[f"tool.{tool.id}_product"] = text
    for figure in content.survey.funnel:
        catalogue[f"funnel.{figure.id}"] = number
    for benchmark in content.benchmarks.benchmarks:
        catalogue[f"metric.{benchmark.metric}"] = number
        catalogue[f"status.{benchmark.metric}"] = FactSpec("choice", STATUSES)
        if benchmark.min is not None or benchmark.max is not None:
            catalogue[f"ratio.{benchmark.metric}"] = number
    return catalogue


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


_COMPUTED_LABELS: dict[str, tuple[str, str]] = {
    "client.employees": ("従業員数", "Employees"),
    "client.industry": ("業種", "Industry"),
    "tool.spreadsheet": ("ファネルを表計算で管理", "Funnel kept in spreadsheets"),
    "score.overall": ("総合スコア", "Overall score"),
    "count.dedicated_departments": ("専任部門の数", "Dedicated teams"),
    "count.staffed_departments": ("担当のある部門の数", "Teams with an owner"),
    "count.unknown_answers": ("「わからない」の数", "Items answered 'don't know'"),
    "phase.current": ("現在のフェーズ", "Current phase"),
    "phase.by_size": ("規模に合うフェーズ", "Size-fit phase"),
    "phase.recommended": ("推奨フェーズ", "Recommended phase"),
    "phase.gap": ("規模とのフェーズ差", "Phases behind the size-fit phase"),
    "phase.step": ("推奨フェーズまでの段階数", "Phases to the recommended one"),
    "bpr.stage": ("BPRの段階", "BPR step"),
    "count.perception_gaps": ("部門間で認識が食い違う項目の数", "Items the departments see differently"),
    "count.respondents": ("回答者数", "Respondents"),
    "quality.funnel": ("ファネル数値の整合性", "Consistency of the funnel figures"),
}


def fact_label(fact: str, content: Content, lang: str) -> str:
    """Return a reader's name for a fact: the checklist statement, figure label, metric title, ..."""
    en = lang == "en"
    namespace, _, name = fact.partition(".")
    if fact in _COMPUTED_LABELS:
        return _COMPUTED_LABELS[fact][1 if en else 0]
    if namespace in ("answer", "gap"):
        item = next((i for i in content.checklist.items if i.id == name), None)
        text = (item.text.en if en else item.text.ja) if item else name
        if namespace == "gap":
            return f"Departments disagree: {text}" if en else f"部門間の認識差：{text}"
        return text
    if namespace == "dept":
        dept = next((d for d in content.survey.departments if d.id == name), None)
        title = (dept.title.en if en else dept.title.ja) if dept else name
        return f"{title} staffing" if en else f"{title}の体制"
    if namespace == "tool":
        kind = name.removesuffix("_product")
        tool = next((t for t in content.survey.tools if t.id == kind), None)
        title = (tool.title.en if en else tool.title.ja) if tool else kind
        if name.endswith("_product"):
            return f"{title} product" if en else f"{title}の製品"
        return title
    if namespace == "funnel":
        figure = next((f for f in content.survey.funnel if f.id == name), None)
        return (figure.label.en if en else figure.label.ja) if figure else name
    if namespace in ("metric", "status", "ratio"):
        benchmark = content.benchmark(name)
        title = (benchmark.title.en if en else benchmark.title.ja) if benchmark else name
        if namespace == "ratio":
            return f"{title} as a multiple of its limit" if en else f"{title}（目安の境界値に対する倍率）"
        return title if namespace == "metric" else (f"{title} vs benchmark" if en else f"{title}（目安との比較）")
    if namespace == "score":
        axis = next((a for a in content.checklist.axes if a.id == name), None)
        title = (axis.title.en if en else axis.title.ja) if axis else name
        return f"{title} score" if en else f"{title}スコア"
    return fact
