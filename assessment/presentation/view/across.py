"""The client's rounds side by side: the perception gaps and each department's score before and now (part of
``since_last``), and the trend of the scores across three or more rounds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TypedDict

from assessment.content.model import Content
from assessment.engine.comparison import Comparison
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.wording import role_label
from assessment.i18n import translator
from assessment.presentation.trend_chart import Series, score_trend
from assessment.presentation.view.words import shown_score, signed
from assessment.vocabulary import Lang

TREND_ROUNDS = 3  # a trend is drawn from this many rounds (two are the "since the last round" table)


class GapChange(TypedDict):
    """How many items the departments saw differently, before and now (a round without respondents: None)."""

    before: int | None
    after: int | None
    delta: int | None
    change: str  # the delta with its sign (+2, −1, ±0), a dash when a side is missing


class DepartmentRow(TypedDict):
    """One department's readiness score before and now as printed (out of 100, no decimals; None where it did
    not answer), the change between the printed figures and that change with its sign (a dash without one)."""

    title: str
    before: int | None
    after: int | None
    delta: int | None
    change: str


def gap_change(comparison: Comparison) -> GapChange | None:
    """The perception gaps before and now; None when neither diagnosis had respondents."""
    before, after = comparison.gaps_before, comparison.gaps_after
    if before is None and after is None:
        return None
    delta = None if before is None or after is None else after - before
    return {"before": before, "after": after, "delta": delta, "change": "–" if delta is None else signed(delta)}


def department_rows(comparison: Comparison, content: Content, lang: Lang) -> list[DepartmentRow]:
    """Each department's readiness score before and now, in THE MODEL's order, named in ``lang``."""
    rows: list[DepartmentRow] = []
    for d in comparison.departments:
        before = None if d.before is None else shown_score(d.before)
        after = None if d.after is None else shown_score(d.after)
        delta = None if before is None or after is None else after - before
        change = "–" if delta is None else signed(delta)
        rows.append(
            {"title": role_label(d.department, content, lang), "before": before, "after": after, "delta": delta,
             "change": change}
        )  # fmt: skip
    return rows


class RoundScores(TypedDict):
    """One round's scores as the trend draws them (plain values: a proposal archives them as JSON)."""

    name: str
    overall: float
    axes: dict[str, float]


def round_scores(name: str, diagnosis: Diagnosis) -> RoundScores:
    """A round's name and its overall and axis scores."""
    return {"name": name, "overall": diagnosis.scores.overall, "axes": {a.axis: a.score for a in diagnosis.scores.axes}}


class RoundKey(TypedDict):
    """A round as the trend's x axis names it (``label``: short, its date) and its full name beside it."""

    label: str
    name: str


class TrendView(TypedDict):
    """The scores across the client's rounds: the chart (SVG, its accessible name giving every figure), the
    rounds it spans, oldest first, and the key below it (each round's short label on the x axis and full name)."""

    svg: str
    rounds: list[str]
    key: list[RoundKey]


_DATED = re.compile(r"^(?P<title>.*?)\s*\((?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\)$")


def round_labels(names: Sequence[str]) -> list[str]:
    """Short x-axis labels for the rounds' names ("第1回 (2026-05-11)"): the month (2026/05), the day too when two
    rounds share a month, else the round's number (a name without its date, as an older archive may hold)."""
    dated = [_DATED.match(name) for name in names]
    if not all(dated):
        return [str(index) for index in range(1, len(names) + 1)]
    months = [f"{m['year']}/{m['month']}" for m in dated if m]
    if len(set(months)) == len(months):
        return months
    return [f"{m['year']}/{m['month']}/{m['day']}" for m in dated if m]


def trend_view(rounds: Sequence[RoundScores], content: Content, lang: Lang, accent: str) -> TrendView | None:
    """The overall score and each axis's per round (``rounds``: oldest first); None with fewer than three."""
    if len(rounds) < TREND_ROUNDS:
        return None
    names = [r["name"] for r in rounds]
    labels = round_labels(names)
    series = [
        Series(translator(lang)("Overall readiness"), tuple(r["overall"] for r in rounds), emphasis=True),
        *(
            Series(axis.title.get(lang), tuple(r["axes"].get(axis.id, 0.0) for r in rounds))
            for axis in content.checklist.axes
        ),
    ]
    return {
        "svg": score_trend(names, series, accent, labels=labels),
        "rounds": names,
        "key": [{"label": label, "name": name} for label, name in zip(labels, names, strict=True)],
    }
