"""The view's appendix (the answers as given) and the change since an earlier diagnosis or workshop round."""

from __future__ import annotations

from typing import TypedDict

from assessment.content.model import Content
from assessment.engine.comparison import MONTHLY_REVENUE, FunnelChange, Trend
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.wording import describe_value, format_number, format_rate, format_yen
from assessment.i18n import context_translator, translator
from assessment.presentation.view.across import DepartmentRow, GapChange, department_rows, gap_change
from assessment.presentation.view.words import Gettext, figure, long_day, shown_score, signed
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
    """A score before and after as the page prints it (out of 100, no decimals), the change between those two
    printed figures (so that it adds up), and that change with its sign (+43, −3, ±0)."""

    before: int
    after: int
    delta: int
    change: str


class AxisChange(ScoreChange):
    """An axis's score before and after."""

    title: str


class ItemChange(TypedDict):
    """A statement whose answer changed since the last round (``number``: the statement's number, as the results
    number it), and in words and a mark whether for the better."""

    number: int
    text: str
    before: str
    after: str
    improved: bool
    icon: str
    verdict: str


class FunnelChangeRow(TypedDict):
    """A funnel KPI before and after, the change, and in words and a mark whether it is for the better
    (``trend``: improved, worsened, unchanged or moved, for a row's class)."""

    title: str
    before: str
    after: str
    delta: str
    trend: Trend
    icon: str
    verdict: str


class SinceLast(TypedDict):
    """What changed since the earlier diagnosis (``earlier_on``: its date, when it carries one) or workshop round."""

    earlier_on: str | None
    overall: ScoreChange
    axes: list[AxisChange]
    items: list[ItemChange]
    tasks_completed: list[str]
    risks_resolved: list[str]
    risks_new: list[str]
    risks_still_disputed: list[str]
    funnel: list[FunnelChangeRow]
    gaps: GapChange | None  # None when neither diagnosis had respondents
    departments: list[DepartmentRow]


# a mark beside the words for each way a figure can go: never colour alone
TREND_ICONS: dict[Trend, str] = {"improved": "▲", "worsened": "▼", "unchanged": "=", "moved": "↔"}


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
    """The change since ``previous``: score deltas, items that moved, tasks done, risks, the funnel's KPIs."""
    from assessment.engine.comparison import compare

    comparison = compare(previous, current, content.checklist)
    labels = content.checklist.answer_labels
    tasks = {t.id: t.title.get(lang) for t in content.tasks}
    rules = {r.id: r.title.get(lang) for r in content.rules}
    verdicts = _verdicts(lang)
    numbers = {item.id: number for number, item in enumerate(content.checklist.items, start=1)}
    dated = previous.assessment.dated
    return {
        "earlier_on": long_day(dated, lang) if dated else None,
        "overall": score_change(previous.scores.overall, current.scores.overall),
        "axes": [
            {"title": axis.title.get(lang), **score_change(previous.scores.of(axis.id), current.scores.of(axis.id))}
            for axis in content.checklist.axes
        ],
        "items": sorted(
            (
                {"number": numbers[c.item_id], "text": content.checklist.item(c.item_id).text.get(lang),
                 "before": labels[c.before].get(lang), "after": labels[c.after].get(lang), "improved": c.improved,
                 "icon": TREND_ICONS["improved" if c.improved else "worsened"],
                 "verdict": verdicts["improved" if c.improved else "worsened"]}
                for c in comparison.item_changes
            ),
            key=lambda change: change["number"],
        ),
        "tasks_completed": [tasks[t] for t in comparison.tasks_completed if t in tasks],
        "risks_resolved": [rules[r] for r in comparison.risks_resolved if r in rules],
        "risks_new": [rules[r] for r in comparison.risks_new if r in rules],
        "risks_still_disputed": [rules[r] for r in comparison.risks_still_disputed if r in rules],
        "funnel": [_funnel_row(change, content, lang, verdicts) for change in comparison.funnel],
        "gaps": gap_change(comparison), "departments": department_rows(comparison, content, lang),
    }  # fmt: skip


def score_change(before: float, after: float) -> ScoreChange:
    """A score before and after, rounded as printed, and the change between the printed figures."""
    shown_before, shown_after = shown_score(before), shown_score(after)
    delta = shown_after - shown_before
    return {"before": shown_before, "after": shown_after, "delta": delta, "change": signed(delta)}


def _verdicts(lang: Lang) -> dict[Trend, str]:
    _ = translator(lang)
    return {
        "improved": _("Improved"),
        "worsened": _("Worsened"),
        "unchanged": _("Unchanged"),
        "moved": _("Moved within the healthy range"),
    }


def _funnel_row(change: FunnelChange, content: Content, lang: Lang, verdicts: dict[Trend, str]) -> FunnelChangeRow:
    """A KPI's row in the reader's words: a benchmark's title, else the survey figure's label; values in its unit."""
    benchmark = content.benchmark(change.kpi)
    figures = {f.id: f for f in content.survey.funnel}
    title: str
    unit: str
    if benchmark is not None:
        title, unit = benchmark.title.get(lang), benchmark.unit
    elif change.kpi in figures:
        title, unit = figures[change.kpi].label.get(lang), figures[change.kpi].unit
    elif change.kpi == MONTHLY_REVENUE:  # the revenue formula's result
        _ = translator(lang)
        title, unit = _("Monthly revenue from new deals (wins × average deal size)"), "yen"
    else:
        title, unit = change.kpi, ""
    return {
        "title": title,
        "before": _value(unit, change.before, lang),
        "after": _value(unit, change.after, lang),
        "delta": _delta(change.before, change.after, unit, lang),
        "trend": change.trend,
        "icon": TREND_ICONS[change.trend],
        "verdict": verdicts[change.trend],
    }


def _value(unit: str, value: float, lang: Lang) -> str:
    return format_rate(value) if unit == "percent" else figure(unit, value, lang)


def _delta(before: float, after: float, unit: str, lang: Lang) -> str:
    """The change between the two figures as printed, with its sign, in the figure's unit; a rate's in
    percentage points (+2.5 pt, +2.5ポイント), worked out from the rates as printed so that it adds up."""
    if unit == "percent":
        places = 2 if any(0 < abs(v) < 1 for v in (before, after)) else 1
        delta = round(_shown_rate(after) - _shown_rate(before), places)
        pgettext = context_translator(lang)
        points = format_number(abs(delta), places)
        return signed(delta, pgettext("unit", "{value} pt").format(value=points))  # percentage points
    delta = after - before
    amount = format_yen(abs(delta), lang) if unit == "yen" else figure(unit, abs(delta), lang)
    return signed(delta, amount)


def _shown_rate(percent: float) -> float:
    """A rate rounded as :func:`format_rate` prints it."""
    return round(percent, 2 if 0 < abs(percent) < 1 else 1)
