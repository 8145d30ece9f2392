"""The view's appendix (the answers as given) and the change since the last workshop round."""

from __future__ import annotations

from typing import TypedDict

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.wording import describe_value
from assessment.presentation.view.words import Gettext, figure
from assessment.vocabulary import Lang


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


def appendix_view(diagnosis: Diagnosis, content: Content, lang: Lang, _: Gettext) -> AppendixView:
    """The answers and survey as given, and the warnings about them."""
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
                "value": figure(fig.unit, assessment.funnel[fig.id], lang) if fig.id in assessment.funnel else "–",
            }
            for fig in content.survey.funnel
        ],
        "warnings": [w.text(lang) for w in diagnosis.warnings],
    }


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
