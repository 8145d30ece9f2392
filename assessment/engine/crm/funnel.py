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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from assessment.engine.crm.contact_figures import churn, cohorts, response
from assessment.engine.crm.deal_figures import deal_size, deal_volume, pipeline, sales_cycle
from assessment.engine.crm.figures import STAGE_DATES, Cohort, CrmFigure, Evidence, having, volume
from assessment.engine.crm.period import Period
from assessment.engine.crm.records import Contact, Deal, ExportFile
from assessment.vocabulary import FUNNEL_STAGES, Text

__all__ = ["Cohort", "CrmFigure", "CrmFunnel", "Evidence", "FileSummary", "compute_funnel"]

R = TypeVar("R", Contact, Deal)


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
            add(stage, deal_volume(stage, deals, deal_files, deal_dupes, period))
            continue
        date_field = STAGE_DATES[stage]
        dates = leads if stage == "leads" else [getattr(c, date_field) for c in contacts]
        add(stage, volume(stage, dates, having(contact_files, date_field), contact_dupes, period))
    if deal_files:
        add("average_deal_size", deal_size(deals, deal_files, deal_dupes, period))
        add("sales_cycle_days", sales_cycle(deals, deal_files, deal_dupes, period))
        add("pipeline_amount", pipeline(deals, deal_files, deal_dupes))
    if contact_files:
        add("lead_response_hours", response(contacts, contact_files, contact_dupes, period))
        add("monthly_churn_rate", churn(contacts, contact_files, contact_dupes, period))
    summaries = tuple(
        FileSummary(e.name, e.kind.id, e.kind.title, e.rows, (contact_dupes | deal_dupes).get(e.name, 0),
                    e.file_format, e.encoding, e.columns)
        for e in exports
    )  # fmt: skip
    by_month = cohorts(contacts, leads, contact_files, period) if contact_files else ()
    return CrmFunnel(period, tuple(figures), missing, by_month, summaries)


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
