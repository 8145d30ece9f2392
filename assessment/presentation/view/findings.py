"""The view's findings: scores, risks with their evidence, the checklist, next steps (perception gaps:
``perception``)."""

from __future__ import annotations

from typing import Any, TypedDict

from assessment.content.catalogue import fact_label
from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.wording import describe_value, format_number, format_yen, unit_suffix, written_in
from assessment.i18n import context_translator, translator
from assessment.presentation import charts
from assessment.presentation.view.words import ANSWER_MARKS, Gettext, task_mentions
from assessment.vocabulary import Lang


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


class ChecklistRow(TypedDict):
    """One checklist statement with the answer given and any comment."""

    number: int
    text: str
    hint: str
    answer: str
    mark: str
    answer_label: str
    comment: str
    comment_language: str  # the note's language when it is not the document's ("Japanese"), else ""
    comment_lang: str  # that language's code, for the lang attribute


class ChecklistAxis(TypedDict):
    """One axis of the checklist with its score and statements."""

    title: str
    score: float
    items: list[ChecklistRow]


def scores_view(diagnosis: Diagnosis, content: Content, lang: Lang, accent: str) -> ScoresView:
    """The overall and per-axis scores, with their bar chart in ``accent``."""
    bars = [charts.Bar(axis.title.get(lang), diagnosis.scores.of(axis.id)) for axis in content.checklist.axes]
    axes: list[AxisScore] = [{"title": bar.label, "score": bar.value} for bar in bars]
    overall_label = translator(lang)("Overall")
    bars.append(charts.Bar(overall_label, diagnosis.scores.overall, emphasis=True))
    return {"overall": diagnosis.scores.overall, "axes": axes, "chart": charts.score_bars(bars, accent)}


def risk_view(finding: Any, diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> RiskView:
    """A failure risk in words: severity, the evidence it rests on, the countermeasure and the tasks."""
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
        "tasks": task_mentions(finding.addressed_by, diagnosis.plan, lang),
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


def completeness_view(diagnosis: Diagnosis, _: Gettext) -> CompletenessView:
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


def next_steps_view(diagnosis: Diagnosis, _: Gettext) -> list[NextStep]:
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


def _other_language(note: str, lang: Lang) -> str:
    """The name of the language ``note`` is written in when it is not ``lang`` (a consultant's Japanese note
    in an English document is quoted as written, and says so), else ""."""
    written = written_in(note)
    if written is None or written == lang:
        return ""
    pgettext = context_translator(lang)
    return pgettext("language name", "Japanese")


def checklist_view(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[ChecklistAxis]:
    """The checklist by axis: each statement with the answer given, its mark and any comment."""
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
                    "comment_language": _other_language(comments.get(item.id, ""), lang),
                    "comment_lang": written_in(comments.get(item.id, "")) or lang,
                }
                for item in content.checklist.items
                if item.axis == axis.id
            ],
        }
        for axis in content.checklist.axes
    ]
