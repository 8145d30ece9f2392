"""The months the CRM figures are averaged over: by default the last three full months before today."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from assessment.errors import CrmExportError
from assessment.messages import Notice

DEFAULT_MONTHS = 3
MAX_MONTHS = 36
_MONTH = r"(\d{4})[-/](\d{1,2})"
_PERIOD = re.compile(rf"^\s*{_MONTH}\s*(?:(?:\.\.|~|\u301c)\s*{_MONTH})?\s*$")  # .., ~ or a wave dash


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month`` (before it when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months: from the first day of ``first`` for ``months`` months."""

    first: date
    months: int

    @property
    def end(self) -> date:
        """The first day after the period."""
        return add_months(self.first, self.months)

    @property
    def last(self) -> date:
        """The first day of the period's last month."""
        return add_months(self.first, self.months - 1)

    def month_starts(self) -> tuple[date, ...]:
        """The first day of each month of the period, in order."""
        return tuple(add_months(self.first, i) for i in range(self.months))

    def index(self, moment: datetime) -> int | None:
        """Which month of the period ``moment`` falls in (0-based), or None when outside it."""
        offset = (moment.year - self.first.year) * 12 + moment.month - self.first.month
        return offset if 0 <= offset < self.months else None

    def label(self) -> str:
        """The period as it is typed: ``2026-07..2026-09``."""
        return f"{self.first:%Y-%m}..{self.last:%Y-%m}"


def default_period(today: date, months: int = DEFAULT_MONTHS) -> Period:
    """The last ``months`` full months before ``today``'s month."""
    return Period(add_months(date(today.year, today.month, 1), -months), months)


def parse_period(text: str, path: str = "period") -> Period:
    """A period typed ``2026-07..2026-09`` (or one month, ``2026-07``); raise CrmExportError when it is none."""
    match = _PERIOD.match(text)
    problem = Notice(path, "crm_bad_period", {"value": text})
    if match is None:
        raise CrmExportError([problem])
    first_year, first_month = int(match[1]), int(match[2])
    last_year, last_month = (int(match[3]), int(match[4])) if match[3] else (first_year, first_month)
    if not (1 <= first_month <= 12 and 1 <= last_month <= 12 and 2000 <= first_year <= last_year <= 2100):
        raise CrmExportError([problem])
    months = (last_year - first_year) * 12 + last_month - first_month + 1
    if months < 1:
        raise CrmExportError([problem])
    if months > MAX_MONTHS:
        raise CrmExportError([Notice(path, "crm_period_too_long", {"value": text, "max": MAX_MONTHS})])
    return Period(date(first_year, first_month, 1), months)
