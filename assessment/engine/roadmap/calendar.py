"""Calendar dates for the plan: it starts on a Monday (the next one by default) and counts whole weeks."""

from __future__ import annotations

from datetime import date, timedelta


def next_monday(today: date) -> date:
    """The first Monday after ``today`` (a plan agreed on a Monday starts the week after)."""
    return today + timedelta(days=7 - today.weekday())


def week_date(start: date, week: int) -> date:
    """The first day of week ``week`` of a plan starting on ``start`` (week 0 is the start itself)."""
    return start + timedelta(weeks=week)


def last_day(start: date, end_week: int) -> date:
    """The last day of a span that ends when week ``end_week`` begins (the Sunday before it)."""
    return week_date(start, end_week) - timedelta(days=1)


def parse_start(text: str) -> date:
    """A start date written YYYY-MM-DD; ValueError names what is wrong."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date written YYYY-MM-DD") from None
