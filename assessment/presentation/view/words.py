"""Formatting every chapter of the view shares: amounts, ranges, dates and spans, answer marks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from babel.dates import format_date

from assessment.content.model import Content
from assessment.engine.roadmap.calendar import last_day, week_date
from assessment.engine.roadmap.plan import Plan
from assessment.engine.wording import format_number, format_yen, unit_suffix
from assessment.i18n import as_text, context_translator
from assessment.vocabulary import NOT_ANSWERED, Lang, Text

Gettext = Callable[[str], str]


ANSWER_MARKS = {"yes": "○", "partial": "△", "no": "×", "unknown": "?", NOT_ANSWERED: "–"}


def answer_labels(content: Content) -> dict[str, Text]:
    """The checklist's answers in words, and "not answered" for a respondent who has not answered an item (shown
    apart from "don't know" wherever a round's answers are counted)."""
    return {**content.checklist.answer_labels, NOT_ANSWERED: as_text("Not answered")}


def yen(value: float | None, lang: Lang) -> str:
    """An amount of yen in the reader's notation, or a dash when unknown."""
    return "–" if value is None else format_yen(value, lang)


def value_range(low: float | None, high: float | None, unit: str) -> str:
    """A benchmark range with its unit (≤ high, ≥ low or low–high), or a dash."""
    if low is None and high is None:
        return "–"
    if low is None:
        return f"≤ {format_number(high or 0)}{unit}"
    if high is None:
        return f"≥ {format_number(low)}{unit}"
    return f"{format_number(low)}–{format_number(high)}{unit}"


def day(day: date, lang: Lang, start: date | None = None) -> str:
    """A date as the plan shows it: 7 Dec in English, with the year once it is not the start's (4 Jan 2027)."""
    pgettext = context_translator(lang)
    with_year = start is None or day.year != start.year
    # CLDR date patterns (d day, MMM short month, y year), written per language in the catalogue
    pattern = pgettext("date pattern", "d MMM y") if with_year else pgettext("date pattern", "d MMM")
    return format_date(day, pattern, locale=lang)


def long_day(day: date, lang: Lang) -> str:
    """A date written out in full, as a cover or a heading gives it (11 May 2026, 2026年5月11日)."""
    return format_date(day, context_translator(lang)("date pattern", "d MMMM y"), locale=lang)


def date_span(start: date | None, first: int, last: int, lang: Lang) -> str:
    """A task's span: calendar dates when the plan has a start, else week numbers."""
    if start is None:
        return f"W{first}–W{last}"
    return f"{day(week_date(start, first), lang, start)}–{day(last_day(start, last), lang, start)}"


def signed(delta: float, amount: str | None = None) -> str:
    """A change with its sign, the same way on every page: +3, −3 and ±0 for no change (``amount``: the size
    already written in its unit, else the number as it is)."""
    if delta == 0:
        return "±0"
    return ("+" if delta > 0 else "−") + (amount if amount is not None else format_number(abs(delta)))


def shown_score(score: float) -> int:
    """A score as every page prints it, out of 100 without decimals ("%.0f": the same rounding as round())."""
    return round(score)


def figure(unit: str, value: float, lang: Lang) -> str:
    """A survey figure as a reader writes it: amounts in 万/億, other figures with their unit."""
    return format_yen(value, lang) if unit == "yen" else f"{format_number(value)}{unit_suffix(unit, lang)}"


def compact_span(start: date | None, first: int, last: int) -> str:
    """A task's span in figures only (2027/01/10–2027/02/06), narrow enough for a slide's table column."""
    if start is None:
        return f"W{first}–W{last}"
    return f"{week_date(start, first):%Y/%m/%d}–{last_day(start, last):%Y/%m/%d}"


def task_mentions(task_ids: Sequence[str], plan: Plan, lang: Lang) -> list[str]:
    """The titles of ``task_ids`` as the plan has them: a task still to do by its title, one already done marked
    so ("Build one customer master (done)"); a task the plan does not hold is left out."""
    pgettext = context_translator(lang)
    in_plan = {task.id: task for task in plan.tasks}
    mentions = []
    for task_id in task_ids:
        task = in_plan.get(task_id)
        if task is None:
            continue
        title = task.title.get(lang)
        mentions.append(
            pgettext("task already done", "{task} (done)").format(task=title) if task.status == "done" else title
        )
    return mentions
