"""What every CRM figure is made of: its evidence, and the counting the contact and deal figures share.

A figure rests on records used and records left out, each left out for one reason (:data:`EXCLUSIONS`), and
names the files it came from. A volume is counted by the month its date falls in and averaged over the period.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from assessment.engine.crm.period import Period
from assessment.engine.crm.records import ExportFile

# the contact date each volume stage is counted by, and the deal figures' sources
STAGE_DATES = {"leads": "lead_date", "mqls": "mql_date", "sqls": "sql_date",
               "opportunities": "opportunity_date", "wins": "customer_date"}  # fmt: skip
# why a record was left out of a figure
EXCLUSIONS = ("no_date", "outside_period", "duplicate", "not_won", "no_amount", "dates_reversed", "closed")


@dataclass(frozen=True)
class Evidence:
    """What a figure rests on: records used, records left out by reason, and the files they came from."""

    used: int
    excluded: Mapping[str, int]
    files: tuple[str, ...]


@dataclass(frozen=True)
class CrmFigure:
    """One survey figure computed from the exports (``id`` as in the survey; counts are per month)."""

    id: str
    value: float
    evidence: Evidence
    monthly: tuple[int, ...] = ()  # a volume's count in each month of the period


@dataclass(frozen=True)
class Cohort:
    """The leads of one month, and how many of them have reached each later stage so far (None: not exported)."""

    month: date
    leads: int
    reached: Mapping[str, int | None]


@dataclass
class Tally:
    """A figure's evidence while it is counted."""

    files: tuple[str, ...]
    duplicates: int
    excluded: Counter[str] = field(default_factory=Counter)
    values: list[float] = field(default_factory=list)

    def evidence(self) -> Evidence:
        """The evidence as counted: duplicates and every other reason, in the order of :data:`EXCLUSIONS`."""
        excluded = dict(self.excluded) | ({"duplicate": self.duplicates} if self.duplicates else {})
        return Evidence(len(self.values), {k: excluded[k] for k in EXCLUSIONS if excluded.get(k)}, self.files)


def having(files: Iterable[ExportFile], field_name: str) -> tuple[str, ...]:
    """The names of the files that carry a column for ``field_name``."""
    return tuple(f.name for f in files if field_name in f.columns)


def dupes(files: Sequence[str], duplicates: Mapping[str, int]) -> int:
    """How many duplicates the files named held."""
    return sum(duplicates.get(name, 0) for name in files)


def volume(
    stage: str, dates: Sequence[datetime | None], files: tuple[str, ...], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    """A volume: the records whose date falls in each month of the period, averaged per month."""
    if not files:
        return "no_column"
    tally = Tally(files, dupes(files, duplicates))
    monthly = [0] * period.months
    base = period.first.year * 12 + period.first.month
    no_date = outside = 0
    for moment in dates:  # the month by arithmetic, not a call: this loop sees every record of every stage
        if moment is None:
            no_date += 1
            continue
        offset = moment.year * 12 + moment.month - base
        if 0 <= offset < period.months:
            monthly[offset] += 1
        else:
            outside += 1
    used = sum(monthly)
    if not used and not outside:
        return "column_empty"
    tally.excluded.update({"no_date": no_date, "outside_period": outside})
    tally.values = [1.0] * used
    return CrmFigure(stage, used / period.months, tally.evidence(), tuple(monthly))


def mean(figure_id: str, tally: Tally) -> CrmFigure | str:
    """The mean of the values counted, or ``no_records`` when there is none."""
    if not tally.values:
        return "no_records"
    return CrmFigure(figure_id, sum(tally.values) / len(tally.values), tally.evidence())
