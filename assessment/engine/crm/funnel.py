"""The funnel from CRM records: monthly figures over a period, each with its evidence, and a cohort view.

Volumes are counted by the day each stage was reached and averaged per month of the period: leads, MQLs and
SQLs from contacts (or leads); opportunities (created) and wins (closed won) from deals when a deals export is
given, else from the contacts' opportunity and customer dates. A contact that reached a later stage without a
lead date became a lead no later than that: its earliest stage date (or its create date, when earlier) is its
lead date. Then, over the deals won in the period: the average deal size and the sales cycle (create to close,
days); the response time (hours from the MQL date, or the lead date where there is no MQL column, to the first
contact); the churn rate (customers whose end date falls in a month over those who were customers at its start,
pooled over the period); and the pipeline (the open deals' amounts, as exported).

A record counted twice (the same email, or the same record id in the same kind of export) counts once: the first
file and row given wins. Every figure says how many records it rests on and why the others were left out.
Churn counts contacts, not companies: several contacts of one customer each count. Where an export writes its
dates without a time, the response time is in whole days (a same-day contact is 0 hours).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from assessment.engine.crm.period import Period, add_months
from assessment.engine.crm.records import Contact, Deal, ExportFile
from assessment.vocabulary import FUNNEL_STAGES, Text

R = TypeVar("R", Contact, Deal)
COHORT_MONTHS = 12
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


@dataclass(frozen=True)
class FileSummary:
    """How one file was read: its kind, rows, duplicates left out, and the headers each field came from."""

    name: str
    kind: str
    title: Text
    rows: int
    duplicates: int
    file_format: str
    encoding: str
    columns: Mapping[str, str]


@dataclass(frozen=True)
class CrmFunnel:
    """The figures over the period, why any figure could not be computed, the cohorts and the files read."""

    period: Period
    figures: tuple[CrmFigure, ...]
    not_computed: Mapping[str, str]  # figure id -> reason (no_column, column_empty, no_records, no_won)
    cohorts: tuple[Cohort, ...]
    files: tuple[FileSummary, ...]

    def figure(self, figure_id: str) -> CrmFigure | None:
        """The computed figure with ``figure_id``, or None."""
        return next((f for f in self.figures if f.id == figure_id), None)


@dataclass
class _Tally:
    """A figure's evidence while it is counted."""

    files: tuple[str, ...]
    duplicates: int
    excluded: Counter[str] = field(default_factory=Counter)
    values: list[float] = field(default_factory=list)

    def evidence(self) -> Evidence:
        excluded = dict(self.excluded) | ({"duplicate": self.duplicates} if self.duplicates else {})
        return Evidence(len(self.values), {k: excluded[k] for k in EXCLUSIONS if excluded.get(k)}, self.files)


def compute_funnel(exports: Sequence[ExportFile], period: Period) -> CrmFunnel:
    """The funnel figures over ``period`` from the records of ``exports`` (given in order of precedence)."""
    contacts, contact_dupes = _unique((e, e.contacts) for e in exports if e.kind.records == "contacts")
    deals, deal_dupes = _unique((e, e.deals) for e in exports if e.kind.records == "deals")
    contact_files = [e for e in exports if e.kind.records == "contacts"]
    deal_files = [e for e in exports if e.kind.records == "deals"]
    figures: list[CrmFigure] = []
    missing: dict[str, str] = {}

    def add(figure_id: str, outcome: CrmFigure | str) -> None:
        if isinstance(outcome, str):
            missing[figure_id] = outcome
        else:
            figures.append(outcome)

    leads = [_lead_date(c) for c in contacts]
    for stage in FUNNEL_STAGES:
        if stage in ("opportunities", "wins") and deal_files:
            add(stage, _deal_volume(stage, deals, deal_files, deal_dupes, period))
            continue
        date_field = STAGE_DATES[stage]
        dates = leads if stage == "leads" else [getattr(c, date_field) for c in contacts]
        add(stage, _volume(stage, dates, _having(contact_files, date_field), contact_dupes, period))
    if deal_files:
        add("average_deal_size", _deal_size(deals, deal_files, deal_dupes, period))
        add("sales_cycle_days", _sales_cycle(deals, deal_files, deal_dupes, period))
        add("pipeline_amount", _pipeline(deals, deal_files, deal_dupes))
    if contact_files:
        add("lead_response_hours", _response(contacts, contact_files, contact_dupes, period))
        add("monthly_churn_rate", _churn(contacts, contact_files, contact_dupes, period))
    summaries = tuple(
        FileSummary(e.name, e.kind.id, e.kind.title, e.rows, (contact_dupes | deal_dupes).get(e.name, 0),
                    e.file_format, e.encoding, e.columns)
        for e in exports
    )  # fmt: skip
    cohorts = _cohorts(contacts, leads, contact_files, period) if contact_files else ()
    return CrmFunnel(period, tuple(figures), missing, cohorts, summaries)


def _unique(files: Iterable[tuple[ExportFile, Sequence[R]]]) -> tuple[list[R], dict[str, int]]:
    """The records of the files, each once (by record id within a kind, or by email); duplicates per file."""
    seen_ids: set[tuple[str, str]] = set()
    seen_emails: set[str] = set()
    kept: list[R] = []
    duplicates: Counter[str] = Counter()
    for export, records in files:
        kind = export.kind.id
        contacts = export.kind.records == "contacts"
        for record in records:
            key = (kind, record.record_id) if record.record_id else None
            email: str = getattr(record, "email", "") if contacts else ""
            if (key is not None and key in seen_ids) or (email and email in seen_emails):
                duplicates[export.name] += 1
                continue
            if key is not None:
                seen_ids.add(key)
            if email:
                seen_emails.add(email)
            kept.append(record)
    return kept, dict(duplicates)


def _having(files: Iterable[ExportFile], field_name: str) -> tuple[str, ...]:
    return tuple(f.name for f in files if field_name in f.columns)


def _dupes(files: Sequence[str], duplicates: Mapping[str, int]) -> int:
    return sum(duplicates.get(name, 0) for name in files)


def _lead_date(contact: Contact) -> datetime | None:
    """The lead date, or for a contact that reached a later stage without one, its earliest stage date."""
    if contact.lead_date is not None:
        return contact.lead_date
    stages = (contact.mql_date, contact.sql_date, contact.opportunity_date, contact.customer_date)
    later = [d for d in stages if d is not None]
    if not later:
        return None
    if contact.created is not None:
        later.append(contact.created)
    return min(later)


def _volume(
    stage: str, dates: Sequence[datetime | None], files: tuple[str, ...], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    if not files:
        return "no_column"
    tally = _Tally(files, _dupes(files, duplicates))
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


def _deal_volume(
    stage: str, deals: Sequence[Deal], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    if stage == "opportunities":
        return _volume(stage, [d.created for d in deals], _having(files, "created"), duplicates, period)
    if not any(d.won for d in deals):
        return "no_won"
    names = _having(files, "close_date")
    figure = _volume(stage, [d.close_date if d.won else None for d in deals], names, duplicates, period)
    if isinstance(figure, CrmFigure):  # the deals not won are "not won", not "no date"
        excluded = dict(figure.evidence.excluded)
        not_won = sum(1 for d in deals if not d.won)
        excluded["no_date"] = excluded.get("no_date", 0) - not_won
        excluded["not_won"] = not_won
        evidence = Evidence(figure.evidence.used, {k: excluded[k] for k in EXCLUSIONS if excluded.get(k)}, names)
        figure = CrmFigure(stage, figure.value, evidence, figure.monthly)
    return figure


def _won_in_period(deals: Sequence[Deal], tally: _Tally, period: Period, value: Callable[[Deal], float | None]) -> None:
    """Add ``value`` of each deal won in the period to the tally; count every other deal's reason."""
    for deal in deals:
        if not deal.won:
            tally.excluded["not_won"] += 1
        elif deal.close_date is None:
            tally.excluded["no_date"] += 1
        elif period.index(deal.close_date) is None:
            tally.excluded["outside_period"] += 1
        else:
            result = value(deal)
            if result is not None:
                tally.values.append(result)


def _deal_size(
    deals: Sequence[Deal], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    names = _having(files, "amount")
    if not names:
        return "no_column"
    tally = _Tally(names, _dupes(names, duplicates))

    def amount(deal: Deal) -> float | None:
        if deal.amount is None:
            tally.excluded["no_amount"] += 1
        return deal.amount

    _won_in_period(deals, tally, period, amount)
    return _mean("average_deal_size", tally)


def _sales_cycle(
    deals: Sequence[Deal], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    names = tuple(n for n in _having(files, "created") if n in _having(files, "close_date"))
    if not names:
        return "no_column"
    tally = _Tally(names, _dupes(names, duplicates))

    def days(deal: Deal) -> float | None:
        if deal.created is None or deal.close_date is None:
            tally.excluded["no_date"] += 1
            return None
        if deal.close_date < deal.created:
            tally.excluded["dates_reversed"] += 1
            return None
        return float((deal.close_date.date() - deal.created.date()).days)

    _won_in_period(deals, tally, period, days)
    return _mean("sales_cycle_days", tally)


def _pipeline(deals: Sequence[Deal], files: Sequence[ExportFile], duplicates: Mapping[str, int]) -> CrmFigure | str:
    names = tuple(f.name for f in files if "amount" in f.columns and ("stage" in f.columns or "closed" in f.columns))
    if not names:
        return "no_column"
    tally = _Tally(names, _dupes(names, duplicates))
    for deal in deals:
        if deal.closed:
            tally.excluded["closed"] += 1
        elif deal.amount is None:
            tally.excluded["no_amount"] += 1
        else:
            tally.values.append(deal.amount)
    if not tally.values:
        return "no_records"
    return CrmFigure("pipeline_amount", sum(tally.values), tally.evidence())


def _response(
    contacts: Sequence[Contact], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    names = _having(files, "first_contact")
    if not names:
        return "no_column"
    tally = _Tally(names, _dupes(names, duplicates))
    from_mql = bool(_having(files, "mql_date"))  # from the MQL date; from the lead date where none is exported
    for contact in contacts:
        start = contact.mql_date if from_mql else contact.lead_date
        if start is None or contact.first_contact is None:
            tally.excluded["no_date"] += 1
        elif period.index(start) is None:
            tally.excluded["outside_period"] += 1
        elif contact.first_contact < start:
            tally.excluded["dates_reversed"] += 1
        else:
            tally.values.append((contact.first_contact - start).total_seconds() / 3600)
    return _mean("lead_response_hours", tally)


def _churn(
    contacts: Sequence[Contact], files: Sequence[ExportFile], duplicates: Mapping[str, int], period: Period
) -> CrmFigure | str:
    names = tuple(n for n in _having(files, "churn_date") if n in _having(files, "customer_date"))
    if not names:
        return "no_column"
    tally = _Tally(names, _dupes(names, duplicates))
    at_start = churned = 0
    starts = [datetime.combine(m, datetime.min.time()) for m in (*period.month_starts(), period.end)]
    for contact in contacts:
        began, ended = contact.customer_date, contact.churn_date
        if began is None:
            tally.excluded["no_date"] += 1
            continue
        months = [i for i in range(period.months) if began < starts[i] and (ended is None or ended >= starts[i])]
        if not months:
            tally.excluded["outside_period"] += 1
            continue
        tally.values.append(1)
        at_start += len(months)
        churned += sum(1 for i in months if ended is not None and ended < starts[i + 1])
    if not at_start:
        return "no_records"
    return CrmFigure("monthly_churn_rate", churned / at_start * 100, tally.evidence())


def _mean(figure_id: str, tally: _Tally) -> CrmFigure | str:
    if not tally.values:
        return "no_records"
    return CrmFigure(figure_id, sum(tally.values) / len(tally.values), tally.evidence())


def _cohorts(
    contacts: Sequence[Contact], leads: Sequence[datetime | None], files: Sequence[ExportFile], period: Period
) -> tuple[Cohort, ...]:
    """The leads of each of the 12 months up to the period's last, and the later stages they have reached."""
    window = Period(add_months(period.last, 1 - COHORT_MONTHS), COHORT_MONTHS)
    stages = {s: STAGE_DATES[s] for s in FUNNEL_STAGES[1:]}
    exported = {s: bool(_having(files, f)) for s, f in stages.items()}
    counts = [Counter[str]() for _ in range(COHORT_MONTHS)]
    base = window.first.year * 12 + window.first.month
    for contact, lead in zip(contacts, leads, strict=True):
        month = lead.year * 12 + lead.month - base if lead is not None else -1
        if not 0 <= month < COHORT_MONTHS:
            continue
        tally = counts[month]
        tally["leads"] += 1
        reached = (contact.mql_date, contact.sql_date, contact.opportunity_date, contact.customer_date)
        for stage, moment in zip(stages, reached, strict=True):
            if moment is not None:
                tally[stage] += 1
    return tuple(
        Cohort(start, counts[i]["leads"], {s: counts[i][s] if exported[s] else None for s in stages})
        for i, start in enumerate(window.month_starts())
        if counts[i]["leads"]
    )
