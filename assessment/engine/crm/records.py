"""The records read from CRM exports: only what the funnel needs (dates, amounts, flags), never a name or text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from assessment.content.crm_columns import ExportKind


class Contact(NamedTuple):
    """A contact or lead: who it is (to tell duplicates) and the day it reached each stage."""

    email: str
    record_id: str
    created: datetime | None
    lead_date: datetime | None
    mql_date: datetime | None
    sql_date: datetime | None
    opportunity_date: datetime | None
    customer_date: datetime | None
    first_contact: datetime | None
    churn_date: datetime | None


class Deal(NamedTuple):
    """A deal or opportunity: when it was created and closed, its amount, whether it was won or is closed."""

    record_id: str
    created: datetime | None
    close_date: datetime | None
    amount: float | None
    won: bool
    closed: bool


@dataclass(frozen=True)
class ExportFile:
    """What one export held, as records, and how it was read (its kind, the headers used, rows read)."""

    name: str
    kind: ExportKind
    columns: Mapping[str, str]  # field -> the header it was read from
    rows: int  # data rows read (blank rows and a report's footer not counted)
    file_format: str
    encoding: str
    contacts: tuple[Contact, ...] = ()
    deals: tuple[Deal, ...] = ()
    date_order: str | None = None
